//! What a session's approvals and third-party `transfer_from`s count
//! (§4.4): everything the session moved or can still move through an
//! allowance it granted, and someone else's tokens it moved, on top of what
//! left the account's balance; an approval and the pull of that same
//! approval count once.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::AllowedContract;
use session_account::policy::spending::Errors;
use session_account::sessions::SessionsComponent;
use session_account_testing::token::{ITestTokenDispatcher, ITestTokenDispatcherTrait};
use snforge_std::{
    EventSpyAssertionsTrait, spy_events, start_cheat_caller_address, stop_cheat_caller_address,
};
use starknet::ContractAddress;
use crate::fixtures::account::{
    Env, Outcome, T0, as_owner, as_session, balance, policy, pull, register, session_key, setup,
    transfer, views,
};
use crate::fixtures::mocks::call;

/// Where the pulled tokens go: the leaked key's accomplice.
fn accomplice() -> ContractAddress {
    0xe11.try_into().unwrap()
}

/// Someone who allowed the account to move 1000 of their tokens.
fn victim() -> ContractAddress {
    0x71c.try_into().unwrap()
}

/// The sample policy (token limit 100, any entrypoint) plus the router; the
/// owner approved the router for 1000 tokens long ago, and the victim
/// allowed the account 1000 of theirs.
fn router_env() -> Env {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 1000, 0]);
    assert_eq!(as_owner(env, array![approve], T0), Outcome::Accepted);
    let token = ITestTokenDispatcher { contract_address: env.token };
    token.mint(victim(), 1000);
    start_cheat_caller_address(env.token, victim());
    token.approve(env.account, 1000);
    stop_cheat_caller_address(env.token);
    env
}

fn spent(env: Env) -> u256 {
    *views(env).get_spending(session_key())[0].spent
}

fn approve(env: Env, spender: ContractAddress, amount: felt252) -> starknet::account::Call {
    call(env.token, selector!("approve"), array![spender.into(), amount, 0])
}

fn allowance(env: Env, spender: ContractAddress) -> u256 {
    ITestTokenDispatcher { contract_address: env.token }.allowance(env.account, spender)
}

/// A pull of the account's tokens to the accomplice, through the owner's
/// old allowance to the router.
fn pull_out(env: Env, amount: u256) -> starknet::account::Call {
    let mut p = pull(env, env.account, amount);
    p
        .calldata =
            array![env.token.into(), env.account.into(), accomplice().into(), amount.low.into(), 0]
        .span();
    p
}

/// The 2× sequence of the security review: an approval to the accomplice
/// next to an unrelated pull. The approval stays usable after the
/// transaction, so it counts on top of what left the account: 200 > 100.
#[test]
fn an_approval_next_to_an_unrelated_pull_counts_both() {
    let env = router_env();
    let calls = array![approve(env, accomplice(), 100), pull_out(env, 100)];
    assert_eq!(as_session(env, calls, T0), Outcome::Reverted(Errors::SPENDING_LIMIT));
    assert_eq!(allowance(env, accomplice()), 0);
    assert_eq!(balance(env.token, env.account), 1000);
    // Within the limit, both count: 40 pulled + 40 still approved.
    let calls = array![approve(env, accomplice(), 40), pull_out(env, 40)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 80);
    assert_eq!(allowance(env, accomplice()), 40);
}

/// What an approval lets its spender take later, outside any session
/// transaction, was counted when the session approved it.
#[test]
fn an_approval_used_later_was_counted_when_granted() {
    let env = router_env();
    assert_eq!(as_session(env, array![approve(env, accomplice(), 60)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 60);
    start_cheat_caller_address(env.token, accomplice());
    ITestTokenDispatcher { contract_address: env.token }
        .transfer_from(env.account, accomplice(), 60);
    stop_cheat_caller_address(env.token);
    assert_eq!(balance(env.token, env.account), 940);
    assert_eq!(
        as_session(env, array![transfer(env.token, 41)], T0),
        Outcome::Rejected(Errors::SPENDING_LIMIT),
    );
    assert_eq!(as_session(env, array![transfer(env.token, 40)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
}

/// The variant: someone else's tokens moved with `transfer_from`, next to a
/// pull of the account's own. Both count: 200 > 100.
#[test]
fn a_third_party_transfer_from_next_to_a_pull_counts_both() {
    let env = router_env();
    let theirs = |
        amount: felt252,
    | call(
        env.token,
        selector!("transfer_from"),
        array![victim().into(), accomplice().into(), amount, 0],
    );
    let calls = array![theirs(100), pull_out(env, 100)];
    assert_eq!(as_session(env, calls, T0), Outcome::Reverted(Errors::SPENDING_LIMIT));
    let calls = array![theirs(30), pull_out(env, 30)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 60);
}

/// The everyday DeFi pattern: approve the router for X, the router pulls
/// exactly X. X counts once.
#[test]
fn an_approval_and_its_pull_count_once() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    let calls = array![approve(env, env.router, 70), pull(env, env.account, 70)];
    let mut spy = spy_events();
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 70);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SpendingRecorded(
                        SessionsComponent::SpendingRecorded {
                            session_key: session_key(), token: env.token, spent: 70, remaining: 30,
                        },
                    ),
                ),
            ],
        );
    // A partial fill: what the router did not pull is still approved.
    let calls = array![approve(env, env.router, 30), pull(env, env.account, 10)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
}

/// An allowance the owner gave earlier is the owner's: increasing it counts
/// what the session added, not the whole allowance.
#[test]
fn an_owner_allowance_is_not_the_sessions() {
    let env = router_env();
    let increase = call(
        env.token, selector!("increase_allowance"), array![env.router.into(), 10, 0],
    );
    assert_eq!(as_session(env, array![increase], T0), Outcome::Accepted);
    assert_eq!(allowance(env, env.router), 1010);
    assert_eq!(spent(env), 10);
}

/// Tokens the session brings into the account and sends on are not a
/// decrease of its balance; what it moved of someone else's tokens to get
/// them counts.
#[test]
fn tokens_brought_in_and_sent_on() {
    let env = router_env();
    let into_account = call(
        env.token, selector!("transfer_from"), array![victim().into(), env.account.into(), 50, 0],
    );
    let calls = array![into_account, pull_out(env, 50)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 50);
    assert_eq!(balance(env.token, env.account), 1000);
}
