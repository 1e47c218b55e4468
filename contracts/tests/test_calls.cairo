//! session::calls: which calls a session may make (docs/spec.md, "Calls").

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use starknet::ContractAddress;
use session_account::session::calls::SessionGrants;

/// Grants held in memory: one session key and its allowed contracts.
#[derive(Drop)]
struct MemoryGrants {
    session_key: felt252,
    allowed: Span<ContractAddress>,
}

impl MemorySessionGrants of SessionGrants<MemoryGrants> {
    fn is_contract_allowed(
        self: @MemoryGrants, session_key: felt252, contract: ContractAddress
    ) -> bool {
        if session_key != *self.session_key {
            return false;
        }
        let mut allowed = *self.allowed;
        loop {
            match allowed.pop_front() {
                Option::Some(a) => {
                    if *a == contract {
                        break true;
                    }
                },
                Option::None => {
                    break false;
                },
            };
        }
    }
}

#[starknet::contract]
mod TestCalls {
    use array::ArrayTrait;
    use starknet::{ContractAddress, contract_address_const};
    use starknet::account::Call;
    use session_account::errors;
    use session_account::session::calls::check_calls;
    use super::{MemoryGrants, MemorySessionGrants};
    use session_account_tests::helpers::{assert_ok, assert_err};

    #[storage]
    struct Storage {}

    const KEY: felt252 = 0x5e55;

    fn account() -> ContractAddress {
        contract_address_const::<0xacc>()
    }
    fn token() -> ContractAddress {
        contract_address_const::<0x7070>()
    }
    fn other() -> ContractAddress {
        contract_address_const::<0x0bad>()
    }
    fn call(to: ContractAddress) -> Call {
        Call { to, selector: 'transfer', calldata: array![1, 2, 0] }
    }
    fn grants() -> MemoryGrants {
        MemoryGrants { session_key: KEY, allowed: array![token()].span() }
    }

    #[external(v0)]
    fn test_allowed_contract_passes(self: @ContractState) {
        let calls = array![call(token()), call(token())];
        assert_ok(check_calls(@grants(), KEY, account(), calls.span()), 'allowed');
    }

    #[external(v0)]
    fn test_other_contract_is_rejected(self: @ContractState) {
        let calls = array![call(other())];
        assert_err(check_calls(@grants(), KEY, account(), calls.span()), errors::SESSION_CONTRACT_NOT_ALLOWED, 'other');
    }

    #[external(v0)]
    fn test_one_bad_call_rejects_the_multicall(self: @ContractState) {
        let calls = array![call(token()), call(other()), call(token())];
        assert_err(check_calls(@grants(), KEY, account(), calls.span()), errors::SESSION_CONTRACT_NOT_ALLOWED, 'multicall');
    }

    #[external(v0)]
    fn test_self_call_is_rejected_even_if_granted(self: @ContractState) {
        let granted_self = MemoryGrants { session_key: KEY, allowed: array![account()].span() };
        let calls = array![call(account())];
        assert_err(check_calls(@granted_self, KEY, account(), calls.span()), errors::SESSION_SELF_CALL, 'self');
    }

    #[external(v0)]
    fn test_grants_of_another_key_do_not_apply(self: @ContractState) {
        let calls = array![call(token())];
        assert_err(check_calls(@grants(), 0x0123, account(), calls.span()), errors::SESSION_CONTRACT_NOT_ALLOWED, 'other key');
    }

    #[external(v0)]
    fn test_empty_multicall_is_rejected(self: @ContractState) {
        assert_err(check_calls(@grants(), KEY, account(), array![].span()), errors::SESSION_NO_CALLS, 'empty');
    }
}
