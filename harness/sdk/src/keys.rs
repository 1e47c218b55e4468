//! Owner keys in encrypted keystore files: the Web3 Secret Storage format
//! that starkli and other Starknet tools use. A P-256 owner key (§2.1)
//! keeps its 32-byte secret in the same format. Files are written readable
//! by their owner only (mode 0600 on Unix).
//!
//! Where passwords and keys come from (a prompt, an environment variable, a
//! secrets manager) is the application's choice: these functions take them
//! as arguments.

use std::path::Path;

use starknet_rust::signers::SigningKey;

use crate::signers::P256Owner;

/// Why a keystore could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read, or decrypted with the password.
    #[error("cannot open keystore {path}: {reason} (wrong password?)")]
    Keystore {
        /// The keystore's path.
        path: String,
        /// What failed.
        reason: String,
    },
    /// The file could not be written.
    #[error("cannot write keystore {path}: {reason}")]
    Write {
        /// The keystore's path.
        path: String,
        /// What failed.
        reason: String,
    },
}

/// The Stark owner key in the encrypted keystore at `path`.
pub fn load_keystore(path: &Path, password: &str) -> Result<SigningKey, KeyError> {
    SigningKey::from_keystore(path, password)
        .map_err(|e| KeyError::Keystore { path: path.display().to_string(), reason: e.to_string() })
}

/// Makes `path` readable and writable by its owner only (0600). Elsewhere
/// than Unix, files keep the permissions the platform gives them.
fn restrict_to_owner(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Saves `key` as an encrypted keystore at `path`, readable by its owner only.
pub fn save_keystore(key: &SigningKey, path: &Path, password: &str) -> Result<(), KeyError> {
    let write_error = |reason: String| KeyError::Write { path: path.display().to_string(), reason };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(e.to_string()))?;
    }
    key.save_as_keystore(path, password).map_err(|e| write_error(e.to_string()))?;
    restrict_to_owner(path).map_err(|e| write_error(e.to_string()))
}

/// Saves a P-256 owner key as an encrypted keystore (Web3 Secret Storage,
/// its 32-byte secret scalar) at `path`, readable by its owner only.
pub fn save_p256_keystore(key: &P256Owner, path: &Path, password: &str) -> Result<(), KeyError> {
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
    restrict_to_owner(path).map_err(|e| write_error(e.to_string()))
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

    #[cfg(unix)]
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

    #[cfg(unix)]
    #[test]
    fn a_stark_keystore_round_trips_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("owner.json");
        let key = SigningKey::from_random();
        save_keystore(&key, &path, "pw").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_keystore(&path, "pw").unwrap().secret_scalar(), key.secret_scalar());
        assert!(matches!(load_keystore(&path, "nope"), Err(KeyError::Keystore { .. })));
    }
}
