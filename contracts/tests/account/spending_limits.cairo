//! Spending limits at contract level (§4.4): every metered selector, u256
//! edges, multicalls, and the recorded tally.

use session_account::interface::{ISessionViewsDispatcherTrait, TokenSpending};
use session_account::policy::spending::Errors;
use session_account::policy::{AllowedContract, SpendingLimit};
use session_account::sessions::SessionsComponent;
use session_account_testing::token::{ITestTokenDispatcher, ITestTokenDispatcherTrait};
use snforge_std::{EventSpyAssertionsTrait, spy_events};
use starknet::storage::{StorageMapWriteAccess, StoragePathEntry};
use crate::fixtures::account::{
    Env, Outcome, T0, as_owner, as_session, balance, policy, register, session_key, setup,
    setup_with_session, transfer, views,
};
use crate::fixtures::mocks::call;

const NOT_U128: felt252 = 0x100000000000000000000000000000000;

fn spent(env: Env) -> u256 {
    *views(env).get_spending(session_key())[0].spent
}

fn token_call(env: Env, selector: felt252, calldata: Array<felt252>) -> starknet::account::Call {
    call(env.token, selector, calldata)
}

#[test]
fn a_transfer_within_the_limit_is_recorded() {
    let env = setup_with_session();
    let mut spy = spy_events();
    assert_eq!(as_session(env, array![transfer(env.token, 60)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 60);
    assert_eq!(balance(env.token, env.account), 940);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SpendingRecorded(
                        SessionsComponent::SpendingRecorded {
                            session_key: session_key(), token: env.token, spent: 60, remaining: 40,
                        },
                    ),
                ),
            ],
        );
}

#[test]
fn the_limit_is_cumulative_and_exact() {
    let env = setup_with_session();
    assert_eq!(as_session(env, array![transfer(env.token, 60)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 41)], T0),
        Outcome::Rejected(Errors::SPENDING_LIMIT),
    );
    assert_eq!(as_session(env, array![transfer(env.token, 40)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0),
        Outcome::Rejected(Errors::SPENDING_LIMIT),
    );
    assert_eq!(as_session(env, array![transfer(env.token, 0)], T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
    assert_eq!(balance(env.token, env.account), 900);
}

#[test]
fn a_multicall_split_is_summed() {
    let env = setup_with_session();
    assert_eq!(
        as_session(env, array![transfer(env.token, 50), transfer(env.token, 51)], T0),
        Outcome::Rejected(Errors::SPENDING_LIMIT),
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 50), transfer(env.token, 50)], T0),
        Outcome::Accepted,
    );
    assert_eq!(spent(env), 100);
}

#[test]
fn approvals_count_in_full() {
    let env = setup_with_session();
    let approve = token_call(env, selector!("approve"), array![0x5bad, 70, 0]);
    assert_eq!(as_session(env, array![approve], T0), Outcome::Accepted);
    assert_eq!(spent(env), 70);
    let approve = token_call(env, selector!("approve"), array![0x5bad, 31, 0]);
    assert_eq!(as_session(env, array![approve], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
    assert_eq!(
        ITestTokenDispatcher { contract_address: env.token }
            .allowance(env.account, 0x5bad.try_into().unwrap()),
        70,
    );
}

#[test]
fn both_increase_allowance_spellings_count() {
    let env = setup_with_session();
    let snake = token_call(env, selector!("increase_allowance"), array![0x5bad, 60, 0]);
    let camel = token_call(env, selector!("increaseAllowance"), array![0x5bad, 41, 0]);
    assert_eq!(as_session(env, array![snake], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![camel], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
    let camel = token_call(env, selector!("increaseAllowance"), array![0x5bad, 40, 0]);
    assert_eq!(as_session(env, array![camel], T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
}

#[test]
fn transfer_from_of_the_accounts_funds_counts_in_both_spellings() {
    let env = setup_with_session();
    // The owner lets the account spend its own funds through transfer_from.
    as_owner(
        env, array![token_call(env, selector!("approve"), array![env.account.into(), 1000, 0])], T0,
    );
    let snake = token_call(env, selector!("transfer_from"), array![env.account.into(), 0x1, 60, 0]);
    assert_eq!(as_session(env, array![snake], T0), Outcome::Accepted);
    let camel = token_call(env, selector!("transferFrom"), array![env.account.into(), 0x1, 41, 0]);
    assert_eq!(as_session(env, array![camel], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
    assert_eq!(spent(env), 60);
}

#[test]
fn unmetered_selectors_on_a_limited_token_are_refused() {
    let env = setup_with_session();
    let decrease = token_call(env, selector!("decrease_allowance"), array![0x5bad, 1, 0]);
    assert_eq!(
        as_session(env, array![decrease], T0), Outcome::Rejected(Errors::UNMETERED_SELECTOR),
    );
    let mint = token_call(env, selector!("mint"), array![0x1, 1, 0]);
    assert_eq!(as_session(env, array![mint], T0), Outcome::Rejected(Errors::UNMETERED_SELECTOR));
}

#[test]
fn malformed_amounts_are_refused_not_panics() {
    let env = setup_with_session();
    for calldata in array![
        array![0x1, 5], array![0x1, 5, 0, 0], array![0x1, NOT_U128, 0], array![0x1, 0, NOT_U128],
    ] {
        let c = token_call(env, selector!("transfer"), calldata);
        assert_eq!(as_session(env, array![c], T0), Outcome::Rejected(Errors::MALFORMED_CALLDATA));
    }
}

#[test]
fn the_high_word_counts() {
    let env = setup_with_session();
    let high = token_call(env, selector!("transfer"), array![0x1, 0, 1]);
    assert_eq!(as_session(env, array![high], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
}

#[test]
fn u256_limits_are_exact_at_the_top() {
    let env = setup();
    let max: u256 = core::num::traits::Bounded::MAX;
    let mut p = policy(env);
    p
        .spending_limits =
            array![SpendingLimit { token: env.token, limit: max, period: 0, period_limit: 0 }];
    register(env, p, T0);
    assert_eq!(
        views(env).get_spending(session_key()),
        array![
            TokenSpending {
                token: env.token,
                limit: max,
                spent: 0,
                period: 0,
                period_limit: 0,
                window_spent: 0,
                window_resets_at: 0,
            },
        ],
    );
    // Approvals move nothing, so they reach the top of the range.
    let top = token_call(
        env,
        selector!("approve"),
        array![0x5bad, 0xffffffffffffffffffffffffffffffff, 0xffffffffffffffffffffffffffffffff],
    );
    assert_eq!(as_session(env, array![top], T0), Outcome::Accepted);
    assert_eq!(spent(env), max);
    let one = token_call(env, selector!("approve"), array![0x5bad, 1, 0]);
    assert_eq!(as_session(env, array![one], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
}

/// The tally lives in the token's grant slot below 2^248 and in a slot of
/// its own from 2^248 up: both sides of the boundary are exact.
#[test]
fn limits_on_both_sides_of_the_compact_bound_are_exact() {
    let below: u256 = 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff; // 2^248 - 1
    let at: u256 = below + 1;
    for limit in array![below, at, at + 1] {
        let env = setup();
        let mut p = policy(env);
        p
            .spending_limits =
                array![SpendingLimit { token: env.token, limit, period: 0, period_limit: 0 }];
        register(env, p, T0);
        assert_eq!(spent(env), 0);
        let approve_all = token_call(
            env, selector!("approve"), array![0x5bad, limit.low.into(), limit.high.into()],
        );
        let approve_one = token_call(env, selector!("approve"), array![0x5bad, 1, 0]);
        assert_eq!(as_session(env, array![approve_one], T0), Outcome::Accepted);
        assert_eq!(spent(env), 1);
        assert_eq!(
            as_session(env, array![approve_all], T0), Outcome::Rejected(Errors::SPENDING_LIMIT),
        );
        let rest = limit - 1;
        let approve_rest = token_call(
            env, selector!("approve"), array![0x5bad, rest.low.into(), rest.high.into()],
        );
        assert_eq!(as_session(env, array![approve_rest], T0), Outcome::Accepted);
        assert_eq!(spent(env), limit);
        assert_eq!(
            as_session(env, array![approve_one], T0), Outcome::Rejected(Errors::SPENDING_LIMIT),
        );
    }
}

#[test]
fn tokens_without_a_limit_are_not_metered() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.other_token, entrypoints: array![] });
    register(env, p, T0);
    assert_eq!(as_session(env, array![transfer(env.other_token, 500)], T0), Outcome::Accepted);
    let mint = call(env.other_token, selector!("mint"), array![0x1, 1, 0]);
    assert_eq!(as_session(env, array![mint], T0), Outcome::Accepted);
    assert_eq!(spent(env), 0);
}

#[test]
fn several_tokens_are_tallied_separately() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.other_token, entrypoints: array![] });
    p
        .spending_limits
        .append(SpendingLimit { token: env.other_token, limit: 10, period: 0, period_limit: 0 });
    register(env, p, T0);
    let calls = array![
        transfer(env.token, 90), transfer(env.other_token, 10), transfer(env.token, 10),
    ];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(
        views(env).get_spending(session_key()),
        array![
            TokenSpending {
                token: env.token,
                limit: 100,
                spent: 100,
                period: 0,
                period_limit: 0,
                window_spent: 0,
                window_resets_at: 0,
            },
            TokenSpending {
                token: env.other_token,
                limit: 10,
                spent: 10,
                period: 0,
                period_limit: 0,
                window_spent: 0,
                window_resets_at: 0,
            },
        ],
    );
    assert_eq!(
        as_session(env, array![transfer(env.other_token, 1)], T0),
        Outcome::Rejected(Errors::SPENDING_LIMIT),
    );
}

/// §4.4: `transfer_from` of someone else's funds, through an allowance
/// granted to the account, counts against the limit in full: the limit is
/// the most the session may move of the token, whoever's it is.
#[test]
fn transfer_from_of_others_funds_counts_in_full() {
    let env = setup_with_session();
    let other: starknet::ContractAddress = 0x999.try_into().unwrap();
    ITestTokenDispatcher { contract_address: env.token }.mint(other, 500);
    snforge_std::start_cheat_caller_address(env.token, other);
    ITestTokenDispatcher { contract_address: env.token }.approve(env.account, 500);
    snforge_std::stop_cheat_caller_address(env.token);
    let over = token_call(env, selector!("transfer_from"), array![other.into(), 0x1, 101, 0]);
    assert_eq!(as_session(env, array![over], T0), Outcome::Rejected(Errors::SPENDING_LIMIT));
    let within = token_call(env, selector!("transfer_from"), array![other.into(), 0x1, 100, 0]);
    assert_eq!(as_session(env, array![within], T0), Outcome::Accepted);
    assert_eq!(spent(env), 100);
    assert_eq!(balance(env.token, other), 400);
}

/// A grant slot holding a value the account never writes (an upgrade gone
/// wrong, a storage collision) refuses the token: it fails closed, never
/// open.
#[test]
fn a_corrupted_grant_fails_closed() {
    let env = setup_with_session();
    let token = env.token;
    snforge_std::interact_with_state(
        env.account,
        || {
            let mut state = session_account::account::SessionAccount::contract_state_for_testing();
            let node = state.sessions.Sessions_nodes.entry(session_key());
            // A spend field above 2^248 + 1, under a valid rule.
            node
                .grants
                .write(
                    token,
                    0x200000000000000000000000000000000000000000000000000000000000000
                        + 0x100000000000000000000000000000000000000000000000000000000000005,
                );
        },
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0),
        Outcome::Rejected('session/contract-not-allowed'),
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 0)], T0),
        Outcome::Rejected('session/contract-not-allowed'),
    );
    assert_eq!(spent(env), 100);
}
