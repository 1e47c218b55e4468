//! session::policy: well-formed policies (§1.1).

#[starknet::contract]
mod TestPolicy {
    use array::ArrayTrait;
    use session_account::errors;
    use session_account::session::policy::{
        check_well_formed, renewal_period, AllowedContract, SpendingLimit, RenewalPolicy
    };
    use session_account_tests::helpers::{
        assert_ok, assert_err, sample_policy, account, token, game
    };

    #[storage]
    struct Storage {}

    #[external(v0)]
    fn test_sample_policy_is_well_formed(self: @ContractState) {
        assert_ok(check_well_formed(@sample_policy(), account()), 'well formed');
        assert(renewal_period(@sample_policy()) == 4000, 'period');
    }

    #[external(v0)]
    fn test_zero_key_is_rejected(self: @ContractState) {
        let mut p = sample_policy();
        p.session_key = 0;
        assert_err(check_well_formed(@p, account()), errors::SESSION_INVALID_KEY, 'key');
    }

    #[external(v0)]
    fn test_empty_window_is_rejected(self: @ContractState) {
        let mut p = sample_policy();
        p.valid_until = p.valid_after;
        assert_err(check_well_formed(@p, account()), errors::SESSION_INVALID_WINDOW, 'window');
    }

    #[external(v0)]
    fn test_renewal_bound_must_not_precede_expiry(self: @ContractState) {
        let mut p = sample_policy();
        p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until - 1 };
        assert_err(check_well_formed(@p, account()), errors::SESSION_INVALID_RENEWAL, 'renewal');
        // Not renewable: the bound is irrelevant.
        let mut p = sample_policy();
        p.renewal = RenewalPolicy { grace_period: 0, max_valid_until: 0 };
        assert_ok(check_well_formed(@p, account()), 'not renewable');
    }

    #[external(v0)]
    fn test_call_caps_must_be_positive(self: @ContractState) {
        let mut p = sample_policy();
        p.max_calls_per_tx = 0;
        assert_err(check_well_formed(@p, account()), errors::SESSION_INVALID_CALL_CAPS, 'per tx');
        let mut p = sample_policy();
        p.max_calls = 0;
        assert_err(check_well_formed(@p, account()), errors::SESSION_INVALID_CALL_CAPS, 'life');
    }

    #[external(v0)]
    fn test_the_account_itself_cannot_be_granted(self: @ContractState) {
        let mut p = sample_policy();
        p.allowed_calls.append(AllowedContract { contract: account(), entrypoints: array![] });
        assert_err(check_well_formed(@p, account()), errors::SESSION_SELF_CALL, 'self');
    }

    #[external(v0)]
    fn test_duplicates_are_rejected(self: @ContractState) {
        let mut p = sample_policy();
        p.allowed_calls.append(AllowedContract { contract: game(), entrypoints: array!['a'] });
        assert_err(check_well_formed(@p, account()), errors::SESSION_DUPLICATE_ENTRY, 'contract');
        let mut p = sample_policy();
        p.allowed_calls.append(AllowedContract { contract: starknet::contract_address_const::<0x99>(), entrypoints: array!['a', 'b', 'a'] });
        assert_err(check_well_formed(@p, account()), errors::SESSION_DUPLICATE_ENTRY, 'entrypoint');
        let mut p = sample_policy();
        p.spending_limits.append(SpendingLimit { token: token(), limit: 5 });
        assert_err(check_well_formed(@p, account()), errors::SESSION_DUPLICATE_ENTRY, 'token');
    }
}
