//! §4.4 Spending limits: metered selectors, cumulative tallies, fail-closed
//! parsing, and tallies recorded only by successful executions.

use session_account::contract::{selectors, ContractError};
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, STRK_UNIT};
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::SigningKey;

fn strk_call(selector: Felt, calldata: Vec<Felt>) -> Call {
    Call { to: STRK, selector, calldata }
}

async fn spent(world: &World, key: &SigningKey) -> U256 {
    world.views().spending(key.verifying_key().scalar()).await.unwrap()[0].spent
}

async fn assert_refused(
    world: &World,
    key: &SigningKey,
    calls: Vec<Call>,
    expected: ContractError,
) {
    world.assert_rejected(&world.session(key), calls, expected).await;
}

#[tokio::test]
async fn spending_is_tallied_up_to_the_limit_inclusive() {
    let world = World::new().await;
    let key = world.limited_strk_session(10 * STRK_UNIT).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 4 * STRK_UNIT)])
        .await
        .unwrap();
    assert_eq!(spent(&world, &key).await, U256::from(4 * STRK_UNIT));
    assert_refused(
        &world,
        &key,
        vec![transfer_call(STRK, world.recipient, 6 * STRK_UNIT + 1)],
        ContractError::SessionSpendingLimit,
    )
    .await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 6 * STRK_UNIT)])
        .await
        .unwrap();
    assert_eq!(spent(&world, &key).await, U256::from(10 * STRK_UNIT));
    assert_refused(
        &world,
        &key,
        vec![transfer_call(STRK, world.recipient, 1)],
        ContractError::SessionSpendingLimit,
    )
    .await;
}

#[tokio::test]
async fn metered_calldata_of_the_wrong_length_is_refused() {
    let world = World::new().await;
    let key = world.limited_strk_session(10 * STRK_UNIT).await;
    for calldata in [
        vec![world.recipient, Felt::ONE],
        vec![],
        vec![world.recipient, Felt::ONE, Felt::ZERO, Felt::ZERO],
    ] {
        assert_refused(
            &world,
            &key,
            vec![strk_call(selectors::TRANSFER, calldata)],
            ContractError::SessionMalformedCalldata,
        )
        .await;
    }
}

#[tokio::test]
async fn a_reverted_execution_spends_nothing_but_counts_its_call_and_fee() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, 3600, &[STRK]).await;
    policy.spending_limits = vec![session_account::policy::SpendingLimit::lifetime(
        STRK,
        U256::from(1_000_000 * STRK_UNIT),
    )];
    world.register(&policy).await;
    // Within the limit, but more than the account holds: the token reverts.
    let error = send_without_estimate(
        &world.session(&key),
        vec![transfer_call(STRK, world.recipient, 100_000 * STRK_UNIT)],
    )
    .await
    .unwrap_err();
    assert!(error.is_reverted(), "{error}");
    assert_eq!(spent(&world, &key).await, U256::from(0u8));
    // Validate's records survive the revert (§4.3f, §4.7).
    let status = world.views().status(policy.session_key).await.unwrap();
    assert_eq!((status.calls_used, status.fee_used), (1, tx::FeeBounds::DEVNET.max_fee().unwrap()));
}

/// §4.4: a router the owner approved long ago pulls the account's tokens.
/// The session never calls the token, yet the pull counts against its
/// limit, and a pull past the limit reverts.
#[tokio::test]
async fn indirect_spending_through_a_router_counts_against_the_limit() {
    let world = World::new().await;
    let (token, router) = world.test_token_and_router(1000).await;
    let approve = Call {
        to: token,
        selector: selectors::APPROVE,
        calldata: vec![router, Felt::from(1000u16), Felt::ZERO],
    };
    tx::execute(&world.owner(), vec![approve]).await.unwrap();
    let key = SigningKey::from_random();
    let policy =
        world.policy_builder(&key, 3600, &[router]).await.spending_limit(token, U256::from(100u8));
    world.register(&policy.build().unwrap()).await;
    let pull = |amount: u128| Call {
        to: router,
        selector: selectors::PULL,
        calldata: vec![
            token,
            world.account.address,
            world.recipient,
            Felt::from(amount),
            Felt::ZERO,
        ],
    };
    tx::execute_with_bounds(&world.session(&key), vec![pull(60)], tx::FeeBounds::DEVNET)
        .await
        .unwrap();
    assert_eq!(spent(&world, &key).await, U256::from(60u8));
    let error = send_without_estimate(&world.session(&key), vec![pull(41)]).await.unwrap_err();
    assert!(error.is_reverted(), "validate cannot see it; execute does: {error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionSpendingLimit), "{error}");
    assert_eq!(world.token_balance(token, world.account.address).await, U256::from(940u16));
    tx::execute_with_bounds(&world.session(&key), vec![pull(40)], tx::FeeBounds::DEVNET)
        .await
        .unwrap();
    assert_eq!(spent(&world, &key).await, U256::from(100u8));
    assert_eq!(world.token_balance(token, world.account.address).await, U256::from(900u16));
}

/// §4.4: `transfer_from` of a third party's tokens, through an allowance it
/// gave the account, counts in full.
#[tokio::test]
async fn third_party_transfer_from_counts_against_the_limit() {
    let world = World::new().await;
    let (token, _) = world.test_token_and_router(0).await;
    let third = world.sandbox.predeployed[2].address;
    let mint = Call {
        to: token,
        selector: selectors::MINT,
        calldata: vec![third, Felt::from(500u16), Felt::ZERO],
    };
    let approve = Call {
        to: token,
        selector: selectors::APPROVE,
        calldata: vec![world.account.address, Felt::from(500u16), Felt::ZERO],
    };
    world.sandbox.execute_funded(2, vec![mint, approve]).await.unwrap();
    let key = SigningKey::from_random();
    let policy =
        world.policy_builder(&key, 3600, &[token]).await.spending_limit(token, U256::from(100u8));
    world.register(&policy.build().unwrap()).await;
    let take = |amount: u128| Call {
        to: token,
        selector: selectors::TRANSFER_FROM,
        calldata: vec![third, world.recipient, Felt::from(amount), Felt::ZERO],
    };
    assert_refused(&world, &key, vec![take(101)], ContractError::SessionSpendingLimit).await;
    tx::execute_with_bounds(&world.session(&key), vec![take(100)], tx::FeeBounds::DEVNET)
        .await
        .unwrap();
    assert_eq!(spent(&world, &key).await, U256::from(100u8));
    assert_eq!(world.token_balance(token, world.recipient).await, U256::from(100u8));
}

#[tokio::test]
async fn spending_is_recorded_as_an_event() {
    let world = World::new().await;
    let key = world.limited_strk_session(10 * STRK_UNIT).await;
    let confirmed =
        tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 3)])
            .await
            .unwrap();
    let receipt = starknet_rust::providers::Provider::get_transaction_receipt(
        &world.sandbox.provider,
        confirmed.transaction_hash,
    )
    .await
    .unwrap();
    let recorded = starknet_rust::macros::selector!("SpendingRecorded");
    let event = receipt
        .receipt
        .events()
        .iter()
        .find(|e| e.from_address == world.account.address && e.keys.first() == Some(&recorded))
        .expect("SpendingRecorded emitted");
    assert_eq!(event.keys[1..], [key.verifying_key().scalar(), STRK]);
    // Spent in this execution (3), then what the session may still spend:
    // 10 STRK - 3 (both u256: low, high).
    assert_eq!(
        event.data,
        vec![Felt::from(3u8), Felt::ZERO, Felt::from(10 * STRK_UNIT - 3), Felt::ZERO]
    );
}
