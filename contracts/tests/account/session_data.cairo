//! The draft session SNIP's read path (§8.1): `get_session_data` tells a
//! client written for that draft whether a session is usable, until when,
//! and how many calls and entrypoints it has.

use session_account::interface::{
    ISessionKeyDataDispatcher, ISessionKeyDataDispatcherTrait, SessionData,
};
use crate::fixtures::account::{
    Env, HOUR, Outcome, T0, as_owner, as_session, play, self_call, session_key, setup_with_session,
    transfer,
};

fn data(env: Env, key: felt252) -> SessionData {
    ISessionKeyDataDispatcher { contract_address: env.account }.get_session_data(key)
}

fn nothing() -> SessionData {
    SessionData { valid_until: 0, max_calls: 0, calls_used: 0, allowed_entrypoints_len: 0 }
}

/// The sample policy: valid until T0 + 2 h (exclusive), 10 calls, `play`
/// listed on the target (the token: any entrypoint).
#[test]
fn a_registered_session_reads_as_the_draft_expects() {
    let env = setup_with_session();
    let expected = SessionData {
        valid_until: T0 + 2 * HOUR - 1, max_calls: 10, calls_used: 0, allowed_entrypoints_len: 1,
    };
    assert_eq!(data(env, session_key()), expected);
    let calls = array![transfer(env.token, 1), play(env.target)];
    assert_eq!(as_session(env, calls, T0), Outcome::Accepted);
    assert_eq!(data(env, session_key()).calls_used, 2);
}

#[test]
fn unknown_revoked_and_epoch_revoked_sessions_read_all_zero() {
    let env = setup_with_session();
    assert_eq!(data(env, 0x404), nothing());
    let revoke_all = self_call(env, selector!("revoke_all_sessions"), array![]);
    assert_eq!(as_owner(env, array![revoke_all], T0), Outcome::Accepted);
    assert_eq!(data(env, session_key()), nothing());

    let env = setup_with_session();
    let revoke = self_call(env, selector!("revoke_session"), array![session_key()]);
    assert_eq!(as_owner(env, array![revoke], T0), Outcome::Accepted);
    assert_eq!(data(env, session_key()), nothing());
}
