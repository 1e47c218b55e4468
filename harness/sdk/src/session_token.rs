//! Session tokens: everything an app needs to act with a session, as one
//! string it can be handed (docs: README "Sessions across shells").
//!
//! `sat1.` followed by base64url (no padding) of a JSON payload: format
//! version, session private key, account, chain id, the policy, and the
//! owner's authorization while the session is not yet registered. A SHA-256
//! checksum over the payload detects truncation and tampering.
//!
//! Tokens hold a private key: they are never logged (`Debug` is redacted),
//! and files holding them are written atomically with mode 0600.

use std::path::Path;

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

use crate::policy::SessionPolicy;
use crate::signature::Authorization;

/// Prefix of every session token.
pub const TOKEN_PREFIX: &str = "sat1.";
/// Current payload format version (2: policies with a fee budget and a
/// renewal period).
pub const TOKEN_VERSION: u32 = 2;

/// Why a token could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The text does not start with [`TOKEN_PREFIX`].
    #[error("not a session token (it should start with {TOKEN_PREFIX:?})")]
    NotAToken,
    /// Not base64url of a token's JSON: truncated or mangled (the text says
    /// why).
    #[error("the session token is truncated or corrupted ({0}); copy it again in full")]
    Corrupted(String),
    /// The payload does not match its checksum.
    #[error("the session token was modified (checksum mismatch); ask for a new export")]
    Tampered,
    /// A payload version newer than [`TOKEN_VERSION`]: made by a newer
    /// session-account.
    #[error(
        "session token format v{0} is not supported by this version (v{TOKEN_VERSION}); \
         upgrade session-account"
    )]
    UnsupportedVersion(u32),
    /// A payload version older than [`TOKEN_VERSION`], for an older account
    /// contract.
    #[error(
        "session token format v{0} was made by an older session-account for an older account \
         contract; create a new session"
    )]
    OlderVersion(u32),
    /// The private key is not the policy's `session_key`.
    #[error("the session token's private key does not match its session key")]
    KeyMismatch,
    /// The token is for another chain than the node's.
    #[error("the session token is for chain {token}, but the node is on chain {node}")]
    WrongChain {
        /// The token's chain, as [`chain_name`] shows it.
        token: String,
        /// The node's chain, as [`chain_name`] shows it.
        node: String,
    },
    /// A token file could not be read or written.
    #[error("cannot read or write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

#[derive(Serialize, Deserialize)]
struct Payload {
    version: u32,
    /// Hex private key of the session.
    session_private_key: Felt,
    account: Felt,
    chain_id: Felt,
    policy: SessionPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authorization: Option<Authorization>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    payload: Payload,
    /// Hex SHA-256 of the payload's JSON.
    checksum: String,
}

/// A session, ready to sign: key, account, chain and policy.
#[derive(Clone)]
pub struct SessionToken {
    /// The session's private key; its public key is `policy.session_key`.
    pub session_key: SigningKey,
    /// The account the session acts for.
    pub account: Felt,
    /// The chain the account is on (checked by [`Self::check_chain`]).
    pub chain_id: Felt,
    /// The policy the owner granted the session.
    pub policy: SessionPolicy,
    /// The owner's authorization, while the session is not registered.
    pub authorization: Option<Authorization>,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken")
            .field("session_public_key", &format_args!("{:#x}", self.policy.session_key))
            .field("account", &format_args!("{:#x}", self.account))
            .field("chain_id", &format_args!("{:#x}", self.chain_id))
            .field("private_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn checksum(payload: &Payload) -> Result<String, TokenError> {
    let json = serde_json::to_vec(payload).map_err(|e| TokenError::Corrupted(e.to_string()))?;
    Ok(Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect())
}

impl SessionToken {
    /// The session public key.
    pub fn session_public_key(&self) -> Felt {
        self.policy.session_key
    }

    /// Encodes the token as one string.
    pub fn encode(&self) -> String {
        let payload = Payload {
            version: TOKEN_VERSION,
            session_private_key: self.session_key.secret_scalar(),
            account: self.account,
            chain_id: self.chain_id,
            policy: self.policy.clone(),
            authorization: self.authorization.clone(),
        };
        let checksum = checksum(&payload).expect("payload serializes");
        let json =
            serde_json::to_vec(&Envelope { payload, checksum }).expect("envelope serializes");
        format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
    }

    /// Decodes and checks a token string.
    pub fn decode(text: &str) -> Result<Self, TokenError> {
        let body = text.trim().strip_prefix(TOKEN_PREFIX).ok_or(TokenError::NotAToken)?;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|e| TokenError::Corrupted(e.to_string()))?;
        let value: serde_json::Value =
            serde_json::from_slice(&json).map_err(|e| TokenError::Corrupted(e.to_string()))?;
        if let Some(version) = value.pointer("/payload/version").and_then(|v| v.as_u64()) {
            if version < TOKEN_VERSION as u64 {
                return Err(TokenError::OlderVersion(version as u32));
            }
            if version != TOKEN_VERSION as u64 {
                return Err(TokenError::UnsupportedVersion(version as u32));
            }
        }
        let envelope: Envelope =
            serde_json::from_value(value).map_err(|e| TokenError::Corrupted(e.to_string()))?;
        if checksum(&envelope.payload)? != envelope.checksum {
            return Err(TokenError::Tampered);
        }
        let payload = envelope.payload;
        let session_key = SigningKey::from_secret_scalar(payload.session_private_key);
        if session_key.verifying_key().scalar() != payload.policy.session_key {
            return Err(TokenError::KeyMismatch);
        }
        Ok(Self {
            session_key,
            account: payload.account,
            chain_id: payload.chain_id,
            policy: payload.policy,
            authorization: payload.authorization,
        })
    }

    /// Fails unless the token is for `chain_id`.
    pub fn check_chain(&self, chain_id: Felt) -> Result<(), TokenError> {
        if self.chain_id != chain_id {
            return Err(TokenError::WrongChain {
                token: chain_name(self.chain_id),
                node: chain_name(chain_id),
            });
        }
        Ok(())
    }

    /// Reads a token from a file.
    pub fn read_file(path: &Path) -> Result<Self, TokenError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| TokenError::Io { path: path.display().to_string(), source })?;
        Self::decode(&text)
    }

    /// Writes the token to `path` atomically, readable by its owner only.
    pub fn write_file(&self, path: &Path) -> Result<(), TokenError> {
        write_secret_file(path, self.encode().as_bytes())
            .map_err(|source| TokenError::Io { path: path.display().to_string(), source })
    }
}

/// The chain id as text when it is a short string (e.g. `SN_SEPOLIA`).
pub fn chain_name(chain_id: Felt) -> String {
    starknet_rust::core::utils::parse_cairo_short_string(&chain_id)
        .ok()
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or_else(|| format!("{chain_id:#x}"))
}

/// Writes `data` to `path` via a temporary file in the same folder, created
/// with mode 0600, then renamed into place: readers never see a partial
/// file and the secret is never world-readable.
pub fn write_secret_file(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?; // created 0600
    temp.write_all(data)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> SessionToken {
        let key = SigningKey::from_random();
        let mut policy = crate::policy::tests::sample();
        policy.session_key = key.verifying_key().scalar();
        SessionToken {
            session_key: key,
            account: Felt::from(0xacc_u16),
            chain_id: Felt::from(7u8),
            policy,
            authorization: None,
        }
    }

    #[test]
    fn round_trips() {
        let t = token();
        let decoded = SessionToken::decode(&t.encode()).unwrap();
        assert_eq!(decoded.policy, t.policy);
        assert_eq!(decoded.session_key.secret_scalar(), t.session_key.secret_scalar());
        assert!(!format!("{decoded:?}").contains(&format!("{:x}", t.session_key.secret_scalar())));
    }

    /// An agent's policy (calldata rules, a periodic limit) travels whole.
    #[test]
    fn round_trips_an_agent_policy() {
        let mut t = token();
        let transfer = starknet_rust::macros::selector!("transfer");
        let strk = Felt::from(0x57u8);
        let key = t.policy.session_key;
        t.policy = crate::policy::SessionPolicy::builder(key)
            .valid_between(1000, 5000)
            .allow_entrypoints(strk, [transfer])
            .recipient_allowlist(strk, [Felt::from(7u8), Felt::from(8u8)])
            .max_per_call(strk, starknet_rust::core::types::U256::from(5u8))
            .periodic_limit(strk, 100, 86_400)
            .max_fee_per_tx(1_000)
            .build()
            .unwrap();
        let decoded = SessionToken::decode(&t.encode()).unwrap();
        assert_eq!(decoded.policy, t.policy);
        assert_eq!(decoded.policy.calldata_rules.len(), 2);
        assert_eq!(decoded.policy.periodic_limit_for(strk), Some((86_400, 100)));
    }

    #[test]
    fn rejects_bad_tokens_specifically() {
        let text = token().encode();
        assert!(matches!(SessionToken::decode("hello"), Err(TokenError::NotAToken)));
        assert!(matches!(
            SessionToken::decode(&text[..text.len() - 10]),
            Err(TokenError::Corrupted(_))
        ));
        // Flip the account inside the payload, keep the old checksum.
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&text[TOKEN_PREFIX.len()..])
            .unwrap();
        let mut envelope: serde_json::Value = serde_json::from_slice(&body).unwrap();
        envelope["payload"]["account"] = serde_json::json!("0xbad");
        let tampered = format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&envelope).unwrap())
        );
        assert!(matches!(SessionToken::decode(&tampered), Err(TokenError::Tampered)));
        envelope["payload"]["version"] = serde_json::json!(9);
        let future = format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&envelope).unwrap())
        );
        assert!(matches!(SessionToken::decode(&future), Err(TokenError::UnsupportedVersion(9))));
        envelope["payload"]["version"] = serde_json::json!(1);
        let older = format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&envelope).unwrap())
        );
        assert!(matches!(SessionToken::decode(&older), Err(TokenError::OlderVersion(1))));
        let t = token();
        assert!(matches!(t.check_chain(Felt::from(8u8)), Err(TokenError::WrongChain { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_atomic() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.token");
        let t = token();
        t.write_file(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(SessionToken::read_file(&path).unwrap().policy, t.policy);
    }
}
