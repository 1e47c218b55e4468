//! signers::webauthn: assertions made by an independent implementation
//! (fixtures_p256.cairo) against the rules of §2.3, in their order; each
//! tampered field fails with its own error, never a panic.

use session_account::signers::webauthn::{Errors, verify};
use crate::fixtures::p256 as v;
use crate::fixtures::p256::{DECOY_CHALLENGE_OFFSET, HASH, OTHER_HASH, signer};

#[test]
fn a_chrome_assertion_with_an_extra_member_verifies() {
    assert_eq!(verify(@signer(true), HASH, @v::chrome()), Ok(()));
    assert_eq!(verify(@signer(false), HASH, @v::chrome()), Ok(()));
}

#[test]
fn members_in_any_order_verify() {
    assert_eq!(verify(@signer(false), HASH, @v::reordered()), Ok(()));
}

#[test]
fn user_verification_is_required_only_when_the_owner_asks() {
    // `reordered` was made with the user present but not verified.
    assert_eq!(verify(@signer(true), HASH, @v::reordered()), Err(Errors::USER_NOT_VERIFIED));
}

#[test]
fn the_user_present_flag_must_be_set() {
    assert_eq!(verify(@signer(false), HASH, @v::user_not_present()), Err(Errors::USER_NOT_PRESENT));
}

#[test]
fn the_challenge_is_the_hash_signed() {
    assert_eq!(verify(@signer(false), OTHER_HASH, @v::chrome()), Err(Errors::WRONG_CHALLENGE));
    assert_eq!(
        verify(@signer(false), HASH, @v::challenge_off_by_one()), Err(Errors::WRONG_CHALLENGE),
    );
}

#[test]
fn a_challenge_inside_another_member_does_not_count() {
    let assertion = v::decoy();
    assert_eq!(verify(@signer(false), HASH, @assertion), Ok(()));
    // The note's value holds `\"challenge\":\"<base64url of OTHER_HASH>\"`:
    // pointed at, it is not a member (its quote follows a backslash).
    let mut pointed = assertion.clone();
    pointed.challenge_offset = DECOY_CHALLENGE_OFFSET;
    assert_eq!(verify(@signer(false), OTHER_HASH, @pointed), Err(Errors::WRONG_CHALLENGE));
    assert_eq!(verify(@signer(false), HASH, @pointed), Err(Errors::WRONG_CHALLENGE));
}

/// A member stands at its offset only right after the `{` that opens the
/// object or a `,` (§2.3): the right challenge member written after a
/// backslash, inside another member's value, does not count even where the
/// offset points (the rule `webauthn_member_after_any_byte` breaks).
#[test]
fn a_member_after_another_byte_does_not_count() {
    let mut assertion = v::decoy();
    let mut json: ByteArray = "{\"type\":\"webauthn.get\",\"note\":\"\\";
    let challenge_offset = json.len();
    json.append(@"\"challenge\":\"BaHl5sHT8rSml4h3ZlVEMyIR_-7dzLuqmYh3ZlVEMyI\"\",");
    let origin_offset = json.len();
    json.append(@"\"origin\":\"https://app.example.com\"}");
    assertion.client_data_json = json;
    assertion.challenge_offset = challenge_offset;
    assertion.origin_offset = origin_offset;
    assert_eq!(verify(@signer(false), HASH, @assertion), Err(Errors::WRONG_CHALLENGE));
}

#[test]
fn each_member_must_stand_where_its_offset_says() {
    let assertion = v::chrome();
    let mut moved = assertion.clone();
    moved.type_offset += 1;
    assert_eq!(verify(@signer(false), HASH, @moved), Err(Errors::WRONG_TYPE));
    let mut moved = assertion.clone();
    moved.type_offset = 0;
    assert_eq!(verify(@signer(false), HASH, @moved), Err(Errors::WRONG_TYPE));
    let mut moved = assertion.clone();
    moved.origin_offset = moved.challenge_offset;
    assert_eq!(verify(@signer(false), HASH, @moved), Err(Errors::WRONG_ORIGIN));
    let mut moved = assertion.clone();
    moved.challenge_offset = 0xffffffff;
    assert_eq!(verify(@signer(false), HASH, @moved), Err(Errors::WRONG_CHALLENGE));
}

#[test]
fn the_type_must_be_webauthn_get() {
    assert_eq!(verify(@signer(false), HASH, @v::wrong_type()), Err(Errors::WRONG_TYPE));
}

#[test]
fn the_origin_must_be_the_owners_exactly() {
    assert_eq!(verify(@signer(false), HASH, @v::wrong_origin()), Err(Errors::WRONG_ORIGIN));
    let mut other = signer(false);
    other.origin = "https://app.example.co";
    assert_eq!(verify(@other, HASH, @v::chrome()), Err(Errors::WRONG_ORIGIN));
}

#[test]
fn the_relying_party_must_be_the_owners() {
    assert_eq!(verify(@signer(false), HASH, @v::wrong_rp()), Err(Errors::WRONG_RP_ID));
}

#[test]
fn truncated_authenticator_data_is_malformed() {
    assert_eq!(verify(@signer(false), HASH, @v::truncated()), Err(Errors::MALFORMED));
    let mut empty = v::chrome();
    empty.authenticator_data = "";
    assert_eq!(verify(@signer(false), HASH, @empty), Err(Errors::MALFORMED));
}

#[test]
fn the_signature_must_be_the_credentials() {
    let mut other = signer(false);
    other.key = v::other_key();
    assert_eq!(verify(@other, HASH, @v::chrome()), Err(Errors::INVALID_SIGNATURE));
    let mut tampered = v::chrome();
    tampered.s = tampered.s - 1;
    assert_eq!(verify(@signer(false), HASH, @tampered), Err(Errors::INVALID_SIGNATURE));
    let mut zero = v::chrome();
    zero.r = 0;
    assert_eq!(verify(@signer(false), HASH, @zero), Err(Errors::INVALID_SIGNATURE));
    // The counter is not read, but every byte of the data is signed.
    let mut counter = v::chrome();
    let mut data: ByteArray = "";
    let mut i = 0;
    while i < counter.authenticator_data.len() - 1 {
        data.append_byte(counter.authenticator_data[i]);
        i += 1;
    }
    data.append_byte(counter.authenticator_data[i] + 1);
    counter.authenticator_data = data;
    assert_eq!(verify(@signer(false), HASH, @counter), Err(Errors::INVALID_SIGNATURE));
}

#[test]
fn a_high_s_assertion_verifies() {
    let mut high = v::chrome();
    high.s = v::N - high.s;
    assert_eq!(verify(@signer(false), HASH, @high), Ok(()));
}
