//! Registration (§3): by an owner transaction, and by an owner-signed
//! authorization carried in the session's first transaction.

use session_account::interface::{ISessionViewsDispatcherTrait, TokenSpending};
use session_account::policy::calls::Errors as CallsErrors;
use session_account::policy::{AllowedContract, Errors as PolicyErrors, SpendingLimit};
use session_account::sessions::SessionsComponent;
use session_account::sessions::authorization::{Binding, session_hash};
use session_account::sessions::component::SessionsComponent::Errors;
use snforge_std::{EventSpyAssertionsTrait, spy_events};
use crate::fixtures::account::{
    CHAIN, HOUR, OTHER_SECRET, Outcome, T0, as_owner, as_session, authorize, authorized_tx, balance,
    binding, policy, register, self_call, session_key, setup, sign, submit, transfer, views,
};

fn register_call(
    env: crate::fixtures::account::Env, policy: session_account::policy::SessionPolicy,
) -> starknet::account::Call {
    let mut calldata = array![];
    policy.serialize(ref calldata);
    self_call(env, selector!("register_session"), calldata)
}

#[test]
fn registration_stores_the_policy() {
    let env = setup();
    let mut spy = spy_events();
    register(env, policy(env), T0);
    snforge_std::start_cheat_block_timestamp(env.account, T0 + 1);
    let status = views(env).get_session(session_key());
    assert!(status.registered && !status.revoked && status.epoch_valid && status.active);
    assert_eq!((status.valid_after, status.valid_until), (T0, T0 + 2 * HOUR));
    assert!(status.renewable);
    assert_eq!(status.grace_deadline, (T0 + 3 * HOUR).into());
    assert_eq!(status.max_valid_until, T0 + 10 * HOUR);
    assert_eq!((status.calls_used, status.calls_remaining, status.max_calls_per_tx), (0, 10, 3));
    assert_eq!(status.max_fee_per_tx, 1_000_000_000_000);
    assert_eq!(views(env).get_allowed_calls(session_key()), policy(env).allowed_calls);
    assert_eq!(
        views(env).get_spending(session_key()),
        array![
            TokenSpending {
                token: env.token,
                limit: 100,
                spent: 0,
                period: 0,
                period_limit: 0,
                window_spent: 0,
                window_resets_at: 0,
            },
        ],
    );
    // The one-call view holds the same.
    let details = views(env).get_session_details(session_key());
    assert_eq!(details.status, status);
    assert_eq!(details.allowed_calls, policy(env).allowed_calls);
    assert_eq!(details.spending, views(env).get_spending(session_key()));
    let hash = session_hash(@policy(env), binding(env.account, 0));
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionRegistered(
                        SessionsComponent::SessionRegistered {
                            session_key: session_key(),
                            session_hash: hash,
                            valid_after: T0,
                            valid_until: T0 + 2 * HOUR,
                        },
                    ),
                ),
            ],
        );
}

#[test]
fn unknown_sessions_read_as_unregistered() {
    let env = setup();
    let status = views(env).get_session(0x999);
    assert!(!status.registered && !status.active && !status.epoch_valid);
    assert_eq!(views(env).get_allowed_calls(0x999).len(), 0);
    assert_eq!(views(env).get_spending(0x999).len(), 0);
    let details = views(env).get_session_details(0x999);
    assert_eq!(details.status, status);
    assert_eq!((details.allowed_calls.len(), details.spending.len()), (0, 0));
}

#[test]
fn a_key_is_registered_at_most_once_ever() {
    let env = setup();
    register(env, policy(env), T0);
    assert_eq!(
        as_owner(env, array![register_call(env, policy(env))], T0),
        Outcome::Reverted(Errors::ALREADY_REGISTERED),
    );
    as_owner(env, array![self_call(env, selector!("revoke_session"), array![session_key()])], T0);
    assert_eq!(
        as_owner(env, array![register_call(env, policy(env))], T0),
        Outcome::Reverted(Errors::ALREADY_REGISTERED),
    );
}

#[test]
fn ill_formed_policies_are_refused_at_registration() {
    let env = setup();
    let mut p = policy(env);
    p.session_key = 0;
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0),
        Outcome::Reverted(PolicyErrors::INVALID_KEY),
    );
    let mut p = policy(env);
    p.valid_until = p.valid_after;
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0),
        Outcome::Reverted(PolicyErrors::INVALID_WINDOW),
    );
    let mut p = policy(env);
    p.renewal.max_valid_until = p.valid_until - 1;
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0),
        Outcome::Reverted(PolicyErrors::INVALID_RENEWAL),
    );
    let mut p = policy(env);
    p.max_calls = 0;
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0),
        Outcome::Reverted(PolicyErrors::INVALID_CALL_CAPS),
    );
    let mut p = policy(env);
    p.allowed_calls.append(AllowedContract { contract: env.account, entrypoints: array![] });
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0), Outcome::Reverted(CallsErrors::SELF_CALL),
    );
    let mut p = policy(env);
    p
        .spending_limits
        .append(SpendingLimit { token: env.token, limit: 1, period: 0, period_limit: 0 });
    assert_eq!(
        as_owner(env, array![register_call(env, p)], T0),
        Outcome::Reverted(PolicyErrors::DUPLICATE_ENTRY),
    );
    assert!(!views(env).get_session(session_key()).registered);
}

#[test]
fn session_hash_view_is_what_the_owner_signs() {
    let env = setup();
    snforge_std::start_cheat_chain_id(env.account, CHAIN);
    assert_eq!(
        views(env).session_hash(policy(env)), session_hash(@policy(env), binding(env.account, 0)),
    );
}

#[test]
fn an_authorization_registers_the_session_with_its_first_transaction() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    let mut spy = spy_events();
    let tx = authorized_tx(array![transfer(env.token, 5)], T0 + 10, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
    assert!(views(env).get_session(session_key()).registered);
    assert_eq!(balance(env.token, env.account), 995);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 5);
    let hash = session_hash(@policy(env), binding(env.account, 0));
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    SessionsComponent::Event::SessionRegistered(
                        SessionsComponent::SessionRegistered {
                            session_key: session_key(),
                            session_hash: hash,
                            valid_after: T0,
                            valid_until: T0 + 2 * HOUR,
                        },
                    ),
                ),
            ],
        );
    // Later transactions need no authorization.
    assert_eq!(as_session(env, array![transfer(env.token, 5)], T0 + 20), Outcome::Accepted);
}

#[test]
fn a_redundant_authorization_is_accepted_and_ignored() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    submit(env.account, @authorized_tx(array![transfer(env.token, 5)], T0 + 10, @authorization));
    let tx = authorized_tx(array![transfer(env.token, 5)], T0 + 20, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Accepted);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 10);
}

#[test]
fn an_authorization_for_a_registered_key_with_another_policy_is_refused() {
    let env = setup();
    register(env, policy(env), T0);
    let mut other = policy(env);
    other.max_calls = 99;
    let authorization = authorize(env.account, other, 0);
    assert_eq!(
        submit(
            env.account, @authorized_tx(array![transfer(env.token, 5)], T0 + 10, @authorization),
        ),
        Outcome::Rejected(Errors::ALREADY_REGISTERED),
    );
}

/// The owner's signature covers the account, the chain, the epoch and
/// every policy field: anything else fails to verify.
#[test]
fn authorizations_are_bound_to_account_chain_epoch_and_policy() {
    let env = setup();
    let calls = array![transfer(env.token, 5)];
    let refused = Outcome::Rejected(Errors::INVALID_AUTHORIZATION);
    // Another account.
    let other = authorize(0xacd.try_into().unwrap(), policy(env), 0);
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @other)), refused);
    // Another chain.
    let (owner_r, owner_s) = sign(
        crate::fixtures::account::OWNER_SECRET,
        session_hash(@policy(env), Binding { chain_id: 'SN_MAIN', ..binding(env.account, 0) }),
    );
    let chain = session_account::signature::Authorization {
        policy: policy(env), owner_signature: crate::fixtures::account::stark(owner_r, owner_s),
    };
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @chain)), refused);
    // Another epoch.
    let epoch = authorize(env.account, policy(env), 1);
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @epoch)), refused);
    // Another signer.
    let (owner_r, owner_s) = sign(
        OTHER_SECRET, session_hash(@policy(env), binding(env.account, 0)),
    );
    let signer = session_account::signature::Authorization {
        policy: policy(env), owner_signature: crate::fixtures::account::stark(owner_r, owner_s),
    };
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @signer)), refused);
    // A policy changed after signing.
    let mut tampered = authorize(env.account, policy(env), 0);
    tampered
        .policy
        .spending_limits =
            array![SpendingLimit { token: env.token, limit: 1000, period: 0, period_limit: 0 }];
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @tampered)), refused);
    let mut tampered = authorize(env.account, policy(env), 0);
    tampered.policy.valid_until += 1;
    assert_eq!(submit(env.account, @authorized_tx(calls.clone(), T0, @tampered)), refused);
    assert!(!views(env).get_session(session_key()).registered);
}

#[test]
fn an_authorization_for_another_key_is_refused() {
    let env = setup();
    let mut p = policy(env);
    p.session_key = crate::fixtures::account::other_key();
    let authorization = authorize(env.account, p, 0);
    assert_eq!(
        submit(env.account, @authorized_tx(array![transfer(env.token, 5)], T0, @authorization)),
        Outcome::Rejected(Errors::INVALID_AUTHORIZATION),
    );
}

#[test]
fn an_authorization_is_void_after_revoke_all() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    as_owner(env, array![self_call(env, selector!("revoke_all_sessions"), array![])], T0);
    assert_eq!(
        submit(env.account, @authorized_tx(array![transfer(env.token, 5)], T0, @authorization)),
        Outcome::Rejected(Errors::INVALID_AUTHORIZATION),
    );
}

#[test]
fn an_authorized_ill_formed_policy_is_refused() {
    let env = setup();
    let mut p = policy(env);
    p.max_calls_per_tx = 0;
    let authorization = authorize(env.account, p, 0);
    assert_eq!(
        submit(env.account, @authorized_tx(array![transfer(env.token, 5)], T0, @authorization)),
        Outcome::Rejected(PolicyErrors::INVALID_CALL_CAPS),
    );
}

/// The carried policy is the one validate applies before anything is
/// stored: a call it does not grant is refused.
#[test]
fn the_carried_policy_governs_the_first_transaction() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    let tx = authorized_tx(array![transfer(env.other_token, 5)], T0, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(CallsErrors::CONTRACT_NOT_ALLOWED));
    let tx = authorized_tx(array![transfer(env.token, 101)], T0, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected('session/spending-limit'));
    let tx = authorized_tx(array![transfer(env.token, 5)], T0 + 3 * HOUR, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Rejected('session/expired'));
}

/// Registration and calls are one: when the calls revert, so does the
/// registration.
#[test]
fn a_first_transaction_that_reverts_still_registers_and_counts() {
    // Registration happens in validate, whose writes survive a revert in
    // execute: a leaked authorization cannot be replayed to burn fees
    // unrecorded (§3.2, §4.7).
    let env = setup();
    // Within the limit, beyond the balance: the token reverts.
    let mut p = policy(env);
    p
        .spending_limits =
            array![SpendingLimit { token: env.token, limit: 5000, period: 0, period_limit: 0 }];
    let authorization = authorize(env.account, p, 0);
    let tx = authorized_tx(array![transfer(env.token, 2000)], T0, @authorization);
    assert_eq!(submit(env.account, @tx), Outcome::Reverted('token/insufficient-balance'));
    let status = views(env).get_session(session_key());
    assert!(status.registered);
    assert_eq!(status.calls_used, 1);
    assert_eq!(status.fee_used, crate::fixtures::account::DEFAULT_MAX_FEE);
    assert_eq!(*views(env).get_spending(session_key())[0].spent, 0);
    // The same authorization again is now redundant, and counts again.
    assert_eq!(submit(env.account, @tx), Outcome::Reverted('token/insufficient-balance'));
    assert_eq!(views(env).get_session(session_key()).calls_used, 2);
}
