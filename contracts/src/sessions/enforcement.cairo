//! The session rules of §4, in the order of the spec's table, shared by
//! `__validate__`, `__execute__` and outside executions (§11). They differ
//! in the clock (lenient in validate, exact otherwise, §4.2) and in which
//! checks repeat: nothing a check depends on but the clock can change
//! between validate and execute of one transaction (no other transaction
//! runs between them), so execute checks the exact clock and tallies the
//! spending it records, and an outside execution, which has no validate
//! step, checks everything.
//!
//! Pure: the session's state comes in as values and its grants through
//! [`SessionGrants`], so the same code judges a stored session and an
//! authorization being checked.

use starknet::ContractAddress;
use starknet::account::Call;
use crate::policy::calls::{
    CallsKind, Errors as CallsErrors, LifecycleCall, SessionGrants, check_call_caps,
    check_call_targets, classify_calls, grants_of_calls,
};
use crate::policy::spending::{Tally, tally_spending};
use crate::policy::window;
use super::node::{SessionState, SessionUsage};

/// Where the rules run.
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum Mode {
    /// `__validate__`: hour-floored clock, lenient rules.
    Validate,
    /// `__execute__`: exact clock; what validate checked cannot have changed.
    Execute,
    /// An outside execution: exact clock, no validate step before it.
    Outside,
}

/// What the rules need to know about one session.
#[derive(Copy, Drop)]
pub struct SessionFacts {
    pub session_key: felt252,
    pub state: SessionState,
    pub usage: SessionUsage,
}

/// What an accepted session execution is: its calls' kind, how many calls
/// it counts (§4.3f: a lifecycle call counts as one), and what it spends of
/// each limited token and the spenders it approves (to record and settle).
#[derive(Drop)]
pub struct Checked {
    pub kind: CallsKind,
    pub counted: u64,
    pub tally: Tally,
}

/// What `__execute__` checks of a renewal: nothing before the call, since
/// `renew_session` runs the exact grace rules itself (§5), and there is no
/// spending to record.
pub fn renewal_checked() -> Checked {
    Checked {
        kind: CallsKind::Lifecycle(LifecycleCall::Renew),
        counted: 1,
        tally: Tally { spends: array![], approvals: array![], unwatched_approvals: array![] },
    }
}

/// §4.3a–b, §4.2, §4.3e–f, §4.3c–d and §4.4 for `calls` of the session described by
/// `facts`, at `now`. Each called contract's grant is read once.
pub fn check_session_rules<T, +SessionGrants<T>>(
    grants: @T,
    facts: SessionFacts,
    account: ContractAddress,
    now: u64,
    calls: Span<Call>,
    mode: Mode,
) -> Result<Checked, felt252> {
    let kind = classify_calls(calls, account, facts.session_key)?;
    check_classified(grants, facts, account, now, calls, kind, mode)
}

/// [`check_session_rules`] for calls already classified (§4.3a–b) as
/// `kind`.
pub fn check_classified<T, +SessionGrants<T>>(
    grants: @T,
    facts: SessionFacts,
    account: ContractAddress,
    now: u64,
    calls: Span<Call>,
    kind: CallsKind,
    mode: Mode,
) -> Result<Checked, felt252> {
    let mut tally = Tally { spends: array![], approvals: array![], unwatched_approvals: array![] };
    let counted: u64 = match kind {
        CallsKind::Lifecycle(call) => {
            match call {
                // The exact grace rules run in `renew_session` itself (§5).
                LifecycleCall::Renew => if mode == Mode::Validate {
                    window::check_renewal_lenient(
                        facts.state.valid_until, grants.grace_period(), now,
                    )?;
                },
                LifecycleCall::Revoke => check_time(facts.state, now, mode)?,
            }
            if mode != Mode::Execute && facts.usage.calls_remaining == 0 {
                return Err(CallsErrors::CALL_LIMIT);
            }
            1
        },
        CallsKind::Regular(count) => {
            check_time(facts.state, now, mode)?;
            // The caps first: they bound the work of the per-call lookups.
            if mode != Mode::Execute {
                check_call_caps(count, facts.state.max_calls_per_tx, facts.usage.calls_remaining)?;
            }
            let targets = grants_of_calls(grants, calls);
            if mode != Mode::Execute {
                check_call_targets(grants, calls, targets.span())?;
            }
            tally = tally_spending(calls, targets.span(), account)?;
            count.into()
        },
    };
    Ok(Checked { kind, counted, tally })
}

/// §4.2: the lenient rule in validate, the exact rule otherwise.
fn check_time(session: SessionState, now: u64, mode: Mode) -> Result<(), felt252> {
    if mode == Mode::Validate {
        window::check_window_lenient(session.valid_after, session.valid_until, now)
    } else {
        window::check_window_exact(session.valid_after, session.valid_until, now)
    }
}
