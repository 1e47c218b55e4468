//! The owner as the CLI holds it, of any kind (spec §2.1):
//! - `stark`: a Stark key in an encrypted keystore, or `$SESSION_ACCOUNT_OWNER_KEY`;
//! - `p256`: a raw P-256 key in an encrypted keystore (same format);
//! - `webauthn`: a passkey. On devnet, a *software passkey file* (its P-256
//!   secret, relying party id and origin; mode 0600, for trying the flow,
//!   not a hardware-backed key). A real passkey lives in a browser or
//!   authenticator: the CLI holds only its public key (from the browser's
//!   `RegistrationResponseJSON`) and asks for an assertion when the owner
//!   must sign (`session create --authorize`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use session_account::keys::{load_keystore, load_p256_keystore, save_keystore, save_p256_keystore};
use session_account::session_token::write_secret_file;
use session_account::signers::{
    AnyOwner, OwnerKey, P256Owner, P256PublicKey, SoftwarePasskey, WebAuthnOwner,
};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

/// Environment variable holding a Stark owner private key (hex), for
/// accounts whose owner key is not in a keystore.
pub const OWNER_KEY_ENV: &str = "SESSION_ACCOUNT_OWNER_KEY";
/// Environment variable holding the owner keystore's password.
pub const KEYSTORE_PASSWORD_ENV: &str = "SESSION_ACCOUNT_KEYSTORE_PASSWORD";

/// The Stark owner key from `keystore` (password in
/// `$SESSION_ACCOUNT_KEYSTORE_PASSWORD`) or, with no keystore, from
/// `$SESSION_ACCOUNT_OWNER_KEY`.
pub fn load_owner_key(keystore: Option<&Path>) -> Result<SigningKey> {
    if let Some(path) = keystore {
        let password = std::env::var(KEYSTORE_PASSWORD_ENV).with_context(|| {
            format!(
                "the keystore {} needs its password in ${KEYSTORE_PASSWORD_ENV}",
                path.display()
            )
        })?;
        return Ok(load_keystore(path, &password)?);
    }
    let Ok(hex) = std::env::var(OWNER_KEY_ENV) else {
        bail!(
            "no owner key: pass --keystore FILE (password in ${KEYSTORE_PASSWORD_ENV}) \
             or set ${OWNER_KEY_ENV}"
        )
    };
    match Felt::from_hex(hex.trim()) {
        Ok(scalar) if scalar != Felt::ZERO => Ok(SigningKey::from_secret_scalar(scalar)),
        _ => bail!("${OWNER_KEY_ENV} is not a hex private key"),
    }
}

/// The kinds of owner (`--owner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerKind {
    #[default]
    Stark,
    P256,
    Webauthn,
}

impl OwnerKind {
    pub fn of(key: &OwnerKey) -> Self {
        match key {
            OwnerKey::Stark(_) => OwnerKind::Stark,
            OwnerKey::P256(_) => OwnerKind::P256,
            OwnerKey::WebAuthn(_) => OwnerKind::Webauthn,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            OwnerKind::Stark => "Stark key",
            OwnerKind::P256 => "P-256 key (secp256r1)",
            OwnerKind::Webauthn => "passkey (WebAuthn)",
        }
    }
}

/// Where an owner's secret lives, as the account record keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerSecret {
    /// An encrypted keystore of the record's kind (Stark or P-256).
    Keystore { path: PathBuf },
    /// `$SESSION_ACCOUNT_OWNER_KEY` (Stark only).
    Environment,
    /// A software passkey file (devnet).
    SoftwarePasskey { path: PathBuf },
    /// A passkey this machine cannot use: its assertions come from a browser.
    ExternalPasskey,
}

/// A software passkey file: mode 0600, for devnet.
#[derive(Serialize, Deserialize)]
struct PasskeyFile {
    /// Marks the file for what it is.
    software_passkey: u8,
    rp_id: String,
    origin: String,
    /// The P-256 secret scalar, hex: this file is as secret as a private key.
    secret: String,
}

/// Creates an owner of `kind` and saves its secret at `path`: an encrypted
/// keystore (password in `$SESSION_ACCOUNT_KEYSTORE_PASSWORD`) for Stark and
/// P-256, a software passkey file for WebAuthn (bound to `rp_id`, `origin`).
pub fn create(
    kind: OwnerKind,
    path: &Path,
    rp_id: &str,
    origin: &str,
) -> Result<(AnyOwner, OwnerSecret)> {
    let password = || {
        std::env::var(KEYSTORE_PASSWORD_ENV).with_context(|| {
            format!("a new keystore needs its password in ${KEYSTORE_PASSWORD_ENV}")
        })
    };
    let owner = match kind {
        OwnerKind::Stark => {
            let key = SigningKey::from_random();
            save_keystore(&key, path, &password()?)?;
            AnyOwner::Stark(key)
        }
        OwnerKind::P256 => {
            let key = P256Owner::random();
            save_p256_keystore(&key, path, &password()?)?;
            AnyOwner::P256(key)
        }
        OwnerKind::Webauthn => {
            let key = P256Owner::random();
            let file = PasskeyFile {
                software_passkey: 1,
                rp_id: rp_id.to_string(),
                origin: origin.to_string(),
                secret: hex(&key.secret_bytes()),
            };
            write_secret_file(path, serde_json::to_string_pretty(&file)?.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            AnyOwner::Passkey(SoftwarePasskey::new(key, rp_id, origin))
        }
    };
    let secret = match kind {
        OwnerKind::Webauthn => OwnerSecret::SoftwarePasskey { path: path.to_path_buf() },
        _ => OwnerSecret::Keystore { path: path.to_path_buf() },
    };
    Ok((owner, secret))
}

/// The owner of `kind` whose secret is `secret`.
pub fn load(kind: OwnerKind, secret: &OwnerSecret) -> Result<AnyOwner> {
    let password = |path: &Path| {
        std::env::var(KEYSTORE_PASSWORD_ENV).with_context(|| {
            format!(
                "the keystore {} needs its password in ${KEYSTORE_PASSWORD_ENV}",
                path.display()
            )
        })
    };
    Ok(match (kind, secret) {
        (OwnerKind::Stark, OwnerSecret::Keystore { path }) => {
            AnyOwner::Stark(load_owner_key(Some(path))?)
        }
        (OwnerKind::Stark, OwnerSecret::Environment) => AnyOwner::Stark(load_owner_key(None)?),
        (OwnerKind::P256, OwnerSecret::Keystore { path }) => {
            AnyOwner::P256(load_p256_keystore(path, &password(path)?)?)
        }
        (OwnerKind::Webauthn, OwnerSecret::SoftwarePasskey { path }) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the passkey file {}", path.display()))?;
            let file: PasskeyFile = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a software passkey file", path.display()))?;
            let secret = unhex(&file.secret)
                .with_context(|| format!("{} holds no P-256 secret", path.display()))?;
            let key = P256Owner::from_secret_bytes(&secret)?;
            AnyOwner::Passkey(SoftwarePasskey::new(key, &file.rp_id, &file.origin))
        }
        (OwnerKind::Webauthn, OwnerSecret::ExternalPasskey) => bail!(
            "the owner is a passkey held by a browser or authenticator, which this machine \
             cannot sign with: grant sessions with `session create --authorize --assertion FILE`"
        ),
        (kind, secret) => bail!("a {} owner cannot be held as {secret:?}", kind.describe()),
    })
}

/// A passkey's owner key from the browser's `RegistrationResponseJSON`
/// (what `PublicKeyCredential.toJSON()` returns after
/// `navigator.credentials.create()`): its `response.publicKey`, an ES256
/// SubjectPublicKeyInfo.
pub fn passkey_from_registration(
    json: &str,
    rp_id: &str,
    origin: &str,
    require_user_verification: bool,
) -> Result<OwnerKey> {
    let value: serde_json::Value =
        serde_json::from_str(json).context("the credential is not RegistrationResponseJSON")?;
    if value["response"]["publicKeyAlgorithm"] != serde_json::json!(-7) {
        bail!("the credential's key is not ES256 (P-256), the only kind the account verifies");
    }
    let spki = value["response"]["publicKey"]
        .as_str()
        .and_then(|text| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
        .context("the credential has no base64url response.publicKey")?;
    let key = P256PublicKey::from_spki_der(&spki)
        .context("response.publicKey is not a P-256 SubjectPublicKeyInfo")?;
    Ok(OwnerKey::WebAuthn(WebAuthnOwner::new(key, rp_id, origin, require_user_verification)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim().trim_start_matches("0x");
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_account::signers::OwnerSigner;

    #[test]
    fn a_software_passkey_file_round_trips_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passkey.json");
        let (owner, secret) =
            create(OwnerKind::Webauthn, &path, "localhost", "http://localhost").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let loaded = load(OwnerKind::Webauthn, &secret).unwrap();
        assert_eq!(loaded.owner_key(), owner.owner_key());
        assert!(load(OwnerKind::Webauthn, &OwnerSecret::ExternalPasskey).is_err());
        assert!(load(OwnerKind::P256, &secret).is_err(), "a passkey file is not a keystore");
    }

    #[test]
    fn a_registration_gives_the_passkey_owner() {
        let key = P256Owner::random();
        let point = key.public_key();
        let spki = point.to_spki_der();
        let json = serde_json::json!({
            "id": "abc",
            "response": { "publicKey": URL_SAFE_NO_PAD.encode(&spki), "publicKeyAlgorithm": -7 },
        })
        .to_string();
        let owner =
            passkey_from_registration(&json, "localhost", "http://localhost", true).unwrap();
        assert_eq!(owner, SoftwarePasskey::new(key, "localhost", "http://localhost").owner_key());
        let rs256 = json.replace("-7", "-257");
        assert!(passkey_from_registration(&rs256, "localhost", "http://localhost", true).is_err());
    }
}
