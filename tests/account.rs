//! The account itself: class, deployment, owner path, introspection.

use session_account::account::AccountAt;
use session_account::contract::{selectors, ContractArtifact};
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx;
use session_account_e2e::{World, STRK_UNIT};
use starknet_rust::core::types::{BlockId, BlockTag, Felt, FunctionCall};
use starknet_rust::macros::{felt, short_string};
use starknet_rust::providers::Provider;
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn class_hash_and_deployment_match_devnet() {
    let world = World::new().await;
    let on_chain = world
        .sandbox
        .provider
        .get_class_hash_at(BlockId::Tag(BlockTag::Latest), world.account.address)
        .await
        .unwrap();
    assert_eq!(on_chain, ContractArtifact::session_account().class_hash().unwrap());
    assert_eq!(on_chain, world.sandbox.account_class_hash);
    let owner: Vec<Felt> = world
        .sandbox
        .provider
        .call(
            FunctionCall {
                contract_address: world.account.address,
                entry_point_selector: selectors::GET_OWNER,
                calldata: vec![],
            },
            BlockId::Tag(BlockTag::Latest),
        )
        .await
        .unwrap();
    assert_eq!(owner, vec![world.account.owner_key.verifying_key().scalar()]);
}

#[tokio::test]
async fn owner_transfer_works() {
    let world = World::new().await;
    let before = world.strk_balance(world.recipient).await;
    tx::execute(&world.owner(), vec![transfer_call(STRK, world.recipient, 3 * STRK_UNIT)])
        .await
        .unwrap();
    assert_eq!(world.strk_balance(world.recipient).await, before + 3 * STRK_UNIT);
}

#[tokio::test]
async fn owner_signature_with_the_wrong_key_is_rejected() {
    let world = World::new().await;
    let impostor = session_account::account::owner::owner_account(
        world.sandbox.devnet.provider(),
        SigningKey::from_random(),
        AccountAt { address: world.account.address, chain_id: world.sandbox.chain_id },
    );
    let nonce = world.nonce().await;
    let error = session_account_e2e::send_without_estimate(
        &impostor,
        vec![transfer_call(STRK, world.recipient, 1)],
    )
    .await
    .unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(
        error.contract_error(),
        Some(session_account::contract::ContractError::InvalidSignature),
        "{error}"
    );
    assert_eq!(world.nonce().await, nonce, "a rejected transaction must not move the nonce");
}

async fn view(world: &World, selector: Felt, calldata: Vec<Felt>) -> Vec<Felt> {
    world
        .sandbox
        .provider
        .call(
            FunctionCall {
                contract_address: world.account.address,
                entry_point_selector: selector,
                calldata,
            },
            BlockId::Tag(BlockTag::Latest),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn supports_src5_and_src6_only() {
    let world = World::new().await;
    let src5 = felt!("0x3f918d17e5ee77373b56385708f855659a07f75997f365cf87748628532a055");
    let src6 = felt!("0x2ceccef7f994940b3962a6c67e0ba4fcd37df7d131417c604f91e03caecc1cd");
    assert_eq!(view(&world, selectors::SUPPORTS_INTERFACE, vec![src5]).await, vec![Felt::ONE]);
    assert_eq!(view(&world, selectors::SUPPORTS_INTERFACE, vec![src6]).await, vec![Felt::ONE]);
    assert_eq!(
        view(&world, selectors::SUPPORTS_INTERFACE, vec![Felt::from(0x1234u16)]).await,
        vec![Felt::ZERO]
    );
}

#[tokio::test]
async fn is_valid_signature_accepts_the_owner_only() {
    let world = World::new().await;
    let hash = felt!("0x1234abcd");
    let owner_sig = world.account.owner_key.sign(&hash).unwrap();
    let valid = short_string!("VALID");
    assert_eq!(
        view(
            &world,
            selectors::IS_VALID_SIGNATURE,
            vec![hash, Felt::TWO, owner_sig.r, owner_sig.s]
        )
        .await,
        vec![valid]
    );
    // A registered session key's signature is refused here: it would bypass the policy.
    let session_key = world.strk_session().await;
    let session_sig = session_key.sign(&hash).unwrap();
    let mut calldata = vec![hash];
    let layout = session_account::signature::session_signature(
        session_key.verifying_key().scalar(),
        &session_sig,
        None,
    );
    calldata.push(Felt::from(layout.len()));
    calldata.extend(layout);
    assert_eq!(view(&world, selectors::IS_VALID_SIGNATURE, calldata).await, vec![Felt::ZERO]);
    // The session key's raw [r, s] does not pass as the owner either.
    assert_eq!(
        view(
            &world,
            selectors::IS_VALID_SIGNATURE,
            vec![hash, Felt::TWO, session_sig.r, session_sig.s]
        )
        .await,
        vec![Felt::ZERO]
    );
    // Malformed input is a clean 0, not a panic.
    assert_eq!(
        view(&world, selectors::IS_VALID_SIGNATURE, vec![hash, Felt::ONE, Felt::ONE]).await,
        vec![Felt::ZERO]
    );
}

/// Code written against starknet-rust's traits only, knowing nothing of
/// sessions.
async fn pay_through_the_account_traits<A>(account: &A, to: Felt, amount: u128) -> Felt
where
    A: starknet_rust::accounts::ConnectedAccount + Sync,
{
    let nonce = account.get_nonce().await.unwrap();
    let execution = account.execute_v3(vec![transfer_call(STRK, to, amount)]).nonce(nonce);
    let estimate = execution.estimate_fee().await.unwrap();
    assert!(estimate.overall_fee > 0);
    let sent = execution.send().await.unwrap();
    tx::wait_for_receipt(account.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
        .unwrap();
    sent.transaction_hash
}

#[tokio::test]
async fn session_and_owner_accounts_plug_into_generic_account_code() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let before = world.strk_balance(world.recipient).await;
    pay_through_the_account_traits(&world.session(&key), world.recipient, 3).await;
    pay_through_the_account_traits(&world.owner(), world.recipient, 4).await;
    assert_eq!(world.strk_balance(world.recipient).await, before + 7);
}
