//! §4.3, §4.6 What a session may call: allowed contracts and entrypoints,
//! within call caps, and the account itself only for its own lifecycle.

use session_account::account::owner::calls;
use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::{ETH, STRK};
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, HOUR, STRK_UNIT};
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn session_transfer_of_an_allowed_token_works() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let before = world.strk_balance(world.recipient).await;
    let account_before = world.strk_balance(world.account.address).await;
    let confirmed = tx::execute(
        &world.session(&key),
        vec![transfer_call(STRK, world.recipient, 2 * STRK_UNIT)],
    )
    .await
    .unwrap();
    assert_eq!(world.strk_balance(world.recipient).await, before + 2 * STRK_UNIT);
    let fee = confirmed.actual_fee;
    assert!(fee > 0);
    assert_eq!(
        world.strk_balance(world.account.address).await,
        account_before - 2 * STRK_UNIT - fee
    );
}

#[tokio::test]
async fn session_call_to_a_contract_not_granted_is_rejected() {
    let world = World::new().await;
    let key = world.strk_session().await;
    world
        .assert_rejected(
            &world.session(&key),
            vec![transfer_call(ETH, world.recipient, 1)],
            ContractError::SessionContractNotAllowed,
        )
        .await;
}

#[tokio::test]
async fn one_disallowed_call_rejects_the_whole_multicall() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let before = world.strk_balance(world.recipient).await;
    let error = send_without_estimate(
        &world.session(&key),
        vec![transfer_call(STRK, world.recipient, 1), transfer_call(ETH, world.recipient, 1)],
    )
    .await
    .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionContractNotAllowed), "{error}");
    assert_eq!(world.strk_balance(world.recipient).await, before);
}

#[tokio::test]
async fn admin_entrypoints_refuse_callers_other_than_the_account() {
    let world = World::new().await;
    let policy = world.policy(&SigningKey::from_random(), HOUR, &[STRK]).await;
    // A stranger (a predeployed account) calls register_session directly.
    let error = world
        .sandbox
        .execute_funded(2, vec![calls::register_session(world.account.address, &policy)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OnlyOwner), "{error}");
}

#[tokio::test]
async fn revoked_session_is_rejected() {
    let world = World::new().await;
    let key = world.strk_session().await;
    session_account::account::OwnerOperations::revoke_session(
        &world.owner(),
        key.verifying_key().scalar(),
    )
    .await
    .unwrap();
    let error = world.session_transfer_error(&key).await;
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
}

#[tokio::test]
async fn a_lifecycle_call_mixed_with_other_calls_is_refused() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let error = send_without_estimate(
        &world.session(&key),
        vec![
            transfer_call(STRK, world.recipient, 1),
            calls::revoke_session(world.account.address, key.verifying_key().scalar()),
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionSelfCall), "{error}");
}

#[tokio::test]
async fn entrypoints_can_be_restricted() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[]).await;
    policy.allowed_calls = vec![session_account::policy::AllowedContract {
        contract: STRK,
        entrypoints: vec![session_account::contract::selectors::TRANSFER],
    }];
    world.register(&policy).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    let approve = starknet_rust::core::types::Call {
        to: STRK,
        selector: session_account::contract::selectors::APPROVE,
        calldata: vec![
            world.recipient,
            starknet_rust::core::types::Felt::ONE,
            starknet_rust::core::types::Felt::ZERO,
        ],
    };
    let error = send_without_estimate(&world.session(&key), vec![approve]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionEntrypointNotAllowed), "{error}");
}

#[tokio::test]
async fn call_caps_per_transaction_and_per_session() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.max_calls_per_tx = 2;
    policy.max_calls = 3;
    world.register(&policy).await;
    let session = world.session(&key);
    let transfer = || transfer_call(STRK, world.recipient, 1);
    let error = send_without_estimate(&session, vec![transfer(), transfer(), transfer()])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionTooManyCalls), "{error}");
    tx::execute(&session, vec![transfer(), transfer()]).await.unwrap();
    let status = world.views().status(policy.session_key).await.unwrap();
    assert_eq!((status.calls_used, status.calls_remaining), (2, 1));
    let error = send_without_estimate(&session, vec![transfer(), transfer()]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionCallLimit), "{error}");
    tx::execute(&session, vec![transfer()]).await.unwrap();
    let status = world.views().status(policy.session_key).await.unwrap();
    assert_eq!((status.calls_used, status.calls_remaining, status.active), (3, 0, false));
    let error = send_without_estimate(&session, vec![transfer()]).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionCallLimit), "{error}");
}
