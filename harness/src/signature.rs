//! Signature layouts, mirroring contracts/src/signature.cairo.
//!
//! - Owner:   `[r, s]`
//! - Session: `[SESSION_MAGIC, session_public_key, r, s]`
//!
//! Both sign the transaction hash, so the fee bounds and tip (part of the
//! hash) are always signed.

use starknet_rust::core::crypto::Signature;
use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;

/// First felt of every session signature: the short string 'session-v1'.
pub const SESSION_MAGIC: Felt = short_string!("session-v1");

/// The owner signature layout.
pub fn owner_signature(signature: &Signature) -> Vec<Felt> {
    vec![signature.r, signature.s]
}

/// The session signature layout.
pub fn session_signature(session_public_key: Felt, signature: &Signature) -> Vec<Felt> {
    vec![SESSION_MAGIC, session_public_key, signature.r, signature.s]
}
