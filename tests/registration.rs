//! §3 Registration: by owner transaction, and by an owner-signed
//! authorization carried in the session's first transaction.

use session_account::account::owner::calls;
use session_account::contract::ContractError;
use session_account::policy::{
    session_hash, AllowedContract, Binding, RenewalPolicy, SpendingLimit,
};
use session_account::signature::Authorization;
use session_account::token::transfer_call;
use session_account::token::{ETH, STRK};
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, HOUR, STRK_UNIT};
use starknet_rust::core::types::{Felt, U256};
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn register_by_transaction_and_read_it_back() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, 2 * HOUR, &[STRK]).await;
    policy.allowed_calls.push(AllowedContract {
        contract: ETH,
        entrypoints: vec![Felt::from(7u8), Felt::from(9u8)],
    });
    policy.spending_limits = vec![SpendingLimit::lifetime(STRK, U256::from_words(5, 1))];
    policy.renewal = RenewalPolicy {
        grace_period: HOUR,
        max_valid_until: policy.valid_until + 10 * HOUR,
        period: 3 * HOUR,
    };
    policy.fee_budget = 7 * STRK_UNIT;
    policy.max_calls = 7;
    world.register(&policy).await;

    let views = world.views();
    let status = views.status(policy.session_key).await.unwrap();
    assert!(status.registered && !status.revoked && status.epoch_valid && status.active);
    assert_eq!((status.valid_after, status.valid_until), (policy.valid_after, policy.valid_until));
    assert!(status.renewable);
    assert_eq!(status.grace_deadline, (policy.valid_until + HOUR) as u128);
    assert_eq!(
        (status.max_valid_until, status.renewal_period),
        (policy.renewal.max_valid_until, 3 * HOUR)
    );
    assert_eq!(
        (status.fee_budget, status.fee_used, status.fee_remaining),
        (7 * STRK_UNIT, 0, 7 * STRK_UNIT)
    );
    assert_eq!((status.calls_used, status.calls_remaining), (0, 7));
    assert_eq!(status.max_calls_per_tx, policy.max_calls_per_tx);
    assert_eq!(status.max_fee_per_tx, policy.max_fee_per_tx);
    assert_eq!(views.allowed_calls(policy.session_key).await.unwrap(), policy.allowed_calls);
    let spending = views.spending(policy.session_key).await.unwrap();
    assert_eq!(spending.len(), 1);
    assert_eq!(
        (spending[0].token, spending[0].limit, spending[0].spent),
        (STRK, U256::from_words(5, 1), U256::from(0u8))
    );
    // The one-call view reads the same, decoded by the same SDK types.
    let details = views.session_details(policy.session_key).await.unwrap();
    assert_eq!(details.status, status);
    assert_eq!(details.allowed_calls, policy.allowed_calls);
    assert_eq!(details.spending, spending);
    assert_eq!(views.revocation_epoch().await.unwrap(), 0);
}

#[tokio::test]
async fn the_contract_computes_the_same_session_hash() {
    let world = World::new().await;
    let mut policy = world.policy(&SigningKey::from_random(), HOUR, &[STRK, ETH]).await;
    policy.allowed_calls[1].entrypoints = vec![Felt::ONE, Felt::TWO];
    policy.spending_limits = vec![SpendingLimit::lifetime(ETH, U256::from_words(u128::MAX, 3))];
    policy.renewal =
        RenewalPolicy { grace_period: 60, max_valid_until: policy.valid_until + 1, period: 30 };
    policy.fee_budget = 12345;
    let on_chain = world.views().session_hash(&policy).await.unwrap();
    let binding = world.views().binding(world.sandbox.chain_id).await.unwrap();
    assert_eq!(binding, Binding::new_account(world.account.address, world.sandbox.chain_id));
    assert_eq!(on_chain, session_hash(&policy, &binding));
}

#[tokio::test]
async fn ill_formed_policies_are_refused() {
    let world = World::new().await;
    let base = world.policy(&SigningKey::from_random(), HOUR, &[STRK]).await;
    let mut cases = Vec::new();
    let mut p = base.clone();
    p.session_key = Felt::ZERO;
    cases.push((p, ContractError::SessionInvalidKey));
    let mut p = base.clone();
    p.valid_until = p.valid_after;
    cases.push((p, ContractError::SessionInvalidWindow));
    let mut p = base.clone();
    p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until - 1, period: 10 };
    cases.push((p, ContractError::SessionInvalidRenewal));
    let mut p = base.clone();
    p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until + 100, period: 0 };
    cases.push((p, ContractError::SessionInvalidRenewal));
    let mut p = base.clone();
    p.max_calls_per_tx = 0;
    cases.push((p, ContractError::SessionInvalidCallCaps));
    let mut p = base.clone();
    p.allowed_calls.push(AllowedContract::any(STRK));
    cases.push((p, ContractError::SessionDuplicateEntry));
    let mut p = base.clone();
    p.allowed_calls.push(AllowedContract::any(world.account.address));
    cases.push((p, ContractError::SessionSelfCall));
    for (policy, expected) in cases {
        let error = tx::execute(
            &world.owner(),
            vec![calls::register_session(world.account.address, &policy)],
        )
        .await
        .unwrap_err();
        assert_eq!(error.contract_error(), Some(expected), "{error}");
    }
}

#[tokio::test]
async fn a_key_is_registered_at_most_once() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let policy = world.policy(&key, HOUR, &[STRK]).await;
    let error =
        tx::execute(&world.owner(), vec![calls::register_session(world.account.address, &policy)])
            .await
            .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionAlreadyRegistered), "{error}");
    // Not even after revocation.
    session_account::account::OwnerOperations::revoke_session(
        &world.owner(),
        key.verifying_key().scalar(),
    )
    .await
    .unwrap();
    let error =
        tx::execute(&world.owner(), vec![calls::register_session(world.account.address, &policy)])
            .await
            .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionAlreadyRegistered), "{error}");
}

#[tokio::test]
async fn authorization_registers_and_executes_in_the_first_transaction() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let policy = world.policy(&key, HOUR, &[STRK]).await;
    let session = world.session(&key).with_authorization(world.authorize(&policy, 0));
    let before = world.strk_balance(world.recipient).await;
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 5)]).await.unwrap();
    assert_eq!(world.strk_balance(world.recipient).await, before + 5);
    let status = world.views().status(policy.session_key).await.unwrap();
    assert!(status.registered && status.active);
    assert_eq!(status.calls_used, 1);
    // Carrying the same authorization again is redundant, not an error.
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 5)]).await.unwrap();
    // And without it, the registered session works.
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 5)]).await.unwrap();
    assert_eq!(world.views().status(policy.session_key).await.unwrap().calls_used, 3);
}

/// §3.2: validate registers the session, and the protocol keeps
/// validate's writes when execute reverts: the registration stays, with the
/// call and the fee it used.
#[tokio::test]
async fn a_reverted_first_transaction_still_registers_the_session() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let policy = world.policy(&key, HOUR, &[STRK]).await;
    let session = world.session(&key).with_authorization(world.authorize(&policy, 0));
    // More STRK than the account holds: the token reverts in __execute__.
    let error = send_without_estimate(
        &session,
        vec![transfer_call(STRK, world.recipient, 10_000 * STRK_UNIT)],
    )
    .await
    .unwrap_err();
    assert!(error.is_reverted(), "{error}");
    let status = world.views().status(policy.session_key).await.unwrap();
    assert!(status.registered && status.active);
    assert_eq!((status.calls_used, status.fee_used), (1, tx::FeeBounds::DEVNET.max_fee().unwrap()));
    // Carrying the authorization again is redundant; without it, the same.
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
}

/// Sends one transfer carrying `authorization` for `key`; expects a
/// rejection with `expected`.
async fn assert_authorization_refused(
    world: &World,
    key: &SigningKey,
    authorization: Authorization,
    expected: ContractError,
) {
    let session = world.session(key).with_authorization(authorization);
    world.assert_rejected(&session, vec![transfer_call(STRK, world.recipient, 1)], expected).await;
}

#[tokio::test]
async fn tampering_with_any_policy_field_voids_the_authorization() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK]).await;
    policy.spending_limits = vec![SpendingLimit::lifetime(STRK, U256::from(STRK_UNIT))];
    let signed = world.authorize(&policy, 0);
    type Tamper = Box<dyn Fn(&mut Authorization)>;
    let tampers: Vec<Tamper> = vec![
        Box::new(|a| a.policy.spending_limits[0].limit = U256::from(1000 * STRK_UNIT)),
        Box::new(|a| a.policy.spending_limits.clear()),
        Box::new(|a| a.policy.allowed_calls.push(AllowedContract::any(ETH))),
        Box::new(|a| a.policy.valid_until += 1000 * HOUR),
        Box::new(|a| a.policy.max_calls += 1),
        Box::new(|a| a.policy.max_fee_per_tx *= 2),
        Box::new(|a| a.policy.renewal.grace_period = HOUR),
        Box::new(|a| a.policy.fee_budget = 1),
        Box::new(|a| a.owner_signature[1] += Felt::ONE),
    ];
    for tamper in tampers {
        let mut authorization = signed.clone();
        tamper(&mut authorization);
        assert_authorization_refused(
            &world,
            &key,
            authorization,
            ContractError::SessionInvalidAuthorization,
        )
        .await;
    }
}

#[tokio::test]
async fn authorization_must_be_the_owners_and_for_the_signing_key() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let policy = world.policy(&key, HOUR, &[STRK]).await;
    let binding = Binding::new_account(world.account.address, world.sandbox.chain_id);
    let by_stranger =
        Authorization::sign(policy.clone(), &SigningKey::from_random(), &binding).unwrap();
    assert_authorization_refused(
        &world,
        &key,
        by_stranger,
        ContractError::SessionInvalidAuthorization,
    )
    .await;
    // A valid authorization for key A, carried by a transaction signed by key B.
    let other_key = SigningKey::from_random();
    assert_authorization_refused(
        &world,
        &other_key,
        world.authorize(&policy, 0),
        ContractError::SessionInvalidAuthorization,
    )
    .await;
}

/// §8.1: a client written for the draft session SNIP reads our session
/// through `get_session_data`: usable until the last second of its window,
/// its calls, how many entrypoints it lists; all zero once revoked.
#[tokio::test]
async fn the_draft_snip_view_reads_a_session() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[STRK, ETH]).await;
    policy.allowed_calls[1].entrypoints = vec![Felt::ONE, Felt::TWO];
    world.register(&policy).await;
    let public = key.verifying_key().scalar();
    let data = world.views().session_data(public).await.unwrap();
    assert_eq!(data.valid_until, policy.valid_until - 1);
    assert_eq!((data.max_calls, data.calls_used, data.allowed_entrypoints_len), (1000, 0, 2));
    tx::execute(&world.session(&key), vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap();
    assert_eq!(world.views().session_data(public).await.unwrap().calls_used, 1);
    session_account::account::OwnerOperations::revoke_session(&world.owner(), public)
        .await
        .unwrap();
    assert_eq!(world.views().session_data(public).await.unwrap().valid_until, 0);
}
