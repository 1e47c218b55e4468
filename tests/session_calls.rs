//! What a session may call: allowed contracts, never the account itself.

use session_account::account::owner::calls;
use session_account::contract::ContractError;
use session_account::devnet::{ETH, STRK};
use session_account::token::transfer_call;
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, STRK_UNIT};
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn session_transfer_of_an_allowed_token_works() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let before = world.strk_balance(world.recipient).await;
    let account_before = world.strk_balance(world.account.address).await;
    let confirmed = tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 2 * STRK_UNIT)])
        .await
        .unwrap();
    assert_eq!(world.strk_balance(world.recipient).await, before + 2 * STRK_UNIT);
    let fee = u128::try_from(confirmed.actual_fee).unwrap();
    assert!(fee > 0);
    assert_eq!(world.strk_balance(world.account.address).await, account_before - 2 * STRK_UNIT - fee);
}

#[tokio::test]
async fn session_call_to_a_contract_not_granted_is_rejected() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let nonce = world.nonce().await;
    let error = send_without_estimate(&world.session(&key), vec![transfer_call(ETH, world.recipient, 1)])
        .await
        .unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionContractNotAllowed), "{error}");
    assert_eq!(world.nonce().await, nonce);
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
async fn session_may_not_call_the_account_itself() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let session = world.session(&key);
    let attacker_key = SigningKey::from_random();
    let policy = session_account::policy::SessionPolicy {
        session_key: attacker_key.verifying_key().scalar(),
        valid_after: 0,
        valid_until: u64::MAX / 2,
        allowed_contracts: vec![STRK, ETH],
    };
    // Registering another session, revoking its own: both are self-calls.
    for call in [
        calls::register_session(world.account.address, &policy),
        calls::revoke_session(world.account.address, key.verifying_key().scalar()),
    ] {
        let error = send_without_estimate(&session, vec![call]).await.unwrap_err();
        assert!(error.is_rejected(), "{error}");
        assert_eq!(error.contract_error(), Some(ContractError::SessionSelfCall), "{error}");
    }
    // And the session still works: nothing above took effect.
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

#[tokio::test]
async fn admin_entrypoints_refuse_callers_other_than_the_account() {
    let world = World::new().await;
    let policy = session_account::policy::SessionPolicy {
        session_key: SigningKey::from_random().verifying_key().scalar(),
        valid_after: 0,
        valid_until: u64::MAX / 2,
        allowed_contracts: vec![STRK],
    };
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
    session_account::account::OwnerOperations::revoke_session(&world.owner(), key.verifying_key().scalar())
        .await
        .unwrap();
    let error = send_without_estimate(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionRevoked), "{error}");
}
