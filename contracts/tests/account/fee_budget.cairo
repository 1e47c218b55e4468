//! The fee budget (§4.7): what a session's transactions may cost the
//! account over its life, reverted ones included, counted in validate.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::AllowedContract;
use session_account::policy::fees::Errors;
use session_account::policy::window::Errors as WindowErrors;
use crate::fixtures::account::{
    DEFAULT_MAX_FEE, HOUR, Outcome, T0, TX_V3_QUERY, as_session, bounds, play, policy, register,
    self_call, session_key, session_tx, setup, submit, transfer, views,
};
use crate::fixtures::mocks::call;

fn budget_env(budget: u128) -> crate::fixtures::account::Env {
    let env = setup();
    let mut p = policy(env);
    p.fee_budget = budget;
    p.max_calls = 100;
    p
        .allowed_calls =
            array![
                AllowedContract { contract: env.token, entrypoints: array![] },
                AllowedContract { contract: env.target, entrypoints: array![] },
            ];
    register(env, p, T0);
    env
}

#[test]
fn each_transaction_uses_its_worst_case_fee() {
    let env = budget_env(3 * DEFAULT_MAX_FEE);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    let status = views(env).get_session(session_key());
    assert_eq!((status.fee_budget, status.fee_used), (3 * DEFAULT_MAX_FEE, DEFAULT_MAX_FEE));
    assert_eq!(status.fee_remaining, 2 * DEFAULT_MAX_FEE);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::FEE_BUDGET),
    );
    assert_eq!(views(env).get_session(session_key()).fee_remaining, 0);
}

#[test]
fn a_smaller_bound_still_fits_what_is_left() {
    let env = budget_env(DEFAULT_MAX_FEE + 500);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    let mut tx = session_tx(array![play(env.target)], T0);
    tx.resource_bounds = bounds(50, 10, 0, 0); // 500
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
    tx.resource_bounds = bounds(1, 1, 0, 0);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_BUDGET));
}

/// The fee-burn attack: transactions that revert in execute still cost
/// the account their fee, so they count against the budget.
#[test]
fn reverted_transactions_count_against_the_budget() {
    let env = budget_env(2 * DEFAULT_MAX_FEE);
    let failing = call(env.target, selector!("fail"), array![]);
    assert_eq!(as_session(env, array![failing], T0), Outcome::Reverted('target/failed'));
    assert_eq!(as_session(env, array![failing], T0), Outcome::Reverted('target/failed'));
    assert_eq!(as_session(env, array![failing], T0), Outcome::Rejected(Errors::FEE_BUDGET));
    assert_eq!(views(env).get_session(session_key()).fee_used, 2 * DEFAULT_MAX_FEE);
}

/// The attack of the audit: `renew_session()` sent again and again while
/// the session is valid. Validate refuses it outright in an earlier hour;
/// in the hour of expiry it may revert, and each try is counted.
#[test]
fn renewal_spam_is_refused_or_counted() {
    let env = budget_env(2 * DEFAULT_MAX_FEE);
    let renew = self_call(env, selector!("renew_session"), array![]);
    let mut i: u32 = 0;
    while i < 5 {
        assert_eq!(
            as_session(env, array![renew], T0 + HOUR), Outcome::Rejected(WindowErrors::NOT_EXPIRED),
        );
        i += 1;
    }
    assert_eq!(views(env).get_session(session_key()).fee_used, 0);
}

#[test]
fn a_zero_budget_means_gasless_only() {
    let env = budget_env(0);
    assert_eq!(
        as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::FEE_BUDGET),
    );
    // Estimation (zero bounds) still runs the policy.
    let mut query = session_tx(array![play(env.target)], T0);
    query.version = TX_V3_QUERY;
    query.resource_bounds = bounds(0, 0, 0, 0);
    assert_eq!(crate::fixtures::account::validate(env.account, @query), Outcome::Accepted);
}

#[test]
fn the_budget_is_checked_after_the_cap() {
    let env = budget_env(0);
    let mut tx = session_tx(array![transfer(env.token, 1)], T0);
    tx.resource_bounds = bounds(0xffffffffffffffff, 0xffffffffffffffffffffffffffffffff, 0, 0);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_ABOVE_CAP));
}

/// A budget of 2^128 - 1 is no budget beyond the per-transaction cap.
#[test]
fn the_largest_budget_is_practically_unlimited() {
    let env = budget_env(core::num::traits::Bounded::MAX);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    let status = views(env).get_session(session_key());
    assert_eq!(status.fee_remaining, core::num::traits::Bounded::MAX - DEFAULT_MAX_FEE);
}
