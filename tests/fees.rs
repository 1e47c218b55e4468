//! §4.5 Fees: the session fee cap, the fee fields in the signature, and fee
//! estimation running `__validate__` for both signature kinds.

use session_account::contract::ContractError;
use session_account::devnet::{ETH, STRK};
use session_account::signature::{max_fee, session_signature, FeeFields};
use session_account::token::transfer_call;
use session_account::tx;
use session_account_e2e::{
    send_without_estimate, ForgedSignatureAccount, World, FIXED_L1_DATA_GAS, FIXED_L1_GAS, FIXED_L2_GAS, FIXED_TIP,
    HOUR, STRK_UNIT,
};
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
    let fixed_max_fee = max_fee(FIXED_TIP, FIXED_L1_GAS, FIXED_L2_GAS, FIXED_L1_DATA_GAS);
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

#[tokio::test]
async fn attack_lying_about_the_fee_bounds() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    // Signs the real transaction hash, but claims a lower L2 gas price.
    let forged = ForgedSignatureAccount::new(&world, move |hash| {
        let sig = key.sign(&hash).unwrap();
        let claimed = FeeFields::new(FIXED_TIP, FIXED_L1_GAS, (FIXED_L2_GAS.0, 1), FIXED_L1_DATA_GAS);
        session_signature(public, &sig, &claimed, None)
    });
    let error = send_without_estimate(&forged, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionFeeBoundsMismatch), "{error}");
}
