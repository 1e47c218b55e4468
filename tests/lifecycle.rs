//! §5 Renewal, §6 revocation and revoke-all, §7.3 owner rotation, upgrade.

use session_account::account::owner::calls;
use session_account::account::OwnerOperations;
use session_account::contract::ContractError;
use session_account::devnet::STRK;
use session_account::policy::{RenewalPolicy, SessionPolicy};
use session_account::token::transfer_call;
use session_account::tx::{self, TxError};
use session_account_e2e::{send_without_estimate, World, HOUR, STRK_UNIT};
use starknet_rust::signers::SigningKey;

/// A renewable STRK session valid for [hour, hour + 2h), grace 1h, renewals
/// bounded by `max_valid_until`. Devnet is moved to `hour + 60`.
async fn renewable_session(world: &World, max_valid_until_offset: u64) -> (SigningKey, SessionPolicy, u64) {
    let hour = world.next_hour().await;
    world.set_time(hour + 60).await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.valid_after = hour;
    policy.valid_until = hour + 2 * HOUR;
    policy.renewal = RenewalPolicy { grace_period: HOUR, max_valid_until: hour + max_valid_until_offset, period: 2 * HOUR };
    world.register(&policy).await;
    (key, policy, hour)
}

async fn renew(world: &World, key: &SigningKey) -> Result<tx::Confirmed, TxError> {
    send_without_estimate(&world.session(key), vec![calls::renew_session(world.account.address)]).await
}

#[tokio::test]
async fn renewal_inside_grace_extends_and_keeps_tallies() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 10 * HOUR).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    // Expired, inside the grace hour.
    world.set_time(hour + 2 * HOUR + 600).await;
    let error = send_without_estimate(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    renew(&world, &key).await.unwrap();
    let status = world.views().status(policy.session_key).await.unwrap();
    // New expiry: now + one period (2h), from the renewal's block time.
    assert!(status.valid_until >= hour + 4 * HOUR + 600 && status.valid_until < hour + 4 * HOUR + 700, "{status:?}");
    assert_eq!(status.calls_used, 2, "tallies carry over, and the renewal counts one call");
    assert!(status.active);
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

#[tokio::test]
async fn attack_renew_beyond_the_owners_limit() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 2 * HOUR + 1800).await;
    world.set_time(hour + 2 * HOUR + 60).await;
    renew(&world, &key).await.unwrap();
    // Capped at the owner's bound, not now + 2h.
    assert_eq!(world.views().status(policy.session_key).await.unwrap().valid_until, hour + 2 * HOUR + 1800);
    // After that bound, renewal cannot extend any more.
    world.set_time(hour + 2 * HOUR + 1900).await;
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_reverted(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionRenewalLimit), "{error}");
}

#[tokio::test]
async fn renewal_is_refused_before_expiry_after_grace_and_when_not_renewable() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 10 * HOUR).await;
    // Certainly not expired in validate's hour: refused there, free. (With
    // valid_until on a whole hour, that holds until it expires; the fee
    // tests cover the hour that holds valid_until.)
    let nonce = world.nonce().await;
    world.set_time(hour + 2 * HOUR - 600).await;
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotExpired), "{error}");
    assert_eq!(world.nonce().await, nonce);
    assert_eq!(world.views().status(policy.session_key).await.unwrap().calls_used, 0);
    world.set_time(hour + 4 * HOUR + 10).await; // grace ended at hour + 3h
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    let plain = world.strk_session().await;
    let error = renew(&world, &plain).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotRenewable), "{error}");
}

#[tokio::test]
async fn attack_renew_after_revoke_all() {
    let world = World::new().await;
    let (key, _policy, hour) = renewable_session(&world, 10 * HOUR).await;
    world.set_time(hour + 2 * HOUR + 60).await; // in grace
    world.owner().revoke_all_sessions().await.unwrap();
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionEpochRevoked), "{error}");
}

#[tokio::test]
async fn attack_renew_after_revoke() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 10 * HOUR).await;
    world.owner().revoke_session(policy.session_key).await.unwrap();
    world.set_time(hour + 2 * HOUR + 60).await;
    let error = renew(&world, &key).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
}

#[tokio::test]
async fn a_session_can_revoke_itself() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    tx::execute(&world.session(&key), vec![calls::revoke_session(world.account.address, public)]).await.unwrap();
    let status = world.views().status(public).await.unwrap();
    assert!(status.revoked && !status.active);
    let error = send_without_estimate(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
}

#[tokio::test]
async fn revoke_all_ends_every_session_at_once() {
    let world = World::new().await;
    let first = world.strk_session().await;
    let second = world.limited_strk_session(STRK_UNIT).await;
    world.owner().revoke_all_sessions().await.unwrap();
    assert_eq!(world.views().revocation_epoch().await.unwrap(), 1);
    for key in [&first, &second] {
        let status = world.views().status(key.verifying_key().scalar()).await.unwrap();
        assert!(!status.epoch_valid && !status.active);
        let error = send_without_estimate(&world.session(key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
        assert_eq!(error.contract_error(), Some(ContractError::SessionEpochRevoked), "{error}");
    }
    // Sessions registered afterwards work.
    let fresh = world.strk_session().await;
    tx::execute(&world.session(&fresh), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

#[tokio::test]
async fn owner_rotation_keeps_sessions_and_retires_the_old_key() {
    let world = World::new().await;
    let session_key = world.strk_session().await;
    let pending = SigningKey::from_random();
    let pending_policy = world.policy(&pending, HOUR, &[STRK]).await;
    let old_key_authorization = world.authorize(&pending_policy, 0);
    let old_owner = world.account.owner_key.verifying_key().scalar();
    let new_key = SigningKey::from_random();
    world.owner().set_owner(old_owner, &new_key).await.unwrap();
    assert_eq!(world.views().owner().await.unwrap(), new_key.verifying_key().scalar());

    // The old key no longer signs for the account; the new one does.
    let error = send_without_estimate(&world.owner(), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidSignature), "{error}");
    let new_owner = session_account::account::owner::owner_account(
        world.sandbox.devnet.provider(),
        new_key,
        world.account.address,
        world.sandbox.chain_id,
    );
    tx::execute(&new_owner, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    // Registered sessions keep working.
    tx::execute(&world.session(&session_key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    // Unused authorizations signed by the old key are void.
    let error = send_without_estimate(
        &world.session(&pending).with_authorization(old_key_authorization),
        vec![transfer_call(STRK, world.recipient, 1)],
    )
    .await
    .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionInvalidAuthorization), "{error}");
}

#[tokio::test]
async fn owner_rotation_requires_proof_of_the_new_key() {
    let world = World::new().await;
    let old_owner = world.account.owner_key.verifying_key().scalar();
    let mut call = calls::set_owner(world.account.address, world.sandbox.chain_id, old_owner, &SigningKey::from_random()).unwrap();
    call.calldata[0] = SigningKey::from_random().verifying_key().scalar(); // a key the proof is not from
    let error = tx::execute(&world.owner(), vec![call]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidOwnerKey), "{error}");
    assert_eq!(world.views().owner().await.unwrap(), old_owner);
}

#[tokio::test]
async fn upgrade_is_owner_only() {
    let world = World::new().await;
    world.owner().upgrade(world.sandbox.account_class_hash).await.unwrap();
    let error = world.owner().upgrade(starknet_rust::core::types::Felt::ZERO).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidClassHash), "{error}");
    let error = world
        .sandbox
        .execute_funded(2, vec![calls::upgrade(world.account.address, world.sandbox.account_class_hash)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OnlyOwner), "{error}");
}
