//! §5 Renewal: inside the grace period, by one period; refused before
//! expiry (for free while certainly not expired), after grace, and for
//! sessions that are not renewable.

use session_account::account::owner::calls;
use session_account::contract::ContractError;
use session_account::policy::{RenewalPolicy, SessionPolicy};
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{self, TxError};
use session_account_e2e::{send_without_estimate, World, HOUR};
use starknet_rust::signers::SigningKey;

/// A renewable STRK session valid for [hour, hour + 2h), grace 1h, renewals
/// bounded by `max_valid_until`. Devnet is moved to `hour + 60`.
async fn renewable_session(
    world: &World,
    max_valid_until_offset: u64,
) -> (SigningKey, SessionPolicy, u64) {
    let hour = world.next_hour().await;
    world.set_time(hour + 60).await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.valid_after = hour;
    policy.valid_until = hour + 2 * HOUR;
    policy.renewal = RenewalPolicy {
        grace_period: HOUR,
        max_valid_until: hour + max_valid_until_offset,
        period: 2 * HOUR,
    };
    world.register(&policy).await;
    (key, policy, hour)
}

async fn renew(world: &World, key: &SigningKey) -> Result<tx::Confirmed, TxError> {
    send_without_estimate(&world.session(key), vec![calls::renew_session(world.account.address)])
        .await
}

#[tokio::test]
async fn renewal_inside_grace_extends_and_keeps_tallies() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 10 * HOUR).await;
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    // Expired, inside the grace hour.
    world.set_time(hour + 2 * HOUR + 600).await;
    let error = world.session_transfer_error(&key).await;
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    renew(&world, &key).await.unwrap();
    let status = world.views().status(policy.session_key).await.unwrap();
    // New expiry: now + one period (2h), from the renewal's block time.
    assert!(
        status.valid_until >= hour + 4 * HOUR + 600 && status.valid_until < hour + 4 * HOUR + 700,
        "{status:?}"
    );
    assert_eq!(status.calls_used, 2, "tallies carry over, and the renewal counts one call");
    assert!(status.active);
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

#[tokio::test]
async fn renewal_is_refused_before_expiry_after_grace_and_when_not_renewable() {
    let world = World::new().await;
    let (key, policy, hour) = renewable_session(&world, 10 * HOUR).await;
    // Certainly not expired in validate's hour: refused there, free. (With
    // valid_until on a whole hour, that holds until it expires; the fee
    // tests cover the hour that holds valid_until.)
    let nonce = world.nonce().await;
    world.set_time(hour + 2 * HOUR - 600).await;
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotExpired), "{error}");
    assert_eq!(world.nonce().await, nonce);
    assert_eq!(world.views().status(policy.session_key).await.unwrap().calls_used, 0);
    world.set_time(hour + 4 * HOUR + 10).await; // grace ended at hour + 3h
    let error = renew(&world, &key).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionExpired), "{error}");
    let plain = world.strk_session().await;
    let error = renew(&world, &plain).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotRenewable), "{error}");
}
