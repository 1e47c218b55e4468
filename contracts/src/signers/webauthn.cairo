//! A WebAuthn assertion of a passkey (§2.3), checked as the W3C WebAuthn
//! specification's verification procedure asks of a relying party, for the
//! hash the owner signs:
//!
//! 1. the authenticator data holds at least 37 bytes: the relying party id
//!    hash (32), the flags (1), the signature counter (4);
//! 2. its `rpIdHash` is the owner's; the user-present flag is set, and the
//!    user-verified flag too when the owner requires it;
//! 3. in `clientDataJSON`, the members `"type":"webauthn.get"`,
//!    `"challenge":"<base64url of the hash>"` and `"origin":"<the owner's
//!    origin>"` each stand, byte for byte, at the offset the assertion
//!    gives, right after a `{` or a `,`. Browsers order members freely and
//!    add others, so no template is assumed; and since a JSON string holds
//!    no unescaped `"`, the same text inside another member's value never
//!    matches (its quotes are escaped);
//! 4. `(r, s)` is the credential's P-256 signature of
//!    `SHA-256(authenticatorData ‖ SHA-256(clientDataJSON))`.
//!
//! The signature counter is not read: synced passkeys report 0, and what
//! the owner signs (a transaction hash, a session hash, an outside
//! execution) is single-use by the account's nonces.

use super::base64url::challenge_of;
use super::bytes::{append_u256, matches_at, sha256, u256_at};
use super::p256::{P256PublicKey, is_valid_p256_signature};

pub mod Errors {
    pub const MALFORMED: felt252 = 'webauthn/malformed';
    pub const WRONG_RP_ID: felt252 = 'webauthn/wrong-rp-id';
    pub const USER_NOT_PRESENT: felt252 = 'webauthn/user-not-present';
    pub const USER_NOT_VERIFIED: felt252 = 'webauthn/user-not-verified';
    pub const WRONG_TYPE: felt252 = 'webauthn/wrong-type';
    pub const WRONG_CHALLENGE: felt252 = 'webauthn/wrong-challenge';
    pub const WRONG_ORIGIN: felt252 = 'webauthn/wrong-origin';
    pub const INVALID_SIGNATURE: felt252 = 'webauthn/invalid-signature';
}

/// Bytes of the authenticator data the account reads.
const AUTHENTICATOR_DATA_MIN_LEN: usize = 37;
/// Offset of the flags byte in the authenticator data.
const FLAGS_AT: usize = 32;
/// User present (UP) and user verified (UV) flags.
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;

/// A passkey owner: its credential's public key and what it is bound to.
#[derive(Drop, Clone, Serde, PartialEq, Debug, starknet::Store)]
pub struct WebAuthnSigner {
    pub key: P256PublicKey,
    /// SHA-256 of the relying party id (e.g. of `"example.com"`).
    pub rp_id_hash: u256,
    /// The origin the browser reports (e.g. `"https://app.example.com"`).
    pub origin: ByteArray,
    /// Whether the authenticator must have verified the user (PIN,
    /// biometrics), not only seen them present.
    pub require_user_verification: bool,
}

/// An assertion as a browser returns it, with where the three members of
/// `clientDataJSON` the account checks stand (at their opening quote).
#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct Assertion {
    pub authenticator_data: ByteArray,
    pub client_data_json: ByteArray,
    pub type_offset: u32,
    pub challenge_offset: u32,
    pub origin_offset: u32,
    pub r: u256,
    pub s: u256,
}

/// Checks that `assertion` is `signer`'s passkey signing `hash`, in the
/// order of the module documentation; the first rule it breaks is the
/// error. Never panics.
pub fn verify(
    signer: @WebAuthnSigner, hash: felt252, assertion: @Assertion,
) -> Result<(), felt252> {
    let data = assertion.authenticator_data;
    if data.len() < AUTHENTICATOR_DATA_MIN_LEN {
        return Err(Errors::MALFORMED);
    }
    if u256_at(data, 0) != Some(*signer.rp_id_hash) {
        return Err(Errors::WRONG_RP_ID);
    }
    let flags = data[FLAGS_AT];
    if flags & USER_PRESENT == 0 {
        return Err(Errors::USER_NOT_PRESENT);
    }
    if *signer.require_user_verification && flags & USER_VERIFIED == 0 {
        return Err(Errors::USER_NOT_VERIFIED);
    }
    let json = assertion.client_data_json;
    if !member_at(json, *assertion.type_offset, @"\"type\":\"webauthn.get\"") {
        return Err(Errors::WRONG_TYPE);
    }
    let challenge = format!("\"challenge\":\"{}\"", challenge_of(hash));
    if !member_at(json, *assertion.challenge_offset, @challenge) {
        return Err(Errors::WRONG_CHALLENGE);
    }
    let origin = format!("\"origin\":\"{}\"", signer.origin);
    if !member_at(json, *assertion.origin_offset, @origin) {
        return Err(Errors::WRONG_ORIGIN);
    }
    let mut signed = data.clone();
    append_u256(ref signed, sha256(json));
    if !is_valid_p256_signature(sha256(@signed), *signer.key, *assertion.r, *assertion.s) {
        return Err(Errors::INVALID_SIGNATURE);
    }
    Ok(())
}

/// `member` (`"name":value`) stands at `at` in `json`, right after the
/// `{` that opens the object or a `,` that separates members.
fn member_at(json: @ByteArray, at: u32, member: @ByteArray) -> bool {
    if at == 0 {
        return false;
    }
    match json.at(at - 1) {
        Some(before) => (before == '{' || before == ',') && matches_at(json, at, member),
        None => false,
    }
}
