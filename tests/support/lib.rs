//! Shared fixtures for the end-to-end tests: a devnet with a deployed session
//! account, helpers to register sessions and move devnet time, and an
//! account that sends arbitrary signatures (for malformed-signature cases).

pub mod browser;
pub mod cli;

use async_trait::async_trait;
use session_account::account::encoding::encode_calls;
use session_account::account::{OwnerAccount, OwnerOperations, SessionAccount};
use session_account::policy::{Binding, SessionPolicy, SessionPolicyBuilder};
use session_account::signature::Authorization;
use session_account::token::STRK;
use session_account::tx::{self, Confirmed, TxError};
use session_account_testkit::devnet::sandbox::{DeployedAccount, Rpc, Sandbox};
use session_account_testkit::devnet::DevnetOptions;
use starknet_rust::accounts::{
    Account, ConnectedAccount, ExecutionEncoder, RawDeclarationV3, RawExecutionV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, U256};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

pub use session_account::token::STRK_UNIT;

/// The repository README's Rust snippets, compiled as doctests of this
/// crate so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
pub const HOUR: u64 = 3600;

/// A devnet with one deployed, funded session account.
pub struct World {
    pub sandbox: Sandbox,
    pub account: DeployedAccount,
    /// A predeployed account used as a transfer recipient.
    pub recipient: Felt,
}

impl World {
    /// Sends a 1-fri STRK transfer signed by `key`'s session, without a
    /// fee estimate (so a refusal in `__validate__` comes back as one), and
    /// returns the error it must fail with.
    pub async fn session_transfer_error(&self, key: &SigningKey) -> TxError {
        let transfer = session_account::token::transfer_call(STRK, self.recipient, 1);
        send_without_estimate(&self.session(key), vec![transfer])
            .await
            .expect_err("the session transfer must fail")
    }

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

    /// An account owned by `owner` (any kind, §2.1), deployed with it as
    /// the constructor's calldata and holding 100 STRK.
    pub async fn deploy_owned(&self, owner: &session_account::signers::OwnerKey, salt: u8) -> Felt {
        let address = self
            .sandbox
            .deploy_contract(
                &session_account::contract::ContractArtifact::session_account(),
                Felt::from(salt),
                owner.to_felts(),
            )
            .await
            .expect("the account deploys");
        self.sandbox
            .devnet_client
            .mint(address, 100 * STRK_UNIT, session_account_testkit::devnet::TokenUnit::Fri)
            .await
            .expect("mint");
        address
    }

    pub fn owner(&self) -> OwnerAccount<Rpc> {
        self.sandbox.owner(&self.account)
    }

    pub fn session(&self, key: &SigningKey) -> SessionAccount<Rpc, LocalWallet> {
        self.sandbox.session(&self.account, key.clone())
    }

    /// Timestamp of the latest block.
    pub async fn now(&self) -> u64 {
        tx::latest_timestamp(&self.sandbox.provider).await.expect("latest block")
    }

    /// A permissive policy for `key`: valid from now for `lifetime` seconds,
    /// any entrypoint of `contracts`, generous caps, no spending limits, no
    /// fee budget beyond the cap, not renewable. Tests narrow it further.
    pub async fn policy_builder(
        &self,
        key: &SigningKey,
        lifetime: u64,
        contracts: &[Felt],
    ) -> SessionPolicyBuilder {
        let now = self.now().await;
        let builder = SessionPolicy::builder(key.verifying_key().scalar())
            .valid_between(now.saturating_sub(10), now + lifetime)
            .max_calls_per_tx(10)
            .max_calls(1000)
            .max_fee_per_tx(10 * STRK_UNIT)
            .fee_budget(u128::MAX);
        contracts.iter().fold(builder, |b, c| b.allow(*c))
    }

    /// [`Self::policy_builder`], built.
    pub async fn policy(
        &self,
        key: &SigningKey,
        lifetime: u64,
        contracts: &[Felt],
    ) -> SessionPolicy {
        self.policy_builder(key, lifetime, contracts).await.build().expect("well formed")
    }

    /// Registers `policy` with an owner transaction.
    pub async fn register(&self, policy: &SessionPolicy) {
        self.owner().register_session(policy).await.expect("session registers");
    }

    /// A fresh session key registered for STRK (no limit), valid for a day.
    pub async fn strk_session(&self) -> SigningKey {
        let key = SigningKey::from_random();
        let policy = self.policy(&key, 24 * HOUR, &[STRK]).await;
        self.register(&policy).await;
        key
    }

    /// A fresh session key registered for STRK with a spending limit.
    pub async fn limited_strk_session(&self, limit: u128) -> SigningKey {
        let key = SigningKey::from_random();
        let policy = self
            .policy_builder(&key, 24 * HOUR, &[STRK])
            .await
            .spending_limit(STRK, U256::from(limit));
        self.register(&policy.build().expect("well formed")).await;
        key
    }

    /// The owner's authorization of `policy` for this account at `epoch`,
    /// before any owner key rotation.
    pub fn authorize(&self, policy: &SessionPolicy, epoch: u64) -> Authorization {
        let binding =
            Binding { epoch, ..Binding::new_account(self.account.address, self.sandbox.chain_id) };
        Authorization::sign(policy.clone(), &self.account.owner_key, &binding).expect("owner signs")
    }

    /// Deploys the test token and router of contracts/testing, and mints
    /// `funds` tokens to the account: `(token, router)`.
    pub async fn test_token_and_router(&self, funds: u128) -> (Felt, Felt) {
        let token = self
            .sandbox
            .deploy_contract(&session_account_testkit::classes::test_token(), Felt::ONE, vec![])
            .await
            .expect("token deploys");
        let router = self
            .sandbox
            .deploy_contract(&session_account_testkit::classes::test_router(), Felt::ONE, vec![])
            .await
            .expect("router deploys");
        let mint = Call {
            to: token,
            selector: starknet_rust::macros::selector!("mint"),
            calldata: vec![self.account.address, Felt::from(funds), Felt::ZERO],
        };
        self.sandbox.execute_funded(0, vec![mint]).await.expect("mint");
        (token, router)
    }

    /// The account's events of transaction `hash` named `name` (§9): the
    /// keys after the event selector, and the data.
    pub async fn account_events(&self, hash: Felt, name: &str) -> Vec<(Vec<Felt>, Vec<Felt>)> {
        let receipt = self.sandbox.provider.get_transaction_receipt(hash).await.expect("receipt");
        let selector = starknet_rust::core::utils::get_selector_from_name(name).expect("a name");
        let account = self.account.address;
        receipt
            .receipt
            .events()
            .iter()
            .filter(|e| e.from_address == account && e.keys.first() == Some(&selector))
            .map(|e| (e.keys[1..].to_vec(), e.data.clone()))
            .collect()
    }

    /// `token`'s balance of `holder`, exactly.
    pub async fn token_balance(&self, token: Felt, holder: Felt) -> U256 {
        let selector = starknet_rust::macros::selector!("balance_of");
        session_account::token::read_u256(&self.sandbox.provider, token, selector, vec![holder])
            .await
            .expect("balance")
    }

    /// Moves devnet to `time` and mines a block there.
    pub async fn set_time(&self, time: u64) {
        self.sandbox.devnet_client.set_time(time, true).await.expect("devnet_setTime");
    }

    /// The start of a whole hour at least two hours from now.
    pub async fn next_hour(&self) -> u64 {
        (self.now().await / HOUR + 2) * HOUR
    }

    /// Sends `calls` from `account` (fixed fee bounds) and checks that the
    /// account rejects them in validation with `expected`: no fee, the
    /// nonce unchanged.
    pub async fn assert_rejected<A>(
        &self,
        account: &A,
        calls: Vec<Call>,
        expected: session_account::contract::ContractError,
    ) where
        A: ConnectedAccount + Sync,
        A::SignError: session_account::tx::SignerError,
    {
        let nonce = self.nonce().await;
        let error = send_without_estimate(account, calls)
            .await
            .expect_err("the account should reject this");
        assert!(error.is_rejected(), "expected a rejection in __validate__, got {error}");
        assert_eq!(error.contract_error(), Some(expected), "{error}");
        assert_eq!(self.nonce().await, nonce, "a rejected transaction must not move the nonce");
    }

    /// The account's views.
    /// The views of another account of this devnet.
    pub fn views_of(&self, address: Felt) -> session_account::policy::views::AccountViews<'_, Rpc> {
        session_account::policy::views::AccountViews::new(&self.sandbox.provider, address)
    }

    pub fn views(&self) -> session_account::policy::views::AccountViews<'_, Rpc> {
        session_account::policy::views::AccountViews::new(
            &self.sandbox.provider,
            self.account.address,
        )
    }

    pub async fn strk_balance(&self, address: Felt) -> u128 {
        session_account::token::balance_of(&self.sandbox.provider, STRK, address)
            .await
            .expect("balance")
    }

    pub async fn nonce(&self) -> Felt {
        self.sandbox
            .provider
            .get_nonce(BlockId::Tag(BlockTag::PreConfirmed), self.account.address)
            .await
            .expect("nonce")
    }
}

/// Sends with fixed resource bounds ([`tx::FeeBounds::DEVNET`]), skipping fee
/// estimation (which would itself fail for transactions that validation
/// rejects).
pub async fn send_without_estimate<A>(account: &A, calls: Vec<Call>) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: session_account::tx::SignerError,
{
    tx::execute_with_bounds(account, calls, tx::FeeBounds::DEVNET).await
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

    async fn sign_execution_v3(
        &self,
        execution: &RawExecutionV3,
        query_only: bool,
    ) -> Result<Vec<Felt>, Infallible> {
        let hash = execution.transaction_hash(self.chain_id, self.address, query_only, self);
        Ok((self.sign)(hash))
    }

    async fn sign_declaration_v3(
        &self,
        _: &RawDeclarationV3,
        _: bool,
    ) -> Result<Vec<Felt>, Infallible> {
        Ok(vec![])
    }

    fn is_signer_interactive(
        &self,
        _: starknet_rust::signers::SignerInteractivityContext<'_>,
    ) -> bool {
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
