//! §4.5 Fees: the session fee cap, read from the transaction's own resource
//! bounds and tip, and fee estimation running `__validate__` for both
//! signature kinds.

use session_account::contract::ContractError;
use session_account::devnet::{ETH, STRK};
use session_account::token::transfer_call;
use session_account::tx::{self, FeeBounds};
use session_account_e2e::{send_without_estimate, World, HOUR, STRK_UNIT};
use starknet_rust::accounts::Account;
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn fee_estimation_works_for_owner_and_session() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let calls = vec![transfer_call(STRK, world.recipient, 1)];
    let owner = world.owner().execute_v3(calls.clone()).estimate_fee().await.unwrap();
    let session = world.session(&key).execute_v3(calls).estimate_fee().await.unwrap();
    assert!(owner.overall_fee > 0 && owner.l2_gas_consumed > 0);
    assert!(session.overall_fee > 0 && session.l2_gas_consumed > 0);
    // The session path does more work in __validate__ than the owner path.
    assert!(session.l2_gas_consumed > owner.l2_gas_consumed);
}

#[tokio::test]
async fn fee_estimation_runs_the_session_policy() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let error = world
        .session(&key)
        .execute_v3(vec![transfer_call(ETH, world.recipient, 1)])
        .estimate_fee()
        .await
        .unwrap_err();
    let error = tx::from_account_error(error);
    assert_eq!(error.contract_error(), Some(ContractError::SessionContractNotAllowed), "{error}");
}

#[tokio::test]
async fn attack_fee_above_cap() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let fixed_max_fee = FeeBounds::DEVNET.max_fee();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.max_fee_per_tx = fixed_max_fee - 1;
    world.register(&policy).await;
    let nonce = world.nonce().await;
    let error = send_without_estimate(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionFeeAboveCap), "{error}");
    assert_eq!(world.nonce().await, nonce);
    // A normally estimated transaction fits a cap of 0.1 STRK.
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.max_fee_per_tx = STRK_UNIT / 10;
    world.register(&policy).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

/// The account reads the bounds and the tip from the transaction itself, so
/// nothing the signer claims elsewhere can shrink them: a cap of exactly the
/// bounds' maximum passes, and one unit of tip more is refused.
#[tokio::test]
async fn the_fee_cap_reads_the_transactions_own_bounds_and_tip() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.max_fee_per_tx = FeeBounds::DEVNET.max_fee();
    world.register(&policy).await;
    let session = world.session(&key);
    let calls = vec![transfer_call(STRK, world.recipient, 1)];
    tx::execute_with_bounds(&session, calls.clone(), FeeBounds::DEVNET).await.unwrap();
    let tipped = FeeBounds { tip: 1, ..FeeBounds::DEVNET };
    let error = tx::execute_with_bounds(&session, calls.clone(), tipped).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionFeeAboveCap), "{error}");
    let pricier = FeeBounds { l1_data_gas: (10_001, 2_000_000_000), ..FeeBounds::DEVNET };
    let error = tx::execute_with_bounds(&session, calls, pricier).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionFeeAboveCap), "{error}");
}
