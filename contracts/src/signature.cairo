//! Signature layouts (§2) and their parsing.
//!
//! - Owner:   `[r, s]`
//! - Session: `['session-v1', session_key, r, s, tip, l1_gas_bound,
//!             l2_gas_bound, l1_data_gas_bound, authorization_len,
//!             authorization...]`, where the authorization is empty or
//!             `[policy..., owner_r, owner_s]`.
//!
//! Parsing never panics: anything else, including trailing felts, is
//! `account/malformed-signature`.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use serde::Serde;
use traits::{Into, TryInto};
use session_account::errors;
use session_account::session::policy::SessionPolicy;
use session_account::tx::FeeFields;

/// First felt of every session signature: 'session-v1'.
const SESSION_MAGIC: felt252 = 'session-v1';
/// Felts before the authorization in a session signature.
const SESSION_HEADER_LEN: u32 = 9;

#[derive(Copy, Drop, Serde, PartialEq)]
struct OwnerSignature {
    r: felt252,
    s: felt252,
}

/// An owner-signed policy carried in a session's first transaction (§3.2).
#[derive(Drop, Serde)]
struct Authorization {
    policy: SessionPolicy,
    owner_r: felt252,
    owner_s: felt252,
}

#[derive(Drop, Serde)]
struct SessionSignature {
    session_key: felt252,
    r: felt252,
    s: felt252,
    fee: FeeFields,
    authorization: Option<Authorization>,
}

#[derive(Drop, Serde)]
enum AccountSignature {
    Owner: OwnerSignature,
    Session: SessionSignature,
}

/// Splits a transaction signature into its kind and fields.
fn parse_signature(signature: Span<felt252>) -> Result<AccountSignature, felt252> {
    if signature.len() == 2 {
        return Result::Ok(
            AccountSignature::Owner(OwnerSignature { r: *signature.at(0), s: *signature.at(1) })
        );
    }
    match parse_session_signature(signature) {
        Option::Some(session) => Result::Ok(AccountSignature::Session(session)),
        Option::None => Result::Err(errors::MALFORMED_SIGNATURE),
    }
}

fn parse_session_signature(signature: Span<felt252>) -> Option<SessionSignature> {
    if signature.len() < SESSION_HEADER_LEN || *signature.at(0) != SESSION_MAGIC {
        return Option::None;
    }
    let authorization_len: u32 = (*signature.at(8)).try_into()?;
    if signature.len() != SESSION_HEADER_LEN + authorization_len {
        return Option::None;
    }
    let fee = FeeFields {
        tip: *signature.at(4),
        l1_gas: *signature.at(5),
        l2_gas: *signature.at(6),
        l1_data_gas: *signature.at(7),
    };
    let authorization = if authorization_len == 0 {
        Option::None
    } else {
        let mut rest = signature.slice(SESSION_HEADER_LEN, authorization_len);
        let parsed: Authorization = Serde::deserialize(ref rest)?;
        if rest.len() != 0 {
            return Option::None;
        }
        Option::Some(parsed)
    };
    Option::Some(
        SessionSignature {
            session_key: *signature.at(1),
            r: *signature.at(2),
            s: *signature.at(3),
            fee,
            authorization,
        }
    )
}

/// Whether a signature has the owner layout (used by owner-only guards).
fn is_owner_layout(signature: Span<felt252>) -> bool {
    signature.len() == 2
}

/// Stark ECDSA check that never panics (a zero or off-curve key is `false`).
fn is_valid_stark_signature(hash: felt252, public_key: felt252, r: felt252, s: felt252) -> bool {
    if public_key == 0 {
        return false;
    }
    ecdsa::check_ecdsa_signature(hash, public_key, r, s)
}
