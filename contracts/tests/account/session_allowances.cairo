//! Allowances a session granted do not outlive it (§4.10): the account
//! records each spender a session approves, once per token, and the owner's
//! `clear_session_allowances` sets them back to zero, in the transaction
//! that revokes the session or later (revoke-all stays O(1)).

use session_account::interface::{ISessionViewsDispatcherTrait, SessionApproval};
use session_account::policy::AllowedContract;
use session_account::policy::calls::Errors as CallsErrors;
use session_account::sessions::SessionsComponent;
use session_account_testing::token::{
    ITestTokenDispatcher, ITestTokenDispatcherTrait, ITestTokenSafeDispatcher,
    ITestTokenSafeDispatcherTrait,
};
use snforge_std::{
    EventSpyAssertionsTrait, spy_events, start_cheat_caller_address, stop_cheat_caller_address,
};
use starknet::ContractAddress;
use starknet::account::Call;
use crate::fixtures::account::{
    Env, Outcome, T0, as_owner, as_session, policy, register, self_call, session_key, setup,
    setup_with_session, transfer, views,
};
use crate::fixtures::mocks::call;

fn spender() -> ContractAddress {
    0x5e1.try_into().unwrap()
}

fn other_spender() -> ContractAddress {
    0x5e2.try_into().unwrap()
}

fn approve(token: ContractAddress, spender: ContractAddress, amount: felt252) -> Call {
    call(token, selector!("approve"), array![spender.into(), amount, 0])
}

fn allowance(env: Env, token: ContractAddress, spender: ContractAddress) -> u256 {
    ITestTokenDispatcher { contract_address: token }.allowance(env.account, spender)
}

fn clear(env: Env) -> Call {
    self_call(env, selector!("clear_session_allowances"), array![session_key()])
}

fn revoke(env: Env) -> Call {
    self_call(env, selector!("revoke_session"), array![session_key()])
}

fn approved(env: Env, token: ContractAddress, spender: ContractAddress) -> SessionApproval {
    SessionApproval { token, spender: spender.into() }
}

#[test]
fn each_spender_is_recorded_once_per_token() {
    let env = setup_with_session();
    let calls = array![
        approve(env.token, spender(), 10),
        call(env.token, selector!("increase_allowance"), array![other_spender().into(), 5, 0]),
        approve(env.token, spender(), 20),
    ];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![approve(env.token, spender(), 30)], T0), Outcome::Accepted);
    assert_eq!(
        views(env).get_session_approvals(session_key()),
        array![approved(env, env.token, spender()), approved(env, env.token, other_spender())],
    );
}

#[test]
fn a_transaction_approving_nobody_records_nothing() {
    let env = setup_with_session();
    assert_eq!(as_session(env, array![transfer(env.token, 10)], T0), Outcome::Accepted);
    assert_eq!(views(env).get_session_approvals(session_key()), array![]);
}

/// A reverted execution records nothing: its approval never happened.
#[test]
fn a_reverted_approval_is_not_recorded() {
    let env = setup_with_session();
    // A stranger's tokens the account may not move: the token reverts.
    let theirs = call(env.token, selector!("transfer_from"), array![0x71c, 0x1234, 1, 0]);
    assert_eq!(
        as_session(env, array![approve(env.token, spender(), 10), theirs], T0),
        Outcome::Reverted('token/insufficient-allowance'),
    );
    assert_eq!(views(env).get_session_approvals(session_key()), array![]);
}

#[test]
#[feature("safe_dispatcher")]
fn the_owners_revoke_clears_them_and_the_spender_cannot_pull() {
    let env = setup_with_session();
    let calls = array![approve(env.token, spender(), 40), approve(env.token, other_spender(), 7)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(allowance(env, env.token, spender()), 40);
    let mut spy = spy_events();
    assert_eq!(as_owner(env, array![revoke(env), clear(env)], T0), Outcome::Accepted);
    assert_eq!(allowance(env, env.token, spender()), 0);
    assert_eq!(allowance(env, env.token, other_spender()), 0);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionAllowancesCleared(
                        SessionsComponent::SessionAllowancesCleared {
                            session_key: session_key(), count: 2,
                        },
                    ),
                ),
            ],
        );
    start_cheat_caller_address(env.token, spender());
    let pulled = ITestTokenSafeDispatcher { contract_address: env.token }
        .transfer_from(env.account, spender(), 1);
    stop_cheat_caller_address(env.token);
    match pulled {
        Ok(_) => core::panic_with_felt252('the spender still pulls'),
        Err(panic) => assert_eq!(*panic[0], 'token/insufficient-allowance'),
    }
}

/// Clearing needs no revocation, and a key with nothing recorded clears
/// nothing.
#[test]
fn clearing_without_revoking_and_with_nothing_recorded() {
    let env = setup_with_session();
    assert_eq!(as_owner(env, array![clear(env)], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![approve(env.token, spender(), 9)], T0), Outcome::Accepted);
    assert_eq!(as_owner(env, array![clear(env)], T0), Outcome::Accepted);
    assert_eq!(allowance(env, env.token, spender()), 0);
    assert!(!views(env).get_session(session_key()).revoked);
}

/// The admin surface: a session cannot clear allowances, its own or not.
#[test]
fn a_session_cannot_clear() {
    let env = setup_with_session();
    assert_eq!(as_session(env, array![clear(env)], T0), Outcome::Rejected(CallsErrors::SELF_CALL));
}

/// Approvals on a contract without a spending limit are recorded too, after
/// those of limited tokens: the allowance outlives the session all the same.
#[test]
fn approvals_without_a_limit_are_recorded_after_limited_ones() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.other_token, entrypoints: array![] });
    register(env, p, T0);
    let calls = array![approve(env.other_token, spender(), 50), approve(env.token, spender(), 5)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(
        views(env).get_session_approvals(session_key()),
        array![approved(env, env.token, spender()), approved(env, env.other_token, spender())],
    );
    assert_eq!(as_owner(env, array![clear(env)], T0), Outcome::Accepted);
    assert_eq!(allowance(env, env.other_token, spender()), 0);
}
