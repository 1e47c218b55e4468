//! §4.5 Fees: the session fee cap, read from the transaction's own resource
//! bounds and tip; §4.7 the fee budget; fee estimation running
//! `__validate__` for both signature kinds.

use session_account::account::owner::calls;
use session_account::contract::ContractError;
use session_account::token::transfer_call;
use session_account::token::{ETH, STRK};
use session_account::tx::{self, FeeBounds};
use session_account_e2e::{World, HOUR, STRK_UNIT};
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
async fn an_estimated_transaction_fits_a_small_cap() {
    // Fee bounds above the cap are refused: corpus attack `fee_drain`.
    let world = World::new().await;
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
    policy.max_fee_per_tx = FeeBounds::DEVNET.max_fee().unwrap();
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

/// The fee burn of issue #12: a leaked key sends `renew_session()` again and
/// again while the session is still valid, with fee bounds at the cap and
/// most of them as tip. Early on, validate refuses (free). In the hour that
/// holds `valid_until`, each renewal passes validate, reverts in execute and
/// is charged; validate records its worst-case fee, and the burn stops at
/// the budget. The account's STRK loss is at most the budget.
#[tokio::test]
async fn a_fee_burn_stops_at_the_budget() {
    let cap = STRK_UNIT;
    let budget = 5 * cap / 2;
    // Bounds of exactly 1 STRK, 96% of it tip.
    let at_cap = FeeBounds { tip: 47_999_000_000, ..FeeBounds::DEVNET };
    assert_eq!(at_cap.max_fee(), Some(cap));

    let world = World::new().await;
    let hour = world.next_hour().await;
    world.set_time(hour + 60).await;
    let key = SigningKey::from_random();
    let policy = world
        .policy_builder(&key, HOUR, &[STRK])
        .await
        .valid_between(hour, hour + 2 * HOUR + 1800)
        .renewable(HOUR, 2 * HOUR, hour + 10 * HOUR)
        .max_fee_per_tx(cap)
        .fee_budget(budget)
        .build()
        .unwrap();
    world.register(&policy).await;
    let session = world.session(&key);
    let renew = || {
        tx::execute_with_bounds(&session, vec![calls::renew_session(world.account.address)], at_cap)
    };
    let before = world.strk_balance(world.account.address).await;

    // Certainly not expired: refused in validate, nothing charged.
    let error = renew().await.unwrap_err();
    assert!(
        error.is_rejected() && error.contract_error() == Some(ContractError::SessionNotExpired),
        "{error}"
    );
    assert_eq!(world.strk_balance(world.account.address).await, before);

    // In the hour that holds valid_until, validate cannot tell: each
    // renewal reverts in execute and is charged, until the budget is used.
    world.set_time(hour + 2 * HOUR + 600).await;
    let mut charged = 0;
    let refusal = loop {
        match renew().await {
            Err(error) if error.is_reverted() => {
                assert_eq!(
                    error.contract_error(),
                    Some(ContractError::SessionNotExpired),
                    "{error}"
                );
                assert!(error.fee_paid() > 0 && error.fee_paid() <= cap);
                charged += error.fee_paid();
            }
            Err(error) => break error,
            Ok(confirmed) => panic!("a renewal before expiry succeeded: {confirmed:?}"),
        }
    };
    assert!(refusal.is_rejected(), "{refusal}");
    assert_eq!(refusal.contract_error(), Some(ContractError::SessionFeeBudget), "{refusal}");
    let status = world.views().status(policy.session_key).await.unwrap();
    assert_eq!(
        (status.fee_used, status.calls_used),
        (2 * cap, 2),
        "two renewals fit a budget of 2.5 caps"
    );
    assert_eq!(status.fee_remaining, budget - 2 * cap);
    let loss = before - world.strk_balance(world.account.address).await;
    assert_eq!(loss, charged, "the account paid exactly the charged reverts");
    assert!(loss <= budget, "lost {loss} fri, more than the {budget} fri budget");
    assert!(
        loss > cap / 10,
        "the tip made each burn costly ({loss} fri): the budget is what stopped it"
    );
}
