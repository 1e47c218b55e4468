//! Signature layouts (§2) and their parsing.
//!
//! - Owner:   `[r, s]`
//! - Session: `['session-v2', session_key, r, s, authorization...]`, where
//!            the authorization is empty or `[policy..., owner_r, owner_s]`.
//!
//! Parsing never panics: anything else, including trailing felts, is
//! `account/malformed-signature`.

use crate::policy::SessionPolicy;

pub mod Errors {
    pub const INVALID_SIGNATURE: felt252 = 'account/invalid-signature';
    pub const MALFORMED_SIGNATURE: felt252 = 'account/malformed-signature';
}

/// First felt of every session signature: 'session-v2'. (Layout v1 also
/// carried the transaction's fee fields; the account now reads them from
/// the transaction.)
pub const SESSION_MAGIC: felt252 = 'session-v2';
/// Felts before the authorization in a session signature.
const SESSION_HEADER_LEN: u32 = 4;

#[derive(Copy, Drop, PartialEq, Debug)]
pub struct OwnerSignature {
    pub r: felt252,
    pub s: felt252,
}

/// An owner-signed policy carried in a session's first transaction (§3.2).
#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct Authorization {
    pub policy: SessionPolicy,
    pub owner_r: felt252,
    pub owner_s: felt252,
}

#[derive(Drop, PartialEq, Debug)]
pub struct SessionSignature {
    pub session_key: felt252,
    pub r: felt252,
    pub s: felt252,
    pub authorization: Option<Authorization>,
}

#[derive(Drop, PartialEq, Debug)]
pub enum AccountSignature {
    Owner: OwnerSignature,
    Session: SessionSignature,
}

/// Splits a signature into its kind and fields.
pub fn parse_signature(signature: Span<felt252>) -> Result<AccountSignature, felt252> {
    if is_owner_layout(signature) {
        return Ok(AccountSignature::Owner(OwnerSignature { r: *signature[0], s: *signature[1] }));
    }
    match parse_session_signature(signature) {
        Some(session) => Ok(AccountSignature::Session(session)),
        None => Err(Errors::MALFORMED_SIGNATURE),
    }
}

fn parse_session_signature(signature: Span<felt252>) -> Option<SessionSignature> {
    if signature.len() < SESSION_HEADER_LEN || *signature[0] != SESSION_MAGIC {
        return None;
    }
    let mut rest = signature.slice(SESSION_HEADER_LEN, signature.len() - SESSION_HEADER_LEN);
    let authorization = if rest.is_empty() {
        None
    } else {
        let parsed: Authorization = Serde::deserialize(ref rest)?;
        if !rest.is_empty() {
            return None;
        }
        Some(parsed)
    };
    Some(
        SessionSignature {
            session_key: *signature[1], r: *signature[2], s: *signature[3], authorization,
        },
    )
}

/// The session key a signature names, if it has the session layout. Cheaper
/// than a full parse: the authorization is not decoded.
pub fn session_key_of(signature: Span<felt252>) -> Option<felt252> {
    if signature.len() < SESSION_HEADER_LEN || *signature[0] != SESSION_MAGIC {
        return None;
    }
    Some(*signature[1])
}

/// Whether a signature has the owner layout.
pub fn is_owner_layout(signature: Span<felt252>) -> bool {
    signature.len() == 2
}

/// Stark ECDSA check that never panics (a zero or off-curve key is `false`).
pub fn is_valid_stark_signature(
    hash: felt252, public_key: felt252, r: felt252, s: felt252,
) -> bool {
    if public_key == 0 {
        return false;
    }
    core::ecdsa::check_ecdsa_signature(hash, public_key, r, s)
}
