//! What the views read of a stored session (§8): its status, its allowed
//! calls and its spending, in policy order.

use starknet::storage::{
    StorageMapReadAccess, StoragePath, StoragePathEntry, StoragePointerReadAccess, VecTrait,
};
use crate::interface::{SessionStatus, TokenSpending};
use crate::policy::{AllowedContract, window};
use super::node::{SessionNode, SessionStateTrait, StoredGrants};

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

/// Each limited token's limit and amount spent, in policy order (§8).
pub fn read_spending(node: StoragePath<SessionNode>) -> Array<TokenSpending> {
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
        out.append(TokenSpending { token, limit, spent });
    }
    out
}
