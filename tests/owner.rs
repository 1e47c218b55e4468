//! §6, §7.3 The owner component: key rotation (with proof of the new key)
//! and upgrades, owner only.

use session_account::account::owner::calls;
use session_account::account::AccountAt;
use session_account::account::OwnerOperations;
use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{self};
use session_account_e2e::{send_without_estimate, World, HOUR};
use starknet_rust::signers::SigningKey;

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
    let error =
        send_without_estimate(&world.owner(), vec![transfer_call(STRK, world.recipient, 1)])
            .await
            .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidSignature), "{error}");
    let new_owner = session_account::account::owner::owner_account(
        world.sandbox.devnet.provider(),
        new_key,
        AccountAt { address: world.account.address, chain_id: world.sandbox.chain_id },
    );
    tx::execute(&new_owner, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    // Registered sessions keep working.
    tx::execute(&world.session(&session_key), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap();
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
    let mut call = calls::set_owner(
        world.account.address,
        world.sandbox.chain_id,
        old_owner,
        &SigningKey::from_random(),
    )
    .unwrap();
    // A key the proof is not from.
    call.calldata[0] = SigningKey::from_random().verifying_key().scalar();
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
        .execute_funded(
            2,
            vec![calls::upgrade(world.account.address, world.sandbox.account_class_hash)],
        )
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OnlyOwner), "{error}");
}
