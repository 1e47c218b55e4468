//! Signatures: wrong keys and malformed layouts are clean rejections.

use session_account::contract::ContractError;
use session_account::devnet::STRK;
use session_account::signature::SESSION_MAGIC;
use session_account::token::transfer_call;
use session_account_e2e::{send_without_estimate, ForgedSignatureAccount, World};
use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;
use starknet_rust::signers::SigningKey;

#[tokio::test]
async fn session_signature_by_another_key_is_rejected() {
    let world = World::new().await;
    let registered = world.strk_session().await;
    let registered_public = registered.verifying_key().scalar();
    let thief = SigningKey::from_random();
    let forged = ForgedSignatureAccount::new(&world, move |hash| {
        let sig = thief.sign(&hash).unwrap();
        vec![SESSION_MAGIC, registered_public, sig.r, sig.s]
    });
    let nonce = world.nonce().await;
    let error = send_without_estimate(&forged, vec![transfer_call(STRK, world.recipient, 1)]).await.unwrap_err();
    assert!(error.is_rejected(), "{error}");
    assert_eq!(error.contract_error(), Some(ContractError::InvalidSignature), "{error}");
    assert_eq!(world.nonce().await, nonce);
}

#[tokio::test]
async fn unregistered_session_key_is_rejected() {
    let world = World::new().await;
    let stranger = SigningKey::from_random();
    let error = send_without_estimate(&world.session(&stranger), vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionNotRegistered), "{error}");
}

#[tokio::test]
async fn malformed_signatures_are_rejected_cleanly() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    type Layout = fn(Felt, Felt, Felt, Felt) -> Vec<Felt>;
    let cases: [(&str, Layout); 6] = [
        ("empty", |_, _, _, _| vec![]),
        ("one felt", |_, _, r, _| vec![r]),
        ("short session", |m, k, r, _| vec![m, k, r]),
        ("wrong magic", |_, k, r, s| vec![short_string!("session-v0"), k, r, s]),
        ("padded session", |m, k, r, s| vec![m, k, r, s, Felt::ZERO]),
        ("padded owner", |_, _, r, s| vec![r, s, Felt::ZERO]),
    ];
    let nonce = world.nonce().await;
    for (name, layout) in cases {
        let key = key.clone();
        let forged = ForgedSignatureAccount::new(&world, move |hash| {
            let sig = key.sign(&hash).unwrap();
            layout(SESSION_MAGIC, public, sig.r, sig.s)
        });
        let error = send_without_estimate(&forged, vec![transfer_call(STRK, world.recipient, 1)])
            .await
            .unwrap_err();
        assert!(error.is_rejected(), "{name}: {error}");
        assert_eq!(error.contract_error(), Some(ContractError::MalformedSignature), "{name}: {error}");
    }
    assert_eq!(world.nonce().await, nonce);
}
