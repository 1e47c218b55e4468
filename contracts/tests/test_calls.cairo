//! session::calls: which calls a session may make (§4.3, §4.6).

#[starknet::contract]
mod TestCalls {
    use array::{ArrayTrait, SpanTrait};
    use option::OptionTrait;
    use starknet::ContractAddress;
    use starknet::account::Call;
    use session_account::errors;
    use session_account::session::calls::{
        classify_calls, check_call_targets, check_call_caps, PolicyGrants, CallsKind,
        LifecycleCall, RENEW_SESSION_SELECTOR, REVOKE_SESSION_SELECTOR
    };
    use session_account::session::policy::SessionPolicy;
    use session_account_tests::helpers::{
        assert_ok, assert_err, sample_policy, account, token, game, dex, stranger, SESSION_KEY
    };

    #[storage]
    struct Storage {}

    fn call(to: ContractAddress, selector: felt252) -> Call {
        Call { to, selector, calldata: array![1, 2, 0] }
    }

    fn self_call(selector: felt252, calldata: Array<felt252>) -> Call {
        Call { to: account(), selector, calldata }
    }

    fn grants(policy: @SessionPolicy) -> PolicyGrants {
        PolicyGrants {
            allowed_calls: policy.allowed_calls.span(), spending_limits: policy.spending_limits.span()
        }
    }

    #[external(v0)]
    fn test_regular_calls_are_counted(self: @ContractState) {
        let calls = array![call(token(), 'transfer'), call(game(), 'play')];
        let kind = assert_ok(classify_calls(calls.span(), account(), SESSION_KEY), 'classify');
        assert(kind == CallsKind::Regular(2), 'two calls');
    }

    #[external(v0)]
    fn test_empty_multicall_is_rejected(self: @ContractState) {
        assert_err(classify_calls(array![].span(), account(), SESSION_KEY), errors::SESSION_NO_CALLS, 'empty');
    }

    #[external(v0)]
    fn test_own_lifecycle_calls_are_allowed_alone(self: @ContractState) {
        let renew = array![self_call(RENEW_SESSION_SELECTOR, array![])];
        assert(
            assert_ok(classify_calls(renew.span(), account(), SESSION_KEY), 'renew') == CallsKind::Lifecycle(LifecycleCall::Renew(())),
            'renew kind'
        );
        let revoke = array![self_call(REVOKE_SESSION_SELECTOR, array![SESSION_KEY])];
        assert(
            assert_ok(classify_calls(revoke.span(), account(), SESSION_KEY), 'revoke') == CallsKind::Lifecycle(LifecycleCall::Revoke(())),
            'revoke kind'
        );
    }

    #[external(v0)]
    fn test_other_self_calls_are_forbidden(self: @ContractState) {
        let forbidden = errors::SESSION_SELF_CALL;
        // Revoking another session.
        let calls = array![self_call(REVOKE_SESSION_SELECTOR, array![0x0123])];
        assert_err(classify_calls(calls.span(), account(), SESSION_KEY), forbidden, 'revoke other');
        // Admin entrypoints.
        let admin = array!['revoke_all_sessions', 'register_session', 'upgrade', 'set_owner', 'execute_from_outside_v2', '__execute__'];
        let mut admin = admin.span();
        loop {
            match admin.pop_front() {
                Option::Some(selector) => {
                    let calls = array![self_call(*selector, array![])];
                    assert_err(classify_calls(calls.span(), account(), SESSION_KEY), forbidden, 'admin');
                },
                Option::None => {
                    break;
                },
            };
        };
        // Renew with arguments, or mixed with another call.
        let calls = array![self_call(RENEW_SESSION_SELECTOR, array![1])];
        assert_err(classify_calls(calls.span(), account(), SESSION_KEY), forbidden, 'renew args');
        let calls = array![call(token(), 'transfer'), self_call(RENEW_SESSION_SELECTOR, array![])];
        assert_err(classify_calls(calls.span(), account(), SESSION_KEY), forbidden, 'mixed');
    }

    #[external(v0)]
    fn test_allowed_contracts_and_entrypoints(self: @ContractState) {
        let policy = sample_policy();
        let g = grants(@policy);
        let calls = array![call(token(), 'anything'), call(game(), 'play'), call(dex(), 'swap')];
        assert_ok(check_call_targets(@g, calls.span()), 'allowed');
        let calls = array![call(dex(), 'withdraw')];
        assert_err(check_call_targets(@g, calls.span()), errors::SESSION_ENTRYPOINT_NOT_ALLOWED, 'entrypoint');
        let calls = array![call(token(), 'transfer'), call(stranger(), 'transfer')];
        assert_err(check_call_targets(@g, calls.span()), errors::SESSION_CONTRACT_NOT_ALLOWED, 'contract');
    }

    #[external(v0)]
    fn test_call_caps(self: @ContractState) {
        assert_ok(check_call_caps(3, 3, 7, 10), 'exactly at both caps');
        assert_err(check_call_caps(4, 3, 0, 10), errors::SESSION_TOO_MANY_CALLS, 'per tx');
        assert_err(check_call_caps(3, 3, 8, 10), errors::SESSION_CALL_LIMIT, 'lifetime');
        assert_err(check_call_caps(1, 3, 10, 10), errors::SESSION_CALL_LIMIT, 'exhausted');
    }
}
