//! Fee estimation runs `__validate__` with the real signature, for both
//! signature kinds.

use session_account::contract::ContractError;
use session_account::devnet::{ETH, STRK};
use session_account::token::transfer_call;
use session_account_e2e::World;
use starknet_rust::accounts::Account;

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
    let error = session_account::tx::from_account_error(error);
    assert_eq!(error.contract_error(), Some(ContractError::SessionContractNotAllowed), "{error}");
}
