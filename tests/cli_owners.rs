//! §2.1, §2.3, §7.3 Owners of every kind through the CLI: a P-256 owner in
//! an encrypted keystore deploys the account and authorizes a session;
//! the owner rotates to a software passkey, which registers sessions and
//! revokes them all, and back to the P-256 keystore; and a passkey held by a browser (only its
//! registration JSON on this machine) owns an account a relayer deploys,
//! and grants a session with one assertion read from stdin.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use session_account::signers::{OwnerSigner, P256Owner, SoftwarePasskey};
use session_account_e2e::cli::{devnet, User};
use starknet_rust::core::types::Felt;

fn mode(path: &Path) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions()) & 0o777
}

#[tokio::test]
async fn a_p256_owner_deploys_authorizes_and_rotates_to_a_passkey_and_back() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = User::new(&devnet, dir.path(), "owner");
    let deployed = owner.json(
        &["account", "deploy", "--owner", "p256", "--new-keystore", "p256.json", "--mint", "50"],
        0,
    );
    assert_eq!(deployed["owner_kind"], "p256");
    assert_eq!(mode(&owner.workdir.join("p256.json")), 0o600, "keystore must be private");
    let shown = owner.json(&["account", "show"], 0);
    assert_eq!(shown["owner_kind"], "p256");
    assert_eq!(shown["owner_id"], deployed["owner_id"]);

    // The P-256 key authorizes; the session's first transaction registers it.
    owner.json(&["session", "create", "--allow", "STRK", "--authorize", "--out", "a.token"], 0);
    owner.json(&["transfer", "--session", "a.token", "--to", "0x1", "--amount", "1"], 0);
    let status = owner.json(&["session", "status", "--session", "a.token"], 0);
    assert_eq!(status["status"]["registered"], true);

    // To a software passkey, which registers a session by transaction.
    let rotated = owner.json(
        &["account", "rotate-owner", "--to", "webauthn", "--new-keystore", "passkey.json"],
        0,
    );
    assert_eq!(rotated["owner_kind"], "webauthn");
    assert_eq!(mode(&owner.workdir.join("passkey.json")), 0o600, "passkey file must be private");
    assert_eq!(owner.json(&["account", "show"], 0)["owner_kind"], "webauthn");
    let created = owner.json(&["session", "create", "--allow", "STRK", "--out", "b.token"], 0);
    assert_eq!(created["authorized"], false);
    owner.json(&["transfer", "--session", "b.token", "--to", "0x1", "--amount", "1"], 0);
    // The passkey ends every session at once.
    assert_eq!(owner.json(&["account", "revoke-all"], 0)["revocation_epoch"], 1);
    let refused =
        owner.json(&["transfer", "--session", "b.token", "--to", "0x1", "--amount", "1"], 3);
    assert_eq!(refused["contract_error"], "session/epoch-revoked");

    // Back to the P-256 keystore it came from.
    let back =
        owner.json(&["account", "rotate-owner", "--to", "p256", "--to-keystore", "p256.json"], 0);
    assert_eq!(back["owner_id"], deployed["owner_id"]);
    let shown = owner.json(&["account", "show"], 0);
    assert_eq!(
        (shown["owner_kind"].as_str(), shown["owner_rotations"].as_u64()),
        (Some("p256"), Some(2))
    );
    owner.json(&["transfer", "--owner", "--to", "0x1", "--amount", "1"], 0);
}

#[tokio::test]
async fn a_browser_held_passkey_grants_a_session_with_one_assertion_from_stdin() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = User::new(&devnet, dir.path(), "owner");
    // Stands in for the browser: its registration and, later, its assertion.
    let origin = "https://app.example.com";
    let passkey = SoftwarePasskey::new(P256Owner::random(), "app.example.com", origin);
    let registration = serde_json::json!({
        "id": "Y3JlZA",
        "type": "public-key",
        "response": {
            "publicKey": URL_SAFE_NO_PAD.encode(passkey.key().public_key().to_spki_der()),
            "publicKeyAlgorithm": -7,
        },
    });
    std::fs::write(owner.workdir.join("registration.json"), registration.to_string()).unwrap();
    let deployed = owner.json(
        &[
            "account",
            "deploy",
            "--owner",
            "webauthn",
            "--credential",
            "registration.json",
            "--rp-id",
            "app.example.com",
            "--origin",
            origin,
            "--relayer",
            "devnet",
            "--mint",
            "50",
        ],
        0,
    );
    assert_eq!(deployed["owner_kind"], "webauthn");
    assert_eq!(
        deployed["owner_id"].as_str().unwrap(),
        format!("{:#066x}", passkey.owner_key().id())
    );
    // This machine cannot sign for it: an owner transaction says what to do.
    let refused = owner.json(&["session", "create", "--allow", "STRK"], 1);
    assert!(refused["error"].as_str().unwrap().contains("--assertion"), "{refused}");

    // `session create --authorize --assertion -`: the challenge on stderr,
    // the browser's assertion on stdin.
    let mut child = owner
        .command(&[
            "--json",
            "session",
            "create",
            "--allow",
            "STRK",
            "--authorize",
            "--assertion",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let challenge = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the CLI printed no challenge");
        let line = line.trim();
        if line.len() == 43 && URL_SAFE_NO_PAD.decode(line).is_ok() {
            break line.to_string();
        }
    };
    let hash = Felt::from_bytes_be_slice(&URL_SAFE_NO_PAD.decode(&challenge).unwrap());
    let assertion = passkey.assert(hash).unwrap().to_response_json(b"cred");
    child.stdin.take().unwrap().write_all(assertion.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["authorized"], true);

    // The session's first transaction registers it; no owner signed anything else.
    owner.json(&["transfer", "--to", "0x1", "--amount", "1"], 0);
    let status = owner.json(&["session", "status"], 0);
    assert_eq!(status["status"]["registered"], true);

    // An assertion of another challenge is refused before anything is sent.
    let other = passkey.assert(hash + Felt::ONE).unwrap().to_response_json(b"cred");
    std::fs::write(owner.workdir.join("other.json"), other).unwrap();
    let refused = owner.json(
        &["session", "create", "--allow", "STRK", "--authorize", "--assertion", "other.json"],
        1,
    );
    assert!(refused["error"].as_str().unwrap().contains("not this session's"), "{refused}");
}
