//! Renewal (§5): a renewable session whose `valid_until` passed renews
//! itself within its grace period, by one period, up to `max_valid_until`.

use session_account::interface::{
    ISessionAccountSafeDispatcher, ISessionAccountSafeDispatcherTrait, ISessionViewsDispatcherTrait,
};
use session_account::policy::RenewalPolicy;
use session_account::policy::window::Errors;
use session_account::sessions::SessionsComponent;
use session_account::sessions::component::SessionsComponent::Errors as SessionErrors;
use snforge_std::{EventSpyAssertionsTrait, spy_events};
use crate::fixtures::account::{
    Env, HOUR, Outcome, T0, as_owner, as_session, play, policy, register, self_call, session_key,
    setup, setup_with_session, transfer, views,
};

// The sample session: valid [T0, T0 + 2 h), grace 1 h, bound T0 + 10 h.

fn renew(env: Env, time: u64) -> Outcome {
    as_session(env, array![self_call(env, selector!("renew_session"), array![])], time)
}

#[test]
fn renewal_inside_grace_extends_by_one_period_from_now() {
    let env = setup_with_session();
    let mut spy = spy_events();
    let now = T0 + 2 * HOUR + 100;
    assert_eq!(renew(env, now), Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).valid_until, now + 2 * HOUR);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionRenewed(
                        SessionsComponent::SessionRenewed {
                            session_key: session_key(), valid_until: now + 2 * HOUR,
                        },
                    ),
                ),
            ],
        );
    assert_eq!(as_session(env, array![play(env.target)], now + 10), Outcome::Accepted);
}

#[test]
fn usage_carries_over_a_renewal() {
    let env = setup_with_session();
    as_session(env, array![transfer(env.token, 60)], T0);
    renew(env, T0 + 2 * HOUR);
    let status = views(env).get_session(session_key());
    // The transfer, and the renewal (a lifecycle call counts as one).
    assert_eq!(status.calls_used, 2);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 60);
    assert_eq!(
        as_session(env, array![transfer(env.token, 41)], T0 + 2 * HOUR + 1),
        Outcome::Rejected('session/spending-limit'),
    );
}

#[test]
fn renewal_certainly_before_expiry_is_refused_in_validate() {
    // The fee-burn hole: a renewal that would certainly revert must not
    // reach execute, where it costs the account a fee.
    let env = setup_with_session();
    assert_eq!(renew(env, T0 + HOUR), Outcome::Rejected(Errors::NOT_EXPIRED));
    assert_eq!(renew(env, T0), Outcome::Rejected(Errors::NOT_EXPIRED));
    let status = views(env).get_session(session_key());
    assert_eq!((status.valid_until, status.calls_used, status.fee_used), (T0 + 2 * HOUR, 0, 0));
}

#[test]
fn renewal_in_the_hour_of_expiry_but_before_it_reverts_in_execute() {
    let env = setup();
    let mut p = policy(env);
    p.valid_until = T0 + HOUR + 1800;
    register(env, p, T0);
    // Validate sees T0 + 1 h, which may be after valid_until: not certain.
    assert_eq!(renew(env, T0 + HOUR + 1799), Outcome::Reverted(Errors::NOT_EXPIRED));
    assert_eq!(views(env).get_session(session_key()).calls_used, 1);
    assert_eq!(renew(env, T0 + HOUR + 1800), Outcome::Accepted);
}

#[test]
fn renewal_after_grace_is_refused() {
    let env = setup_with_session();
    // Grace ends at T0 + 3 h: certainly late in the hour that starts there.
    assert_eq!(renew(env, T0 + 3 * HOUR), Outcome::Rejected(Errors::EXPIRED));
}

#[test]
fn lateness_inside_the_rounded_hour_is_caught_in_execute() {
    let env = setup();
    let mut p = policy(env);
    p
        .renewal =
            RenewalPolicy { grace_period: 1800, max_valid_until: T0 + 10 * HOUR, period: 2 * HOUR };
    register(env, p, T0);
    // Grace ends at T0 + 2 h 30 min.
    assert_eq!(renew(env, T0 + 2 * HOUR + 1800), Outcome::Reverted(Errors::EXPIRED));
    assert_eq!(renew(env, T0 + 2 * HOUR + 1799), Outcome::Accepted);
}

#[test]
fn a_session_that_is_not_renewable_cannot_renew() {
    let env = setup();
    let mut p = policy(env);
    p.renewal = RenewalPolicy { grace_period: 0, max_valid_until: 0, period: 0 };
    register(env, p, T0);
    assert_eq!(renew(env, T0 + 2 * HOUR + 1), Outcome::Rejected(Errors::NOT_RENEWABLE));
    let status = views(env).get_session(session_key());
    assert!(!status.renewable);
    assert_eq!((status.grace_deadline, status.max_valid_until), (0, 0));
}

#[test]
fn renewal_stops_at_max_valid_until() {
    let env = setup();
    let mut p = policy(env);
    p
        .renewal =
            RenewalPolicy {
                grace_period: HOUR, max_valid_until: T0 + 2 * HOUR + 1800, period: 2 * HOUR,
            };
    register(env, p, T0);
    assert_eq!(renew(env, T0 + 2 * HOUR), Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).valid_until, T0 + 2 * HOUR + 1800);
    // Expired again, nothing left to extend into.
    assert_eq!(renew(env, T0 + 2 * HOUR + 1800), Outcome::Reverted(Errors::RENEWAL_LIMIT));
}

#[test]
fn a_revoked_session_never_renews() {
    let env = setup_with_session();
    as_owner(env, array![self_call(env, selector!("revoke_session"), array![session_key()])], T0);
    assert_eq!(renew(env, T0 + 2 * HOUR + 1), Outcome::Rejected(SessionErrors::REVOKED));
}

/// The hole seen elsewhere: renewal ignoring the revocation epoch.
#[test]
fn renewal_after_revoke_all_is_refused() {
    let env = setup_with_session();
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    assert_eq!(renew(env, T0 + 2 * HOUR + 1), Outcome::Rejected(SessionErrors::EPOCH_REVOKED));
}

#[test]
#[feature("safe_dispatcher")]
fn only_the_session_itself_renews() {
    let env = setup_with_session();
    // Called from outside.
    let error = ISessionAccountSafeDispatcher { contract_address: env.account }
        .renew_session()
        .unwrap_err();
    assert_eq!(*error[0], SessionErrors::RENEW_NOT_SELF_CALL);
    // Called by an owner transaction: no session is signing.
    let renew_call = self_call(env, selector!("renew_session"), array![]);
    assert_eq!(
        as_owner(env, array![renew_call], T0 + 2 * HOUR + 1),
        Outcome::Reverted(SessionErrors::RENEW_NOT_SESSION),
    );
    assert_eq!(views(env).get_session(session_key()).valid_until, T0 + 2 * HOUR);
}

/// One renewal extends by one period, even when `valid_after` is 0: it
/// cannot jump straight to `max_valid_until`.
#[test]
fn a_renewal_extends_by_one_period_whatever_valid_after() {
    let env = setup();
    let mut p = policy(env);
    p.valid_after = 0;
    p
        .renewal =
            RenewalPolicy { grace_period: HOUR, max_valid_until: T0 + 1000 * HOUR, period: HOUR };
    register(env, p, T0);
    assert_eq!(renew(env, T0 + 2 * HOUR + 5), Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).valid_until, T0 + 3 * HOUR + 5);
    assert_eq!(views(env).get_session(session_key()).renewal_period, HOUR);
}
