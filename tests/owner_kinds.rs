//! §2.1, §2.3, §7 Owners of every kind on devnet: a raw P-256 key and a
//! passkey (a software passkey asserting as a platform authenticator)
//! deploy the account, sign its transactions through the library's
//! `KeyedOwnerAccount`, answer `is_valid_signature`, authorize a session
//! its first transaction carries, sign outside executions a relayer
//! submits, and take over by rotation. One passkey is made and asserted
//! by 1Password's `passkey` crate (a CTAP2 authenticator behind a WebAuthn
//! client), as platform authenticators do.

use session_account::account::owner::calls;
use session_account::account::AccountAt;
use session_account::account::{KeyedOwnerAccount, OwnerOperations, SessionAccount};
use session_account::contract::{selectors, ContractError};
use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::signers::{OwnerSigner, P256Owner, SoftwarePasskey, WEBAUTHN_MAGIC};
use session_account::token::{transfer_call, STRK};
use session_account::tx;
use session_account_e2e::{send_without_estimate, World, HOUR};
use session_account_testkit::devnet::sandbox::Rpc;
use starknet_rust::accounts::Account;
use starknet_rust::core::types::{BlockId, BlockTag, Felt, FunctionCall};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

fn p256_owner(seed: u8) -> P256Owner {
    P256Owner::from_secret_bytes(&[seed; 32]).expect("a P-256 secret")
}

fn passkey(seed: u8) -> SoftwarePasskey {
    SoftwarePasskey::new(p256_owner(seed), "app.example.com", "https://app.example.com")
}

/// An account deployed with `owner` as its constructor's calldata, holding
/// 100 STRK, and its owner account.
async fn deploy<O: OwnerSigner>(world: &World, owner: O, salt: u8) -> KeyedOwnerAccount<Rpc, O> {
    let address = world.deploy_owned(&owner.owner_key(), salt).await;
    KeyedOwnerAccount::new(
        world.sandbox.devnet.provider(),
        owner,
        AccountAt { address, chain_id: world.sandbox.chain_id },
    )
}

/// `session_key`'s account at `address`, its first transaction carrying
/// `authorization`.
fn carrying(
    world: &World,
    address: Felt,
    session_key: &SigningKey,
    authorization: Authorization,
) -> SessionAccount<Rpc, LocalWallet> {
    SessionAccount::new(
        world.sandbox.devnet.provider(),
        LocalWallet::from_signing_key(session_key.clone()),
        session_key.verifying_key().scalar(),
        AccountAt { address, chain_id: world.sandbox.chain_id },
    )
    .with_authorization(authorization)
}

async fn is_valid_signature(
    world: &World,
    account: Felt,
    hash: Felt,
    signature: Vec<Felt>,
) -> Felt {
    let mut calldata = vec![hash, Felt::from(signature.len())];
    calldata.extend(signature);
    let call = FunctionCall {
        contract_address: account,
        entry_point_selector: selectors::IS_VALID_SIGNATURE,
        calldata,
    };
    world.sandbox.provider.call(call, BlockId::Tag(BlockTag::PreConfirmed)).await.expect("view")[0]
}

async fn owner_key_of(world: &World, account: Felt) -> Vec<Felt> {
    let call = FunctionCall {
        contract_address: account,
        entry_point_selector: selectors::GET_OWNER_KEY,
        calldata: vec![],
    };
    world.sandbox.provider.call(call, BlockId::Tag(BlockTag::PreConfirmed)).await.expect("view")
}

#[tokio::test]
async fn p256_and_passkey_owners_deploy_transact_and_answer_signatures() {
    let world = World::new().await;
    let p256 = deploy(&world, p256_owner(3), 11).await;
    let webauthn = deploy(&world, passkey(4), 12).await;
    for (account, key) in [
        (p256.address(), p256.owner().owner_key()),
        (webauthn.address(), webauthn.owner().owner_key()),
    ] {
        assert_eq!(owner_key_of(&world, account).await, key.to_felts());
        assert_eq!(world.views_of(account).owner().await.unwrap(), key.id());
    }
    // Owner transactions, estimated and sent through starknet-rust.
    tx::execute(&p256, vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .expect("P-256 owner transfers");
    tx::execute(&webauthn, vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .expect("passkey owner transfers");
    // is_valid_signature, and a signature of the other kind.
    let hash = Felt::from(0x5e55u16);
    let p256_sig = p256.owner().sign_hash(hash).unwrap();
    let passkey_sig = webauthn.owner().sign_hash(hash).unwrap();
    assert_eq!(passkey_sig[0], WEBAUTHN_MAGIC);
    assert_eq!(
        is_valid_signature(&world, p256.address(), hash, p256_sig.clone()).await,
        Felt::from_hex_unchecked("0x56414c4944")
    );
    assert_eq!(
        is_valid_signature(&world, webauthn.address(), hash, passkey_sig.clone()).await,
        Felt::from_hex_unchecked("0x56414c4944")
    );
    assert_eq!(
        is_valid_signature(&world, p256.address(), hash + Felt::ONE, p256_sig).await,
        Felt::ZERO
    );
    assert_eq!(is_valid_signature(&world, p256.address(), hash, passkey_sig).await, Felt::ZERO);
    // Another passkey's assertion is refused in validate, with its rule.
    let stranger = KeyedOwnerAccount::new(
        world.sandbox.devnet.provider(),
        passkey(9),
        AccountAt { address: webauthn.address(), chain_id: world.sandbox.chain_id },
    );
    let error = send_without_estimate(&stranger, vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::WebAuthnInvalidSignature), "{error}");
}

#[tokio::test]
async fn a_passkey_authorizes_a_session_its_first_transaction_carries() {
    let world = World::new().await;
    let owner = deploy(&world, passkey(5), 13).await;
    let session_key = SigningKey::from_random();
    let policy = world.policy(&session_key, HOUR, &[STRK]).await;
    let binding = Binding::new_account(owner.address(), world.sandbox.chain_id);
    let authorization =
        Authorization::sign_by(policy, owner.owner(), &binding).expect("the passkey signs");
    let session = carrying(&world, owner.address(), &session_key, authorization);
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 2)])
        .await
        .expect("registers and transfers");
    let status =
        world.views_of(owner.address()).status(session_key.verifying_key().scalar()).await.unwrap();
    assert!(status.registered && status.active);
}

#[tokio::test]
async fn the_owner_rotates_from_a_stark_key_to_a_passkey_and_on_to_p256() {
    let world = World::new().await;
    let stark = SigningKey::from_random();
    let first = deploy(&world, stark.clone(), 14).await;
    let address = first.address();
    // Stark -> passkey, proven by the passkey.
    let next = passkey(6);
    let rotate = calls::set_owner_key(address, world.sandbox.chain_id, &stark.owner_key(), &next)
        .expect("the passkey proves");
    tx::execute(&first, vec![rotate]).await.expect("rotates to the passkey");
    assert_eq!(owner_key_of(&world, address).await, next.owner_key().to_felts());
    let error = send_without_estimate(&first, vec![transfer_call(STRK, world.recipient, 1)])
        .await
        .unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::InvalidSignature), "{error}");
    // Passkey -> P-256, signed by the passkey, proven by the P-256 key.
    let by_passkey = KeyedOwnerAccount::new(
        world.sandbox.devnet.provider(),
        next,
        AccountAt { address, chain_id: world.sandbox.chain_id },
    );
    let last = p256_owner(7);
    let rotate = calls::set_owner_key(
        address,
        world.sandbox.chain_id,
        &by_passkey.owner().owner_key(),
        &last,
    )
    .unwrap();
    tx::execute(&by_passkey, vec![rotate]).await.expect("rotates to P-256");
    let by_p256 = KeyedOwnerAccount::new(
        world.sandbox.devnet.provider(),
        last,
        AccountAt { address, chain_id: world.sandbox.chain_id },
    );
    by_p256.revoke_all_sessions().await.expect("the P-256 owner administers");
    assert_eq!(world.views_of(address).owner_rotations().await.unwrap(), 2);
}

#[tokio::test]
async fn a_passkey_signs_an_outside_execution_a_relayer_submits() {
    use session_account::outside::{OutsideExecution, Relayer, ANY_CALLER};
    let world = World::new().await;
    let owner = deploy(&world, passkey(8), 15).await;
    let now = world.now().await;
    let session_key = SigningKey::from_random();
    let policy = world.policy(&session_key, HOUR, &[STRK]).await;
    let execution = OutsideExecution {
        caller: ANY_CALLER,
        nonce: Felt::from(0x0a5eu16),
        execute_after: now - 600,
        execute_before: now + 600,
        calls: vec![calls::register_session(owner.address(), &policy)],
    };
    let signature = execution
        .sign_by_owner(owner.owner(), owner.address(), world.sandbox.chain_id)
        .expect("the passkey signs");
    world.sandbox.relayer(2).relay(owner.address(), &execution, signature).await.expect("relayed");
    let status =
        world.views_of(owner.address()).status(session_key.verifying_key().scalar()).await.unwrap();
    assert!(status.registered);
}

/// 1Password's `passkey` crate: a software authenticator behind a WebAuthn
/// client, answering as a platform authenticator with its user present
/// and verified.
struct AlwaysVerified;

#[async_trait::async_trait]
impl passkey::authenticator::UserValidationMethod for AlwaysVerified {
    type PasskeyItem = passkey::types::Passkey;

    async fn check_user<'a>(
        &self,
        _hint: passkey::authenticator::UiHint<'a, Self::PasskeyItem>,
        presence: bool,
        verification: bool,
    ) -> Result<passkey::authenticator::UserCheck, passkey::types::ctap2::Ctap2Error> {
        Ok(passkey::authenticator::UserCheck { presence, verification })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

#[tokio::test]
async fn a_passkey_from_a_real_webauthn_client_authorizes_a_session() {
    use passkey::authenticator::Authenticator;
    use passkey::client::{Client, DefaultClientData};
    use passkey::types::webauthn::*;
    use passkey::types::{ctap2::Aaguid, Bytes, Passkey};
    use session_account::policy::session_hash;
    use session_account::signers::{Assertion, OwnerKey, P256PublicKey, WebAuthnOwner};
    use session_account_testkit::fuzz::authenticator::request_options;

    let origin = url::Url::parse("https://app.example.com").unwrap();
    let store: Option<Passkey> = None;
    let mut client = Client::new(Authenticator::new(Aaguid::new_empty(), store, AlwaysVerified));
    let created = client
        .register(
            &origin,
            CredentialCreationOptions {
                public_key: PublicKeyCredentialCreationOptions {
                    rp: PublicKeyCredentialRpEntity {
                        id: Some("app.example.com".into()),
                        name: "app".into(),
                    },
                    user: PublicKeyCredentialUserEntity {
                        id: Bytes::from(vec![1u8; 16]),
                        display_name: "owner".into(),
                        name: "owner".into(),
                    },
                    challenge: Bytes::from(vec![7u8; 32]),
                    pub_key_cred_params: vec![PublicKeyCredentialParameters {
                        ty: PublicKeyCredentialType::PublicKey,
                        alg: coset::iana::Algorithm::ES256,
                    }],
                    timeout: None,
                    exclude_credentials: None,
                    authenticator_selection: None,
                    hints: None,
                    attestation: AttestationConveyancePreference::None,
                    attestation_formats: None,
                    extensions: None,
                },
            },
            DefaultClientData,
        )
        .await
        .expect("the passkey is created");
    // The credential's public key, as SubjectPublicKeyInfo DER: an
    // uncompressed P-256 point ends it.
    let spki = created.response.public_key.expect("an ES256 public key").to_vec();
    let key = P256PublicKey::from_spki_der(&spki).expect("a P-256 key");
    let owner = OwnerKey::WebAuthn(WebAuthnOwner::new(
        key,
        "app.example.com",
        "https://app.example.com",
        true,
    ));

    let world = World::new().await;
    let address = world.deploy_owned(&owner, 16).await;

    // The passkey asserts the session hash's challenge.
    let session_key = SigningKey::from_random();
    let policy = world.policy(&session_key, HOUR, &[STRK]).await;
    let hash = session_hash(&policy, &Binding::new_account(address, world.sandbox.chain_id));
    let request = request_options(hash, "app.example.com");
    let asserted = client
        .authenticate(&origin, request, DefaultClientData)
        .await
        .expect("the passkey asserts");
    let response = asserted.response;
    let assertion = Assertion::from_parts(
        response.authenticator_data.to_vec(),
        response.client_data_json.to_vec(),
        &response.signature,
    )
    .expect("the assertion lays out");
    let authorization = Authorization { policy, owner_signature: assertion.to_felts() };
    let session = carrying(&world, address, &session_key, authorization);
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 2)])
        .await
        .expect("registers and transfers");
    let status =
        world.views_of(address).status(session_key.verifying_key().scalar()).await.unwrap();
    assert!(status.registered && status.active);
}
