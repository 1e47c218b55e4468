//! Periodic spending limits through the deployed account (§4.9): fixed
//! windows from `valid_after`, found from `__execute__`'s exact clock (not
//! `__validate__`'s floored one), counting what the lifetime limit counts,
//! and the window state the view reports.

use session_account::interface::{ISessionViewsDispatcherTrait, TokenSpending};
use session_account::policy::periods::Errors;
use session_account::policy::spending::Errors as SpendingErrors;
use session_account::policy::{AllowedContract, SpendingLimit};
use snforge_std::{start_cheat_block_timestamp, stop_cheat_block_timestamp};
use crate::fixtures::account::{
    Env, HOUR, Outcome, T0, as_owner, as_session, policy, pull, register, session_key, setup,
    transfer, views,
};
use crate::fixtures::mocks::call;
use crate::fixtures::relaying::{execution, relay, signed_by_session};

/// Windows of an hour starting half an hour before T0 (T0 is on the hour),
/// so a window boundary is never one `__validate__`'s floored clock sees.
const START: u64 = T0 - HOUR / 2;

/// The sample policy from `START`, with at most 30 tokens an hour on top of
/// the lifetime limit of 100, and the router allowed.
fn periodic_env() -> Env {
    let env = setup();
    let mut p = policy(env);
    p.valid_after = START;
    p.valid_until = START + 4 * HOUR;
    p.renewal.max_valid_until = START + 10 * HOUR;
    p
        .spending_limits =
            array![SpendingLimit { token: env.token, limit: 100, period: HOUR, period_limit: 30 }];
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    env
}

/// The token's spending as the view reports it at T0.
fn spending(env: Env) -> TokenSpending {
    spending_at(env, T0)
}

fn spending_at(env: Env, time: u64) -> TokenSpending {
    start_cheat_block_timestamp(env.account, time);
    let spending = *views(env).get_spending(session_key())[0];
    stop_cheat_block_timestamp(env.account);
    spending
}

#[test]
fn a_window_holds_exactly_its_limit() {
    let env = periodic_env();
    assert_eq!(as_session(env, array![transfer(env.token, 20)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 11)], T0),
        Outcome::Reverted(Errors::PERIOD_LIMIT),
    );
    assert_eq!(as_session(env, array![transfer(env.token, 10)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0),
        Outcome::Reverted(Errors::PERIOD_LIMIT),
    );
    let s = spending(env);
    assert_eq!((s.spent, s.window_spent, s.period, s.period_limit), (30, 30, HOUR, 30));
    assert_eq!(s.window_resets_at, (START + HOUR).into());
}

#[test]
fn the_window_rolls_over_at_the_exact_second() {
    let env = periodic_env();
    let last = START + HOUR - 1;
    assert_eq!(as_session(env, array![transfer(env.token, 30)], last), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], last),
        Outcome::Reverted(Errors::PERIOD_LIMIT),
    );
    // Validate floors START + HOUR to T0, inside the first window; the
    // window is found from execute's exact clock: the second one.
    assert_eq!(as_session(env, array![transfer(env.token, 30)], START + HOUR), Outcome::Accepted);
    let s = spending_at(env, START + HOUR);
    assert_eq!((s.spent, s.window_spent), (60, 30));
    assert_eq!(s.window_resets_at, (START + 2 * HOUR).into());
    // The view reads the window of its own block: a later one is fresh.
    let s = spending_at(env, START + 2 * HOUR);
    assert_eq!((s.spent, s.window_spent), (60, 0));
    assert_eq!(s.window_resets_at, (START + 3 * HOUR).into());
}

#[test]
fn windows_skipped_reset_and_the_lifetime_limit_still_binds() {
    let env = periodic_env();
    assert_eq!(as_session(env, array![transfer(env.token, 30)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 30)], START + 2 * HOUR), Outcome::Accepted,
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 30)], START + 3 * HOUR + 5), Outcome::Accepted,
    );
    // 90 of 100 spent; the new window allows 30, the lifetime 10.
    assert_eq!(
        as_session(env, array![transfer(env.token, 11)], START + 3 * HOUR + 10),
        Outcome::Rejected(SpendingErrors::SPENDING_LIMIT),
    );
}

#[test]
fn a_multicall_is_summed_in_the_window() {
    let env = periodic_env();
    assert_eq!(
        as_session(env, array![transfer(env.token, 15), transfer(env.token, 16)], T0),
        Outcome::Reverted(Errors::PERIOD_LIMIT),
    );
    assert_eq!(spending(env).window_spent, 0);
}

#[test]
fn what_the_watch_sees_counts_in_the_window() {
    let env = periodic_env();
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 1000, 0]);
    assert_eq!(as_owner(env, array![approve], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![pull(env, env.account, 25)], T0), Outcome::Accepted);
    assert_eq!(spending(env).window_spent, 25);
    assert_eq!(
        as_session(env, array![pull(env, env.account, 6)], T0),
        Outcome::Reverted(Errors::PERIOD_LIMIT),
    );
}

#[test]
fn an_outside_execution_is_counted_in_its_window() {
    let env = periodic_env();
    let e = execution(array![transfer(env.token, 30)], 1);
    let signature = signed_by_session(env, @e);
    assert_eq!(relay(env, e, signature, T0), Outcome::Accepted);
    let e = execution(array![transfer(env.token, 1)], 2);
    let signature = signed_by_session(env, @e);
    assert_eq!(relay(env, e, signature, T0), Outcome::Reverted(Errors::PERIOD_LIMIT));
    let e = execution(array![transfer(env.token, 1)], 3);
    let signature = signed_by_session(env, @e);
    assert_eq!(relay(env, e, signature, START + HOUR), Outcome::Accepted);
}

#[test]
fn a_session_without_periods_reports_none() {
    let env = setup();
    register(env, policy(env), T0);
    let s = spending(env);
    assert_eq!((s.period, s.period_limit, s.window_spent, s.window_resets_at), (0, 0, 0, 0));
}
