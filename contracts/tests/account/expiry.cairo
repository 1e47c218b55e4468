//! Where expiry is enforced, at contract level (§4.2): validate's lenient
//! hour-floored clock, execute's exact clock.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::window::Errors;
use crate::fixtures::account::{
    HOUR, Outcome, T0, as_session, play, policy, register, self_call, session_key, setup,
    setup_with_session, transfer, views,
};

// The sample session is valid over [T0, T0 + 2 h).

#[test]
fn usable_from_valid_after_to_the_last_second() {
    let env = setup_with_session();
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    assert_eq!(as_session(env, array![play(env.target)], T0 + 2 * HOUR - 1), Outcome::Accepted);
}

#[test]
fn expired_in_a_whole_earlier_hour_is_rejected_in_validate() {
    let env = setup_with_session();
    assert_eq!(
        as_session(env, array![play(env.target)], T0 + 2 * HOUR),
        Outcome::Rejected(Errors::EXPIRED),
    );
    assert_eq!(
        as_session(env, array![play(env.target)], T0 + 5 * HOUR + 17),
        Outcome::Rejected(Errors::EXPIRED),
    );
}

/// Expiry inside the rounded hour: validate sees the hour's floor, before
/// `valid_until`; execute sees the exact time and reverts. No call of the
/// session runs after `valid_until`.
#[test]
fn expiry_inside_the_rounded_hour_is_caught_in_execute() {
    let env = setup();
    let mut p = policy(env);
    p.valid_until = T0 + HOUR + 1800;
    register(env, p, T0);
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0 + HOUR + 1799), Outcome::Accepted,
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0 + HOUR + 1800),
        Outcome::Reverted(Errors::EXPIRED),
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0 + 2 * HOUR - 1),
        Outcome::Reverted(Errors::EXPIRED),
    );
    assert_eq!(
        as_session(env, array![transfer(env.token, 1)], T0 + 2 * HOUR),
        Outcome::Rejected(Errors::EXPIRED),
    );
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 1);
}

#[test]
fn not_yet_valid_in_a_later_hour_is_rejected_in_validate() {
    let env = setup();
    let mut p = policy(env);
    p.valid_after = T0 + HOUR;
    register(env, p, T0);
    assert_eq!(
        as_session(env, array![play(env.target)], T0 + 10),
        Outcome::Rejected(Errors::NOT_YET_VALID),
    );
}

#[test]
fn not_yet_valid_inside_the_rounded_hour_is_caught_in_execute() {
    let env = setup();
    let mut p = policy(env);
    p.valid_after = T0 + 1800;
    register(env, p, T0);
    assert_eq!(
        as_session(env, array![play(env.target)], T0 + 1799),
        Outcome::Reverted(Errors::NOT_YET_VALID),
    );
    assert_eq!(as_session(env, array![play(env.target)], T0 + 1800), Outcome::Accepted);
}

#[test]
fn self_revocation_follows_the_window() {
    let env = setup_with_session();
    let revoke = self_call(env, selector!("revoke_session"), array![session_key()]);
    assert_eq!(as_session(env, array![revoke], T0 + 2 * HOUR), Outcome::Rejected(Errors::EXPIRED));
    assert!(!views(env).get_session(session_key()).revoked);
}

#[test]
fn the_status_view_follows_the_exact_clock() {
    let env = setup_with_session();
    snforge_std::start_cheat_block_timestamp(env.account, T0 + 2 * HOUR - 1);
    assert!(views(env).get_session(session_key()).active);
    snforge_std::start_cheat_block_timestamp(env.account, T0 + 2 * HOUR);
    assert!(!views(env).get_session(session_key()).active);
    snforge_std::start_cheat_block_timestamp(env.account, T0 - 1);
    assert!(!views(env).get_session(session_key()).active);
}
