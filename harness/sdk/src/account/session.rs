//! The session account: signs transactions with a session key.
//!
//! It implements starknet-rust's [`Account`], [`ConnectedAccount`] and
//! [`ExecutionEncoder`], so any code written against those traits executes
//! with a session key unchanged. Fee estimation signs for real (the signer is
//! not interactive), so estimates run the contract's `__validate__`.
//!
//! A session not yet registered on chain can carry its owner-signed
//! [`Authorization`] (docs/spec.md §3.2): the first transaction registers it
//! and runs its calls atomically. Once registered, drop the authorization
//! ([`SessionAccount::clear_authorization`]); carrying it again is accepted
//! but costs gas.

use async_trait::async_trait;
use starknet_rust::accounts::{
    Account, ConnectedAccount, ExecutionEncoder, RawDeclarationV3, RawExecutionV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, Signer, SignerInteractivityContext, SigningKey};

use crate::account::encoding::encode_calls;
use crate::account::AccountAt;
use crate::signature::{session_signature, Authorization};

/// Errors signing with a session key.
#[derive(Debug, thiserror::Error)]
pub enum SessionSignError<E> {
    /// The session key's signer failed.
    #[error("session key signer failed: {0}")]
    Signer(E),
    /// Declaring classes is owner-only.
    #[error("a session key cannot declare classes; use the owner account")]
    DeclareNotAllowed,
}

/// An account driven by a session key.
#[derive(Clone)]
pub struct SessionAccount<P, S> {
    provider: P,
    signer: S,
    session_public_key: Felt,
    address: Felt,
    chain_id: Felt,
    block_id: BlockId,
    authorization: Option<Authorization>,
}

impl<P, S> std::fmt::Debug for SessionAccount<P, S> {
    // Never prints the signer (it may hold the private key).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionAccount")
            .field("address", &format_args!("{:#x}", self.address))
            .field("session_public_key", &format_args!("{:#x}", self.session_public_key))
            .field("chain_id", &format_args!("{:#x}", self.chain_id))
            .field("carries_authorization", &self.authorization.is_some())
            .finish_non_exhaustive()
    }
}

impl<P> SessionAccount<P, LocalWallet>
where
    P: Provider + Send + Sync,
{
    /// The account at `at`, signed by the session key `key` held in memory.
    pub fn from_key(provider: P, key: SigningKey, at: AccountAt) -> Self {
        let session_public_key = key.verifying_key().scalar();
        Self::new(provider, LocalWallet::from_signing_key(key), session_public_key, at)
    }
}

impl<P, S> SessionAccount<P, S>
where
    P: Provider + Send + Sync,
    S: Signer + Send + Sync,
{
    /// The account at `at`, signed by the session key `signer`, sending
    /// through `provider`. `session_public_key` must be the public key of
    /// `signer` (for a key held in memory, [`SessionAccount::from_key`]
    /// derives it).
    pub fn new(provider: P, signer: S, session_public_key: Felt, at: AccountAt) -> Self {
        Self {
            provider,
            signer,
            session_public_key,
            address: at.address,
            chain_id: at.chain_id,
            block_id: BlockId::Tag(BlockTag::PreConfirmed),
            authorization: None,
        }
    }

    /// Carries `authorization` in every transaction until cleared.
    pub fn with_authorization(mut self, authorization: Authorization) -> Self {
        self.authorization = Some(authorization);
        self
    }

    /// The owner's authorization the transactions carry, if any.
    pub fn authorization(&self) -> Option<&Authorization> {
        self.authorization.as_ref()
    }

    /// Stops carrying the authorization (once the session is registered).
    pub fn clear_authorization(&mut self) {
        self.authorization = None;
    }

    /// The session key's public key.
    pub fn session_public_key(&self) -> Felt {
        self.session_public_key
    }

    /// The block nonces and estimates are read at (default: pre-confirmed).
    pub fn set_block_id(&mut self, block_id: BlockId) -> &mut Self {
        self.block_id = block_id;
        self
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
impl<P, S> Account for SessionAccount<P, S>
where
    P: Provider + Send + Sync,
    S: Signer + Send + Sync,
{
    type SignError = SessionSignError<S::SignError>;

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
    ) -> Result<Vec<Felt>, Self::SignError> {
        let tx_hash = execution.transaction_hash(self.chain_id, self.address, query_only, self);
        let signature = self.signer.sign_hash(&tx_hash).await.map_err(SessionSignError::Signer)?;
        Ok(session_signature(self.session_public_key, &signature, self.authorization.as_ref()))
    }

    async fn sign_declaration_v3(
        &self,
        _declaration: &RawDeclarationV3,
        _query_only: bool,
    ) -> Result<Vec<Felt>, Self::SignError> {
        Err(SessionSignError::DeclareNotAllowed)
    }

    fn is_signer_interactive(&self, context: SignerInteractivityContext<'_>) -> bool {
        self.signer.is_interactive(context)
    }
}

impl<P, S> ExecutionEncoder for SessionAccount<P, S> {
    fn encode_calls(&self, calls: &[Call]) -> Vec<Felt> {
        encode_calls(calls)
    }
}

impl<P, S> ConnectedAccount for SessionAccount<P, S>
where
    P: Provider + Send + Sync,
    S: Signer + Send + Sync,
{
    type Provider = P;

    fn provider(&self) -> &Self::Provider {
        &self.provider
    }

    fn block_id(&self) -> BlockId {
        self.block_id
    }
}
