//! The fee cap (§4.5): the transaction's own resource bounds and tip,
//! against `max_fee_per_tx`.

use session_account::policy::fees::Errors;
use crate::fixtures::account::{
    DEFAULT_MAX_FEE, Outcome, T0, TX_V3_QUERY, authorize, authorized_tx, bounds, owner_tx, play,
    policy, register, session_tx, setup, submit,
};

fn capped_env(cap: u128) -> crate::fixtures::account::Env {
    let env = setup();
    let mut p = policy(env);
    p.max_fee_per_tx = cap;
    register(env, p, T0);
    env
}

#[test]
fn a_transaction_within_the_cap_is_accepted() {
    let env = capped_env(DEFAULT_MAX_FEE);
    assert_eq!(submit(env.account, @session_tx(array![play(env.target)], T0)), Outcome::Accepted);
}

#[test]
fn a_transaction_that_may_cost_more_is_rejected() {
    let env = capped_env(DEFAULT_MAX_FEE - 1);
    assert_eq!(
        submit(env.account, @session_tx(array![play(env.target)], T0)),
        Outcome::Rejected(Errors::FEE_ABOVE_CAP),
    );
}

#[test]
fn every_bound_and_the_tip_count() {
    let env = capped_env(1000);
    let mut tx = session_tx(array![play(env.target)], T0);
    tx.resource_bounds = bounds(100, 10, 0, 0); // 1000
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
    tx.tip = 1; // + 100
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_ABOVE_CAP));
    tx.tip = 0;
    tx.resource_bounds = bounds(100, 10, 1, 1); // 1001
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_ABOVE_CAP));
    tx
        .resource_bounds =
            array![
                starknet::ResourcesBounds {
                    resource: 'L1_GAS', max_amount: 1, max_price_per_unit: 1001,
                },
            ];
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_ABOVE_CAP));
}

/// Fee estimation sends a query transaction with zero bounds: it passes
/// the cap, so estimates run the real policy.
#[test]
fn estimation_with_zero_bounds_passes() {
    let env = capped_env(0);
    let mut tx = session_tx(array![play(env.target)], T0);
    tx.version = TX_V3_QUERY;
    tx.resource_bounds = bounds(0, 0, 0, 0);
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
    tx.version = 3;
    tx.resource_bounds = bounds(1, 1, 0, 0);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::FEE_ABOVE_CAP));
}

#[test]
fn an_authorization_applies_the_carried_cap() {
    let env = setup();
    let mut p = policy(env);
    p.max_fee_per_tx = 5;
    let authorization = authorize(env.account, p, 0);
    assert_eq!(
        submit(env.account, @authorized_tx(array![play(env.target)], T0, @authorization)),
        Outcome::Rejected(Errors::FEE_ABOVE_CAP),
    );
}

#[test]
fn owner_transactions_are_not_capped() {
    let env = capped_env(0);
    let mut tx = owner_tx(array![play(env.target)], T0);
    tx.resource_bounds = bounds(0xffffffffffffffff, 0xffffffffffffffffffffffffffffffff, 0, 0);
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
}
