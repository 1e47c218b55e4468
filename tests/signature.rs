//! §2 Signatures: wrong keys and malformed layouts are clean rejections.

use session_account::contract::ContractError;
use session_account::signature::{session_signature, SESSION_MAGIC};
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account_e2e::{send_without_estimate, ForgedSignatureAccount, World};
use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;

#[tokio::test]
async fn malformed_signatures_are_rejected_cleanly() {
    let world = World::new().await;
    let key = world.strk_session().await;
    let public = key.verifying_key().scalar();
    // Each case turns a valid session signature into a malformed one.
    type Mangle = fn(Vec<Felt>) -> Vec<Felt>;
    let cases: [(&str, Mangle); 10] = [
        ("empty", |_| vec![]),
        ("one felt", |s| s[..1].to_vec()),
        ("header without s", |s| s[..3].to_vec()),
        ("wrong magic", |mut s| {
            s[0] = short_string!("session-v0");
            s
        }),
        ("retired v1 layout, fee fields and all", |mut s| {
            s[0] = short_string!("session-v1");
            s.extend([Felt::ZERO; 5]);
            s
        }),
        ("padded", |mut s| {
            s.push(Felt::ZERO);
            s
        }),
        ("garbage authorization", |mut s| {
            s.extend([Felt::ONE, Felt::TWO, Felt::THREE]);
            s
        }),
        ("padded owner layout", |s| vec![s[2], s[3], Felt::ZERO]),
        // An authorization whose allowed-calls length is 2^32 - 1 (a u32
        // overflow in a naive parser), then one of P - 1.
        ("huge length inside the authorization", |mut s| {
            let key = s[1];
            s.extend([
                key,
                Felt::ONE,
                Felt::TWO,
                Felt::ZERO,
                Felt::ZERO,
                Felt::ZERO,
                Felt::from(u32::MAX),
                Felt::ONE,
            ]);
            s
        }),
        ("length of P - 1 inside the authorization", |mut s| {
            let key = s[1];
            s.extend([
                key,
                Felt::ONE,
                Felt::TWO,
                Felt::ZERO,
                Felt::ZERO,
                Felt::ZERO,
                Felt::MAX,
                Felt::ONE,
            ]);
            s
        }),
    ];
    let nonce = world.nonce().await;
    for (name, mangle) in cases {
        let key = key.clone();
        let forged = ForgedSignatureAccount::new(&world, move |hash| {
            mangle(session_signature(public, &key.sign(&hash).unwrap(), None))
        });
        let error = send_without_estimate(&forged, vec![transfer_call(STRK, world.recipient, 1)])
            .await
            .unwrap_err();
        assert!(error.is_rejected(), "{name}: {error}");
        assert_eq!(
            error.contract_error(),
            Some(ContractError::MalformedSignature),
            "{name}: {error}"
        );
    }
    assert_eq!(world.nonce().await, nonce);
    assert_eq!(SESSION_MAGIC, short_string!("session-v2"));
}
