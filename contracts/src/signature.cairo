//! Signature layouts (docs/spec.md, "Signatures").
//!
//! - Owner:   `[r, s]`, a Stark ECDSA signature of the transaction hash by
//!            the owner key. Exactly two felts.
//! - Session: `[SESSION_MAGIC, session_key, r, s]`, a Stark ECDSA signature
//!            of the transaction hash by the session key. Exactly four felts.
//!
//! Parsing never panics: anything else is `MALFORMED_SIGNATURE`, so padded
//! signatures (which would inflate fees) are rejected too.

use array::SpanTrait;
use option::OptionTrait;
use session_account::errors;

/// First felt of every session signature: 'session-v1'.
const SESSION_MAGIC: felt252 = 'session-v1';

#[derive(Copy, Drop, Serde, PartialEq)]
struct OwnerSignature {
    r: felt252,
    s: felt252,
}

#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionSignature {
    session_key: felt252,
    r: felt252,
    s: felt252,
}

#[derive(Copy, Drop, Serde, PartialEq)]
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
    if signature.len() == 4 {
        if *signature.at(0) == SESSION_MAGIC {
            return Result::Ok(
                AccountSignature::Session(
                    SessionSignature {
                        session_key: *signature.at(1), r: *signature.at(2), s: *signature.at(3)
                    }
                )
            );
        }
    }
    Result::Err(errors::MALFORMED_SIGNATURE)
}

/// Stark ECDSA check that never panics (an off-curve key is just `false`).
fn is_valid_stark_signature(hash: felt252, public_key: felt252, r: felt252, s: felt252) -> bool {
    if public_key == 0 {
        return false;
    }
    ecdsa::check_ecdsa_signature(hash, public_key, r, s)
}
