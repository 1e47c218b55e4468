//! The owner path for an owner of any kind (docs/spec.md §2.1): a Stark
//! key, a P-256 key or a passkey, through [`OwnerSigner`]. Like
//! [`SessionAccount`](super::SessionAccount) it implements starknet-rust's
//! [`Account`], [`ConnectedAccount`] and [`ExecutionEncoder`], so
//! [`OwnerOperations`](super::OwnerOperations) and any code written
//! against those traits run with it unchanged. (A Stark owner can also use
//! [`OwnerAccount`](super::OwnerAccount), starknet-rust's own.)

use async_trait::async_trait;
use starknet_rust::accounts::{
    Account, ConnectedAccount, ExecutionEncoder, RawDeclarationV3, RawExecutionV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt};
use starknet_rust::providers::Provider;
use starknet_rust::signers::SignerInteractivityContext;

use crate::account::encoding::encode_calls;
use crate::account::AccountAt;
use crate::signers::{OwnerSignError, OwnerSigner};

/// The session account, signed by its owner of any kind.
#[derive(Clone)]
pub struct KeyedOwnerAccount<P, O> {
    provider: P,
    owner: O,
    address: Felt,
    chain_id: Felt,
    block_id: BlockId,
}

impl<P, O> std::fmt::Debug for KeyedOwnerAccount<P, O> {
    // Never prints the owner (it may hold the private key).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyedOwnerAccount")
            .field("address", &self.address)
            .field("chain_id", &self.chain_id)
            .finish_non_exhaustive()
    }
}

impl<P, O: OwnerSigner> KeyedOwnerAccount<P, O> {
    /// The account at `at`, signed by `owner`, sending through `provider`.
    pub fn new(provider: P, owner: O, at: AccountAt) -> Self {
        Self {
            provider,
            owner,
            address: at.address,
            chain_id: at.chain_id,
            block_id: BlockId::Tag(BlockTag::PreConfirmed),
        }
    }

    /// The owner that signs.
    pub fn owner(&self) -> &O {
        &self.owner
    }

    /// The block nonces and estimates are read at (default: pre-confirmed).
    pub fn set_block_id(&mut self, block_id: BlockId) -> &mut Self {
        self.block_id = block_id;
        self
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait(?Send))]
impl<P, O> Account for KeyedOwnerAccount<P, O>
where
    P: Provider + Send + Sync,
    O: OwnerSigner + Send + Sync,
{
    type SignError = OwnerSignError;

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
        let hash = execution.transaction_hash(self.chain_id, self.address, query_only, self);
        self.owner.sign_hash(hash)
    }

    async fn sign_declaration_v3(
        &self,
        declaration: &RawDeclarationV3,
        query_only: bool,
    ) -> Result<Vec<Felt>, Self::SignError> {
        self.owner.sign_hash(declaration.transaction_hash(self.chain_id, self.address, query_only))
    }

    fn is_signer_interactive(&self, _context: SignerInteractivityContext<'_>) -> bool {
        false
    }
}

impl<P, O> ExecutionEncoder for KeyedOwnerAccount<P, O> {
    fn encode_calls(&self, calls: &[Call]) -> Vec<Felt> {
        encode_calls(calls)
    }
}

impl<P, O> ConnectedAccount for KeyedOwnerAccount<P, O>
where
    P: Provider + Send + Sync,
    O: OwnerSigner + Send + Sync,
{
    type Provider = P;

    fn provider(&self) -> &Self::Provider {
        &self.provider
    }

    fn block_id(&self) -> BlockId {
        self.block_id
    }
}
