//! The owner (§6, §7.3): key rotation, upgrade, and owner-only entrypoints
//! reached any other way than by an owner-signed execution.

use core::poseidon::poseidon_hash_span;
use session_account::interface::{
    IOwnerDispatcher, IOwnerDispatcherTrait, IOwnerSafeDispatcher, IOwnerSafeDispatcherTrait,
    ISessionAccountSafeDispatcher, ISessionAccountSafeDispatcherTrait, ISessionViewsDispatcherTrait,
};
use session_account::owner::OwnerComponent::Errors as OwnerErrors;
use session_account::owner::{OwnerComponent, SET_OWNER_PREFIX};
use session_account::sessions::component::SessionsComponent::Errors as SessionErrors;
use session_account::signature::Errors as SignatureErrors;
use snforge_std::{DeclareResultTrait, EventSpyAssertionsTrait, declare, get_class_hash, spy_events};
use starknet::ContractAddress;
use crate::fixtures::account::{
    CHAIN, OTHER_SECRET, OWNER_SECRET, Outcome, SESSION_SECRET, T0, TX_HASH, as_owner, as_session,
    authorize, authorized_tx, other_key, owner_key, play, policy, raw_tx, self_call, setup,
    setup_with_session, sign, submit, transfer, views,
};
use crate::fixtures::mocks::call;

/// `set_owner(new_owner, r, s)` with `new_secret`'s proof of possession.
fn set_owner_call(
    account: ContractAddress, old_owner: felt252, new_secret: felt252,
) -> starknet::account::Call {
    let new_owner = crate::fixtures::account::public_key(new_secret);
    let proof = poseidon_hash_span(
        array![SET_OWNER_PREFIX, CHAIN, account.into(), old_owner, new_owner].span(),
    );
    let (r, s) = sign(new_secret, proof);
    call(account, selector!("set_owner"), array![new_owner, r, s])
}

#[test]
fn the_owner_rotates_its_key_with_a_proof() {
    let env = setup();
    let mut spy = spy_events();
    assert_eq!(
        as_owner(env, array![set_owner_call(env.account, owner_key(), OTHER_SECRET)], T0),
        Outcome::Accepted,
    );
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner(), other_key());
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    OwnerComponent::Event::OwnerChanged(
                        OwnerComponent::OwnerChanged {
                            old_owner: owner_key(), new_owner: other_key(),
                        },
                    ),
                ),
            ],
        );
}

#[test]
fn after_rotation_only_the_new_key_signs() {
    let env = setup();
    as_owner(env, array![set_owner_call(env.account, owner_key(), OTHER_SECRET)], T0);
    assert_eq!(
        as_owner(env, array![play(env.target)], T0),
        Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE),
    );
    let (r, s) = sign(OTHER_SECRET, TX_HASH);
    assert_eq!(
        submit(env.account, @raw_tx(array![play(env.target)], array![r, s], T0)), Outcome::Accepted,
    );
}

#[test]
fn rotation_needs_proof_of_the_new_key() {
    let env = setup();
    // Signed by the old owner instead of the new key.
    let new_owner = other_key();
    let proof = poseidon_hash_span(
        array![SET_OWNER_PREFIX, CHAIN, env.account.into(), owner_key(), new_owner].span(),
    );
    let (r, s) = sign(OWNER_SECRET, proof);
    let wrong_signer = call(env.account, selector!("set_owner"), array![new_owner, r, s]);
    assert_eq!(
        as_owner(env, array![wrong_signer], T0), Outcome::Reverted(OwnerErrors::INVALID_OWNER_KEY),
    );
    // A proof for another account.
    let other_account: ContractAddress = 0xacd.try_into().unwrap();
    let (r, s) = sign(
        OTHER_SECRET,
        poseidon_hash_span(
            array![SET_OWNER_PREFIX, CHAIN, other_account.into(), owner_key(), new_owner].span(),
        ),
    );
    let wrong_account = call(env.account, selector!("set_owner"), array![new_owner, r, s]);
    assert_eq!(
        as_owner(env, array![wrong_account], T0), Outcome::Reverted(OwnerErrors::INVALID_OWNER_KEY),
    );
    // The zero key.
    assert_eq!(
        as_owner(env, array![call(env.account, selector!("set_owner"), array![0, r, s])], T0),
        Outcome::Reverted(OwnerErrors::INVALID_OWNER_KEY),
    );
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner(), owner_key());
}

#[test]
fn rotation_keeps_existing_sessions() {
    let env = setup_with_session();
    as_owner(env, array![set_owner_call(env.account, owner_key(), OTHER_SECRET)], T0);
    assert_eq!(as_session(env, array![transfer(env.token, 1)], T0 + 10), Outcome::Accepted);
}

#[test]
fn rotation_invalidates_unused_authorizations_of_the_old_key() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    as_owner(env, array![set_owner_call(env.account, owner_key(), OTHER_SECRET)], T0);
    assert_eq!(
        submit(
            env.account, @authorized_tx(array![transfer(env.token, 1)], T0 + 10, @authorization),
        ),
        Outcome::Rejected(SessionErrors::INVALID_AUTHORIZATION),
    );
}

#[test]
fn the_owner_upgrades_the_class() {
    let env = setup();
    let new_class = *declare("MockTarget").unwrap().contract_class().class_hash;
    let mut spy = spy_events();
    assert_eq!(
        as_owner(
            env, array![call(env.account, selector!("upgrade"), array![new_class.into()])], T0,
        ),
        Outcome::Accepted,
    );
    assert_eq!(get_class_hash(env.account), new_class);
    spy
        .assert_emitted(
            @array![
                (
                    env.account,
                    OwnerComponent::Event::Upgraded(
                        OwnerComponent::Upgraded { class_hash: new_class },
                    ),
                ),
            ],
        );
}

#[test]
fn upgrading_to_class_hash_zero_is_refused() {
    let env = setup();
    assert_eq!(
        as_owner(env, array![call(env.account, selector!("upgrade"), array![0])], T0),
        Outcome::Reverted(OwnerErrors::INVALID_CLASS_HASH),
    );
}

/// Called from outside (the test contract is the caller), every owner-only
/// entrypoint refuses.
#[test]
#[feature("safe_dispatcher")]
fn owner_only_entrypoints_refuse_other_callers() {
    let env = setup_with_session();
    let owner = IOwnerSafeDispatcher { contract_address: env.account };
    let sessions = ISessionAccountSafeDispatcher { contract_address: env.account };
    assert_eq!(*owner.set_owner(other_key(), 1, 2).unwrap_err()[0], OwnerErrors::ONLY_OWNER);
    assert_eq!(*owner.upgrade(0x123.try_into().unwrap()).unwrap_err()[0], OwnerErrors::ONLY_OWNER);
    assert_eq!(*sessions.register_session(policy(env)).unwrap_err()[0], OwnerErrors::ONLY_OWNER);
    assert_eq!(*sessions.revoke_all_sessions().unwrap_err()[0], OwnerErrors::ONLY_OWNER);
    assert_eq!(
        *sessions.revoke_session(crate::fixtures::account::session_key()).unwrap_err()[0],
        OwnerErrors::ONLY_OWNER,
    );
}

/// An allowed contract that calls back into the account is not the
/// account: owner-only entrypoints refuse it, even inside an owner
/// transaction.
#[test]
fn owner_only_entrypoints_refuse_contracts_calling_back() {
    let env = setup_with_session();
    let callback = call(
        env.target,
        selector!("call_account"),
        array![env.account.into(), selector!("revoke_all_sessions"), 0],
    );
    assert_eq!(as_owner(env, array![callback], T0), Outcome::Reverted(OwnerErrors::ONLY_OWNER));
    assert_eq!(views(env).get_revocation_epoch(), 0);
}

/// A session transaction never reaches an owner-only entrypoint: validate
/// refuses the self-call (§4.3b) before the entrypoint's own guard.
#[test]
fn a_session_cannot_call_owner_only_entrypoints() {
    let env = setup_with_session();
    let calls = array![
        self_call(env, selector!("revoke_all_sessions"), array![]),
        self_call(env, selector!("upgrade"), array![0x123]),
        self_call(env, selector!("set_owner"), array![other_key(), 1, 2]),
    ];
    for c in calls {
        assert_eq!(
            as_session(env, array![c], T0), Outcome::Rejected('session/self-call-forbidden'),
        );
    }
    // Executed without validate (which the protocol never allows), the
    // entrypoints' own guard still refuses.
    let tx = crate::fixtures::account::session_tx(
        array![self_call(env, selector!("revoke_all_sessions"), array![])], T0,
    );
    assert_eq!(
        crate::fixtures::account::execute(env.account, @tx),
        Outcome::Reverted('session/self-call-forbidden'),
    );
}

#[test]
fn a_session_key_signing_as_owner_is_rejected() {
    let env = setup_with_session();
    let (r, s) = sign(SESSION_SECRET, TX_HASH);
    assert_eq!(
        submit(
            env.account,
            @raw_tx(
                array![self_call(env, selector!("revoke_all_sessions"), array![])],
                array![r, s],
                T0,
            ),
        ),
        Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE),
    );
}

/// A→B→A: an unused authorization signed by key A before the rotations is
/// void once the owner is A again: rotations are bound into what the owner
/// signs (§1.2).
#[test]
fn an_authorization_does_not_come_back_with_its_key() {
    let env = setup();
    let authorization = authorize(env.account, policy(env), 0);
    as_owner(env, array![set_owner_call(env.account, owner_key(), OTHER_SECRET)], T0);
    // Back to the first key, signed by the second.
    let back = set_owner_call(env.account, other_key(), OWNER_SECRET);
    let (r, s) = sign(OTHER_SECRET, TX_HASH);
    assert_eq!(submit(env.account, @raw_tx(array![back], array![r, s], T0)), Outcome::Accepted);
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner(), owner_key());
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner_rotations(), 2);
    assert_eq!(
        submit(
            env.account, @authorized_tx(array![transfer(env.token, 1)], T0 + 10, @authorization),
        ),
        Outcome::Rejected(SessionErrors::INVALID_AUTHORIZATION),
    );
    // What the owner signs now, with two rotations, works.
    let (owner_r, owner_s) = sign(
        OWNER_SECRET,
        session_account::sessions::authorization::session_hash(
            @policy(env),
            session_account::sessions::authorization::Binding {
                owner_rotations: 2, ..crate::fixtures::account::binding(env.account, 0),
            },
        ),
    );
    let fresh = session_account::signature::Authorization {
        policy: policy(env), owner_signature: crate::fixtures::account::stark(owner_r, owner_s),
    };
    assert_eq!(
        submit(env.account, @authorized_tx(array![transfer(env.token, 1)], T0 + 10, @fresh)),
        Outcome::Accepted,
    );
}
