//! Owner keys: from an encrypted keystore file (the Web3 Secret Storage
//! format that starkli and other Starknet tools use) or from a private key
//! in an environment variable. Never from the command line in plain text.
//! A P-256 owner key (§2.1) keeps its 32-byte secret in the same format.

use std::path::Path;

use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

use crate::signers::P256Owner;

/// Environment variable holding an owner private key (hex).
pub const OWNER_KEY_ENV: &str = "SESSION_ACCOUNT_OWNER_KEY";
/// Environment variable holding the owner keystore's password.
pub const KEYSTORE_PASSWORD_ENV: &str = "SESSION_ACCOUNT_KEYSTORE_PASSWORD";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "no owner key: pass --keystore FILE (password in ${KEYSTORE_PASSWORD_ENV}) \
         or set ${OWNER_KEY_ENV}"
    )]
    Missing,
    #[error("${OWNER_KEY_ENV} is not a hex private key")]
    BadEnvKey,
    #[error("the keystore {path} needs its password in ${KEYSTORE_PASSWORD_ENV}")]
    NoPassword { path: String },
    #[error("cannot open keystore {path}: {reason} (wrong password?)")]
    Keystore { path: String, reason: String },
    #[error("cannot write keystore {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The owner key from `keystore` (password from the environment) or, if no
/// keystore is given, from `$SESSION_ACCOUNT_OWNER_KEY`.
pub fn load_owner_key(keystore: Option<&Path>) -> Result<SigningKey, KeyError> {
    if let Some(path) = keystore {
        let password = std::env::var(KEYSTORE_PASSWORD_ENV)
            .map_err(|_| KeyError::NoPassword { path: path.display().to_string() })?;
        return SigningKey::from_keystore(path, &password).map_err(|e| KeyError::Keystore {
            path: path.display().to_string(),
            reason: e.to_string(),
        });
    }
    let hex = std::env::var(OWNER_KEY_ENV).map_err(|_| KeyError::Missing)?;
    let scalar = Felt::from_hex(hex.trim()).map_err(|_| KeyError::BadEnvKey)?;
    if scalar == Felt::ZERO {
        return Err(KeyError::BadEnvKey);
    }
    Ok(SigningKey::from_secret_scalar(scalar))
}

/// Saves `key` as an encrypted keystore at `path`, readable by its owner only.
pub fn save_keystore(key: &SigningKey, path: &Path, password: &str) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let write_error = |reason: String| KeyError::Write { path: path.display().to_string(), reason };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(e.to_string()))?;
    }
    key.save_as_keystore(path, password).map_err(|e| write_error(e.to_string()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| write_error(e.to_string()))
}

/// Saves a P-256 owner key as an encrypted keystore (Web3 Secret Storage,
/// its 32-byte secret scalar) at `path`, readable by its owner only.
pub fn save_p256_keystore(key: &P256Owner, path: &Path, password: &str) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let write_error = |reason: String| KeyError::Write { path: path.display().to_string(), reason };
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| write_error(e.to_string()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| write_error("the keystore path must end in a file name".into()))?;
    let mut secret = key.secret_bytes();
    let saved =
        eth_keystore::encrypt_key(dir, &mut rand::rngs::OsRng, secret, password, Some(name));
    secret.fill(0);
    saved.map_err(|e| write_error(e.to_string()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| write_error(e.to_string()))
}

/// The P-256 owner key in the encrypted keystore at `path`.
pub fn load_p256_keystore(path: &Path, password: &str) -> Result<P256Owner, KeyError> {
    let open_error =
        |reason: String| KeyError::Keystore { path: path.display().to_string(), reason };
    let secret =
        eth_keystore::decrypt_key(path, password).map_err(|e| open_error(e.to_string()))?;
    let secret: [u8; 32] =
        secret.try_into().map_err(|_| open_error("not a 32-byte P-256 secret".into()))?;
    P256Owner::from_secret_bytes(&secret).map_err(|e| open_error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signers::OwnerSigner;

    #[test]
    fn a_p256_keystore_round_trips_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/p256.json");
        let key = P256Owner::random();
        save_p256_keystore(&key, &path, "pw").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_p256_keystore(&path, "pw").unwrap().owner_key(), key.owner_key());
        let wrong = load_p256_keystore(&path, "nope").unwrap_err();
        assert!(wrong.to_string().contains("wrong password"), "{wrong}");
    }
}
