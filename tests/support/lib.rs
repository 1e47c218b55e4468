//! Shared fixtures for the end-to-end tests: a devnet with a deployed session
//! account, helpers to register sessions and move devnet time, and an
//! account that sends arbitrary signatures (for malformed-signature cases).

use async_trait::async_trait;
use session_account::account::encoding::encode_calls;
use session_account::account::{OwnerAccount, OwnerOperations, SessionAccount};
use session_account::devnet::sandbox::{DeployedAccount, Rpc, Sandbox};
use session_account::devnet::{DevnetOptions, STRK};
use session_account::policy::SessionPolicy;
use session_account::tx::{self, Confirmed, TxError};
use starknet_rust::accounts::{
    Account, ConnectedAccount, ExecutionEncoder, RawDeclarationV3, RawExecutionV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, MaybePreConfirmedBlockWithTxHashes};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

pub const STRK_UNIT: u128 = 1_000_000_000_000_000_000;
pub const HOUR: u64 = 3600;

/// A devnet with one deployed, funded session account.
pub struct World {
    pub sandbox: Sandbox,
    pub account: DeployedAccount,
    /// A predeployed account used as a transfer recipient.
    pub recipient: Felt,
}

impl World {
    /// Starts a fresh devnet (each test has its own) and deploys an account
    /// holding 1000 STRK.
    pub async fn new() -> World {
        let sandbox = Sandbox::start(DevnetOptions::default()).await.expect("sandbox starts");
        let account = sandbox
            .deploy_account(SigningKey::from_random(), Felt::from(7u8), 1000 * STRK_UNIT)
            .await
            .expect("account deploys");
        let recipient = sandbox.predeployed[1].address;
        World { sandbox, account, recipient }
    }

    pub fn owner(&self) -> OwnerAccount<Rpc> {
        self.sandbox.owner(&self.account)
    }

    pub fn session(&self, key: &SigningKey) -> SessionAccount<Rpc, LocalWallet> {
        self.sandbox.session(&self.account, key.clone())
    }

    /// Timestamp of the latest block.
    pub async fn now(&self) -> u64 {
        match self
            .sandbox
            .provider
            .get_block_with_tx_hashes(BlockId::Tag(BlockTag::Latest))
            .await
            .expect("latest block")
        {
            MaybePreConfirmedBlockWithTxHashes::Block(b) => b.timestamp,
            MaybePreConfirmedBlockWithTxHashes::PreConfirmedBlock(b) => b.timestamp,
        }
    }

    /// Registers (owner transaction) a session for `key`, valid from now for
    /// `lifetime` seconds, allowed to call `contracts`.
    pub async fn register_session(&self, key: &SigningKey, lifetime: u64, contracts: Vec<Felt>) -> SessionPolicy {
        let now = self.now().await;
        let policy = SessionPolicy {
            session_key: key.verifying_key().scalar(),
            valid_after: now.saturating_sub(10),
            valid_until: now + lifetime,
            allowed_contracts: contracts,
        };
        self.owner().register_session(&policy).await.expect("session registers");
        policy
    }

    /// A fresh session key registered for STRK, valid for a day.
    pub async fn strk_session(&self) -> SigningKey {
        let key = SigningKey::from_random();
        self.register_session(&key, 24 * HOUR, vec![STRK]).await;
        key
    }

    pub async fn strk_balance(&self, address: Felt) -> u128 {
        session_account::token::balance_of(&self.sandbox.provider, STRK, address).await.expect("balance")
    }

    pub async fn nonce(&self) -> Felt {
        self.sandbox
            .provider
            .get_nonce(BlockId::Tag(BlockTag::PreConfirmed), self.account.address)
            .await
            .expect("nonce")
    }
}

/// Sends with fixed resource bounds, skipping fee estimation (which would
/// itself fail for transactions that validation rejects).
pub async fn send_without_estimate<A>(account: &A, calls: Vec<Call>) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    let sent = account
        .execute_v3(calls)
        .l1_gas(0)
        .l1_gas_price(2_000_000_000)
        .l2_gas(20_000_000)
        .l2_gas_price(2_000_000_000)
        .l1_data_gas(1_000)
        .l1_data_gas_price(2_000_000_000)
        .tip(0)
        .send()
        .await
        .map_err(tx::from_account_error)?;
    tx::wait_for_receipt(account.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT).await
}

/// An account that signs every transaction with whatever `sign` returns
/// for its hash: the way to send malformed or forged signatures.
pub struct ForgedSignatureAccount<F> {
    provider: Rpc,
    address: Felt,
    chain_id: Felt,
    sign: F,
}

impl<F> ForgedSignatureAccount<F>
where
    F: Fn(Felt) -> Vec<Felt> + Send + Sync,
{
    pub fn new(world: &World, sign: F) -> Self {
        Self {
            provider: world.sandbox.devnet.provider(),
            address: world.account.address,
            chain_id: world.sandbox.chain_id,
            sign,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("never fails")]
pub struct Infallible;

#[async_trait]
impl<F> Account for ForgedSignatureAccount<F>
where
    F: Fn(Felt) -> Vec<Felt> + Send + Sync,
{
    type SignError = Infallible;

    fn address(&self) -> Felt {
        self.address
    }

    fn chain_id(&self) -> Felt {
        self.chain_id
    }

    async fn sign_execution_v3(&self, execution: &RawExecutionV3, query_only: bool) -> Result<Vec<Felt>, Infallible> {
        let hash = execution.transaction_hash(self.chain_id, self.address, query_only, self);
        Ok((self.sign)(hash))
    }

    async fn sign_declaration_v3(&self, _: &RawDeclarationV3, _: bool) -> Result<Vec<Felt>, Infallible> {
        Ok(vec![])
    }

    fn is_signer_interactive(&self, _: starknet_rust::signers::SignerInteractivityContext<'_>) -> bool {
        false
    }
}

impl<F> ExecutionEncoder for ForgedSignatureAccount<F> {
    fn encode_calls(&self, calls: &[Call]) -> Vec<Felt> {
        encode_calls(calls)
    }
}

impl<F> ConnectedAccount for ForgedSignatureAccount<F>
where
    F: Fn(Felt) -> Vec<Felt> + Send + Sync,
{
    type Provider = Rpc;

    fn provider(&self) -> &Rpc {
        &self.provider
    }

    fn block_id(&self) -> BlockId {
        BlockId::Tag(BlockTag::PreConfirmed)
    }
}
