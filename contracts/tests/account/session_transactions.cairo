//! A session transaction (§4.1, §4.3): who signed it, which session, and
//! which calls it may make.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::calls::Errors as CallsErrors;
use session_account::sessions::component::SessionsComponent::Errors;
use session_account::signature::{Errors as SignatureErrors, SESSION_MAGIC};
use crate::fixtures::account::{
    OTHER_SECRET, Outcome, SESSION_SECRET, T0, TX_HASH, as_owner, as_session, balance, other_key,
    play, raw_tx, self_call, session_key, session_tx, session_tx_by, setup, setup_with_session,
    sign, submit, transfer, views,
};
use crate::fixtures::mocks::{IMockTargetDispatcher, IMockTargetDispatcherTrait, call};

#[test]
fn a_granted_call_runs_and_is_recorded() {
    let env = setup_with_session();
    assert_eq!(
        as_session(env, array![play(env.target), transfer(env.token, 7)], T0 + 1),
        Outcome::Accepted,
    );
    assert_eq!(IMockTargetDispatcher { contract_address: env.target }.plays(), 1);
    assert_eq!(balance(env.token, env.account), 993);
    assert_eq!(views(env).get_session(session_key()).calls_used, 2);
}

#[test]
fn an_unregistered_key_is_refused() {
    let env = setup_with_session();
    let tx = session_tx_by(OTHER_SECRET, array![play(env.target)], T0);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::NOT_REGISTERED));
}

#[test]
fn the_session_key_must_sign_the_transaction_hash() {
    let env = setup_with_session();
    // Names the session key, signed by another key.
    let (r, s) = sign(OTHER_SECRET, TX_HASH);
    let forged = raw_tx(array![play(env.target)], array![SESSION_MAGIC, session_key(), r, s], T0);
    assert_eq!(submit(env.account, @forged), Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE));
    // Signed by the session key, over another hash.
    let mut other_hash = session_tx(array![play(env.target)], T0);
    other_hash.hash = TX_HASH + 1;
    assert_eq!(
        submit(env.account, @other_hash), Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE),
    );
}

/// The signature is checked before anything about the session is read:
/// an unregistered key with a bad signature reports the signature.
#[test]
fn the_signature_is_checked_before_registration() {
    let env = setup();
    let (r, s) = sign(SESSION_SECRET, TX_HASH + 1);
    let tx = raw_tx(array![play(env.target)], array![SESSION_MAGIC, other_key(), r, s], T0);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE));
}

#[test]
fn a_revoked_session_is_refused() {
    let env = setup_with_session();
    as_owner(env, array![self_call(env, selector!("revoke_session"), array![session_key()])], T0);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::REVOKED));
}

#[test]
fn a_session_of_an_older_epoch_is_refused() {
    let env = setup_with_session();
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    assert_eq!(
        as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::EPOCH_REVOKED),
    );
}

#[test]
fn an_empty_multicall_is_refused() {
    let env = setup_with_session();
    assert_eq!(as_session(env, array![], T0), Outcome::Rejected(CallsErrors::NO_CALLS));
}

#[test]
fn only_granted_contracts_and_entrypoints() {
    let env = setup_with_session();
    assert_eq!(
        as_session(env, array![transfer(env.other_token, 1)], T0),
        Outcome::Rejected(CallsErrors::CONTRACT_NOT_ALLOWED),
    );
    let not_listed = call(env.target, selector!("fail"), array![]);
    assert_eq!(
        as_session(env, array![not_listed], T0),
        Outcome::Rejected(CallsErrors::ENTRYPOINT_NOT_ALLOWED),
    );
    // One bad call refuses the whole multicall.
    assert_eq!(
        as_session(env, array![play(env.target), transfer(env.other_token, 1)], T0),
        Outcome::Rejected(CallsErrors::CONTRACT_NOT_ALLOWED),
    );
    assert_eq!(views(env).get_session(session_key()).calls_used, 0);
}

#[test]
fn any_entrypoint_of_a_contract_granted_without_a_list() {
    let env = setup_with_session();
    // The token is granted with no entrypoint list (and has a limit, so
    // only metered selectors get through, §4.4).
    assert_eq!(as_session(env, array![transfer(env.token, 1)], T0), Outcome::Accepted);
}

#[test]
fn every_admin_entrypoint_is_forbidden_to_a_session() {
    let env = setup_with_session();
    let admin = array![
        (selector!("revoke_all_sessions"), array![]), (selector!("register_session"), array![1]),
        (selector!("revoke_session"), array![other_key()]),
        (selector!("set_owner"), array![1, 2, 3]), (selector!("upgrade"), array![1]),
        (selector!("execute_from_outside_v2"), array![]), (selector!("__execute__"), array![0]),
        (selector!("__validate__"), array![0]), (selector!("renew_session"), array![1]),
    ];
    for (selector, calldata) in admin {
        assert_eq!(
            as_session(env, array![self_call(env, selector, calldata)], T0),
            Outcome::Rejected(CallsErrors::SELF_CALL),
        );
    }
}

#[test]
fn lifecycle_calls_must_be_alone() {
    let env = setup_with_session();
    let revoke = self_call(env, selector!("revoke_session"), array![session_key()]);
    assert_eq!(
        as_session(env, array![play(env.target), revoke], T0),
        Outcome::Rejected(CallsErrors::SELF_CALL),
    );
    assert!(!views(env).get_session(session_key()).revoked);
}

/// An allowed contract that calls back into the account's admin surface
/// during a session transaction is refused by the entrypoint's guard.
#[test]
fn a_granted_contract_cannot_reach_the_admin_surface() {
    let env = setup();
    let mut p = crate::fixtures::account::policy(env);
    p
        .allowed_calls =
            array![
                session_account::policy::AllowedContract {
                    contract: env.target, entrypoints: array![],
                },
            ];
    crate::fixtures::account::register(env, p, T0);
    let callback = call(
        env.target,
        selector!("call_account"),
        array![env.account.into(), selector!("revoke_all_sessions"), 0],
    );
    assert_eq!(as_session(env, array![callback], T0), Outcome::Reverted('account/only-owner'));
    let callback = call(
        env.target,
        selector!("call_account"),
        array![env.account.into(), selector!("renew_session"), 0],
    );
    assert_eq!(
        as_session(env, array![callback], T0), Outcome::Reverted('session/renew-not-self-call'),
    );
    assert_eq!(views(env).get_revocation_epoch(), 0);
}

#[test]
fn validate_counts_the_calls_and_the_fee_but_not_the_spending() {
    // What validate records survives a revert in execute (§4.3f, §4.7);
    // spending is recorded by execute, with the calls.
    let env = setup_with_session();
    let tx = session_tx(array![transfer(env.token, 50), play(env.target)], T0);
    assert_eq!(crate::fixtures::account::validate(env.account, @tx), Outcome::Accepted);
    let status = views(env).get_session(session_key());
    assert_eq!((status.calls_used, status.calls_remaining), (2, 8));
    assert_eq!(status.fee_used, crate::fixtures::account::DEFAULT_MAX_FEE);
    assert_eq!(
        status.fee_remaining,
        crate::fixtures::account::FEE_BUDGET - crate::fixtures::account::DEFAULT_MAX_FEE,
    );
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 0);
}

#[test]
fn a_reverted_call_records_no_spending_but_counts() {
    let env = setup();
    let mut p = crate::fixtures::account::policy(env);
    p
        .spending_limits =
            array![
                session_account::policy::SpendingLimit {
                    token: env.token, limit: 5000, period: 0, period_limit: 0,
                },
            ];
    crate::fixtures::account::register(env, p, T0);
    assert_eq!(
        as_session(env, array![transfer(env.token, 2000)], T0),
        Outcome::Reverted('token/insufficient-balance'),
    );
    assert_eq!(views(env).get_session(session_key()).calls_used, 1);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 0);
}
