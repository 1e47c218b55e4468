//! §4.5: a session transaction leaves empty, or at L1, what the account
//! does not read (paymaster data, account deployment data, the nonce and
//! fee data-availability modes), so its guarantees do not depend on what a
//! sequencer accepts there.

use session_account::policy::fees::Errors;
use snforge_std::{
    start_cheat_account_deployment_data, start_cheat_fee_data_availability_mode,
    start_cheat_nonce_data_availability_mode, start_cheat_paymaster_data,
    stop_cheat_account_deployment_data, stop_cheat_fee_data_availability_mode,
    stop_cheat_nonce_data_availability_mode, stop_cheat_paymaster_data,
};
use crate::fixtures::account::{Outcome, T0, as_owner, as_session, play, setup_with_session};

#[test]
fn paymaster_data_is_refused() {
    let env = setup_with_session();
    start_cheat_paymaster_data(env.account, array![1].span());
    assert_eq!(
        as_session(env, array![play(env.target)], T0),
        Outcome::Rejected(Errors::UNSUPPORTED_TX_FIELD),
    );
    // The owner's transactions are the owner's business.
    assert_eq!(as_owner(env, array![play(env.target)], T0), Outcome::Accepted);
    stop_cheat_paymaster_data(env.account);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
}

#[test]
fn account_deployment_data_is_refused() {
    let env = setup_with_session();
    start_cheat_account_deployment_data(env.account, array![1, 2].span());
    assert_eq!(
        as_session(env, array![play(env.target)], T0),
        Outcome::Rejected(Errors::UNSUPPORTED_TX_FIELD),
    );
    stop_cheat_account_deployment_data(env.account);
}

#[test]
fn data_availability_modes_other_than_l1_are_refused() {
    let env = setup_with_session();
    start_cheat_nonce_data_availability_mode(env.account, 1);
    assert_eq!(
        as_session(env, array![play(env.target)], T0),
        Outcome::Rejected(Errors::UNSUPPORTED_TX_FIELD),
    );
    stop_cheat_nonce_data_availability_mode(env.account);
    start_cheat_fee_data_availability_mode(env.account, 1);
    assert_eq!(
        as_session(env, array![play(env.target)], T0),
        Outcome::Rejected(Errors::UNSUPPORTED_TX_FIELD),
    );
    stop_cheat_fee_data_availability_mode(env.account);
    assert_eq!(as_session(env, array![play(env.target)], T0), Outcome::Accepted);
}
