//! What the views read of a stored session (§8): its status, its allowed
//! calls, its calldata rules and its spending, in policy order.

use starknet::storage::{
    StorageMapReadAccess, StoragePath, StoragePathEntry, StoragePointerReadAccess, VecTrait,
};
use crate::interface::{SessionData, SessionStatus, TokenSpending};
use crate::policy::calldata::{CalldataRule, Operator};
use crate::policy::periods::{spent_in, window_index, window_start};
use crate::policy::{AllowedContract, window};
use super::node::{SessionNode, SessionStateTrait, StoredGrants};
use super::rules::decode_rule;

/// The status view (§8) of the session in `node`, given the current epoch
/// and time.
pub fn read_status(node: StoragePath<SessionNode>, epoch: u64, now: u64) -> SessionStatus {
    let session = node.state.read();
    let admission = node.admission.read();
    let usage = node.usage.read();
    let totals = node.totals.read();
    let renewal = node.renewal.read();
    let registered = session.is_registered();
    let epoch_valid = registered && admission.epoch == epoch;
    let renewable = renewal.grace_period != 0;
    let in_window = window::check_window_exact(session.valid_after, session.valid_until, now)
        .is_ok();
    SessionStatus {
        registered,
        revoked: session.revoked,
        epoch_valid,
        valid_after: session.valid_after,
        valid_until: session.valid_until,
        renewable,
        grace_deadline: if renewable {
            window::grace_deadline(session.valid_until, renewal.grace_period)
        } else {
            0
        },
        max_valid_until: renewal.max_valid_until,
        renewal_period: renewal.period,
        calls_used: totals.max_calls - usage.calls_remaining,
        calls_remaining: usage.calls_remaining,
        max_calls_per_tx: session.max_calls_per_tx,
        max_fee_per_tx: admission.max_fee_per_tx,
        fee_budget: totals.fee_budget,
        fee_used: totals.fee_budget - usage.fee_remaining,
        fee_remaining: usage.fee_remaining,
        active: epoch_valid && !session.revoked && in_window && usage.calls_remaining > 0,
    }
}

/// The draft session SNIP's view of the session in `node` (§8.1), given
/// the current epoch: all zero unless it is registered, not revoked and of
/// the current epoch.
pub fn read_session_data(node: StoragePath<SessionNode>, epoch: u64) -> SessionData {
    let session = node.state.read();
    let usable = session.is_registered()
        && !session.revoked
        && node.admission.read().epoch == epoch;
    if !usable {
        return SessionData {
            valid_until: 0, max_calls: 0, calls_used: 0, allowed_entrypoints_len: 0,
        };
    }
    let totals = node.totals.read();
    let used = totals.max_calls - node.usage.read().calls_remaining;
    let mut listed: u64 = 0;
    for i in 0..node.contracts.len() {
        listed += node.entrypoints.entry(node.contracts.at(i).read()).len();
    }
    SessionData {
        // Registered: valid_until > valid_after >= 0.
        valid_until: session.valid_until - 1,
        max_calls: saturate(totals.max_calls),
        calls_used: saturate(used),
        allowed_entrypoints_len: saturate(listed),
    }
}

fn saturate(value: u64) -> u32 {
    value.try_into().unwrap_or(0xffffffff)
}

/// The policy's allowed calls, in policy order (§8).
pub fn read_allowed_calls(node: StoragePath<SessionNode>) -> Array<AllowedContract> {
    let mut out = array![];
    for i in 0..node.contracts.len() {
        let contract = node.contracts.at(i).read();
        let listed = node.entrypoints.entry(contract);
        let mut entrypoints = array![];
        for j in 0..listed.len() {
            entrypoints.append(listed.at(j).read());
        }
        out.append(AllowedContract { contract, entrypoints });
    }
    out
}

/// The calldata rules (§4.8), per listed entrypoint in `allowed_calls`
/// order.
pub fn read_calldata_rules(node: StoragePath<SessionNode>) -> Array<CalldataRule> {
    let mut out = array![];
    for i in 0..node.contracts.len() {
        let contract = node.contracts.at(i).read();
        let listed = node.entrypoints.entry(contract);
        for j in 0..listed.len() {
            let selector = listed.at(j).read();
            let stored = node.rules.entry((contract, selector));
            for index in 0..stored.len() {
                let check = decode_rule(stored.at(index).read());
                let values = if check.operator == Operator::OneOf {
                    let set = node.rule_sets.entry((contract, selector, index.try_into().unwrap()));
                    let mut values = array![];
                    for k in 0..set.len() {
                        values.append(set.at(k).read());
                    }
                    values
                } else {
                    array![check.operand]
                };
                out
                    .append(
                        CalldataRule {
                            contract,
                            selector,
                            offset: check.offset,
                            kind: check.kind,
                            operator: check.operator,
                            values,
                        },
                    );
            }
        }
    }
    out
}

/// Each limited token's limit and amount spent, over the session's life
/// and in the window holding `now`, in policy order (§8, §4.9).
pub fn read_spending(node: StoragePath<SessionNode>, now: u64) -> Array<TokenSpending> {
    let state = node.state.read();
    let mut out = array![];
    for i in 0..node.tokens.len() {
        let token = node.tokens.at(i).read();
        let limit = node.limits.read(token);
        let remaining = StoredGrants::grant(@node, token).remaining.unwrap_or(0);
        let spent = if remaining <= limit {
            limit - remaining
        } else {
            limit
        };
        let mut spending = TokenSpending {
            token, limit, spent, period: 0, period_limit: 0, window_spent: 0, window_resets_at: 0,
        };
        if state.periodic {
            let periodic = node.periods.read(token);
            if periodic.period != 0 {
                let index = window_index(state.valid_after, periodic.period, now);
                spending.period = periodic.period;
                spending.period_limit = periodic.limit;
                spending.window_spent = spent_in(node.windows.read(token), index);
                spending
                    .window_resets_at = window_start(state.valid_after, periodic.period, index + 1);
            }
        }
        out.append(spending);
    }
    out
}
