//! §2.3 A passkey in a real browser: headless Chromium with a CDP virtual
//! authenticator creates a passkey on a localhost page; the account is
//! deployed with it as owner; the assertion `navigator.credentials.get()`
//! returns for the session hash's challenge, as `PublicKeyCredential.toJSON()`
//! gives it, authorizes a session, and that session transacts.
//!
//! Runs when Chromium is installed (`$CHROMIUM` or `/usr/bin/chromium`);
//! CI installs it (`scripts/install-browser`) and sets
//! `SESSION_ACCOUNT_REQUIRE_BROWSER=1`, under which a missing browser fails.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use session_account::account::AccountAt;
use session_account::contract::ContractArtifact;
use session_account::policy::{session_hash, Binding};
use session_account::signature::Authorization;
use session_account::signers::{challenge, Assertion, OwnerKey, P256PublicKey, WebAuthnOwner};
use session_account::token::{transfer_call, STRK, STRK_UNIT};
use session_account::tx;
use session_account_e2e::browser::{chromium, serve_blank_page, Browser};
use session_account_e2e::{World, HOUR};
use session_account_testkit::devnet::TokenUnit;
use starknet_rust::core::types::Felt;
use starknet_rust::signers::{LocalWallet, SigningKey};

/// Creates a resident, user-verifying ES256 passkey for relying party
/// `localhost` and returns `PublicKeyCredential.toJSON()` of it.
const CREATE: &str = r#"(async () => {
  const credential = await navigator.credentials.create({ publicKey: {
    rp: { id: "localhost", name: "session-account" },
    user: { id: new Uint8Array(16).fill(1), name: "owner", displayName: "owner" },
    challenge: new Uint8Array(32),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  }});
  return JSON.stringify(credential.toJSON());
})()"#;

/// Asks the passkey `CREDENTIAL` to assert `CHALLENGE` (base64url) and
/// returns `PublicKeyCredential.toJSON()` of the assertion.
const GET: &str = r#"(async () => {
  const options = PublicKeyCredential.parseRequestOptionsFromJSON({
    challenge: "CHALLENGE",
    rpId: "localhost",
    allowCredentials: [{ type: "public-key", id: "CREDENTIAL" }],
    userVerification: "required",
  });
  const assertion = await navigator.credentials.get({ publicKey: options });
  return JSON.stringify(assertion.toJSON());
})()"#;

#[tokio::test]
async fn a_passkey_in_chromium_authorizes_a_session_that_then_transacts() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("SESSION_ACCOUNT_REQUIRE_BROWSER").is_none(),
            "SESSION_ACCOUNT_REQUIRE_BROWSER is set but Chromium is not installed \
             (run scripts/install-browser, or set $CHROMIUM)"
        );
        eprintln!("skipped: Chromium is not installed (scripts/install-browser installs it)");
        return;
    };
    let started = std::time::Instant::now();
    let origin = format!("http://localhost:{}", serve_blank_page());
    let mut browser = Browser::launch(&chromium).await.expect("Chromium starts");
    browser.command("WebAuthn.enable", json!({})).await.unwrap();
    browser
        .command(
            "WebAuthn.addVirtualAuthenticator",
            json!({ "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true,
                "automaticPresenceSimulation": true,
            }}),
        )
        .await
        .expect("a virtual authenticator");
    browser.open(&format!("{origin}/")).await.expect("the page loads");

    // The passkey, and the owner it makes: its public key arrives as
    // SubjectPublicKeyInfo DER, which an uncompressed P-256 point ends.
    let created = json_of(browser.evaluate(CREATE).await.expect("the passkey is created"));
    let spki = URL_SAFE_NO_PAD.decode(created["response"]["publicKey"].as_str().unwrap()).unwrap();
    assert_eq!(created["response"]["publicKeyAlgorithm"], json!(-7), "ES256");
    let point = &spki[spki.len() - 64..];
    let key =
        P256PublicKey { x: point[..32].try_into().unwrap(), y: point[32..].try_into().unwrap() };
    let owner = OwnerKey::WebAuthn(WebAuthnOwner::new(key, "localhost", &origin, true));

    let world = World::new().await;
    let address = world
        .sandbox
        .deploy_contract(&ContractArtifact::session_account(), Felt::from(21u8), owner.to_felts())
        .await
        .expect("the account deploys with the passkey as owner");
    world.sandbox.devnet_client.mint(address, 100 * STRK_UNIT, TokenUnit::Fri).await.unwrap();

    // One tap: the passkey asserts the session hash's challenge.
    let session_key = SigningKey::from_random();
    let policy = world.policy(&session_key, HOUR, &[STRK]).await;
    let hash = session_hash(&policy, &Binding::new_account(address, world.sandbox.chain_id));
    let get = GET
        .replace("CHALLENGE", &challenge(hash))
        .replace("CREDENTIAL", created["id"].as_str().unwrap());
    let asserted = browser.evaluate(&get).await.expect("the passkey asserts");
    let response_json = asserted.as_str().expect("a JSON string").to_string();
    let client_data = URL_SAFE_NO_PAD
        .decode(json_of(asserted)["response"]["clientDataJSON"].as_str().unwrap())
        .unwrap();
    let client_data: Value = serde_json::from_slice(&client_data).unwrap();
    assert_eq!(client_data["origin"], json!(origin), "the browser reports its origin");
    assert_eq!(client_data["challenge"], json!(challenge(hash)));

    // The assertion, exactly as the browser returned it, authorizes the
    // session its first transaction carries; the session then goes on alone.
    let assertion = Assertion::from_response_json(&response_json).expect("the assertion lays out");
    let authorization = Authorization { policy, owner_signature: assertion.to_felts() };
    let session = session_account::account::SessionAccount::new(
        world.sandbox.devnet.provider(),
        LocalWallet::from_signing_key(session_key.clone()),
        session_key.verifying_key().scalar(),
        AccountAt { address, chain_id: world.sandbox.chain_id },
    );
    let views = world.views_of(address);
    let before = world.strk_balance(world.recipient).await;
    tx::execute(
        &session.clone().with_authorization(authorization),
        vec![transfer_call(STRK, world.recipient, 2)],
    )
    .await
    .expect("the first session transaction registers and transfers");
    tx::execute(&session, vec![transfer_call(STRK, world.recipient, 3)])
        .await
        .expect("the session transacts without the owner");
    assert_eq!(world.strk_balance(world.recipient).await, before + 5);
    let status = views.status(session_key.verifying_key().scalar()).await.unwrap();
    assert!(status.registered && status.active);
    eprintln!("browser passkey test: {:.1} s", started.elapsed().as_secs_f64());
}

fn json_of(value: Value) -> Value {
    serde_json::from_str(value.as_str().expect("a JSON string")).expect("JSON")
}
