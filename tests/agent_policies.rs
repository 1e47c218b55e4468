//! §4.8, §4.9 end to end (issue #20): the spec's calldata-rule examples —
//! a recipient allow-list, a spender allow-list, a per-call bound, a fixed
//! market on a DEX call — and a daily limit over three simulated days
//! (devnet time).

use session_account::contract::{selectors, ContractError};
use session_account::policy::{CalldataRule, Operator, ValueKind};
use session_account::session_client::{SessionClient, SessionError};
use session_account::session_token::SessionToken;
use session_account::token::{transfer_call, STRK};
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, STRK_UNIT};
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::SigningKey;

const DAY: u64 = 86_400;

/// A rule on the first argument of `selector` of `contract`: it must be
/// `operator` of `values` (felts).
fn first_argument(
    contract: Felt,
    selector: Felt,
    operator: Operator,
    values: &[Felt],
) -> CalldataRule {
    CalldataRule {
        contract,
        selector,
        offset: 0,
        kind: ValueKind::Felt,
        operator,
        values: values
            .iter()
            .map(|v| session_account::policy::calldata::felt_to_u256(*v))
            .collect(),
    }
}

fn approve(token: Felt, spender: Felt, amount: u128) -> Call {
    Call {
        to: token,
        selector: selectors::APPROVE,
        calldata: vec![spender, Felt::from(amount), Felt::ZERO],
    }
}

#[tokio::test]
async fn a_recipient_allowlist_pays_only_its_addresses() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let stranger = world.sandbox.predeployed[2].address;
    let policy = world
        .policy_builder(&key, 3600, &[])
        .await
        .allow_entrypoints(STRK, [selectors::TRANSFER])
        .recipient_allowlist(STRK, [Felt::from(0xa11ce_u64), world.recipient]);
    world.register(&policy.build().unwrap()).await;
    let session = world.session(&key);
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 7)]).await.unwrap();
    let to_stranger = vec![transfer_call(STRK, stranger, 7)];
    world.assert_rejected(&session, to_stranger, ContractError::SessionCalldataRule).await;
}

#[tokio::test]
async fn a_spender_allowlist_approves_only_the_router() {
    let world = World::new().await;
    let (token, router) = world.test_token_and_router(1000).await;
    let key = SigningKey::from_random();
    let only_router = first_argument(token, selectors::APPROVE, Operator::OneOf, &[router]);
    let policy = world
        .policy_builder(&key, 3600, &[])
        .await
        .allow_entrypoints(token, [selectors::APPROVE])
        .calldata_rule(only_router);
    world.register(&policy.build().unwrap()).await;
    let session = world.session(&key);
    tx::execute(&session, vec![approve(token, router, 10)]).await.unwrap();
    let third = world.sandbox.predeployed[2].address;
    let elsewhere = vec![approve(token, third, 10)];
    world.assert_rejected(&session, elsewhere, ContractError::SessionCalldataRule).await;
}

#[tokio::test]
async fn a_per_call_bound_holds_each_transfer_not_their_sum() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let five = 5 * STRK_UNIT;
    let policy = world
        .policy_builder(&key, 3600, &[])
        .await
        .allow_entrypoints(STRK, [selectors::TRANSFER])
        .max_per_call(STRK, U256::from(five));
    world.register(&policy.build().unwrap()).await;
    let session = world.session(&key);
    let before = world.strk_balance(world.recipient).await;
    let two = vec![transfer_call(STRK, world.recipient, five); 2];
    tx::execute(&session, two).await.unwrap();
    assert_eq!(world.strk_balance(world.recipient).await, before + 2 * five);
    let over = vec![transfer_call(STRK, world.recipient, five + 1)];
    world.assert_rejected(&session, over, ContractError::SessionCalldataRule).await;
}

/// A fixed market on a DEX call: the router's `pull` only of one token (its
/// first argument), as a game or DEX session binds a market id.
#[tokio::test]
async fn a_fixed_market_binds_the_dex_call() {
    let world = World::new().await;
    let (token, router) = world.test_token_and_router(1000).await;
    tx::execute(&world.owner(), vec![approve(token, router, 1000)]).await.unwrap();
    let key = SigningKey::from_random();
    let market = first_argument(router, selectors::PULL, Operator::Equal, &[token]);
    let policy = world
        .policy_builder(&key, 3600, &[])
        .await
        .allow_entrypoints(router, [selectors::PULL])
        .calldata_rule(market);
    world.register(&policy.build().unwrap()).await;
    let session = world.session(&key);
    let account = world.account.address;
    let pull = |of: Felt| Call {
        to: router,
        selector: selectors::PULL,
        calldata: vec![of, account, world.recipient, Felt::from(3u8), Felt::ZERO],
    };
    tx::execute(&session, vec![pull(token)]).await.unwrap();
    world.assert_rejected(&session, vec![pull(STRK)], ContractError::SessionCalldataRule).await;
}

/// 10 STRK a day, 25 in all, over three days: each day's window starts
/// empty, a unit over the window reverts in execute, and the lifetime limit
/// still binds on the third day.
#[tokio::test]
async fn a_daily_limit_over_three_simulated_days() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let ten = 10 * STRK_UNIT;
    let policy = world
        .policy_builder(&key, 4 * DAY, &[STRK])
        .await
        .spending_limit(STRK, U256::from(25 * STRK_UNIT))
        .periodic_limit(STRK, ten, DAY)
        .build()
        .unwrap();
    world.register(&policy).await;
    let session = world.session(&key);
    let public = key.verifying_key().scalar();
    let pay = |amount: u128| vec![transfer_call(STRK, world.recipient, amount)];
    let day = |n: u64| policy.valid_after + n * DAY + 600;

    // Day 1: the whole window, then one fri more reverts in execute.
    tx::execute(&session, pay(ten)).await.unwrap();
    let error = send_without_estimate(&session, pay(1)).await.unwrap_err();
    assert!(error.is_reverted(), "windows are found at execute's exact clock: {error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionPeriodLimit), "{error}");
    let spending = world.views().spending(public).await.unwrap()[0];
    assert_eq!((spending.window_spent, spending.window_remaining()), (ten, Some(0)));
    assert_eq!(spending.window_resets_at, policy.valid_after as u128 + DAY as u128);

    // Day 2: a new window, empty.
    world.set_time(day(1)).await;
    tx::execute(&session, pay(ten)).await.unwrap();
    let spending = world.views().spending(public).await.unwrap()[0];
    assert_eq!(spending.window_resets_at, policy.valid_after as u128 + 2 * DAY as u128);
    assert_eq!(spending.spent, U256::from(2 * ten));

    // Day 3: the window has 10, the lifetime 5.
    world.set_time(day(2)).await;
    world.assert_rejected(&session, pay(ten), ContractError::SessionSpendingLimit).await;
    tx::execute(&session, pay(5 * STRK_UNIT)).await.unwrap();
    let spending = world.views().spending(public).await.unwrap()[0];
    assert_eq!(spending.spent, U256::from(25 * STRK_UNIT));
    assert_eq!(spending.window_remaining(), Some(5 * STRK_UNIT));
}

/// The SDK names what a refusal was about: the call that broke a rule, and
/// the window that is spent (what it held, what was asked, when it resets).
#[tokio::test]
async fn the_session_client_names_the_rule_and_the_window() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let policy = world
        .policy_builder(&key, 3600, &[])
        .await
        .allow_entrypoints(STRK, [selectors::TRANSFER])
        .recipient_allowlist(STRK, [world.recipient])
        .periodic_limit(STRK, 3 * STRK_UNIT, 3600)
        .build()
        .unwrap();
    world.register(&policy).await;
    let token = SessionToken {
        session_key: key.clone(),
        account: world.account.address,
        chain_id: world.sandbox.chain_id,
        authorization: None,
        policy: policy.clone(),
    };
    let mut client = SessionClient::connect(world.sandbox.devnet.provider(), token).await.unwrap();
    let stranger = world.sandbox.predeployed[2].address;
    let calls = vec![transfer_call(STRK, world.recipient, 1), transfer_call(STRK, stranger, 1)];
    match client.execute(calls).await.unwrap_err() {
        SessionError::CalldataRule { index, contract, selector } => {
            assert_eq!((index, contract, selector), (1, STRK, selectors::TRANSFER));
        }
        other => panic!("expected the broken rule, got {other}"),
    }
    client.execute(vec![transfer_call(STRK, world.recipient, 2 * STRK_UNIT)]).await.unwrap();
    let over = vec![transfer_call(STRK, world.recipient, 2 * STRK_UNIT)];
    match client.execute(over).await.unwrap_err() {
        SessionError::PeriodLimit { token, period, limit, spent, requested, resets_at } => {
            assert_eq!((token, period, limit, spent), (STRK, 3600, 3 * STRK_UNIT, 2 * STRK_UNIT));
            assert_eq!(requested, U256::from(2 * STRK_UNIT));
            assert_eq!(resets_at, policy.valid_after as u128 + 3600);
        }
        other => panic!("expected the spent window, got {other}"),
    }
}
