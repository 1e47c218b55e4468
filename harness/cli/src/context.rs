//! Where the CLI keeps its state, and how commands get the node, the
//! account, the owner key, the session and a relayer; and the parsers of
//! the arguments they share.
//!
//! State lives in the home folder (`--home`, `$SESSION_ACCOUNT_HOME`,
//! default `~/.session-account`):
//! - `account.json`: the deployed account (address, class hash, chain id,
//!   the owner's kind and id, where its secret is); no secrets;
//! - `session.token`: the current session token (mode 0600).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::{Deserialize, Serialize};
use session_account::account::owner::owner_account;
use session_account::account::AccountAt;
use session_account::account::KeyedOwnerAccount;
use session_account::outside::AccountRelayer;
use session_account::session_client::SessionClient;
use session_account::session_token::{write_secret_file, SessionToken};
use session_account::token::{ETH, STRK};
use session_account::Rpc;
use session_account_testkit::devnet::DevnetClient;
use starknet_rust::accounts::SingleOwnerAccount;
use starknet_rust::core::types::Felt;
use starknet_rust::providers::jsonrpc::HttpTransport;
use starknet_rust::providers::{JsonRpcClient, Provider};
use starknet_rust::signers::{LocalWallet, SigningKey};
use url::Url;

use crate::owner::{self, OwnerKind, OwnerSecret};
use session_account::signers::{AnyOwner, OwnerKey, OwnerSigner};

/// An account paying for something: a relayer, a declarer.
pub type Payer = SingleOwnerAccount<Rpc, LocalWallet>;

/// Environment variable holding the private key of the account paying for
/// `account declare` on a real network.
pub const DECLARER_KEY_ENV: &str = "SESSION_ACCOUNT_DECLARER_KEY";

/// Environment variable holding a session token (instead of a file).
pub const SESSION_ENV: &str = "SESSION_ACCOUNT_SESSION";

/// The deployed account this home folder manages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    pub address: Felt,
    pub class_hash: Felt,
    pub chain_id: Felt,
    pub salt: Felt,
    /// The owner's kind (records of earlier versions: Stark).
    #[serde(default)]
    pub owner_kind: OwnerKind,
    /// The owner's id (§7.3): a Stark owner's public key, for other kinds
    /// the Poseidon hash of its key.
    #[serde(alias = "owner_public_key")]
    pub owner_id: Felt,
    /// Encrypted owner keystore (Stark or P-256), if the key lives in one.
    pub keystore: Option<PathBuf>,
    /// Software passkey file (a devnet passkey owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey: Option<PathBuf>,
}

impl AccountRecord {
    /// The record of the account at `address`, owned by `owner` whose
    /// secret is `secret`.
    pub fn new(
        address: Felt,
        class_hash: Felt,
        chain_id: Felt,
        salt: Felt,
        owner: &OwnerKey,
        secret: &OwnerSecret,
    ) -> Self {
        let mut record = Self {
            address,
            class_hash,
            chain_id,
            salt,
            owner_kind: OwnerKind::of(owner),
            owner_id: owner.id(),
            keystore: None,
            passkey: None,
        };
        record.set_owner(owner, secret);
        record
    }

    /// Where the owner's secret is: `keystore` if given, else what the
    /// record says.
    pub fn owner_secret(&self, keystore: Option<&Path>) -> OwnerSecret {
        if let Some(path) = keystore.or(self.keystore.as_deref()) {
            return OwnerSecret::Keystore { path: path.to_path_buf() };
        }
        match (&self.passkey, self.owner_kind) {
            (Some(path), _) => OwnerSecret::SoftwarePasskey { path: path.clone() },
            (None, OwnerKind::Webauthn) => OwnerSecret::ExternalPasskey,
            (None, _) => OwnerSecret::Environment,
        }
    }

    /// Records `owner`, whose secret is `secret`, as the account's owner.
    pub fn set_owner(&mut self, owner: &OwnerKey, secret: &OwnerSecret) {
        self.owner_kind = OwnerKind::of(owner);
        self.owner_id = owner.id();
        (self.keystore, self.passkey) = match secret {
            OwnerSecret::Keystore { path } => (Some(path.clone()), None),
            OwnerSecret::SoftwarePasskey { path } => (None, Some(path.clone())),
            OwnerSecret::Environment | OwnerSecret::ExternalPasskey => (None, None),
        };
    }
}

pub struct Context {
    pub home: PathBuf,
    pub rpc_url: Url,
    /// One HTTP client for every request of the command.
    provider: Rpc,
}

impl Context {
    pub fn new(home: Option<PathBuf>, rpc_url: Url) -> Result<Self> {
        let home = match home {
            Some(h) => h,
            None => std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".session-account"))
                .context("cannot find a home folder: pass --home DIR")?,
        };
        let provider = JsonRpcClient::new(HttpTransport::new(rpc_url.clone()));
        Ok(Self { home, rpc_url, provider })
    }

    /// The node (a cheap clone: one connection pool).
    pub fn provider(&self) -> Rpc {
        self.provider.clone()
    }

    /// The node's chain id; the first request, so a dead node fails here.
    pub async fn chain_id(&self) -> Result<Felt> {
        self.provider().chain_id().await.with_context(|| {
            format!(
                "cannot reach a Starknet node at {}; start one with `session-account devnet` \
                 or pass --rpc-url",
                self.rpc_url
            )
        })
    }

    /// The chain's time: the latest block's timestamp (devnet time on
    /// devnet), which text output measures time left against.
    pub async fn chain_time(&self) -> Result<u64> {
        session_account::tx::latest_timestamp(&self.provider())
            .await
            .context("cannot read the latest block's timestamp")
    }

    pub fn account_path(&self) -> PathBuf {
        self.home.join("account.json")
    }

    pub fn session_path(&self) -> PathBuf {
        self.home.join("session.token")
    }

    pub fn load_account(&self) -> Result<AccountRecord> {
        let path = self.account_path();
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "no account in {}; deploy one with `session-account account deploy`",
                self.home.display()
            )
        })?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not an account record", path.display()))
    }

    pub fn save_account(&self, record: &AccountRecord) -> Result<()> {
        let path = self.account_path();
        write_secret_file(&path, serde_json::to_string_pretty(record)?.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// The session to use: `--session FILE`, else `$SESSION_ACCOUNT_SESSION`,
    /// else the home folder's current session.
    pub fn load_session(&self, file: Option<&Path>) -> Result<SessionToken> {
        if let Some(path) = file {
            return SessionToken::read_file(path).map_err(Into::into);
        }
        if let Ok(text) = std::env::var(SESSION_ENV) {
            return SessionToken::decode(&text)
                .with_context(|| format!("${SESSION_ENV} holds no valid session token"));
        }
        let path = self.session_path();
        if !path.exists() {
            bail!(
                "no session: create one (`session create`), import one (`session import`), \
                 or set ${SESSION_ENV}"
            );
        }
        SessionToken::read_file(&path).map_err(Into::into)
    }

    pub fn save_session(&self, token: &SessionToken, file: Option<&Path>) -> Result<PathBuf> {
        let path = file.map(Path::to_path_buf).unwrap_or_else(|| self.session_path());
        token.write_file(&path)?;
        Ok(path)
    }

    /// The selected session, connected to the node (chain checked).
    pub async fn connect(&self, file: Option<&Path>) -> Result<SessionClient<Rpc>> {
        let token = self.load_session(file)?;
        Ok(SessionClient::connect(self.provider(), token).await?)
    }

    /// The owner (from `keystore`, else where the record says its secret
    /// is), checked against the account's owner.
    pub fn owner_key(&self, record: &AccountRecord, keystore: Option<&Path>) -> Result<AnyOwner> {
        let owner = owner::load(record.owner_kind, &record.owner_secret(keystore))?;
        if owner.owner_key().id() != record.owner_id {
            bail!(
                "that {} is not this account's owner (owner id {:#x})",
                record.owner_kind.describe(),
                record.owner_id
            );
        }
        Ok(owner)
    }

    /// The account, signed by its owner (see [`Self::owner_key`]).
    pub fn owner(
        &self,
        record: &AccountRecord,
        keystore: Option<&Path>,
    ) -> Result<KeyedOwnerAccount<Rpc, AnyOwner>> {
        let owner = self.owner_key(record, keystore)?;
        Ok(KeyedOwnerAccount::new(
            self.provider(),
            owner,
            AccountAt { address: record.address, chain_id: record.chain_id },
        ))
    }

    /// Who pays for a declaration: `from` (key in
    /// `$SESSION_ACCOUNT_DECLARER_KEY`), else devnet's first predeployed
    /// account.
    pub async fn declarer(&self, from: Option<&str>, chain_id: Felt) -> Result<Payer> {
        let (address, key) = match from {
            Some(address) => {
                let key = std::env::var(DECLARER_KEY_ENV).with_context(|| {
                    format!("--from needs the account's key in ${DECLARER_KEY_ENV}")
                })?;
                (parse_felt(address)?, SigningKey::from_secret_scalar(parse_felt(&key)?))
            }
            None => {
                let devnet = DevnetClient::new(self.rpc_url.clone());
                let accounts = devnet.predeployed_accounts().await.context(
                    "not a devnet (no predeployed accounts): \
                     pass --from ADDRESS of a funded account to pay for the declaration",
                )?;
                let first = accounts.first().context("devnet has no predeployed accounts")?;
                (first.address, SigningKey::from_secret_scalar(first.private_key))
            }
        };
        Ok(owner_account(self.provider(), key, AccountAt { address, chain_id }))
    }

    /// The relayer named by `--relayer`: `devnet` (a predeployed account)
    /// or an address whose key is in `$SESSION_ACCOUNT_RELAYER_KEY`.
    pub async fn relayer(&self, relayer: &str) -> Result<AccountRelayer<Payer>> {
        let (address, key) = if relayer == "devnet" {
            let accounts = DevnetClient::new(self.rpc_url.clone())
                .predeployed_accounts()
                .await
                .context("--relayer devnet needs a devnet; elsewhere pass the relayer's address")?;
            let paymaster = accounts
                .get(1)
                .or(accounts.first())
                .context("devnet has no predeployed accounts")?;
            (paymaster.address, SigningKey::from_secret_scalar(paymaster.private_key))
        } else {
            let key = std::env::var(RELAYER_KEY_ENV).with_context(|| {
                format!("--relayer ADDRESS needs its key in ${RELAYER_KEY_ENV}")
            })?;
            (parse_felt(relayer)?, SigningKey::from_secret_scalar(parse_felt(&key)?))
        };
        let chain_id = self.chain_id().await?;
        Ok(AccountRelayer::new(owner_account(
            self.provider(),
            key,
            AccountAt { address, chain_id },
        )))
    }
}

/// A token given as `STRK`, `ETH` or an address.
pub fn parse_token(text: &str) -> Result<Felt> {
    match text.to_ascii_uppercase().as_str() {
        "STRK" => Ok(STRK),
        "ETH" => Ok(ETH),
        _ => parse_felt(text)
            .with_context(|| format!("{text:?} is not a token: use STRK, ETH or an address")),
    }
}

pub use session_account::token::symbol as token_name;

pub fn parse_felt(text: &str) -> Result<Felt> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("0x") {
        Felt::from_hex(&format!("0x{hex}")).with_context(|| format!("{text:?} is not a hex felt"))
    } else {
        Felt::from_dec_str(text)
            .with_context(|| format!("{text:?} is not a felt (decimal or 0x-hex)"))
    }
}

/// Parses durations like `90s`, `15m`, `2h`, `7d` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<u64> {
    let text = text.trim();
    let (number, unit) =
        text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let value: u64 = number
        .parse()
        .with_context(|| format!("{text:?} is not a duration like 90s, 15m, 2h or 7d"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => bail!("{text:?}: unknown unit {unit:?} (use s, m, h or d)"),
    };
    value.checked_mul(factor).with_context(|| format!("{text:?} is too long"))
}

/// clap value parsers: malformed input is a usage error (exit 2) that names
/// the argument, before anything reaches the network.
pub mod value {
    use starknet_rust::core::types::Felt;

    /// A felt, decimal or 0x-hex (an address, a key).
    pub fn felt(text: &str) -> Result<Felt, String> {
        super::parse_felt(text).map_err(|e| e.to_string())
    }

    /// `STRK`, `ETH` or a token address.
    pub fn token(text: &str) -> Result<Felt, String> {
        super::parse_token(text).map_err(|e| format!("{e:#}"))
    }

    /// An amount in whole tokens of 18 decimals, e.g. `1.5`.
    pub fn amount(text: &str) -> Result<u128, String> {
        session_account::token::parse_amount(text, 18)
    }

    /// A duration: `90s`, `15m`, `2h`, `7d` (a bare number is seconds).
    pub fn duration(text: &str) -> Result<u64, String> {
        super::parse_duration(text).map_err(|e| e.to_string())
    }

    /// An entrypoint name (one that has a selector).
    pub fn entrypoint(text: &str) -> Result<String, String> {
        match starknet_rust::core::utils::get_selector_from_name(text) {
            Ok(_) if !text.is_empty() => Ok(text.to_string()),
            _ => Err(format!("{text:?} is not an entrypoint name")),
        }
    }
}

/// Environment variable holding the relayer account's private key.
const RELAYER_KEY_ENV: &str = "SESSION_ACCOUNT_RELAYER_KEY";

/// Comma-separated felts (decimal or 0x-hex).
pub fn parse_calldata(text: &str) -> Result<Vec<Felt>> {
    text.split(',').filter(|s| !s.trim().is_empty()).map(parse_felt).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_of_earlier_versions_read_as_stark_owners() {
        let legacy = r#"{"address":"0x1","class_hash":"0x2","chain_id":"0x3","salt":"0x4",
            "owner_public_key":"0x5","keystore":"/k.json"}"#;
        let record: AccountRecord = serde_json::from_str(legacy).unwrap();
        assert_eq!((record.owner_kind, record.owner_id), (OwnerKind::Stark, Felt::from(5u8)));
        let path = PathBuf::from("/k.json");
        assert_eq!(record.owner_secret(None), OwnerSecret::Keystore { path });
        let mut browser = record.clone();
        (browser.owner_kind, browser.keystore) = (OwnerKind::Webauthn, None);
        assert_eq!(browser.owner_secret(None), OwnerSecret::ExternalPasskey);
    }

    #[test]
    fn parses_durations_tokens_and_felts() {
        assert_eq!(parse_duration("90").unwrap(), 90);
        assert_eq!(parse_duration("2h").unwrap(), 7200);
        assert_eq!(parse_duration("7d").unwrap(), 604_800);
        assert!(parse_duration("2w").is_err());
        assert!(parse_duration("h").is_err());
        assert_eq!(parse_token("strk").unwrap(), STRK);
        assert_eq!(parse_felt("0x10").unwrap(), Felt::from(16u8));
        assert_eq!(parse_felt("16").unwrap(), Felt::from(16u8));
        assert!(parse_token("DOGE").is_err());
    }
}
