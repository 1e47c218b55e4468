//! What the owner grants a session key (docs/spec.md §1.1), and the rules a
//! policy must meet to be registered. Everything under `policy/` is pure: no
//! storage, no syscalls, so it is tested without deploying anything.
//!
//! - `window`    where expiry is enforced: time window and grace (§4.2, §5)
//! - `calls`     which calls a session may make, and the call caps (§4.3, §4.6)
//! - `calldata`  what a session may pass to an entrypoint: calldata rules (§4.8)
//! - `spending`  where the spending tally is computed (§4.4)
//! - `periods`   periodic spending limits: windows and their tallies (§4.9)
//! - `fees`      the fee cap, read from the transaction (§4.5)

pub mod calldata;
pub mod calls;
pub mod fees;
pub mod periods;
pub mod spending;
pub mod window;
use starknet::ContractAddress;
use crate::policy::calldata::{CalldataRule, check_rules_well_formed};
use crate::policy::periods::check_period_well_formed;

pub mod Errors {
    pub const INVALID_KEY: felt252 = 'session/invalid-key';
    pub const INVALID_WINDOW: felt252 = 'session/invalid-window';
    pub const INVALID_RENEWAL: felt252 = 'session/invalid-renewal';
    pub const INVALID_CALL_CAPS: felt252 = 'session/invalid-call-caps';
    pub const DUPLICATE_ENTRY: felt252 = 'session/duplicate-entry';
    pub const INVALID_LIMIT_TOKEN: felt252 = 'session/invalid-limit-token';
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct RenewalPolicy {
    /// Seconds after `valid_until` during which the session may renew
    /// itself; 0 = not renewable.
    pub grace_period: u64,
    /// Absolute bound on `valid_until` after any renewal.
    pub max_valid_until: u64,
    /// Seconds one renewal extends the session by, from the time of the
    /// renewal (§5); at least 1 when renewable.
    pub period: u64,
}

#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct AllowedContract {
    pub contract: ContractAddress,
    /// Allowed selectors; empty = any entrypoint of `contract`.
    pub entrypoints: Array<felt252>,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct SpendingLimit {
    pub token: ContractAddress,
    /// Most the session may move of `token` over its life.
    pub limit: u256,
    /// Seconds of one window of the periodic limit (§4.9); 0 = none.
    pub period: u64,
    /// Most the session may move of `token` in one window; 0 when
    /// `period` is 0.
    pub period_limit: u128,
}

#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct SessionPolicy {
    /// Stark public key that signs the session's transactions.
    pub session_key: felt252,
    /// First second (inclusive) at which the session may be used.
    pub valid_after: u64,
    /// First second at which the session is expired (exclusive).
    pub valid_until: u64,
    pub renewal: RenewalPolicy,
    pub allowed_calls: Array<AllowedContract>,
    /// What the session may pass to listed entrypoints (§4.8).
    pub calldata_rules: Array<CalldataRule>,
    pub max_calls_per_tx: u32,
    pub max_calls: u64,
    pub spending_limits: Array<SpendingLimit>,
    /// Most fee, in fri, one session transaction may commit the account to.
    pub max_fee_per_tx: u128,
    /// Most fee, in fri, the session's transactions may commit the account
    /// to over its life, reverted ones included (§4.7); 0 = gasless only,
    /// 2^128 - 1 = no budget beyond `max_fee_per_tx`.
    pub fee_budget: u128,
}

/// The well-formedness rules of §1.1, in the order the spec lists them:
/// the first rule a policy breaks is the error reported.
/// `account` is the account the policy is for: a session may never be
/// granted calls to it.
pub fn check_well_formed(policy: @SessionPolicy, account: ContractAddress) -> Result<(), felt252> {
    if *policy.session_key == 0 {
        return Err(Errors::INVALID_KEY);
    }
    if *policy.valid_after >= *policy.valid_until {
        return Err(Errors::INVALID_WINDOW);
    }
    let renewal = *policy.renewal;
    if renewal.grace_period != 0
        && (renewal.max_valid_until < *policy.valid_until || renewal.period == 0) {
        return Err(Errors::INVALID_RENEWAL);
    }
    if *policy.max_calls_per_tx == 0 || *policy.max_calls == 0 {
        return Err(Errors::INVALID_CALL_CAPS);
    }
    let allowed = policy.allowed_calls.span();
    let limits = policy.spending_limits.span();
    if contains_contract(allowed, account) {
        return Err(calls::Errors::SELF_CALL);
    }
    check_no_duplicates(allowed, limits)?;
    check_limit_tokens(limits, account)?;
    check_rules_well_formed(policy.calldata_rules.span(), @listed_entrypoints(allowed))
}

/// Every (contract, selector) the policy lists explicitly.
fn listed_entrypoints(allowed: Span<AllowedContract>) -> Span<(ContractAddress, felt252)> {
    let mut out = array![];
    for entry in allowed {
        for selector in entry.entrypoints.span() {
            out.append((*entry.contract, *selector));
        }
    }
    out.span()
}

/// No contract twice in `allowed`, no entrypoint twice in one contract's
/// list, no token twice in `limits`.
fn check_no_duplicates(
    allowed: Span<AllowedContract>, limits: Span<SpendingLimit>,
) -> Result<(), felt252> {
    let mut index = 0;
    for entry in allowed {
        if contains_contract(allowed.slice(0, index), *entry.contract)
            || has_duplicate(entry.entrypoints.span()) {
            return Err(Errors::DUPLICATE_ENTRY);
        }
        index += 1;
    }
    let mut index = 0;
    for limit in limits {
        for earlier in limits.slice(0, index) {
            if *earlier.token == *limit.token {
                return Err(Errors::DUPLICATE_ENTRY);
            }
        }
        index += 1;
    }
    Ok(())
}

/// A spending limit is on a token: not the zero address, not the account
/// itself (whose `balance_of` the watch of §4.4 could not read); then its
/// periodic limit, if any, has a period.
fn check_limit_tokens(
    limits: Span<SpendingLimit>, account: ContractAddress,
) -> Result<(), felt252> {
    for limit in limits {
        let token: felt252 = (*limit.token).into();
        if token == 0 || *limit.token == account {
            return Err(Errors::INVALID_LIMIT_TOKEN);
        }
    }
    for limit in limits {
        check_period_well_formed(*limit.period, *limit.period_limit)?;
    }
    Ok(())
}

fn contains_contract(allowed: Span<AllowedContract>, contract: ContractAddress) -> bool {
    for entry in allowed {
        if *entry.contract == contract {
            return true;
        }
    }
    false
}

fn has_duplicate(mut items: Span<felt252>) -> bool {
    while let Some(item) = items.pop_front() {
        for other in items {
            if *other == *item {
                return true;
            }
        }
    }
    false
}
