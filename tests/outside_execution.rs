//! §11 Gasless session transactions: SNIP-9 v2 outside execution, relayed
//! and paid for by another account, under the same session policy.

use session_account::account::owner::calls;
use session_account::account::OwnerOperations;
use session_account::contract::{selectors, ContractError};
use session_account::outside::{OutsideExecution, Relayer, ANY_CALLER, OUTSIDE_EXECUTION_V2_ID};
use session_account::policy::{AllowedContract, SpendingLimit};
use session_account::session_client::SessionClient;
use session_account::session_token::SessionToken;
use session_account::token::{balance_of, transfer_call};
use session_account::token::{ETH, STRK};
use session_account_e2e::{World, HOUR, STRK_UNIT};
use session_account_testkit::devnet::client::TokenUnit;
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, FunctionCall, U256};
use starknet_rust::providers::Provider;
use starknet_rust::signers::SigningKey;

fn token_for(
    world: &World,
    key: &SigningKey,
    policy: session_account::policy::SessionPolicy,
    authorize: bool,
) -> SessionToken {
    SessionToken {
        session_key: key.clone(),
        account: world.account.address,
        chain_id: world.sandbox.chain_id,
        authorization: authorize.then(|| world.authorize(&policy, 0)),
        policy,
    }
}

#[tokio::test]
async fn gasless_transfer_from_an_account_that_never_held_strk() {
    let mut world = World::new().await;
    // An account deployed through the UDC by someone else: zero STRK, ever.
    world.account = world
        .sandbox
        .deploy_unfunded_account(SigningKey::from_random(), Felt::from(99u8))
        .await
        .unwrap();
    world
        .sandbox
        .devnet_client
        .mint(world.account.address, 5 * STRK_UNIT, TokenUnit::Wei)
        .await
        .unwrap();
    assert_eq!(world.strk_balance(world.account.address).await, 0);

    let key = SigningKey::from_random();
    let policy = world.policy(&key, HOUR, &[ETH]).await;
    // Never registered by an owner transaction: the first relayed
    // execution carries the owner's authorization.
    let mut client = SessionClient::connect(
        world.sandbox.devnet.provider(),
        token_for(&world, &key, policy.clone(), true),
    )
    .await
    .unwrap();
    let relayer = world.sandbox.relayer(3);
    let relayer_before = world.strk_balance(relayer.address()).await;
    let eth = |a| balance_of(&world.sandbox.provider, ETH, a);
    let recipient_before = eth(world.recipient).await.unwrap();

    client
        .execute_gasless(vec![transfer_call(ETH, world.recipient, STRK_UNIT)], &relayer)
        .await
        .unwrap();
    client
        .execute_gasless(vec![transfer_call(ETH, world.recipient, STRK_UNIT)], &relayer)
        .await
        .unwrap();

    assert_eq!(eth(world.recipient).await.unwrap(), recipient_before + 2 * STRK_UNIT);
    assert_eq!(world.strk_balance(world.account.address).await, 0, "the account paid nothing");
    assert!(world.strk_balance(relayer.address()).await < relayer_before, "the relayer paid");
    let status = client.status().await.unwrap();
    assert!(status.registered && status.active);
    assert_eq!(status.calls_used, 2);
    // The user-pays path needs STRK the account does not have.
    let error = client.execute(vec![transfer_call(ETH, world.recipient, 1)]).await.unwrap_err();
    assert!(
        error.contract_error().is_none() && error.to_string().to_lowercase().contains("balance"),
        "{error}"
    );
}

/// One policy case, sent both ways; both must refuse it with `expected`.
async fn assert_refused_both_ways(
    world: &World,
    key: &SigningKey,
    calls: Vec<Call>,
    expected: ContractError,
) {
    let token = token_for(world, key, world.policy(key, HOUR, &[]).await, false);
    let mut client = SessionClient::connect(world.sandbox.devnet.provider(), token).await.unwrap();
    let direct = client.execute(calls.clone()).await.unwrap_err();
    assert_eq!(direct.contract_error(), Some(expected), "direct: {direct}");
    let relayer = world.sandbox.relayer(3);
    let gasless = client.execute_gasless(calls, &relayer).await.unwrap_err();
    assert_eq!(gasless.contract_error(), Some(expected), "gasless: {gasless}");
}

#[tokio::test]
async fn every_policy_refusal_of_the_direct_path_holds_gaslessly() {
    let world = World::new().await;
    let key = SigningKey::from_random();
    let mut policy = world.policy(&key, HOUR, &[]).await;
    policy.allowed_calls = vec![AllowedContract {
        contract: STRK,
        entrypoints: vec![selectors::TRANSFER, selectors::APPROVE],
    }];
    policy.spending_limits = vec![SpendingLimit::lifetime(STRK, U256::from(10 * STRK_UNIT))];
    policy.max_calls_per_tx = 2;
    world.register(&policy).await;
    let t = |amount| transfer_call(STRK, world.recipient, amount);
    let cases: Vec<(&str, Vec<Call>, ContractError)> = vec![
        (
            "contract not granted",
            vec![transfer_call(ETH, world.recipient, 1)],
            ContractError::SessionContractNotAllowed,
        ),
        (
            "entrypoint not granted",
            vec![Call {
                to: STRK,
                selector: selectors::INCREASE_ALLOWANCE,
                calldata: vec![world.recipient, Felt::ONE, Felt::ZERO],
            }],
            ContractError::SessionEntrypointNotAllowed,
        ),
        (
            "over the spending limit",
            vec![t(10 * STRK_UNIT + 1)],
            ContractError::SessionSpendingLimit,
        ),
        (
            "multicall split over the limit",
            vec![t(6 * STRK_UNIT), t(6 * STRK_UNIT)],
            ContractError::SessionSpendingLimit,
        ),
        ("too many calls", vec![t(1), t(1), t(1)], ContractError::SessionTooManyCalls),
        (
            "malformed amount",
            vec![Call {
                to: STRK,
                selector: selectors::TRANSFER,
                calldata: vec![world.recipient, Felt::ONE],
            }],
            ContractError::SessionMalformedCalldata,
        ),
        (
            "admin: revoke-all",
            vec![calls::revoke_all_sessions(world.account.address)],
            ContractError::SessionSelfCall,
        ),
        (
            "admin: upgrade",
            vec![calls::upgrade(world.account.address, world.sandbox.account_class_hash)],
            ContractError::SessionSelfCall,
        ),
        (
            "nested outside execution",
            vec![OutsideExecution {
                caller: ANY_CALLER,
                nonce: Felt::ONE,
                execute_after: 0,
                execute_before: u64::MAX / 2,
                calls: vec![],
            }
            .to_call(world.account.address, vec![])],
            ContractError::SessionSelfCall,
        ),
    ];
    for (name, calls, expected) in cases {
        let token = SessionToken {
            session_key: key.clone(),
            account: world.account.address,
            chain_id: world.sandbox.chain_id,
            policy: policy.clone(),
            authorization: None,
        };
        let mut client =
            SessionClient::connect(world.sandbox.devnet.provider(), token).await.unwrap();
        let direct = client.execute(calls.clone()).await.unwrap_err();
        assert_eq!(direct.contract_error(), Some(expected), "{name} (direct): {direct}");
        let gasless = client.execute_gasless(calls, &world.sandbox.relayer(3)).await.unwrap_err();
        assert_eq!(gasless.contract_error(), Some(expected), "{name} (gasless): {gasless}");
    }
    // Nothing above was spent or counted; within the policy both paths work.
    let status = world.views().status(policy.session_key).await.unwrap();
    assert_eq!(status.calls_used, 0);
}

#[tokio::test]
async fn lifecycle_refusals_hold_gaslessly() {
    let world = World::new().await;
    let stranger = SigningKey::from_random();
    assert_refused_both_ways(
        &world,
        &stranger,
        vec![transfer_call(STRK, world.recipient, 1)],
        ContractError::SessionNotRegistered,
    )
    .await;

    let expired = SigningKey::from_random();
    let mut policy = world.policy(&expired, HOUR, &[STRK]).await;
    policy.valid_until = world.now().await + 60;
    world.register(&policy).await;
    let revoked = world.strk_session().await;
    world.owner().revoke_session(revoked.verifying_key().scalar()).await.unwrap();
    world.sandbox.devnet_client.increase_time(2 * HOUR).await.unwrap();
    for (key, policy_key, expected) in [
        (&expired, policy.clone(), ContractError::SessionExpired),
        (&revoked, world.policy(&revoked, HOUR, &[STRK]).await, ContractError::SessionRevoked),
    ] {
        let token = SessionToken {
            session_key: key.clone(),
            account: world.account.address,
            chain_id: world.sandbox.chain_id,
            policy: policy_key,
            authorization: None,
        };
        let mut client =
            SessionClient::connect(world.sandbox.devnet.provider(), token).await.unwrap();
        let direct =
            client.execute(vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
        assert_eq!(direct.contract_error(), Some(expected), "direct: {direct}");
        let gasless = client
            .execute_gasless(
                vec![transfer_call(STRK, world.recipient, 1)],
                &world.sandbox.relayer(3),
            )
            .await
            .unwrap_err();
        assert_eq!(gasless.contract_error(), Some(expected), "gasless: {gasless}");
    }
}

async fn outside_execution(world: &World, caller: Felt, calls: Vec<Call>) -> OutsideExecution {
    let now = world.now().await;
    OutsideExecution {
        caller,
        nonce: SigningKey::from_random().secret_scalar(),
        execute_after: now - 60,
        execute_before: now + HOUR,
        calls,
    }
}

#[tokio::test]
async fn nonces_callers_and_windows_are_enforced() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let relayer = world.sandbox.relayer(3);
    let other_relayer = world.sandbox.relayer(2);
    let sign = |e: &OutsideExecution| {
        e.sign_as_session(&key, world.account.address, world.sandbox.chain_id, None).unwrap()
    };

    // Replay of a relayed execution.
    let execution =
        outside_execution(&world, relayer.address(), vec![transfer_call(STRK, world.recipient, 1)])
            .await;
    relayer.relay(world.account.address, &execution, sign(&execution)).await.unwrap();
    let unused = session_account::outside::is_valid_session_outside_nonce(
        &world.sandbox.provider,
        world.account.address,
        key.verifying_key().scalar(),
        execution.nonce,
    )
    .await
    .unwrap();
    assert!(!unused, "a relayed execution's nonce is used");
    let error =
        relayer.relay(world.account.address, &execution, sign(&execution)).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OutsideNonceUsed), "{error}");

    // Submitted by someone other than the named caller.
    let execution =
        outside_execution(&world, relayer.address(), vec![transfer_call(STRK, world.recipient, 1)])
            .await;
    let error =
        other_relayer.relay(world.account.address, &execution, sign(&execution)).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OutsideInvalidCaller), "{error}");
    // ANY_CALLER lets anyone submit.
    let execution =
        outside_execution(&world, ANY_CALLER, vec![transfer_call(STRK, world.recipient, 1)]).await;
    other_relayer.relay(world.account.address, &execution, sign(&execution)).await.unwrap();

    // Outside its window.
    let mut late =
        outside_execution(&world, ANY_CALLER, vec![transfer_call(STRK, world.recipient, 1)]).await;
    late.execute_before = world.now().await - 1;
    let error = relayer.relay(world.account.address, &late, sign(&late)).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OutsideExpired), "{error}");
    let mut early =
        outside_execution(&world, ANY_CALLER, vec![transfer_call(STRK, world.recipient, 1)]).await;
    early.execute_after = world.now().await + HOUR;
    let error = relayer.relay(world.account.address, &early, sign(&early)).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OutsideTooEarly), "{error}");

    // A signature over another execution.
    let execution =
        outside_execution(&world, ANY_CALLER, vec![transfer_call(STRK, world.recipient, 1)]).await;
    let mut other = execution.clone();
    other.calls[0].calldata[1] = Felt::from(1000u16);
    let error = relayer.relay(world.account.address, &other, sign(&execution)).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidSignature), "{error}");
}

#[tokio::test]
async fn owner_signed_outside_execution_may_administer_session_signed_may_not() {
    let world = World::new().await;
    let relayer = world.sandbox.relayer(3);
    let key = world.strk_session().await;
    let admin = vec![calls::revoke_all_sessions(world.account.address)];
    let execution = outside_execution(&world, relayer.address(), admin.clone()).await;
    let by_session = execution
        .sign_as_session(&key, world.account.address, world.sandbox.chain_id, None)
        .unwrap();
    let error = relayer.relay(world.account.address, &execution, by_session).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionSelfCall), "{error}");
    assert_eq!(world.views().revocation_epoch().await.unwrap(), 0);

    let execution = outside_execution(&world, relayer.address(), admin).await;
    let by_owner = execution
        .sign_as_owner(&world.account.owner_key, world.account.address, world.sandbox.chain_id)
        .unwrap();
    relayer.relay(world.account.address, &execution, by_owner).await.unwrap();
    assert_eq!(world.views().revocation_epoch().await.unwrap(), 1);

    let supports = world
        .sandbox
        .provider
        .call(
            FunctionCall {
                contract_address: world.account.address,
                entry_point_selector: selectors::SUPPORTS_INTERFACE,
                calldata: vec![OUTSIDE_EXECUTION_V2_ID],
            },
            BlockId::Tag(BlockTag::Latest),
        )
        .await
        .unwrap();
    assert_eq!(supports, vec![Felt::ONE]);
}

/// §11 (issue #18, finding 4): the owner and each session have their own
/// nonce space, so a leaked session key cannot burn the nonce of a pending
/// owner-signed execution (nor another session's).
#[tokio::test]
async fn a_session_cannot_spend_the_nonce_of_a_pending_owner_execution() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let other = world.strk_session().await;
    let relayer = world.sandbox.relayer(3);
    let (account, chain) = (world.account.address, world.sandbox.chain_id);
    let pay = || vec![transfer_call(STRK, world.recipient, 1)];
    // The owner signs an execution; before it is relayed, the leaked session
    // key relays its own with the same nonce.
    let pending = outside_execution(&world, ANY_CALLER, pay()).await;
    let by_owner = pending.sign_as_owner(&world.account.owner_key, account, chain).unwrap();
    let front_run = pending.sign_as_session(&key, account, chain, None).unwrap();
    relayer.relay(account, &pending, front_run).await.unwrap();
    let provider = &world.sandbox.provider;
    let owner_space = session_account::outside::is_valid_outside_execution_nonce(
        provider,
        account,
        pending.nonce,
    );
    assert!(owner_space.await.unwrap(), "the owner's nonce is still unused");
    let other_space = session_account::outside::is_valid_session_outside_nonce(
        provider,
        account,
        other.verifying_key().scalar(),
        pending.nonce,
    );
    assert!(other_space.await.unwrap(), "and so is the other session's");
    // The owner's execution still runs, once.
    relayer.relay(account, &pending, by_owner.clone()).await.unwrap();
    let error = relayer.relay(account, &pending, by_owner).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::OutsideNonceUsed), "{error}");
    // The other session's space is its own too.
    let by_other = pending.sign_as_session(&other, account, chain, None).unwrap();
    relayer.relay(account, &pending, by_other).await.unwrap();
}
