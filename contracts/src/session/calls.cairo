//! Which calls a session may make (§4.3, §4.6).
//!
//! The rules read what the session was granted through [`SessionGrants`],
//! implemented over storage by the account and over an in-memory policy
//! (`PolicyGrants`) for authorizations and tests, so both run the same code.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use traits::Into;
use starknet::ContractAddress;
use starknet::account::Call;
use session_account::errors;
use session_account::session::policy::{AllowedContract, SpendingLimit};

/// `renew_session()` (§4.6).
const RENEW_SESSION_SELECTOR: felt252 =
    0x30d476cfbfe0b3f46bf05c64f27d5a14609e79530cac31dfc649e95f36da937;
/// `revoke_session(session_key)` (§4.6).
const REVOKE_SESSION_SELECTOR: felt252 =
    0x3fab092e963914fd624eedd965d67f571fea93cae38bbacb48be7db091be933;

/// How a session may call one contract.
#[derive(Copy, Drop, PartialEq)]
enum ContractRule {
    NotAllowed: (),
    AnyEntrypoint: (),
    ListedEntrypoints: (),
}

/// What one session was granted.
trait SessionGrants<T> {
    fn contract_rule(self: @T, contract: ContractAddress) -> ContractRule;
    /// Only asked for contracts with `ContractRule::ListedEntrypoints`.
    fn is_entrypoint_allowed(self: @T, contract: ContractAddress, selector: felt252) -> bool;
    /// `(limit, spent)` when `token` has a spending limit.
    fn spending_limit(self: @T, token: ContractAddress) -> Option<(u256, u256)>;
}

/// The session's own lifecycle calls (§4.6).
#[derive(Copy, Drop, PartialEq)]
enum LifecycleCall {
    Renew: (),
    Revoke: (),
}

/// What the calls of a session transaction are.
#[derive(Copy, Drop, PartialEq)]
enum CallsKind {
    /// A single lifecycle call to the account.
    Lifecycle: LifecycleCall,
    /// Calls to other contracts, counted (§4.3e, §4.3f).
    Regular: u32,
}

/// §4.3a, §4.3b: a session transaction has calls, and calls the account
/// only for its own lifecycle, alone.
fn classify_calls(
    calls: Span<Call>, account: ContractAddress, session_key: felt252
) -> Result<CallsKind, felt252> {
    let count = calls.len();
    if count == 0 {
        return Result::Err(errors::SESSION_NO_CALLS);
    }
    let mut rest = calls;
    loop {
        match rest.pop_front() {
            Option::Some(call) => {
                if *call.to == account {
                    if count != 1 {
                        break Result::Err(errors::SESSION_SELF_CALL);
                    }
                    break classify_self_call(call, session_key);
                }
            },
            Option::None => {
                break Result::Ok(CallsKind::Regular(count));
            },
        };
    }
}

fn classify_self_call(call: @Call, session_key: felt252) -> Result<CallsKind, felt252> {
    let data = call.calldata.span();
    if *call.selector == RENEW_SESSION_SELECTOR && data.len() == 0 {
        return Result::Ok(CallsKind::Lifecycle(LifecycleCall::Renew(())));
    }
    if *call.selector == REVOKE_SESSION_SELECTOR && data.len() == 1 {
        if *data.at(0) == session_key {
            return Result::Ok(CallsKind::Lifecycle(LifecycleCall::Revoke(())));
        }
    }
    Result::Err(errors::SESSION_SELF_CALL)
}

/// §4.3c, §4.3d: every call targets an allowed contract and entrypoint.
fn check_call_targets<T, impl TGrants: SessionGrants<T>>(
    grants: @T, mut calls: Span<Call>
) -> Result<(), felt252> {
    loop {
        match calls.pop_front() {
            Option::Some(call) => {
                match grants.contract_rule(*call.to) {
                    ContractRule::NotAllowed(()) => {
                        break Result::Err(errors::SESSION_CONTRACT_NOT_ALLOWED);
                    },
                    ContractRule::AnyEntrypoint(()) => {},
                    ContractRule::ListedEntrypoints(()) => {
                        if !grants.is_entrypoint_allowed(*call.to, *call.selector) {
                            break Result::Err(errors::SESSION_ENTRYPOINT_NOT_ALLOWED);
                        }
                    },
                }
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    }
}

/// §4.3e, §4.3f: `count` more calls fit the per-transaction and lifetime caps.
fn check_call_caps(count: u32, max_per_tx: u32, used: u64, max_calls: u64) -> Result<(), felt252> {
    if count > max_per_tx {
        return Result::Err(errors::SESSION_TOO_MANY_CALLS);
    }
    let count: u64 = count.into();
    if used > max_calls || count > max_calls - used {
        return Result::Err(errors::SESSION_CALL_LIMIT);
    }
    Result::Ok(())
}

/// The grants of a policy held in memory: an authorization being checked
/// before its session is stored, or a test. Nothing has been spent yet.
#[derive(Copy, Drop)]
struct PolicyGrants {
    allowed_calls: Span<AllowedContract>,
    spending_limits: Span<SpendingLimit>,
}

impl PolicySessionGrants of SessionGrants<PolicyGrants> {
    fn contract_rule(self: @PolicyGrants, contract: ContractAddress) -> ContractRule {
        match find_contract(*self.allowed_calls, contract) {
            Option::Some(entry) => {
                if entry.entrypoints.len() == 0 {
                    ContractRule::AnyEntrypoint(())
                } else {
                    ContractRule::ListedEntrypoints(())
                }
            },
            Option::None => ContractRule::NotAllowed(()),
        }
    }

    fn is_entrypoint_allowed(
        self: @PolicyGrants, contract: ContractAddress, selector: felt252
    ) -> bool {
        match find_contract(*self.allowed_calls, contract) {
            Option::Some(entry) => {
                let mut entrypoints = entry.entrypoints.span();
                loop {
                    match entrypoints.pop_front() {
                        Option::Some(e) => {
                            if *e == selector {
                                break true;
                            }
                        },
                        Option::None => {
                            break false;
                        },
                    };
                }
            },
            Option::None => false,
        }
    }

    fn spending_limit(self: @PolicyGrants, token: ContractAddress) -> Option<(u256, u256)> {
        let mut limits = *self.spending_limits;
        loop {
            match limits.pop_front() {
                Option::Some(limit) => {
                    if *limit.token == token {
                        break Option::Some((*limit.limit, 0));
                    }
                },
                Option::None => {
                    break Option::None;
                },
            };
        }
    }
}

fn find_contract(
    mut allowed: Span<AllowedContract>, contract: ContractAddress
) -> Option<@AllowedContract> {
    loop {
        match allowed.pop_front() {
            Option::Some(entry) => {
                if *entry.contract == contract {
                    break Option::Some(entry);
                }
            },
            Option::None => {
                break Option::None;
            },
        };
    }
}
