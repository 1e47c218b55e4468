//! The devnet-only JSON-RPC methods, typed. Standard Starknet methods go
//! through starknet-rust's `JsonRpcClient`.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use starknet_rust::core::types::Felt;
use url::Url;

/// A devnet method failed.
#[derive(Debug, thiserror::Error)]
pub enum DevnetError {
    #[error("cannot reach devnet at {url}: {source}")]
    Transport { url: Url, source: reqwest::Error },
    #[error("devnet method {method} failed ({code}): {message}")]
    Rpc { method: &'static str, code: i64, message: String },
    #[error("devnet method {method} returned an unexpected response: {detail}")]
    Decode { method: &'static str, detail: String },
}

/// A predeployed, funded devnet account (OpenZeppelin account class).
#[derive(Clone, Deserialize)]
pub struct PredeployedAccount {
    pub address: Felt,
    pub public_key: Felt,
    pub private_key: Felt,
}

impl std::fmt::Debug for PredeployedAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PredeployedAccount")
            .field("address", &format_args!("{:#x}", self.address))
            .field("public_key", &format_args!("{:#x}", self.public_key))
            .finish_non_exhaustive()
    }
}

/// Fee token units accepted by `devnet_mint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUnit {
    /// STRK, in fri.
    Fri,
    /// ETH, in wei.
    Wei,
}

/// Client for `devnet_*` methods.
#[derive(Debug, Clone)]
pub struct DevnetClient {
    url: Url,
    http: reqwest::Client,
}

impl DevnetClient {
    pub fn new(url: Url) -> Self {
        Self::with_http(url, reqwest::Client::new())
    }

    /// A client for `url` sharing `http`'s connection pool.
    pub fn with_http(url: Url, http: reqwest::Client) -> Self {
        Self { url, http }
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        params: Value,
    ) -> Result<T, DevnetError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let response: Value = self
            .http
            .post(self.url.clone())
            .json(&body)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|source| DevnetError::Transport { url: self.url.clone(), source })?
            .json()
            .await
            .map_err(|source| DevnetError::Transport { url: self.url.clone(), source })?;
        if let Some(error) = response.get("error") {
            return Err(DevnetError::Rpc {
                method,
                code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
                message: error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("no message")
                    .to_string()
                    + &error.get("data").map(|d| format!(": {d}")).unwrap_or_default(),
            });
        }
        let result = response.get("result").cloned().unwrap_or(Value::Null);
        serde_json::from_value(result)
            .map_err(|e| DevnetError::Decode { method, detail: e.to_string() })
    }

    /// Mints `amount` of the fee token to `address`; returns the new balance.
    pub async fn mint(
        &self,
        address: Felt,
        amount: u128,
        unit: TokenUnit,
    ) -> Result<u128, DevnetError> {
        #[derive(Deserialize)]
        struct Minted {
            new_balance: String,
        }
        let unit = match unit {
            TokenUnit::Fri => "FRI",
            TokenUnit::Wei => "WEI",
        };
        let minted: Minted = self
            .call("devnet_mint", json!({ "address": address, "amount": amount, "unit": unit }))
            .await?;
        minted.new_balance.parse().map_err(|_| DevnetError::Decode {
            method: "devnet_mint",
            detail: format!("balance {:?} is not a u128", minted.new_balance),
        })
    }

    /// Sets the time of the next block (and, with `generate_block`, mines
    /// one at that time now).
    pub async fn set_time(&self, time: u64, generate_block: bool) -> Result<(), DevnetError> {
        let _: Value = self
            .call("devnet_setTime", json!({ "time": time, "generate_block": generate_block }))
            .await?;
        Ok(())
    }

    /// Closes the pre-confirmed block (with on-demand blocks: every
    /// transaction since the last block) at the time set for the next.
    pub async fn create_block(&self) -> Result<(), DevnetError> {
        let _: Value = self.call("devnet_createBlock", json!({})).await?;
        Ok(())
    }

    /// Moves devnet time forward by `seconds` and mines a block.
    pub async fn increase_time(&self, seconds: u64) -> Result<(), DevnetError> {
        let _: Value = self.call("devnet_increaseTime", json!({ "time": seconds })).await?;
        Ok(())
    }

    /// Records the current state; returns an id for [`Self::revert`].
    pub async fn snapshot(&self) -> Result<String, DevnetError> {
        self.call("devnet_snapshot", json!({})).await
    }

    /// Restores the state recorded by [`Self::snapshot`].
    pub async fn revert(&self, snapshot_id: &str) -> Result<(), DevnetError> {
        let _: Value = self.call("devnet_revert", json!({ "snapshot_id": snapshot_id })).await?;
        Ok(())
    }

    /// The predeployed, funded accounts.
    pub async fn predeployed_accounts(&self) -> Result<Vec<PredeployedAccount>, DevnetError> {
        self.call("devnet_getPredeployedAccounts", json!({})).await
    }
}
