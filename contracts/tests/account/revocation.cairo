//! Revocation (§6, §4.6): the owner revokes one session or all of them;
//! a session revokes only itself.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::calls::Errors as CallsErrors;
use session_account::sessions::SessionsComponent;
use session_account::sessions::component::SessionsComponent::Errors;
use snforge_std::{EventSpyAssertionsTrait, spy_events};
use crate::fixtures::account::{
    HOUR, OTHER_SECRET, Outcome, T0, as_owner, as_session, authorize, authorized_tx_by, other_key,
    play, policy, register, self_call, session_key, session_tx_by, setup, setup_with_session,
    submit, views,
};

#[test]
fn the_owner_revokes_a_session() {
    let env = setup_with_session();
    let mut spy = spy_events();
    assert_eq!(
        as_owner(
            env, array![self_call(env, selector!("revoke_session"), array![session_key()])], T0,
        ),
        Outcome::Accepted,
    );
    let status = views(env).get_session(session_key());
    assert!(status.revoked && !status.active && status.registered);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionRevoked(
                        SessionsComponent::SessionRevoked {
                            session_key: session_key(),
                            revoked_by: SessionsComponent::Revoker::Owner,
                        },
                    ),
                ),
            ],
        );
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::REVOKED));
}

#[test]
fn revoking_a_revoked_session_fails() {
    let env = setup_with_session();
    let revoke = |key: felt252| self_call(env, selector!("revoke_session"), array![key]);
    as_owner(env, array![revoke(session_key())], T0);
    assert_eq!(
        as_owner(env, array![revoke(session_key())], T0), Outcome::Reverted(Errors::REVOKED),
    );
}

#[test]
fn a_session_revokes_itself() {
    let env = setup_with_session();
    let revoke = self_call(env, selector!("revoke_session"), array![session_key()]);
    let mut spy = spy_events();
    assert_eq!(as_session(env, array![revoke], T0 + 5), Outcome::Accepted);
    assert!(views(env).get_session(session_key()).revoked);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionRevoked(
                        SessionsComponent::SessionRevoked {
                            session_key: session_key(),
                            revoked_by: SessionsComponent::Revoker::Session,
                        },
                    ),
                ),
            ],
        );
    assert_eq!(
        as_session(env, array![play(env.target)], T0 + 6), Outcome::Rejected(Errors::REVOKED),
    );
}

#[test]
fn a_session_cannot_revoke_another() {
    let env = setup_with_session();
    let mut p = policy(env);
    p.session_key = other_key();
    register(env, p, T0);
    let revoke_other = self_call(env, selector!("revoke_session"), array![other_key()]);
    assert_eq!(
        as_session(env, array![revoke_other], T0), Outcome::Rejected(CallsErrors::SELF_CALL),
    );
    // Executed without validate, the entrypoint's own check refuses it.
    let tx = crate::fixtures::account::session_tx(
        array![self_call(env, selector!("revoke_session"), array![other_key()])], T0,
    );
    assert_eq!(
        crate::fixtures::account::execute(env.account, @tx),
        Outcome::Reverted(CallsErrors::SELF_CALL),
    );
    assert!(!views(env).get_session(other_key()).revoked);
}

#[test]
fn revoke_all_ends_every_session_at_once() {
    let env = setup_with_session();
    let mut p = policy(env);
    p.session_key = other_key();
    register(env, p, T0);
    let mut spy = spy_events();
    assert_eq!(
        as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0),
        Outcome::Accepted,
    );
    assert_eq!(views(env).get_revocation_epoch(), 1);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::AllSessionsRevoked(
                        SessionsComponent::AllSessionsRevoked { epoch: 1 },
                    ),
                ),
            ],
        );
    assert_eq!(
        as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::EPOCH_REVOKED),
    );
    assert_eq!(
        submit(env.account, @session_tx_by(OTHER_SECRET, array![play(env.target)], T0)),
        Outcome::Rejected(Errors::EPOCH_REVOKED),
    );
    let status = views(env).get_session(session_key());
    assert!(!status.epoch_valid && !status.active && !status.revoked);
}

#[test]
fn sessions_registered_after_revoke_all_work() {
    let env = setup();
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    register(env, policy(env), T0);
    assert_eq!(views(env).get_revocation_epoch(), 2);
    assert!(views(env).get_session(session_key()).epoch_valid);
    assert_eq!(as_session(env, array![play(env.target)], T0 + HOUR), Outcome::Accepted);
}

#[test]
fn a_key_revoked_by_revoke_all_cannot_be_registered_again() {
    let env = setup_with_session();
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    let mut calldata = array![];
    policy(env).serialize(ref calldata);
    assert_eq!(
        as_owner(env, array![self_call(env, selector!("register_session"), calldata)], T0),
        Outcome::Reverted(Errors::ALREADY_REGISTERED),
    );
}

/// §6, §3.2: the owner revokes a key that was never registered (a leaked,
/// unused authorization); no authorization, nor the owner, can register it
/// afterwards, and other sessions are untouched.
#[test]
fn the_owner_revokes_a_key_never_registered() {
    let env = setup_with_session();
    let mut other = policy(env);
    other.session_key = other_key();
    let authorization = authorize(env.account, other.clone(), 0);
    let revoke = self_call(env, selector!("revoke_session"), array![other_key()]);
    assert_eq!(as_owner(env, array![revoke], T0), Outcome::Accepted);
    let status = views(env).get_session(other_key());
    assert!(status.revoked && !status.registered && !status.active);
    // The leaked authorization no longer registers the key.
    let tx = authorized_tx_by(OTHER_SECRET, array![play(env.target)], T0 + 1, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(Errors::REVOKED));
    // Nor can the owner register it.
    let mut calldata = array![];
    other.serialize(ref calldata);
    let register_call = self_call(env, selector!("register_session"), calldata);
    assert_eq!(as_owner(env, array![register_call], T0 + 2), Outcome::Reverted(Errors::REVOKED));
    // Revoking it again fails; the other session still works.
    let revoke = self_call(env, selector!("revoke_session"), array![other_key()]);
    assert_eq!(as_owner(env, array![revoke], T0 + 3), Outcome::Reverted(Errors::REVOKED));
    assert_eq!(as_session(env, array![play(env.target)], T0 + 4), Outcome::Accepted);
}

/// Without an authorization, a transaction of a key revoked before it was
/// registered is simply not registered.
#[test]
fn a_key_revoked_unregistered_is_still_not_registered_for_its_transactions() {
    let env = setup_with_session();
    let revoke = self_call(env, selector!("revoke_session"), array![other_key()]);
    assert_eq!(as_owner(env, array![revoke], T0), Outcome::Accepted);
    assert_eq!(
        submit(env.account, @session_tx_by(OTHER_SECRET, array![play(env.target)], T0 + 1)),
        Outcome::Rejected(Errors::NOT_REGISTERED),
    );
}
