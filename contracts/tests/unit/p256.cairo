//! signers::p256, signers::base64url, signers::bytes: raw P-256 signatures
//! against the independent vectors of fixtures_p256.cairo (§2.3), every
//! edge case refused without a panic.

use session_account::signers::base64url::{challenge_of, encode};
use session_account::signers::bytes::{digest_to_u256, matches_at, sha256, u256_at};
use session_account::signers::p256::{P256PublicKey, is_valid_p256_signature, point_of};
use crate::fixtures::p256::{HASH, N, OTHER_HASH, RAW_R, RAW_S, other_key, owner_key};

#[test]
fn a_raw_p256_signature_of_the_hash_verifies() {
    assert!(is_valid_p256_signature(HASH.into(), owner_key(), RAW_R, RAW_S));
}

#[test]
fn a_high_s_signature_verifies_too() {
    assert!(RAW_S <= N / 2);
    assert!(is_valid_p256_signature(HASH.into(), owner_key(), RAW_R, N - RAW_S));
}

#[test]
fn another_hash_or_key_does_not_verify() {
    assert!(!is_valid_p256_signature(OTHER_HASH.into(), owner_key(), RAW_R, RAW_S));
    assert!(!is_valid_p256_signature(HASH.into(), other_key(), RAW_R, RAW_S));
    assert!(!is_valid_p256_signature(HASH.into(), owner_key(), RAW_S, RAW_R));
}

#[test]
fn r_or_s_zero_or_at_least_n_is_refused() {
    let (hash, key) = (HASH.into(), owner_key());
    assert!(!is_valid_p256_signature(hash, key, 0, RAW_S));
    assert!(!is_valid_p256_signature(hash, key, RAW_R, 0));
    assert!(!is_valid_p256_signature(hash, key, N, RAW_S));
    assert!(!is_valid_p256_signature(hash, key, RAW_R, N));
    assert!(!is_valid_p256_signature(hash, key, N + 1, RAW_S));
    assert!(!is_valid_p256_signature(hash, key, RAW_R, N + 1));
    let max = core::num::traits::Bounded::MAX;
    assert!(!is_valid_p256_signature(hash, key, max, max));
}

#[test]
fn a_key_off_the_curve_is_refused() {
    let key = owner_key();
    let off = P256PublicKey { x: key.x, y: key.y + 1 };
    assert!(point_of(off).is_none());
    assert!(!is_valid_p256_signature(HASH.into(), off, RAW_R, RAW_S));
    assert!(point_of(P256PublicKey { x: 0, y: 0 }).is_none());
    let max = core::num::traits::Bounded::MAX;
    assert!(point_of(P256PublicKey { x: max, y: max }).is_none());
    assert!(point_of(key).is_some());
}

#[test]
fn base64url_matches_rfc_4648_vectors() {
    // RFC 4648 §10, in the URL-safe alphabet without padding.
    assert_eq!(encode(@""), "");
    assert_eq!(encode(@"f"), "Zg");
    assert_eq!(encode(@"fo"), "Zm8");
    assert_eq!(encode(@"foo"), "Zm9v");
    assert_eq!(encode(@"foob"), "Zm9vYg");
    assert_eq!(encode(@"fooba"), "Zm9vYmE");
    assert_eq!(encode(@"foobar"), "Zm9vYmFy");
    // The URL-safe characters: 0xfb 0xff -> "-_8".
    let mut b: ByteArray = "";
    b.append_byte(0xfb);
    b.append_byte(0xff);
    assert_eq!(encode(@b), "-_8");
}

#[test]
fn the_challenge_is_43_characters_of_the_32_byte_hash() {
    let challenge = challenge_of(HASH);
    assert_eq!(challenge.len(), 43);
    // Python: base64.urlsafe_b64encode(HASH.to_bytes(32, "big")).rstrip(b"=")
    assert_eq!(challenge, "BaHl5sHT8rSml4h3ZlVEMyIR_-7dzLuqmYh3ZlVEMyI");
    assert_eq!(challenge_of(0), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

#[test]
fn bytes_are_read_exactly_and_never_past_the_end() {
    let text: ByteArray = "0123456789abcdef0123456789ABCDEF!";
    assert!(matches_at(@text, 0, @"0123"));
    assert!(matches_at(@text, 32, @"!"));
    assert!(!matches_at(@text, 32, @"!!"));
    assert!(!matches_at(@text, 34, @""));
    assert!(matches_at(@text, 33, @""));
    assert!(!matches_at(@text, 1, @"0123"));
    assert_eq!(u256_at(@text, 2), None);
    let word = u256_at(@text, 1).unwrap();
    assert_eq!(word.high, 0x31323334353637383961626364656630);
    assert_eq!(word.low, 0x31323334353637383941424344454621);
    assert_eq!(u256_at(@text, 0).unwrap().low, 0x30313233343536373839414243444546);
}

#[test]
fn sha256_matches_the_standard_vectors() {
    // FIPS 180-2: SHA-256("abc") and SHA-256("").
    assert_eq!(sha256(@"abc"), 0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad);
    assert_eq!(sha256(@""), 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855);
    assert_eq!(
        digest_to_u256([1, 2, 3, 4, 5, 6, 7, 8]),
        0x0000000100000002000000030000000400000005000000060000000700000008,
    );
}
