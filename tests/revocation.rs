//! §4.6, §6 Revocation: a session revokes itself; the owner revokes one
//! session or, in O(1), all of them.

use session_account::account::owner::calls;
use session_account::account::OwnerOperations;
use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{self};
use session_account_e2e::{send_without_estimate, World, STRK_UNIT};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn a_session_can_revoke_itself() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    tx::execute(&world.session(&key), vec![calls::revoke_session(world.account.address, public)])
        .await
        .unwrap();
    let status = world.views().status(public).await.unwrap();
    assert!(status.revoked && !status.active);
    let error = world.session_transfer_error(&key).await;
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
        let error = send_without_estimate(
            &world.session(key),
            vec![transfer_call(STRK, world.recipient, 1)],
        )
        .await
        .unwrap_err();
        assert_eq!(error.contract_error(), Some(ContractError::SessionEpochRevoked), "{error}");
    }
    // Sessions registered afterwards work.
    let fresh = world.strk_session().await;
    tx::execute(&world.session(&fresh), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap();
}

/// §6, §3.2 (issue #18, finding 3): an authorization leaked before its first
/// use dies when the owner revokes its key, which was never registered,
/// without touching other sessions.
#[tokio::test]
async fn the_owner_revokes_a_key_never_registered_and_its_authorization_dies() {
    let world = World::new().await;
    let bystander = world.strk_session().await;
    let key = SigningKey::from_random();
    let public = key.verifying_key().scalar();
    let policy = world.policy(&key, 3600, &[STRK]).await;
    let leaked = world.authorize(&policy, 0);
    let revoke = calls::revoke_session(world.account.address, public);
    let confirmed = tx::execute(&world.owner(), vec![revoke.clone()]).await.unwrap();
    // Who revoked: the owner (Revoker::Owner = 0).
    let events = world.account_events(confirmed.transaction_hash, "SessionRevoked").await;
    assert_eq!(events, vec![(vec![public], vec![Felt::ZERO])]);
    let status = world.views().status(public).await.unwrap();
    assert!(!status.registered && status.revoked);
    // The leaked authorization can no longer register the key.
    let session = world.session(&key).with_authorization(leaked);
    let error =
        send_without_estimate(&session, vec![transfer_call(STRK, world.recipient, 1)]).await;
    let error = error.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
    // Nor can the owner by mistake, and a second revocation says it is done.
    let error =
        tx::execute(&world.owner(), vec![calls::register_session(world.account.address, &policy)])
            .await
            .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
    let error = send_without_estimate(&world.owner(), vec![revoke]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
    // Other sessions are untouched.
    tx::execute(&world.session(&bystander), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap();
}

/// §9: a session revoking itself says so (Revoker::Session = 1).
#[tokio::test]
async fn a_self_revocation_names_the_session_as_revoker() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    let revoke = calls::revoke_session(world.account.address, public);
    let confirmed = tx::execute(&world.session(&key), vec![revoke]).await.unwrap();
    let events = world.account_events(confirmed.transaction_hash, "SessionRevoked").await;
    assert_eq!(events, vec![(vec![public], vec![Felt::ONE])]);
    // And the transaction itself: one call counted, its worst-case fee.
    let events = world.account_events(confirmed.transaction_hash, "SessionTransaction").await;
    let fee = world.views().status(public).await.unwrap().fee_used;
    assert_eq!(events, vec![(vec![public], vec![Felt::ONE, Felt::from(fee)])]);
}
