//! §4.6, §6 Revocation: a session revokes itself; the owner revokes one
//! session or, in O(1), all of them.

use session_account::account::owner::calls;
use session_account::account::OwnerOperations;
use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{self};
use session_account_e2e::{send_without_estimate, World, STRK_UNIT};

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
