//! signature: layouts and parsing (docs/spec.md, "Signatures").

#[starknet::contract]
mod TestSignature {
    use array::ArrayTrait;
    use session_account::errors;
    use session_account_tests::helpers::{assert_ok, assert_err};
    use session_account::signature::{
        parse_signature, is_valid_stark_signature, AccountSignature, OwnerSignature,
        SessionSignature, SESSION_MAGIC
    };

    #[storage]
    struct Storage {}

    #[external(v0)]
    fn test_owner_layout_is_r_s(self: @ContractState) {
        let parsed = assert_ok(parse_signature(array![11, 22].span()), 'owner parses');
        assert(parsed == AccountSignature::Owner(OwnerSignature { r: 11, s: 22 }), 'owner fields');
    }

    #[external(v0)]
    fn test_session_layout_is_magic_key_r_s(self: @ContractState) {
        let parsed = assert_ok(parse_signature(array![SESSION_MAGIC, 7, 11, 22].span()), 'parses');
        assert(
            parsed == AccountSignature::Session(SessionSignature { session_key: 7, r: 11, s: 22 }),
            'session fields'
        );
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
        assert_err(parse_signature(array![SESSION_MAGIC, 7, 11].span()), malformed, 'short session');
        assert_err(parse_signature(array!['other', 7, 11, 22].span()), malformed, 'wrong magic');
        assert_err(
            parse_signature(array![SESSION_MAGIC, 7, 11, 22, 0].span()), malformed, 'padded session'
        );
    }

    #[external(v0)]
    fn test_garbage_signatures_do_not_verify(self: @ContractState) {
        assert(!is_valid_stark_signature(1, 0, 1, 1), 'zero key');
        // Not an x coordinate on the curve: rejected, not a panic.
        assert(!is_valid_stark_signature(1, 1, 1, 1), 'off-curve key');
        assert(!is_valid_stark_signature(1, 1, 1, 0), 's = 0');
    }
}
