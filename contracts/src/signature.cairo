//! Signature layouts (§2) and their parsing.
//!
//! - Owner, by the kind of the owner key (§2.1):
//!   - Stark:    `[r, s]`
//!   - P-256:    `['p256', r.low, r.high, s.low, s.high]`
//!   - WebAuthn: `['webauthn', assertion...]` (`signers::webauthn::Assertion`)
//! - Session: `['session-v2', session_key, r, s, authorization...]`, where
//!            the authorization is empty or `[policy..., owner signature]`,
//!            the owner signature in its layout above.
//!
//! Parsing never panics: anything else, including trailing felts, is
//! `account/malformed-signature`.

use crate::policy::SessionPolicy;
use crate::signers::webauthn::Assertion;

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

/// First felt of a P-256 owner signature: 'p256'.
pub const P256_MAGIC: felt252 = 'p256';
/// First felt of a WebAuthn owner signature: 'webauthn'.
pub const WEBAUTHN_MAGIC: felt252 = 'webauthn';

/// An owner's signature, in the layout of its key's kind (§2.1).
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum OwnerSignature {
    Stark: StarkSignature,
    /// A tagged kind keeps the `Serde` of its body (checked to parse:
    /// a `P256Signature`, an `Assertion`), decoded only to verify it, so
    /// that the Stark and session paths carry nothing larger around.
    P256: Span<felt252>,
    WebAuthn: Span<felt252>,
}

#[derive(Copy, Drop, PartialEq, Debug)]
pub struct StarkSignature {
    pub r: felt252,
    pub s: felt252,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct P256Signature {
    pub r: u256,
    pub s: u256,
}

/// The layouts of §2.1. A Stark signature is two felts whatever they are;
/// read where more felts may follow (an authorization), one whose `r` is a
/// tag reads as that tag's layout (an honest signer's `r` is one of 2^251
/// values: it is never a tag).
pub impl OwnerSignatureSerde of Serde<OwnerSignature> {
    fn serialize(self: @OwnerSignature, ref output: Array<felt252>) {
        match self {
            OwnerSignature::Stark(sig) => {
                output.append(*sig.r);
                output.append(*sig.s);
            },
            OwnerSignature::P256(sig) => {
                output.append(P256_MAGIC);
                output.append_span(*sig);
            },
            OwnerSignature::WebAuthn(assertion) => {
                output.append(WEBAUTHN_MAGIC);
                output.append_span(*assertion);
            },
        }
    }

    fn deserialize(ref serialized: Span<felt252>) -> Option<OwnerSignature> {
        let first = *serialized.pop_front()?;
        if first == P256_MAGIC {
            let start = serialized;
            let _signature: P256Signature = Serde::deserialize(ref serialized)?;
            return Some(OwnerSignature::P256(start.slice(0, start.len() - serialized.len())));
        }
        if first == WEBAUTHN_MAGIC {
            let start = serialized;
            let _assertion: Assertion = Serde::deserialize(ref serialized)?;
            let read = start.len() - serialized.len();
            return Some(OwnerSignature::WebAuthn(start.slice(0, read)));
        }
        let s = *serialized.pop_front()?;
        Some(OwnerSignature::Stark(StarkSignature { r: first, s }))
    }
}

/// An owner-signed policy carried in a session's first transaction (§3.2).
#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct Authorization {
    pub policy: SessionPolicy,
    pub owner_signature: OwnerSignature,
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
    if signature.len() == 2 {
        return Ok(
            AccountSignature::Owner(
                OwnerSignature::Stark(StarkSignature { r: *signature[0], s: *signature[1] }),
            ),
        );
    }
    if let Some(session) = parse_session_signature(signature) {
        return Ok(AccountSignature::Session(session));
    }
    match parse_owner_signature(signature) {
        Some(owner) => Ok(AccountSignature::Owner(owner)),
        None => Err(Errors::MALFORMED_SIGNATURE),
    }
}

/// An owner signature that is the whole of `signature`: two felts (Stark),
/// or a tagged layout with nothing after it.
pub fn parse_owner_signature(signature: Span<felt252>) -> Option<OwnerSignature> {
    if signature.len() == 2 {
        return Some(OwnerSignature::Stark(StarkSignature { r: *signature[0], s: *signature[1] }));
    }
    let mut rest = signature;
    let parsed: OwnerSignature = Serde::deserialize(ref rest)?;
    match (parsed, rest.is_empty()) {
        (OwnerSignature::Stark(_), _) => None,
        (_, true) => Some(parsed),
        _ => None,
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

/// Whether a signature has an owner layout (§2.1): two felts, or a first
/// felt that tags a P-256 or WebAuthn signature. (A 2-felt signature is
/// the owner's even when its first felt is `'session-v2'`.)
pub fn is_owner_layout(signature: Span<felt252>) -> bool {
    match signature.get(0) {
        Some(first) => signature.len() == 2
            || *first.unbox() == P256_MAGIC
            || *first.unbox() == WEBAUTHN_MAGIC,
        None => false,
    }
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
