//! §4.2 Time: `__validate__` sees the hour-floored clock (lenient rule),
//! `__execute__` the exact one.

use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx;
use session_account_e2e::{World, HOUR};
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn expired_session_is_rejected_in_validate() {
    let world = World::new().await;
    let key = world.strk_session().await; // valid for a day
    let now = world.now().await;
    world.sandbox.devnet_client.increase_time(24 * HOUR + 2 * HOUR).await.unwrap();
    assert!(world.now().await >= now + 26 * HOUR);
    let nonce = world.nonce().await;
    let error = world.session_transfer_error(&key).await;
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    assert_eq!(world.nonce().await, nonce);
}

#[tokio::test]
async fn expiry_inside_the_rounded_hour_is_caught_in_execute() {
    let world = World::new().await;
    let hour = world.next_hour().await;
    world.set_time(hour + 60).await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.valid_after = hour;
    policy.valid_until = hour + 1800;
    world.register(&policy).await;
    // Still valid: works.
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();

    // Same hour, past valid_until: validate's floored clock (== hour) cannot
    // tell, execute's exact clock can.
    world.set_time(hour + 2400).await;
    let before = world.strk_balance(world.recipient).await;
    let nonce = world.nonce().await;
    let error = world.session_transfer_error(&key).await;
    assert!(error.is_reverted(), "expected a revert in __execute__, got {error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    assert_eq!(
        world.strk_balance(world.recipient).await,
        before,
        "no call of an expired session may run"
    );
    assert_ne!(world.nonce().await, nonce, "a reverted transaction is included");

    // Next hour: validate itself rejects it.
    world.set_time(hour + HOUR + 1).await;
    let error = world.session_transfer_error(&key).await;
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
}

#[tokio::test]
async fn session_is_unusable_before_valid_after() {
    let world = World::new().await;
    let hour = world.next_hour().await;
    world.set_time(hour + 60).await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.valid_after = hour + 2 * HOUR;
    policy.valid_until = hour + 5 * HOUR;
    world.register(&policy).await;
    let error = world.session_transfer_error(&key).await;
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotYetValid), "{error}");

    world.set_time(hour + 2 * HOUR + 10).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}
