//! Call caps (§4.3e, §4.3f): per transaction and over the session's life.

use session_account::interface::ISessionViewsDispatcherTrait;
use session_account::policy::calls::Errors;
use crate::fixtures::account::{
    HOUR, Outcome, T0, as_session, play, self_call, session_key, setup_with_session, views,
};
use crate::fixtures::mocks::call;

#[test]
fn at_most_max_calls_per_tx_in_one_transaction() {
    let env = setup_with_session(); // 3 per transaction
    let three = array![play(env.target), play(env.target), play(env.target)];
    assert_eq!(as_session(env, three, T0), Outcome::Accepted);
    let four = array![play(env.target), play(env.target), play(env.target), play(env.target)];
    assert_eq!(as_session(env, four, T0), Outcome::Rejected(Errors::TOO_MANY_CALLS));
    assert_eq!(views(env).get_session(session_key()).calls_used, 3);
}

#[test]
fn at_most_max_calls_over_the_sessions_life() {
    let env = setup_with_session(); // 10 in all
    let mut i: u32 = 0;
    while i < 3 {
        assert_eq!(
            as_session(env, array![play(env.target), play(env.target), play(env.target)], T0),
            Outcome::Accepted,
        );
        i += 1;
    }
    assert_eq!(
        as_session(env, array![play(env.target), play(env.target)], T0),
        Outcome::Rejected(Errors::CALL_LIMIT),
    );
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
    assert_eq!(
        as_session(env, array![play(env.target)], T0), Outcome::Rejected(Errors::CALL_LIMIT),
    );
    let status = views(env).get_session(session_key());
    assert_eq!((status.calls_used, status.calls_remaining), (10, 0));
    assert!(!status.active);
}

#[test]
fn a_lifecycle_call_counts_as_one() {
    let env = setup_with_session();
    let mut i: u32 = 0;
    while i < 9 {
        as_session(env, array![play(env.target)], T0);
        i += 1;
    }
    let renew = self_call(env, selector!("renew_session"), array![]);
    assert_eq!(as_session(env, array![renew], T0 + 2 * HOUR + 10), Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).calls_used, 10);
    // Out of calls, the session can do nothing more, not even revoke itself;
    // the owner can.
    let revoke = self_call(env, selector!("revoke_session"), array![session_key()]);
    assert_eq!(
        as_session(env, array![revoke], T0 + 2 * HOUR + 20), Outcome::Rejected(Errors::CALL_LIMIT),
    );
    assert_eq!(
        crate::fixtures::account::as_owner(env, array![revoke], T0 + 2 * HOUR + 20),
        Outcome::Accepted,
    );
}

/// Calls are counted in validate: two transactions validated one after the
/// other cannot both take the last call, and a transaction that reverts in
/// execute keeps its calls counted.
#[test]
fn calls_are_counted_in_validate() {
    let env = setup_with_session();
    let mut i: u32 = 0;
    while i < 9 {
        as_session(env, array![play(env.target)], T0);
        i += 1;
    }
    let first = crate::fixtures::account::session_tx(
        array![call(env.target, selector!("play"), array![])], T0,
    );
    let second = crate::fixtures::account::session_tx(array![play(env.target)], T0);
    // `play()` without its argument: validate accepts it, execute reverts.
    assert_eq!(crate::fixtures::account::validate(env.account, @first), Outcome::Accepted);
    assert_eq!(
        crate::fixtures::account::validate(env.account, @second),
        Outcome::Rejected(Errors::CALL_LIMIT),
    );
    assert!(crate::fixtures::account::execute(env.account, @first) != Outcome::Accepted);
    assert_eq!(views(env).get_session(session_key()).calls_remaining, 0);
}
