//! Indirect spending (§4.4): a session's limit bounds what actually leaves
//! the account, also when an allowed contract moves the account's limited
//! tokens on its own (a router pulling an allowance the owner granted long
//! ago), without counting the same tokens twice.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::AllowedContract;
use session_account::policy::spending::Errors;
use session_account::sessions::SessionsComponent;
use session_account_testing::token::{ITestTokenDispatcher, ITestTokenDispatcherTrait};
use snforge_std::{EventSpyAssertionsTrait, spy_events};
use crate::fixtures::account::{
    Env, Outcome, T0, as_owner, as_session, balance, policy, pull, register, session_key, setup,
    transfer, views,
};
use crate::fixtures::mocks::call;

/// The sample policy plus the router (any entrypoint); the owner approved
/// the router for 1000 tokens long ago.
fn router_env() -> Env {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 1000, 0]);
    assert_eq!(as_owner(env, array![approve], T0), Outcome::Accepted);
    env
}

fn spent(env: Env) -> u256 {
    *views(env).get_spending(session_key())[0].spent
}

#[test]
fn a_pull_through_an_old_allowance_counts() {
    let env = router_env();
    let mut spy = spy_events();
    assert_eq!(as_session(env, array![pull(env, env.account, 30)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 30);
    assert_eq!(balance(env.token, env.account), 970);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SpendingRecorded(
                        SessionsComponent::SpendingRecorded {
                            session_key: session_key(), token: env.token, spent: 30, remaining: 70,
                        },
                    ),
                ),
            ],
        );
}

#[test]
fn a_pull_beyond_the_limit_reverts() {
    let env = router_env();
    assert_eq!(as_session(env, array![pull(env, env.account, 60)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![pull(env, env.account, 41)], T0),
        Outcome::Reverted(Errors::SPENDING_LIMIT),
    );
    assert_eq!(spent(env), 60);
    assert_eq!(balance(env.token, env.account), 940);
}

#[test]
fn metered_and_pulled_amounts_add_up() {
    let env = router_env();
    let calls = array![transfer(env.token, 50), pull(env, env.account, 50)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
    let calls = array![transfer(env.token, 0), pull(env, env.account, 1)];
    assert_eq!(as_session(env, calls, T0), Outcome::Reverted(Errors::SPENDING_LIMIT));
}

/// An approval and the pull it allows, in one transaction, move the same
/// tokens: they count once, as the larger of the two.
#[test]
fn an_approval_and_its_pull_count_once() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 80, 0]);
    assert_eq!(as_session(env, array![approve, pull(env, env.account, 80)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 80);
    // A pull of part of an approval counts the approval.
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 20, 0]);
    assert_eq!(as_session(env, array![approve, pull(env, env.account, 5)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
}

#[test]
fn tokens_coming_in_are_not_spending() {
    let env = router_env();
    // Someone else's tokens pulled into the account (its own allowance to the
    // router) move nothing out of the account.
    let other: starknet::ContractAddress = 0x999.try_into().unwrap();
    ITestTokenDispatcher { contract_address: env.token }.mint(other, 500);
    snforge_std::start_cheat_caller_address(env.token, other);
    ITestTokenDispatcher { contract_address: env.token }.approve(env.router, 500);
    snforge_std::stop_cheat_caller_address(env.token);
    let inbound = call(
        env.router,
        selector!("pull"),
        array![env.token.into(), other.into(), env.account.into(), 500, 0],
    );
    assert_eq!(as_session(env, array![inbound], T0), Outcome::Accepted);
    assert_eq!(spent(env), 0);
    assert_eq!(balance(env.token, env.account), 1500);
}

#[test]
fn unlimited_tokens_are_not_watched() {
    let env = router_env();
    let approve = call(env.other_token, selector!("approve"), array![env.router.into(), 1000, 0]);
    as_owner(env, array![approve], T0);
    let pull_other = call(
        env.router,
        selector!("pull"),
        array![env.other_token.into(), env.account.into(), 0x1234, 700, 0],
    );
    assert_eq!(as_session(env, array![pull_other], T0), Outcome::Accepted);
    assert_eq!(balance(env.other_token, env.account), 300);
    assert_eq!(spent(env), 0);
}
