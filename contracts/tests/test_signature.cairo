//! signature: layouts and parsing (§2).

#[starknet::contract]
mod TestSignature {
    use array::{ArrayTrait, SpanTrait};
    use option::OptionTrait;
    use serde::Serde;
    use traits::Into;
    use session_account::errors;
    use session_account::signature::{
        parse_signature, is_valid_stark_signature, is_owner_layout, AccountSignature,
        OwnerSignature, SessionSignature, Authorization, SESSION_MAGIC
    };
    use session_account_tests::helpers::{assert_ok, assert_err, sample_policy, SESSION_KEY};

    #[storage]
    struct Storage {}

    /// `[magic, key, r, s, tip, l1, l2, l1_data, auth_len, auth...]`.
    fn session_sig(authorization: Span<felt252>) -> Array<felt252> {
        let mut sig = array![SESSION_MAGIC, SESSION_KEY, 11, 22, 0, 1, 2, 3];
        sig.append(authorization.len().into());
        let mut rest = authorization;
        loop {
            match rest.pop_front() {
                Option::Some(x) => sig.append(*x),
                Option::None => {
                    break;
                },
            };
        };
        sig
    }

    fn serialized_authorization() -> Array<felt252> {
        let mut out = ArrayTrait::new();
        sample_policy().serialize(ref out);
        out.append(77); // owner r
        out.append(88); // owner s
        out
    }

    #[external(v0)]
    fn test_owner_layout_is_r_s(self: @ContractState) {
        match assert_ok(parse_signature(array![11, 22].span()), 'owner parses') {
            AccountSignature::Owner(sig) => {
                assert(sig == OwnerSignature { r: 11, s: 22 }, 'owner fields');
            },
            AccountSignature::Session(_) => panic_with_felt252('not an owner signature'),
        }
        assert(is_owner_layout(array![1, 2].span()), 'owner layout');
        assert(!is_owner_layout(session_sig(array![].span()).span()), 'session layout');
    }

    #[external(v0)]
    fn test_session_layout_without_authorization(self: @ContractState) {
        match assert_ok(parse_signature(session_sig(array![].span()).span()), 'parses') {
            AccountSignature::Owner(_) => panic_with_felt252('not a session signature'),
            AccountSignature::Session(sig) => {
                let SessionSignature{session_key, r, s, fee, authorization } = sig;
                assert(session_key == SESSION_KEY, 'key');
                assert(r == 11 && s == 22, 'r s');
                assert(fee.tip == 0 && fee.l1_gas == 1, 'fee fields');
                assert(fee.l2_gas == 2 && fee.l1_data_gas == 3, 'fee fields 2');
                assert(authorization.is_none(), 'no authorization');
            },
        }
    }

    #[external(v0)]
    fn test_session_layout_with_authorization(self: @ContractState) {
        let sig = session_sig(serialized_authorization().span());
        match assert_ok(parse_signature(sig.span()), 'parses') {
            AccountSignature::Owner(_) => panic_with_felt252('not a session signature'),
            AccountSignature::Session(sig) => {
                let SessionSignature{session_key, r, s, fee, authorization } = sig;
                let Authorization{policy, owner_r, owner_s } = authorization.unwrap();
                assert(policy.session_key == SESSION_KEY, 'policy key');
                assert(policy.max_calls == 10, 'policy field');
                assert(owner_r == 77 && owner_s == 88, 'owner sig');
            },
        }
    }

    #[external(v0)]
    fn test_magic_is_session_v1(self: @ContractState) {
        assert(SESSION_MAGIC == 'session-v1', 'magic');
    }

    #[external(v0)]
    fn test_malformed_layouts_are_rejected_without_panicking(self: @ContractState) {
        let malformed = errors::MALFORMED_SIGNATURE;
        assert_err(parse_signature(array![].span()), malformed, 'empty');
        assert_err(parse_signature(array![1].span()), malformed, 'one felt');
        assert_err(parse_signature(array![1, 2, 3].span()), malformed, 'padded owner');
        assert_err(
            parse_signature(array![SESSION_MAGIC, SESSION_KEY, 11, 22].span()),
            malformed,
            'no fee fields'
        );
        let mut wrong_magic = session_sig(array![].span());
        let mut fixed = array!['session-v0'];
        let mut rest = wrong_magic.span().slice(1, 8);
        loop {
            match rest.pop_front() {
                Option::Some(x) => fixed.append(*x),
                Option::None => {
                    break;
                },
            };
        };
        assert_err(parse_signature(fixed.span()), malformed, 'wrong magic');
        let mut padded = session_sig(array![].span());
        padded.append(0);
        assert_err(parse_signature(padded.span()), malformed, 'padded session');
    }

    #[external(v0)]
    fn test_authorization_length_must_match_exactly(self: @ContractState) {
        let malformed = errors::MALFORMED_SIGNATURE;
        // Claims one more felt than present.
        let auth = serialized_authorization();
        let mut sig = session_sig(auth.span());
        let last = sig.len() - 1;
        let truncated = sig.span().slice(0, last);
        assert_err(parse_signature(truncated), malformed, 'truncated');
        // A felt inside the authorization that the policy does not consume.
        let mut auth = serialized_authorization();
        auth.append(99);
        assert_err(parse_signature(session_sig(auth.span()).span()), malformed, 'trailing');
        // Length word that is not a u32.
        let mut huge = array![SESSION_MAGIC, SESSION_KEY, 11, 22, 0, 1, 2, 3, 0x100000000];
        assert_err(parse_signature(huge.span()), malformed, 'huge length');
        // An authorization too short to hold a policy.
        assert_err(
            parse_signature(session_sig(array![1, 2, 3].span()).span()), malformed, 'short policy'
        );
    }

    #[external(v0)]
    fn test_garbage_signatures_do_not_verify(self: @ContractState) {
        assert(!is_valid_stark_signature(1, 0, 1, 1), 'zero key');
        // An arbitrary key and signature: rejected, not a panic.
        assert(!is_valid_stark_signature(1, 1, 1, 1), 'arbitrary key');
        assert(!is_valid_stark_signature(1, 1, 1, 0), 's = 0');
    }
}
