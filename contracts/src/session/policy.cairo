//! What the owner grants a session key, fixed at registration (§1.1), and
//! the rules a policy must meet to be registered.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use starknet::ContractAddress;
use session_account::errors;

#[derive(Copy, Drop, Serde)]
struct RenewalPolicy {
    /// Seconds after `valid_until` during which the session may renew
    /// itself; 0 = not renewable.
    grace_period: u64,
    /// Absolute bound on `valid_until` after any renewal.
    max_valid_until: u64,
}

#[derive(Drop, Serde)]
struct AllowedContract {
    contract: ContractAddress,
    /// Allowed selectors; empty = any entrypoint of `contract`.
    entrypoints: Array<felt252>,
}

#[derive(Copy, Drop, Serde)]
struct SpendingLimit {
    token: ContractAddress,
    /// Most the session may move of `token` over its life.
    limit: u256,
}

#[derive(Drop, Serde)]
struct SessionPolicy {
    session_key: felt252,
    /// First second (inclusive) at which the session may be used.
    valid_after: u64,
    /// First second at which the session is expired (exclusive).
    valid_until: u64,
    renewal: RenewalPolicy,
    allowed_calls: Array<AllowedContract>,
    max_calls_per_tx: u32,
    max_calls: u64,
    spending_limits: Array<SpendingLimit>,
    /// Most fee, in fri, a session transaction may commit the account to.
    max_fee_per_tx: u128,
}

/// The well-formedness rules of §1.1. `account` is the account the policy
/// is for: a session may never be granted calls to it.
fn check_well_formed(policy: @SessionPolicy, account: ContractAddress) -> Result<(), felt252> {
    if *policy.session_key == 0 {
        return Result::Err(errors::SESSION_INVALID_KEY);
    }
    if *policy.valid_after >= *policy.valid_until {
        return Result::Err(errors::SESSION_INVALID_WINDOW);
    }
    let renewal = *policy.renewal;
    if renewal.grace_period != 0 && renewal.max_valid_until < *policy.valid_until {
        return Result::Err(errors::SESSION_INVALID_RENEWAL);
    }
    if *policy.max_calls_per_tx == 0 || *policy.max_calls == 0 {
        return Result::Err(errors::SESSION_INVALID_CALL_CAPS);
    }
    check_allowed_calls(policy.allowed_calls.span(), account)?;
    check_spending_limits(policy.spending_limits.span())
}

fn check_allowed_calls(
    mut allowed: Span<AllowedContract>, account: ContractAddress
) -> Result<(), felt252> {
    let mut seen: Array<ContractAddress> = ArrayTrait::new();
    loop {
        match allowed.pop_front() {
            Option::Some(entry) => {
                if *entry.contract == account {
                    break Result::Err(errors::SESSION_SELF_CALL);
                }
                if contains_address(seen.span(), *entry.contract)
                    || has_duplicate_felt(entry.entrypoints.span()) {
                    break Result::Err(errors::SESSION_DUPLICATE_ENTRY);
                }
                seen.append(*entry.contract);
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    }
}

fn check_spending_limits(mut limits: Span<SpendingLimit>) -> Result<(), felt252> {
    let mut seen: Array<ContractAddress> = ArrayTrait::new();
    loop {
        match limits.pop_front() {
            Option::Some(limit) => {
                if contains_address(seen.span(), *limit.token) {
                    break Result::Err(errors::SESSION_DUPLICATE_ENTRY);
                }
                seen.append(*limit.token);
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    }
}

fn contains_address(mut items: Span<ContractAddress>, item: ContractAddress) -> bool {
    loop {
        match items.pop_front() {
            Option::Some(x) => {
                if *x == item {
                    break true;
                }
            },
            Option::None => {
                break false;
            },
        };
    }
}

fn has_duplicate_felt(mut items: Span<felt252>) -> bool {
    loop {
        match items.pop_front() {
            Option::Some(x) => {
                if contains_felt(items, *x) {
                    break true;
                }
            },
            Option::None => {
                break false;
            },
        };
    }
}

fn contains_felt(mut items: Span<felt252>, item: felt252) -> bool {
    loop {
        match items.pop_front() {
            Option::Some(x) => {
                if *x == item {
                    break true;
                }
            },
            Option::None => {
                break false;
            },
        };
    }
}

/// The session's original length, by which a renewal extends it (§5).
fn renewal_period(policy: @SessionPolicy) -> u64 {
    *policy.valid_until - *policy.valid_after
}
