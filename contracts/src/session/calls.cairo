//! Which calls a session may make (docs/spec.md, "Calls").

use array::SpanTrait;
use option::OptionTrait;
use starknet::ContractAddress;
use starknet::account::Call;
use session_account::errors;

/// Where the engine looks up what a session was granted. The account
/// implements it over storage; tests implement it over plain data.
trait SessionGrants<T> {
    fn is_contract_allowed(self: @T, session_key: felt252, contract: ContractAddress) -> bool;
}

/// Checks every call of a session transaction. `account` is the session's
/// own account: a session may never call it.
fn check_calls<T, impl TGrants: SessionGrants<T>>(
    grants: @T, session_key: felt252, account: ContractAddress, mut calls: Span<Call>
) -> Result<(), felt252> {
    if calls.len() == 0 {
        return Result::Err(errors::SESSION_NO_CALLS);
    }
    loop {
        match calls.pop_front() {
            Option::Some(call) => {
                if *call.to == account {
                    break Result::Err(errors::SESSION_SELF_CALL);
                }
                if !grants.is_contract_allowed(session_key, *call.to) {
                    break Result::Err(errors::SESSION_CONTRACT_NOT_ALLOWED);
                }
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    }
}
