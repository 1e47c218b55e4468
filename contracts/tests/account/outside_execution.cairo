//! Outside execution (SNIP-9 v2, §11): a relayer submits what the owner or
//! a session signed; sessions stay under their policy.

use session_account::interface::{
    IOutsideExecutionDispatcher, IOutsideExecutionDispatcherTrait, ISessionViewsDispatcherTrait,
};
use session_account::outside_execution::Errors;
use session_account::policy::AllowedContract;
use session_account::signature::Errors as SignatureErrors;
use snforge_std::test_address;
use starknet::ContractAddress;
use crate::fixtures::account::{
    HOUR, OTHER_SECRET, Outcome, SESSION_SECRET, T0, authorize, balance, play, policy, register,
    self_call, session_key, session_signature, setup, setup_with_session, sign, transfer, views,
};
use crate::fixtures::mocks::{IMockTargetDispatcher, IMockTargetDispatcherTrait, call};
use crate::fixtures::relaying::{execution, hash, relay, signed_by_owner, signed_by_session};

#[test]
fn an_owner_signed_execution_runs_and_uses_its_nonce() {
    let env = setup();
    let e = execution(array![play(env.target), transfer(env.token, 10)], 1);
    let outside = IOutsideExecutionDispatcher { contract_address: env.account };
    assert!(outside.is_valid_outside_execution_nonce(1));
    assert_eq!(relay(env, e, signed_by_owner(env, @e), T0), Outcome::Accepted);
    assert_eq!(IMockTargetDispatcher { contract_address: env.target }.plays(), 1);
    assert_eq!(balance(env.token, env.account), 990);
    assert!(!outside.is_valid_outside_execution_nonce(1));
    assert!(outside.is_valid_outside_execution_nonce(2));
}

#[test]
fn a_nonce_works_once() {
    let env = setup();
    let e = execution(array![play(env.target)], 1);
    relay(env, e, signed_by_owner(env, @e), T0);
    assert_eq!(relay(env, e, signed_by_owner(env, @e), T0), Outcome::Reverted(Errors::NONCE_USED));
    assert_eq!(IMockTargetDispatcher { contract_address: env.target }.plays(), 1);
}

#[test]
fn only_the_named_caller_may_submit() {
    let env = setup();
    let mut e = execution(array![play(env.target)], 1);
    e.caller = 0x5e1a.try_into().unwrap();
    assert_eq!(
        relay(env, e, signed_by_owner(env, @e), T0), Outcome::Reverted(Errors::INVALID_CALLER),
    );
    e.caller = test_address();
    assert_eq!(relay(env, e, signed_by_owner(env, @e), T0), Outcome::Accepted);
}

#[test]
fn only_inside_its_window() {
    let env = setup();
    let e = execution(array![play(env.target)], 1);
    assert_eq!(
        relay(env, e, signed_by_owner(env, @e), T0 - 1), Outcome::Reverted(Errors::TOO_EARLY),
    );
    assert_eq!(
        relay(env, e, signed_by_owner(env, @e), T0 + 10 * HOUR), Outcome::Reverted(Errors::EXPIRED),
    );
    // A failed attempt does not use the nonce.
    assert_eq!(relay(env, e, signed_by_owner(env, @e), T0), Outcome::Accepted);
}

#[test]
fn the_signature_must_be_over_this_execution() {
    let env = setup();
    let e = execution(array![play(env.target)], 1);
    let other = execution(array![play(env.target)], 2);
    assert_eq!(
        relay(env, e, signed_by_owner(env, @other), T0),
        Outcome::Reverted(SignatureErrors::INVALID_SIGNATURE),
    );
    let (r, s) = sign(OTHER_SECRET, hash(env, @e));
    assert_eq!(
        relay(env, e, array![r, s], T0), Outcome::Reverted(SignatureErrors::INVALID_SIGNATURE),
    );
    assert_eq!(
        relay(env, e, array![1, 2, 3], T0), Outcome::Reverted(SignatureErrors::MALFORMED_SIGNATURE),
    );
}

#[test]
fn the_owner_may_reach_admin_entrypoints() {
    let env = setup_with_session();
    let e = execution(array![self_call(env, selector!("revoke_all_sessions"), array![])], 1);
    assert_eq!(relay(env, e, signed_by_owner(env, @e), T0), Outcome::Accepted);
    assert_eq!(views(env).get_revocation_epoch(), 1);
}

#[test]
fn a_session_signed_execution_runs_under_the_policy() {
    let env = setup_with_session();
    let e = execution(array![transfer(env.token, 60)], 1);
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 60);
    assert_eq!(views(env).get_session(session_key()).calls_used, 1);
    let over = execution(array![transfer(env.token, 41)], 2);
    assert_eq!(
        relay(env, over, signed_by_session(env, @over), T0),
        Outcome::Reverted('session/spending-limit'),
    );
    let elsewhere = execution(array![transfer(env.other_token, 1)], 3);
    assert_eq!(
        relay(env, elsewhere, signed_by_session(env, @elsewhere), T0),
        Outcome::Reverted('session/contract-not-allowed'),
    );
}

#[test]
fn a_session_signed_execution_uses_the_exact_clock() {
    let env = setup_with_session();
    let e = execution(array![play(env.target)], 1);
    assert_eq!(
        relay(env, e, signed_by_session(env, @e), T0 + 2 * HOUR),
        Outcome::Reverted('session/expired'),
    );
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0 + 2 * HOUR - 1), Outcome::Accepted);
}

/// Before `valid_after` too: an outside execution sees the exact clock,
/// never the hour-floored one of `__validate__` (§4.2, §11; the rule
/// `outside_execution_uses_lenient_clock` breaks).
#[test]
fn a_session_signed_execution_before_valid_after_is_refused() {
    let env = setup_with_session();
    let mut e = execution(array![play(env.target)], 1);
    e.execute_after = T0 - HOUR;
    assert_eq!(
        relay(env, e, signed_by_session(env, @e), T0 - 1),
        Outcome::Reverted('session/not-yet-valid'),
    );
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
}

/// A session-signed execution needs the session key's signature of this
/// execution's hash (§11; the rule `outside_session_signature_unchecked`
/// breaks): the session layout over another execution is refused.
#[test]
fn a_session_signed_execution_needs_the_session_keys_signature_of_it() {
    let env = setup_with_session();
    let e = execution(array![play(env.target)], 1);
    let other = execution(array![play(env.target)], 2);
    assert_eq!(
        relay(env, e, signed_by_session(env, @other), T0),
        Outcome::Reverted(SignatureErrors::INVALID_SIGNATURE),
    );
    // The session layout naming the session key, signed by another key.
    let (r, s) = sign(OTHER_SECRET, hash(env, @e));
    let magic = *signed_by_session(env, @e)[0];
    let forged = array![magic, session_key(), r, s];
    assert_eq!(relay(env, e, forged, T0), Outcome::Reverted(SignatureErrors::INVALID_SIGNATURE));
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
}

#[test]
fn a_session_never_reaches_admin_entrypoints_through_a_relayer() {
    let env = setup_with_session();
    let e = execution(array![self_call(env, selector!("revoke_all_sessions"), array![])], 1);
    assert_eq!(
        relay(env, e, signed_by_session(env, @e), T0),
        Outcome::Reverted('session/self-call-forbidden'),
    );
    assert_eq!(views(env).get_revocation_epoch(), 0);
}

#[test]
fn a_session_key_passing_as_owner_is_refused() {
    let env = setup_with_session();
    let e = execution(array![self_call(env, selector!("revoke_all_sessions"), array![])], 1);
    let (r, s) = sign(SESSION_SECRET, hash(env, @e));
    assert_eq!(
        relay(env, e, array![r, s], T0), Outcome::Reverted(SignatureErrors::INVALID_SIGNATURE),
    );
}

#[test]
fn a_session_revokes_itself_through_a_relayer() {
    let env = setup_with_session();
    let e = execution(
        array![self_call(env, selector!("revoke_session"), array![session_key()])], 1,
    );
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    assert!(views(env).get_session(session_key()).revoked);
}

#[test]
fn a_session_renews_itself_through_a_relayer() {
    let env = setup_with_session();
    let e = execution(array![self_call(env, selector!("renew_session"), array![])], 1);
    assert_eq!(
        relay(env, e, signed_by_session(env, @e), T0 + HOUR),
        Outcome::Reverted('session/not-expired'),
    );
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0 + 2 * HOUR + 5), Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).valid_until, T0 + 4 * HOUR + 5);
}

#[test]
fn an_authorization_registers_through_a_relayer() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    let e = execution(array![transfer(env.token, 5)], 1);
    let signature = session_signature(SESSION_SECRET, hash(env, @e), Some(@authorization));
    assert_eq!(relay(env, e, signature, T0), Outcome::Accepted);
    assert!(views(env).get_session(session_key()).registered);
    assert_eq!(balance(env.token, env.account), 995);
}

#[test]
fn outside_executions_do_not_nest() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls = array![AllowedContract { contract: env.target, entrypoints: array![] }];
    register(env, p, T0);
    let inner = execution(array![play(env.target)], 2);
    let mut relay_calldata: Array<felt252> = array![env.account.into()];
    inner.serialize(ref relay_calldata);
    signed_by_owner(env, @inner).span().serialize(ref relay_calldata);
    let outer = execution(array![call(env.target, selector!("relay"), relay_calldata)], 1);
    assert_eq!(
        relay(env, outer, signed_by_session(env, @outer), T0), Outcome::Reverted(Errors::REENTRANT),
    );
}

#[test]
fn a_failed_execution_leaves_no_trace() {
    let env = setup_with_session();
    let e = execution(
        array![
            transfer(env.token, 5), call(env.token, selector!("transfer"), array![0x1, 5000, 0]),
        ],
        1,
    );
    // Within the limit? No: 5005 > 100, refused before anything runs.
    assert_eq!(
        relay(env, e, signed_by_session(env, @e), T0), Outcome::Reverted('session/spending-limit'),
    );
    assert!(
        IOutsideExecutionDispatcher { contract_address: env.account }
            .is_valid_outside_execution_nonce(1),
    );
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 0);
}

#[test]
fn the_relayers_own_signature_grants_nothing() {
    // The relayer's transaction is signed [1, 2] (an owner-like layout);
    // after an outside execution the account is no longer "running" it.
    let env = setup_with_session();
    let e = execution(array![play(env.target)], 1);
    relay(env, e, signed_by_session(env, @e), T0);
    let target: ContractAddress = env.target;
    assert_eq!(IMockTargetDispatcher { contract_address: target }.plays(), 1);
    assert_eq!(views(env).get_revocation_epoch(), 0);
}

/// An outside execution cannot start while a session transaction of the
/// account runs (a granted contract relaying one): its spending would be
/// watched twice, and nothing legitimate needs it.
#[test]
fn no_outside_execution_inside_a_session_transaction() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls = array![AllowedContract { contract: env.target, entrypoints: array![] }];
    register(env, p, T0);
    let inner = execution(array![play(env.target)], 2);
    let mut relay_calldata: Array<felt252> = array![env.account.into()];
    inner.serialize(ref relay_calldata);
    signed_by_owner(env, @inner).span().serialize(ref relay_calldata);
    let relayed = call(env.target, selector!("relay"), relay_calldata);
    assert_eq!(
        crate::fixtures::account::as_session(env, array![relayed], T0),
        crate::fixtures::account::Outcome::Reverted(Errors::REENTRANT),
    );
    // The same relay from an owner transaction is fine.
    let mut relay_calldata: Array<felt252> = array![env.account.into()];
    inner.serialize(ref relay_calldata);
    signed_by_owner(env, @inner).span().serialize(ref relay_calldata);
    let relayed = call(env.target, selector!("relay"), relay_calldata);
    assert_eq!(
        crate::fixtures::account::as_owner(env, array![relayed], T0),
        crate::fixtures::account::Outcome::Accepted,
    );
}

/// The relayer pays: an outside execution counts its calls, not a fee.
#[test]
fn outside_executions_count_calls_not_fees() {
    let env = setup_with_session();
    let e = execution(array![play(env.target), play(env.target)], 1);
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    let status = views(env).get_session(session_key());
    assert_eq!((status.calls_used, status.fee_used), (2, 0));
}

/// What a session-signed outside execution makes a granted contract pull
/// counts too.
#[test]
fn a_relayed_pull_counts_against_the_limit() {
    let env = setup();
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.router, entrypoints: array![] });
    register(env, p, T0);
    let approve = call(env.token, selector!("approve"), array![env.router.into(), 1000, 0]);
    crate::fixtures::account::as_owner(env, array![approve], T0);
    let e = execution(array![crate::fixtures::account::pull(env, env.account, 70)], 1);
    assert_eq!(relay(env, e, signed_by_session(env, @e), T0), Outcome::Accepted);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 70);
    let over = execution(array![crate::fixtures::account::pull(env, env.account, 31)], 2);
    assert_eq!(
        relay(env, over, signed_by_session(env, @over), T0),
        Outcome::Reverted('session/spending-limit'),
    );
    assert_eq!(balance(env.token, env.account), 930);
}
