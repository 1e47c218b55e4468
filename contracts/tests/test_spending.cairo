//! session::spending: metering and the spending tally (§4.4).

#[starknet::contract]
mod TestSpending {
    use array::{ArrayTrait, SpanTrait};
    use starknet::ContractAddress;
    use starknet::account::Call;
    use session_account::errors;
    use session_account::session::calls::PolicyGrants;
    use session_account::session::policy::{SessionPolicy, SpendingLimit};
    use session_account::session::spending::{
        metered_amount, tally_spending, TRANSFER, APPROVE, INCREASE_ALLOWANCE,
        INCREASE_ALLOWANCE_CAMEL, TRANSFER_FROM, TRANSFER_FROM_CAMEL
    };
    use session_account_tests::helpers::{
        assert_ok, assert_err, sample_policy, account, token, game, stranger
    };

    #[storage]
    struct Storage {}

    const U128_MAX: felt252 = 0xffffffffffffffffffffffffffffffff;
    const NOT_U128: felt252 = 0x100000000000000000000000000000000;

    fn grants(policy: @SessionPolicy) -> PolicyGrants {
        PolicyGrants {
            allowed_calls: policy.allowed_calls.span(), spending_limits: policy.spending_limits.span()
        }
    }

    fn transfer(to: ContractAddress, amount: felt252) -> Call {
        Call { to, selector: TRANSFER, calldata: array![0x1234, amount, 0] }
    }

    #[external(v0)]
    fn test_every_metered_selector(self: @ContractState) {
        let me: felt252 = 0xacc;
        assert(assert_ok(metered_amount(account(), TRANSFER, array![1, 5, 0].span()), 't') == 5, 'transfer');
        assert(assert_ok(metered_amount(account(), APPROVE, array![1, 6, 0].span()), 'a') == 6, 'approve');
        assert(assert_ok(metered_amount(account(), INCREASE_ALLOWANCE, array![1, 7, 0].span()), 'i') == 7, 'increase_allowance');
        assert(assert_ok(metered_amount(account(), INCREASE_ALLOWANCE_CAMEL, array![1, 8, 0].span()), 'c') == 8, 'increaseAllowance');
        assert(assert_ok(metered_amount(account(), TRANSFER_FROM, array![me, 2, 9, 0].span()), 'f') == 9, 'transfer_from own');
        assert(assert_ok(metered_amount(account(), TRANSFER_FROM_CAMEL, array![me, 2, 10, 0].span()), 'F') == 10, 'transferFrom own');
        assert(assert_ok(metered_amount(account(), TRANSFER_FROM, array![0x999, 2, 9, 0].span()), 'o') == 0, 'others funds');
    }

    #[external(v0)]
    fn test_high_word_counts(self: @ContractState) {
        let amount = assert_ok(metered_amount(account(), TRANSFER, array![1, 0, 1].span()), 'high');
        assert(amount == u256 { low: 0, high: 1 }, 'high word');
    }

    #[external(v0)]
    fn test_malformed_calldata_is_a_clean_rejection(self: @ContractState) {
        let bad = errors::SESSION_MALFORMED_CALLDATA;
        assert_err(metered_amount(account(), TRANSFER, array![1, 5].span()), bad, 'short');
        assert_err(metered_amount(account(), TRANSFER, array![1, 5, 0, 0].span()), bad, 'long');
        assert_err(metered_amount(account(), TRANSFER, array![1, NOT_U128, 0].span()), bad, 'low');
        assert_err(metered_amount(account(), APPROVE, array![1, 0, NOT_U128].span()), bad, 'high');
        assert_err(metered_amount(account(), TRANSFER_FROM, array![0xacc, 2, 9].span()), bad, 'from short');
        assert_ok(metered_amount(account(), TRANSFER, array![1, U128_MAX, U128_MAX].span()), 'max u256');
    }

    #[external(v0)]
    fn test_unmetered_selectors_fail_closed(self: @ContractState) {
        let bad = errors::SESSION_UNMETERED_SELECTOR;
        assert_err(metered_amount(account(), 'decrease_allowance', array![1, 5, 0].span()), bad, 'decrease');
        assert_err(metered_amount(account(), 'mint', array![1, 5, 0].span()), bad, 'mint');
        assert_err(metered_amount(account(), 'balance_of', array![1].span()), bad, 'view');
    }

    #[external(v0)]
    fn test_multicall_amounts_are_summed(self: @ContractState) {
        let policy = sample_policy();
        let calls = array![transfer(token(), 60), transfer(game(), 1000), transfer(token(), 40)];
        let spends = assert_ok(tally_spending(@grants(@policy), account(), calls.span()), 'summed');
        assert(spends.len() == 1 && *spends.at(0).amount == 100, 'sum 100');
        let calls = array![transfer(token(), 60), transfer(token(), 41)];
        assert_err(tally_spending(@grants(@policy), account(), calls.span()), errors::SESSION_SPENDING_LIMIT, 'split');
    }

    #[external(v0)]
    fn test_allowance_paths_count_against_the_limit(self: @ContractState) {
        let policy = sample_policy();
        let calls = array![
            Call { to: token(), selector: INCREASE_ALLOWANCE, calldata: array![0x5bad, 60, 0] },
            Call { to: token(), selector: APPROVE, calldata: array![0x5bad, 41, 0] }
        ];
        assert_err(tally_spending(@grants(@policy), account(), calls.span()), errors::SESSION_SPENDING_LIMIT, 'allowance');
        let calls = array![Call { to: token(), selector: TRANSFER_FROM_CAMEL, calldata: array![0xacc, 0x5bad, 101, 0] }];
        assert_err(tally_spending(@grants(@policy), account(), calls.span()), errors::SESSION_SPENDING_LIMIT, 'transferFrom');
    }

    #[external(v0)]
    fn test_sums_never_wrap(self: @ContractState) {
        let mut policy = sample_policy();
        policy.spending_limits = array![SpendingLimit { token: token(), limit: u256 { low: 0xffffffffffffffffffffffffffffffff, high: 0xffffffffffffffffffffffffffffffff } }];
        let calls = array![
            Call { to: token(), selector: TRANSFER, calldata: array![1, U128_MAX, U128_MAX] },
            Call { to: token(), selector: TRANSFER, calldata: array![1, 1, 0] }
        ];
        assert_err(tally_spending(@grants(@policy), account(), calls.span()), errors::SESSION_SPENDING_LIMIT, 'wrap');
    }

    #[external(v0)]
    fn test_tokens_without_limit_are_not_metered(self: @ContractState) {
        let policy = sample_policy();
        let calls = array![Call { to: game(), selector: 'anything', calldata: array![] }];
        let spends = assert_ok(tally_spending(@grants(@policy), account(), calls.span()), 'unlimited');
        assert(spends.len() == 0, 'nothing metered');
    }
    #[external(v0)]
    fn test_spending_up_to_the_limit_passes(self: @ContractState) {
        let policy = sample_policy(); // token limit 100
        let calls = array![transfer(token(), 100)];
        let spends = assert_ok(tally_spending(@grants(@policy), account(), calls.span()), 'at limit');
        assert(spends.len() == 1, 'one token');
        assert(*spends.at(0).amount == 100, 'amount');
    }

    #[external(v0)]
    fn test_one_over_the_limit_is_rejected(self: @ContractState) {
        let policy = sample_policy(); // token limit 100
        let calls = array![transfer(token(), 101)];
        assert_err(tally_spending(@grants(@policy), account(), calls.span()), errors::SESSION_SPENDING_LIMIT, 'limit + 1');
    }

}
