//! Allowances a session granted (§4.10). Every spender a session's calls
//! approve (`approve`, `increase_allowance`, `increaseAllowance`, on any
//! contract the policy lets it call, limited or not) is recorded once per
//! (token, spender) when its execution runs, so that the owner can set
//! those allowances back to zero when the session ends
//! (`clear_session_allowances`, in the same transaction as the revoke): an
//! allowance the token keeps would otherwise outlive the session.
//!
//! The calls' approvals come from the spending tally (`policy/spending.cairo`
//! finds them while it meters the calls); recording writes storage only
//! for an approval not yet recorded, and an execution that approves nobody
//! records nothing.
//! The list is bounded by the session's call cap (one entry per approving
//! call at most).

use starknet::storage::{
    Mutable, MutableVecTrait, StorageMapReadAccess, StorageMapWriteAccess, StoragePath,
    StoragePointerReadAccess, VecTrait,
};
use starknet::syscalls::call_contract_syscall;
use starknet::{ContractAddress, SyscallResultTrait};
use crate::interface::SessionApproval;
use crate::policy::spending::{APPROVE, Tally};
use super::node::SessionNode;

/// Records the spenders `tally` found approved that the session had not
/// approved before: on limited tokens, then on other contracts.
pub fn record_approvals(node: StoragePath<Mutable<SessionNode>>, tally: @Tally) {
    for approval in tally.approvals.span() {
        record(node, (*approval.token, *approval.spender));
    }
    for pair in tally.unwatched_approvals.span() {
        record(node, *pair);
    }
}

fn record(node: StoragePath<Mutable<SessionNode>>, pair: (ContractAddress, felt252)) {
    if !node.approved.read(pair) {
        node.approved.write(pair, true);
        let (token, spender) = pair;
        node.approvals.push(SessionApproval { token, spender });
    }
}

/// The spenders the session approved, in the order they were recorded.
pub fn read_approvals(node: StoragePath<SessionNode>) -> Array<SessionApproval> {
    let mut approvals = array![];
    for i in 0..node.approvals.len() {
        approvals.append(node.approvals.at(i).read());
    }
    approvals
}

/// Sets every allowance the session granted back to zero
/// (`token.approve(spender, 0)` from the account); returns how many. A
/// token whose `approve` fails makes the whole transaction revert.
pub fn clear_approvals(node: StoragePath<Mutable<SessionNode>>) -> u32 {
    let count = node.approvals.len();
    for i in 0..count {
        let SessionApproval { token, spender } = node.approvals.at(i).read();
        zero_allowance(token, spender);
    }
    count.try_into().unwrap()
}

fn zero_allowance(token: ContractAddress, spender: felt252) {
    call_contract_syscall(token, APPROVE, array![spender, 0, 0].span()).unwrap_syscall();
}
