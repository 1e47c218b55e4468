//! Calldata rules through the deployed account (§4.8): the examples of the
//! spec (a recipient allow-list on `transfer`, a spender allow-list on
//! `approve`, a per-call amount bound, a fixed argument on a game call),
//! refused by `__validate__` and by outside executions, their registration
//! and their view.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::calldata::{CalldataRule, Errors, Operator, ValueKind};
use session_account::policy::{AllowedContract, SessionPolicy};
use starknet::ContractAddress;
use crate::fixtures::account::{
    Env, Outcome, T0, as_owner, as_session, balance, play, policy, register, session_key, setup,
    transfer, views,
};
use crate::fixtures::mocks::call;
use crate::fixtures::relaying::{execution, relay, signed_by_session};

/// `transfer`'s recipient in `support::transfer`.
const FRIEND: felt252 = 0x1234;
const OTHER_FRIEND: felt252 = 0x5678;
const STRANGER: felt252 = 0x9999;
const TRANSFER: felt252 = selector!("transfer");
const APPROVE: felt252 = selector!("approve");

fn rule(
    contract: ContractAddress,
    selector: felt252,
    offset: u32,
    kind: ValueKind,
    operator: Operator,
    values: Array<u256>,
) -> CalldataRule {
    CalldataRule { contract, selector, offset, kind, operator, values }
}

/// The sample policy with the token's `transfer` and `approve` listed
/// (instead of any entrypoint), and `rules`.
fn ruled_policy(env: Env, rules: Array<CalldataRule>) -> SessionPolicy {
    let mut p = policy(env);
    p
        .allowed_calls =
            array![
                AllowedContract { contract: env.token, entrypoints: array![TRANSFER, APPROVE] },
                AllowedContract { contract: env.target, entrypoints: array![selector!("play")] },
            ];
    p.calldata_rules = rules;
    p
}

fn transfer_to(env: Env, recipient: felt252, amount: u256) -> starknet::account::Call {
    call(env.token, TRANSFER, array![recipient, amount.low.into(), amount.high.into()])
}

fn recipients(env: Env) -> CalldataRule {
    rule(
        env.token,
        TRANSFER,
        0,
        ValueKind::Felt,
        Operator::OneOf,
        array![FRIEND.into(), OTHER_FRIEND.into()],
    )
}

fn per_transfer_bound(env: Env, most: u256) -> CalldataRule {
    rule(env.token, TRANSFER, 1, ValueKind::U256, Operator::AtMost, array![most])
}

#[test]
fn a_recipient_allow_list_on_transfer() {
    let env = setup();
    register(env, ruled_policy(env, array![recipients(env)]), T0);
    assert_eq!(as_session(env, array![transfer_to(env, FRIEND, 10)], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![transfer_to(env, OTHER_FRIEND, 10)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer_to(env, STRANGER, 10)], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
    // One call out of the set refuses the whole multicall.
    assert_eq!(
        as_session(env, array![transfer_to(env, FRIEND, 1), transfer_to(env, STRANGER, 1)], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
    assert_eq!(balance(env.token, env.account), 980);
}

#[test]
fn a_spender_allow_list_on_approve() {
    let router: felt252 = 0xdec;
    let env = setup();
    let spenders = rule(
        env.token, APPROVE, 0, ValueKind::Felt, Operator::OneOf, array![router.into()],
    );
    register(env, ruled_policy(env, array![spenders]), T0);
    let approve = |spender: felt252| call(env.token, APPROVE, array![spender, 5, 0]);
    assert_eq!(as_session(env, array![approve(router)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![approve(STRANGER)], T0), Outcome::Rejected(Errors::CALLDATA_RULE),
    );
}

#[test]
fn a_per_call_amount_bound_is_inclusive() {
    let env = setup();
    register(env, ruled_policy(env, array![per_transfer_bound(env, 5)]), T0);
    assert_eq!(as_session(env, array![transfer(env.token, 5)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 6)], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
    // A high word makes the amount huge, whatever the low word.
    assert_eq!(
        as_session(env, array![transfer(env.token, u256 { low: 0, high: 1 })], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
}

#[test]
fn a_multicall_that_splits_a_per_call_bound_passes_each_call_only() {
    let env = setup();
    register(env, ruled_policy(env, array![per_transfer_bound(env, 5)]), T0);
    // Each call is within the bound: the bound is per call; the lifetime
    // limit (100) bounds the sum.
    assert_eq!(
        as_session(env, array![transfer(env.token, 5), transfer(env.token, 5)], T0),
        Outcome::Accepted,
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 5), transfer(env.token, 6)], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 10);
}

#[test]
fn a_rule_offset_past_the_calldata_fails_closed() {
    let env = setup();
    let past = rule(env.token, TRANSFER, 3, ValueKind::Felt, Operator::AtLeast, array![0]);
    register(env, ruled_policy(env, array![past]), T0);
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0),
        Outcome::Rejected(Errors::CALLDATA_RULE),
    );
}

#[test]
fn a_fixed_argument_on_a_game_call() {
    let env = setup();
    let market = rule(
        env.target, selector!("play"), 0, ValueKind::Felt, Operator::Equal, array![7],
    );
    register(env, ruled_policy(env, array![market]), T0);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    let other = call(env.target, selector!("play"), array![8]);
    assert_eq!(as_session(env, array![other], T0), Outcome::Rejected(Errors::CALLDATA_RULE));
}

#[test]
fn an_outside_execution_meets_the_rules_too() {
    let env = setup();
    register(env, ruled_policy(env, array![recipients(env)]), T0);
    let e = execution(array![transfer_to(env, STRANGER, 1)], 1);
    let signature = signed_by_session(env, @e);
    assert_eq!(relay(env, e, signature, T0), Outcome::Reverted(Errors::CALLDATA_RULE));
    let e = execution(array![transfer_to(env, FRIEND, 1)], 2);
    let signature = signed_by_session(env, @e);
    assert_eq!(relay(env, e, signature, T0), Outcome::Accepted);
}

#[test]
fn an_ill_formed_rule_is_not_registered() {
    let env = setup();
    let mut unlisted = recipients(env);
    unlisted.selector = selector!("transfer_from");
    let mut calldata = array![];
    ruled_policy(env, array![unlisted]).serialize(ref calldata);
    let register = call(env.account, selector!("register_session"), calldata);
    assert_eq!(
        as_owner(env, array![register], T0), Outcome::Reverted(Errors::INVALID_CALLDATA_RULE),
    );
}

#[test]
fn the_view_lists_the_rules_per_entrypoint() {
    let env = setup();
    let market = rule(
        env.target, selector!("play"), 0, ValueKind::Felt, Operator::Equal, array![7],
    );
    // Policy order: the game rule first; the view follows `allowed_calls`.
    let rules = array![market.clone(), recipients(env), per_transfer_bound(env, 5)];
    register(env, ruled_policy(env, rules), T0);
    assert_eq!(
        views(env).get_calldata_rules(session_key()),
        array![recipients(env), per_transfer_bound(env, 5), market],
    );
}
