//! What an outside execution (§11) cannot be used for: nesting inside
//! another session execution while the account watches its balances (a
//! hooked token's `balance_of`), and using up another signer's nonces.

use session_account::interface::{
    IOutsideExecutionDispatcher, IOutsideExecutionDispatcherTrait,
    IOutsideExecutionNoncesDispatcher, IOutsideExecutionNoncesDispatcherTrait,
    ISessionViewsDispatcherTrait,
};
use session_account::outside_execution::{Errors, OutsideExecution};
use session_account::policy::{AllowedContract, SpendingLimit};
use session_account::sessions::SessionsComponent;
use session_account_testing::hooked_token::{IHookedTokenDispatcher, IHookedTokenDispatcherTrait};
use snforge_std::{
    ContractClassTrait, DeclareResultTrait, EventSpyAssertionsTrait, declare, spy_events,
};
use starknet::ContractAddress;
use crate::fixtures::account::{
    Env, OTHER_SECRET, Outcome, T0, as_session, other_key, play, policy, register, session_key,
    session_signature, setup, setup_with_session, transfer, views,
};
use crate::fixtures::relaying::{execution, hash, relay, signed_by_owner, signed_by_session};

/// A hooked token the account holds 1000 of, and the sample session with a
/// limit of 100 on it.
fn hooked_env() -> (Env, IHookedTokenDispatcher) {
    let env = setup();
    let (address, _) = declare("HookedToken").unwrap().contract_class().deploy(@array![]).unwrap();
    let hooked = IHookedTokenDispatcher { contract_address: address };
    hooked.mint(env.account, 1000);
    let mut p = policy(env);
    p.allowed_calls = array![AllowedContract { contract: address, entrypoints: array![] }];
    p
        .spending_limits =
            array![SpendingLimit { token: address, limit: 100, period: 0, period_limit: 0 }];
    register(env, p, T0);
    (env, hooked)
}

/// Arms `hooked` to submit `e`, signed by the session, to the account on
/// its next `balance_of`.
fn arm_nested(env: Env, hooked: IHookedTokenDispatcher, e: @OutsideExecution) {
    let mut calldata = array![];
    e.serialize(ref calldata);
    signed_by_session(env, e).span().serialize(ref calldata);
    hooked.arm(env.account, selector!("execute_from_outside_v2"), calldata);
}

fn spent(env: Env) -> u256 {
    *views(env).get_spending(session_key())[0].spent
}

/// The guard is held from the authorization to the settlement: a limited
/// token that calls out while the account reads its balance cannot start a
/// second session execution, whose spending the first would then erase.
#[test]
fn a_hooked_token_cannot_nest_an_outside_execution_in_the_balance_watch() {
    let (env, hooked) = hooked_env();
    let inner = execution(array![transfer(hooked.contract_address, 60)], 2);
    arm_nested(env, hooked, @inner);
    let outer = execution(array![transfer(hooked.contract_address, 60)], 1);
    assert_eq!(relay(env, outer, signed_by_session(env, @outer), T0), Outcome::Accepted);
    assert_eq!(hooked.hook_result(), Errors::REENTRANT);
    assert_eq!(spent(env), 60);
    assert_eq!(hooked.balance_of(env.account), 940);
    // The inner execution's nonce was not used: it can be relayed on its own.
    assert_eq!(
        relay(env, inner, signed_by_session(env, @inner), T0),
        Outcome::Reverted('session/spending-limit'),
    );
}

/// The same hook inside a session transaction's watch.
#[test]
fn a_hooked_token_cannot_nest_an_outside_execution_in_a_transaction() {
    let (env, hooked) = hooked_env();
    let inner = execution(array![transfer(hooked.contract_address, 30)], 2);
    arm_nested(env, hooked, @inner);
    assert_eq!(
        as_session(env, array![transfer(hooked.contract_address, 30)], T0), Outcome::Accepted,
    );
    assert_eq!(hooked.hook_result(), Errors::REENTRANT);
    assert_eq!(spent(env), 30);
    assert_eq!(hooked.balance_of(env.account), 970);
}

/// §11: a session's outside executions have a nonce space of their own, so a
/// leaked session key cannot use up the nonce of a pending owner-signed
/// execution (nor another session's).
#[test]
fn a_session_cannot_use_up_the_owners_outside_nonce() {
    let env = setup_with_session();
    let owners = execution(array![play(env.target)], 7);
    let sessions = execution(array![play(env.target)], 7);
    assert_eq!(relay(env, sessions, signed_by_session(env, @sessions), T0), Outcome::Accepted);
    let outside = IOutsideExecutionDispatcher { contract_address: env.account };
    let nonces = IOutsideExecutionNoncesDispatcher { contract_address: env.account };
    assert!(outside.is_valid_outside_execution_nonce(7));
    assert!(!nonces.is_valid_session_outside_nonce(session_key(), 7));
    assert_eq!(relay(env, owners, signed_by_owner(env, @owners), T0), Outcome::Accepted);
    assert!(!outside.is_valid_outside_execution_nonce(7));
    // Each nonce still works once in its own space.
    assert_eq!(
        relay(env, sessions, signed_by_session(env, @sessions), T0),
        Outcome::Reverted(Errors::NONCE_USED),
    );
    assert_eq!(
        relay(env, owners, signed_by_owner(env, @owners), T0),
        Outcome::Reverted(Errors::NONCE_USED),
    );
}

#[test]
fn each_session_has_its_own_nonce_space() {
    let env = setup_with_session();
    let mut other = policy(env);
    other.session_key = other_key();
    register(env, other, T0);
    let e = execution(array![play(env.target)], 9);
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    let by_other = session_signature(OTHER_SECRET, hash(env, @e), None);
    assert_eq!(relay(env, e, by_other, T0), Outcome::Accepted);
    let nonces = IOutsideExecutionNoncesDispatcher { contract_address: env.account };
    assert!(!nonces.is_valid_session_outside_nonce(other_key(), 9));
    assert!(nonces.is_valid_session_outside_nonce(other_key(), 10));
}

/// §9: what a session execution counted, for indexers.
#[test]
fn session_executions_emit_what_they_counted() {
    let env = setup_with_session();
    let mut spy = spy_events();
    assert_eq!(as_session(env, array![play(env.target), play(env.target)], T0), Outcome::Accepted);
    let e = execution(array![play(env.target)], 5);
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    let account: ContractAddress = env.account;
    spy
        .assert_emitted(
            @array![
                (
                    account,
                    SessionsComponent::Event::SessionTransaction(
                        SessionsComponent::SessionTransaction {
                            session_key: session_key(),
                            calls: 2,
                            fee: crate::fixtures::account::DEFAULT_MAX_FEE,
                        },
                    ),
                ),
                (
                    account,
                    SessionsComponent::Event::SessionOutsideExecution(
                        SessionsComponent::SessionOutsideExecution {
                            session_key: session_key(), calls: 1, nonce: 5,
                        },
                    ),
                ),
            ],
        );
}
