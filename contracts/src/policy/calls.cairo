//! Which calls a session may make (§4.3, §4.6): at least one call, no calls
//! to the account but the session's own lifecycle call (alone), only
//! granted contracts and entrypoints, and the per-transaction and lifetime
//! call caps.
//!
//! The rules read what the session was granted through [`SessionGrants`],
//! implemented over storage by the sessions component and over an in-memory
//! policy ([`PolicyGrants`]) for authorizations and tests, so both run the
//! same code.

use starknet::ContractAddress;
use starknet::account::Call;
use crate::policy::calldata::{CalldataRule, Operator, RuleCheck, check_call_rules, rules_on};
use crate::policy::{AllowedContract, SessionPolicy, SpendingLimit};

pub mod Errors {
    pub const NO_CALLS: felt252 = 'session/no-calls';
    pub const SELF_CALL: felt252 = 'session/self-call-forbidden';
    pub const CONTRACT_NOT_ALLOWED: felt252 = 'session/contract-not-allowed';
    pub const ENTRYPOINT_NOT_ALLOWED: felt252 = 'session/entrypoint-not-allowed';
    pub const TOO_MANY_CALLS: felt252 = 'session/too-many-calls';
    pub const CALL_LIMIT: felt252 = 'session/call-limit';
}

/// `renew_session()` (§4.6).
pub const RENEW_SESSION_SELECTOR: felt252 = selector!("renew_session");
/// `revoke_session(session_key)` (§4.6).
pub const REVOKE_SESSION_SELECTOR: felt252 = selector!("revoke_session");

/// How a session may call one contract.
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum ContractRule {
    NotAllowed,
    AnyEntrypoint,
    ListedEntrypoints,
}

/// What a session was granted for one contract.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct Grant {
    pub rule: ContractRule,
    /// What may still be spent of it, when it is a token with a spending
    /// limit (§4.4).
    pub remaining: Option<u256>,
}

/// What one session was granted.
pub trait SessionGrants<T> {
    fn grant(self: @T, contract: ContractAddress) -> Grant;
    /// Only asked for contracts with `ContractRule::ListedEntrypoints`:
    /// `None` if `selector` is not listed, else how many calldata rules it
    /// has (§4.8).
    fn entrypoint_rules(self: @T, contract: ContractAddress, selector: felt252) -> Option<u32>;
    /// Rule `index` (below what `entrypoint_rules` said) of an entrypoint.
    fn calldata_rule(
        self: @T, contract: ContractAddress, selector: felt252, index: u32,
    ) -> RuleCheck;
    /// Whether `value` is in the set of `OneOf` rule `index` of an
    /// entrypoint.
    fn in_set(
        self: @T, contract: ContractAddress, selector: felt252, index: u32, value: u256,
    ) -> bool;
    /// Seconds after expiry during which the session may renew; 0 = not
    /// renewable (§5). Only asked for renewals.
    fn grace_period(self: @T) -> u64;
}

/// The grant of each call's target, in call order. Each contract is looked
/// up once, however many calls target it.
pub fn grants_of_calls<T, +SessionGrants<T>>(grants: @T, calls: Span<Call>) -> Array<Grant> {
    if calls.len() == 1 {
        return array![grants.grant(*calls[0].to)];
    }
    let mut out: Array<Grant> = array![];
    let mut index = 0;
    for call in calls {
        let mut grant = None;
        let mut earlier = 0;
        for previous in calls.slice(0, index) {
            if *previous.to == *call.to {
                grant = Some(*out[earlier]);
                break;
            }
            earlier += 1;
        }
        out.append(match grant {
            Some(grant) => grant,
            None => grants.grant(*call.to),
        });
        index += 1;
    }
    out
}

/// The session's own lifecycle calls (§4.6).
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum LifecycleCall {
    Renew,
    Revoke,
}

/// What the calls of a session transaction are.
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum CallsKind {
    /// A single lifecycle call to the account.
    Lifecycle: LifecycleCall,
    /// Calls to other contracts, counted (§4.3e, §4.3f).
    Regular: u32,
}

/// §4.3a, §4.3b: a session transaction has calls, and calls the account
/// only for its own lifecycle, alone.
pub fn classify_calls(
    calls: Span<Call>, account: ContractAddress, session_key: felt252,
) -> Result<CallsKind, felt252> {
    let count = calls.len();
    if count == 0 {
        return Err(Errors::NO_CALLS);
    }
    for call in calls {
        if *call.to == account {
            if count != 1 {
                return Err(Errors::SELF_CALL);
            }
            return classify_self_call(call, session_key);
        }
    }
    Ok(CallsKind::Regular(count))
}

fn classify_self_call(call: @Call, session_key: felt252) -> Result<CallsKind, felt252> {
    let data = *call.calldata;
    if *call.selector == RENEW_SESSION_SELECTOR && data.len() == 0 {
        return Ok(CallsKind::Lifecycle(LifecycleCall::Renew));
    }
    if *call.selector == REVOKE_SESSION_SELECTOR && data == array![session_key].span() {
        return Ok(CallsKind::Lifecycle(LifecycleCall::Revoke));
    }
    Err(Errors::SELF_CALL)
}

/// §4.3c, §4.3d, §4.8: every call targets an allowed contract and
/// entrypoint, and meets the entrypoint's calldata rules. `targets` holds
/// the grant of each call's target (`grants_of_calls`).
pub fn check_call_targets<T, +SessionGrants<T>>(
    grants: @T, calls: Span<Call>, targets: Span<Grant>,
) -> Result<(), felt252> {
    let mut index = 0;
    for call in calls {
        match *targets[index].rule {
            ContractRule::NotAllowed => { return Err(Errors::CONTRACT_NOT_ALLOWED); },
            ContractRule::AnyEntrypoint => {},
            ContractRule::ListedEntrypoints => {
                match grants.entrypoint_rules(*call.to, *call.selector) {
                    None => { return Err(Errors::ENTRYPOINT_NOT_ALLOWED); },
                    Some(0) => {},
                    Some(count) => check_call_rules(grants, call, count)?,
                }
            },
        }
        index += 1;
    }
    Ok(())
}

/// §4.3e, §4.3f: `count` more calls fit the per-transaction cap and the
/// calls the session has left.
pub fn check_call_caps(count: u32, max_per_tx: u32, calls_remaining: u64) -> Result<(), felt252> {
    if count > max_per_tx {
        return Err(Errors::TOO_MANY_CALLS);
    }
    if count.into() > calls_remaining {
        return Err(Errors::CALL_LIMIT);
    }
    Ok(())
}

/// The grants of a policy held in memory: an authorization being checked
/// before its session is stored, or a test. Nothing has been spent yet, so
/// what remains of each token is its limit.
#[derive(Copy, Drop)]
pub struct PolicyGrants {
    pub allowed_calls: Span<AllowedContract>,
    pub spending_limits: Span<SpendingLimit>,
    pub calldata_rules: Span<CalldataRule>,
    pub grace_period: u64,
}

/// The grants of `policy`.
pub fn policy_grants(policy: @SessionPolicy) -> PolicyGrants {
    PolicyGrants {
        allowed_calls: policy.allowed_calls.span(),
        spending_limits: policy.spending_limits.span(),
        calldata_rules: policy.calldata_rules.span(),
        grace_period: *policy.renewal.grace_period,
    }
}

impl PolicySessionGrants of SessionGrants<PolicyGrants> {
    fn grant(self: @PolicyGrants, contract: ContractAddress) -> Grant {
        let rule = match find_contract(*self.allowed_calls, contract) {
            Some(entry) => if entry.entrypoints.len() == 0 {
                ContractRule::AnyEntrypoint
            } else {
                ContractRule::ListedEntrypoints
            },
            None => ContractRule::NotAllowed,
        };
        let mut remaining = None;
        for limit in *self.spending_limits {
            if *limit.token == contract {
                remaining = Some(*limit.limit);
                break;
            }
        }
        Grant { rule, remaining }
    }

    fn entrypoint_rules(
        self: @PolicyGrants, contract: ContractAddress, selector: felt252,
    ) -> Option<u32> {
        let entry = find_contract(*self.allowed_calls, contract)?;
        for allowed in entry.entrypoints.span() {
            if *allowed == selector {
                return Some(rules_on(*self.calldata_rules, contract, selector).len());
            }
        }
        None
    }

    fn calldata_rule(
        self: @PolicyGrants, contract: ContractAddress, selector: felt252, index: u32,
    ) -> RuleCheck {
        let rule = *rules_on(*self.calldata_rules, contract, selector)[index];
        let operand = match rule.operator {
            Operator::OneOf => rule.values.len().into(),
            _ => *rule.values[0],
        };
        RuleCheck { offset: *rule.offset, kind: *rule.kind, operator: *rule.operator, operand }
    }

    fn in_set(
        self: @PolicyGrants, contract: ContractAddress, selector: felt252, index: u32, value: u256,
    ) -> bool {
        let rule = *rules_on(*self.calldata_rules, contract, selector)[index];
        for member in rule.values.span() {
            if *member == value {
                return true;
            }
        }
        false
    }

    fn grace_period(self: @PolicyGrants) -> u64 {
        *self.grace_period
    }
}

fn find_contract(
    allowed: Span<AllowedContract>, contract: ContractAddress,
) -> Option<@AllowedContract> {
    for entry in allowed {
        if *entry.contract == contract {
            return Some(entry);
        }
    }
    None
}
