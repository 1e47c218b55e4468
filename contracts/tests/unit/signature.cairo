//! signature: layouts and parsing (§2). Parsing never panics.

use session_account::signature::{
    AccountSignature, Authorization, Errors, SESSION_MAGIC, is_owner_layout,
    is_valid_stark_signature, parse_signature, session_key_of,
};
use crate::fixtures::account::{SESSION_SECRET, assert_err, public_key, sign, stark};
use crate::fixtures::policies::{SESSION_KEY, sample_policy};

fn session_sig(authorization: Span<felt252>) -> Array<felt252> {
    let mut sig = array![SESSION_MAGIC, SESSION_KEY, 11, 22];
    sig.append_span(authorization);
    sig
}

fn serialized_authorization() -> Array<felt252> {
    let mut out = array![];
    Authorization { policy: sample_policy(), owner_signature: stark(77, 88) }.serialize(ref out);
    out
}

#[test]
fn magic_is_session_v2() {
    assert_eq!(SESSION_MAGIC, 'session-v2');
    assert_eq!(SESSION_MAGIC, 0x73657373696f6e2d7632);
}

#[test]
fn owner_layout_is_r_s() {
    assert_eq!(parse_signature(array![11, 22].span()), Ok(AccountSignature::Owner(stark(11, 22))));
    assert!(is_owner_layout(array![1, 2].span()));
    assert!(!is_owner_layout(session_sig(array![].span()).span()));
}

#[test]
fn session_layout_without_authorization() {
    let Ok(AccountSignature::Session(sig)) = parse_signature(
        session_sig(array![].span()).span(),
    ) else {
        panic!("not a session signature")
    };
    assert_eq!(sig.session_key, SESSION_KEY);
    assert_eq!((sig.r, sig.s), (11, 22));
    assert!(sig.authorization.is_none());
}

#[test]
fn session_layout_with_authorization() {
    let sig = session_sig(serialized_authorization().span());
    let Ok(AccountSignature::Session(sig)) = parse_signature(sig.span()) else {
        panic!("not a session signature")
    };
    let authorization = sig.authorization.unwrap();
    assert_eq!(authorization.policy, sample_policy());
    assert_eq!(authorization.owner_signature, stark(77, 88));
}

#[test]
fn session_key_of_reads_only_the_header() {
    assert_eq!(session_key_of(session_sig(array![].span()).span()), Some(SESSION_KEY));
    assert_eq!(session_key_of(session_sig(array![1].span()).span()), Some(SESSION_KEY));
    assert_eq!(session_key_of(array![1, 2].span()), None);
    assert_eq!(session_key_of(array!['session-v1', SESSION_KEY, 1, 2].span()), None);
}

#[test]
fn short_or_unknown_layouts_are_malformed() {
    assert_err(parse_signature(array![].span()), Errors::MALFORMED_SIGNATURE);
    assert_err(parse_signature(array![1].span()), Errors::MALFORMED_SIGNATURE);
    assert_err(parse_signature(array![1, 2, 3].span()), Errors::MALFORMED_SIGNATURE);
    assert_err(
        parse_signature(array![SESSION_MAGIC, SESSION_KEY, 11].span()), Errors::MALFORMED_SIGNATURE,
    );
    assert_err(
        parse_signature(array!['session-v1', SESSION_KEY, 11, 22].span()),
        Errors::MALFORMED_SIGNATURE,
    );
    assert_err(parse_signature(array![1, SESSION_KEY, 11, 22].span()), Errors::MALFORMED_SIGNATURE);
}

#[test]
fn the_retired_v1_layout_is_malformed() {
    // ['session-v1', key, r, s, tip, l1, l2, l1_data, 0]
    let v1 = array!['session-v1', SESSION_KEY, 11, 22, 0, 1, 2, 3, 0];
    assert_err(parse_signature(v1.span()), Errors::MALFORMED_SIGNATURE);
}

#[test]
fn trailing_felts_are_malformed() {
    // A felt after the header that is not an authorization.
    assert_err(parse_signature(session_sig(array![0].span()).span()), Errors::MALFORMED_SIGNATURE);
    // A felt after a complete authorization.
    let mut auth = serialized_authorization();
    auth.append(99);
    assert_err(parse_signature(session_sig(auth.span()).span()), Errors::MALFORMED_SIGNATURE);
}

#[test]
fn truncated_authorizations_are_malformed() {
    let auth = serialized_authorization();
    let mut length = auth.len() - 1;
    while length > 0 {
        assert_err(
            parse_signature(session_sig(auth.span().slice(0, length)).span()),
            Errors::MALFORMED_SIGNATURE,
        );
        length -= 7;
        if length < 7 {
            break;
        }
    }
    assert_err(
        parse_signature(session_sig(array![1, 2, 3].span()).span()), Errors::MALFORMED_SIGNATURE,
    );
}

#[test]
fn huge_lengths_inside_an_authorization_do_not_panic() {
    // key, valid_after, valid_until, grace, max_valid_until, period, then
    // an allowed-calls length of 2^32 - 1, 2^64 and P - 1 (the length a
    // `u32_add` overflowed on); then the same in an entrypoint list and in
    // the spending limits.
    for length in array![0xffffffff, 0x10000000000000000, -1] {
        let auth = array![SESSION_KEY, 1, 2, 0, 0, 0, length, 0x7070, 0];
        assert_err(parse_signature(session_sig(auth.span()).span()), Errors::MALFORMED_SIGNATURE);
        let auth = array![SESSION_KEY, 1, 2, 0, 0, 0, 1, 0x7070, length, 1];
        assert_err(parse_signature(session_sig(auth.span()).span()), Errors::MALFORMED_SIGNATURE);
        let auth = array![SESSION_KEY, 1, 2, 0, 0, 0, 0, 1, 1, length, 0x7070, 5, 0];
        assert_err(parse_signature(session_sig(auth.span()).span()), Errors::MALFORMED_SIGNATURE);
    }
    // A window that is not a u64.
    let auth = array![SESSION_KEY, 0x10000000000000000, 2];
    assert_err(parse_signature(session_sig(auth.span()).span()), Errors::MALFORMED_SIGNATURE);
}

#[test]
fn stark_signatures_verify_only_for_the_signer() {
    let hash = 0xabc;
    let (r, s) = sign(SESSION_SECRET, hash);
    let key = public_key(SESSION_SECRET);
    assert!(is_valid_stark_signature(hash, key, r, s));
    assert!(!is_valid_stark_signature(hash + 1, key, r, s));
    assert!(!is_valid_stark_signature(hash, key + 1, r, s));
    assert!(!is_valid_stark_signature(hash, key, s, r));
}

#[test]
fn garbage_signatures_do_not_verify_or_panic() {
    assert!(!is_valid_stark_signature(1, 0, 1, 1));
    assert!(!is_valid_stark_signature(1, 1, 1, 1));
    assert!(!is_valid_stark_signature(1, 1, 1, 0));
    assert!(!is_valid_stark_signature(1, 1, 0, 1));
    assert!(!is_valid_stark_signature(1, -1, -1, -1));
}
