//! Counterfactual deployment (DEPLOY_ACCOUNT v3) of the session account.
//!
//! The constructor takes the owner public key; `__validate_deploy__` checks
//! the owner's `[r, s]` signature of the deploy transaction hash. The address
//! is fixed by (salt, class hash, owner key) before anything is on chain, so
//! it can be funded first.

use async_trait::async_trait;
use starknet_rust::accounts::{
    AccountFactory, PreparedAccountDeploymentV3, RawAccountDeploymentV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Felt};
use starknet_rust::core::utils::get_contract_address;
use starknet_rust::providers::Provider;
use starknet_rust::signers::{Signer, SignerInteractivityContext};

use crate::signature::owner_signature;
use crate::tx::{self, Confirmed, TxError};

/// The address the account will have, deployed by DEPLOY_ACCOUNT (deployer 0).
pub fn counterfactual_address(class_hash: Felt, salt: Felt, owner_public_key: Felt) -> Felt {
    get_contract_address(salt, class_hash, &[owner_public_key], Felt::ZERO)
}

/// [`AccountFactory`] for the session account.
pub struct AccountDeployment<S, P> {
    class_hash: Felt,
    chain_id: Felt,
    owner_public_key: Felt,
    signer: S,
    provider: P,
    block_id: BlockId,
}

impl<S, P> AccountDeployment<S, P> {
    /// `owner_public_key` must be the public key of `signer`.
    pub fn new(
        class_hash: Felt,
        chain_id: Felt,
        owner_public_key: Felt,
        signer: S,
        provider: P,
    ) -> Self {
        Self {
            class_hash,
            chain_id,
            owner_public_key,
            signer,
            provider,
            block_id: BlockId::Tag(BlockTag::Latest),
        }
    }
}

#[async_trait]
impl<S, P> AccountFactory for AccountDeployment<S, P>
where
    S: Signer + Send + Sync,
    P: Provider + Send + Sync,
{
    type Provider = P;
    type SignError = S::SignError;

    fn class_hash(&self) -> Felt {
        self.class_hash
    }

    fn calldata(&self) -> Vec<Felt> {
        vec![self.owner_public_key]
    }

    fn chain_id(&self) -> Felt {
        self.chain_id
    }

    fn provider(&self) -> &Self::Provider {
        &self.provider
    }

    fn is_signer_interactive(&self) -> bool {
        self.signer.is_interactive(SignerInteractivityContext::Other)
    }

    fn block_id(&self) -> BlockId {
        self.block_id
    }

    async fn sign_deployment_v3(
        &self,
        deployment: &RawAccountDeploymentV3,
        query_only: bool,
    ) -> Result<Vec<Felt>, Self::SignError> {
        let tx_hash = PreparedAccountDeploymentV3::from_raw(deployment.clone(), self)
            .transaction_hash(query_only);
        let signature = self.signer.sign_hash(&tx_hash).await?;
        Ok(owner_signature(&signature))
    }
}

/// Sends the owner-signed DEPLOY_ACCOUNT v3 of the session account at
/// [`counterfactual_address`]`(class_hash, salt, owner)` and waits for it.
/// The address must hold enough STRK for the fee.
pub async fn deploy_account<P>(
    provider: P,
    class_hash: Felt,
    chain_id: Felt,
    owner_key: &starknet_rust::signers::SigningKey,
    salt: Felt,
) -> Result<Confirmed, TxError>
where
    P: Provider + Send + Sync,
{
    let owner_public_key = owner_key.verifying_key().scalar();
    let factory = AccountDeployment::new(
        class_hash,
        chain_id,
        owner_public_key,
        starknet_rust::signers::LocalWallet::from_signing_key(owner_key.clone()),
        provider,
    );
    let sent = factory.deploy_v3(salt).send().await.map_err(|e| match e {
        starknet_rust::accounts::AccountFactoryError::Provider(p) => tx::from_provider_error(p),
        other => TxError::Signing(other.to_string()),
    })?;
    tx::wait_for_receipt(factory.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
}
