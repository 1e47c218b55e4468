//! Counterfactual deployment (DEPLOY_ACCOUNT v3) of the session account.
//!
//! The constructor takes the owner key of any kind (§2.1, its layout in
//! §12.1); `__validate_deploy__` checks the owner's signature of the deploy
//! transaction hash, in its kind's layout. The address is fixed by (salt,
//! class hash, owner key) before anything is on chain, so it can be funded
//! first.

use async_trait::async_trait;
use starknet_rust::accounts::{
    AccountFactory, PreparedAccountDeploymentV3, RawAccountDeploymentV3,
};
use starknet_rust::core::types::{BlockId, BlockTag, Felt};
use starknet_rust::core::utils::get_contract_address;
use starknet_rust::providers::Provider;

use crate::signers::{OwnerKey, OwnerSignError, OwnerSigner};
use crate::tx::{self, Confirmed, TxError};

/// What fixes a new account's address besides its owner: the class it is
/// an instance of and the salt it is deployed with. (Named, so that the
/// two felts cannot be swapped without the compiler noticing.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NewAccount {
    /// The session account's class hash.
    pub class_hash: Felt,
    /// The deployment salt.
    pub salt: Felt,
}

/// The address the account owned by `owner` will have, deployed by
/// DEPLOY_ACCOUNT (deployer 0).
pub fn counterfactual_address(owner: &OwnerKey, new: NewAccount) -> Felt {
    get_contract_address(new.salt, new.class_hash, &owner.to_felts(), Felt::ZERO)
}

/// [`AccountFactory`] for the session account, owned by `O`'s key.
pub struct AccountDeployment<O, P> {
    class_hash: Felt,
    chain_id: Felt,
    owner: O,
    provider: P,
    block_id: BlockId,
}

impl<O, P> AccountDeployment<O, P> {
    /// Deploys accounts of `class_hash` on `chain_id` owned by `owner`'s
    /// key, sending through `provider`.
    pub fn new(class_hash: Felt, chain_id: Felt, owner: O, provider: P) -> Self {
        Self { class_hash, chain_id, owner, provider, block_id: BlockId::Tag(BlockTag::Latest) }
    }
}

#[async_trait]
impl<O, P> AccountFactory for AccountDeployment<O, P>
where
    O: OwnerSigner + Send + Sync,
    P: Provider + Send + Sync,
{
    type Provider = P;
    type SignError = OwnerSignError;

    fn class_hash(&self) -> Felt {
        self.class_hash
    }

    fn calldata(&self) -> Vec<Felt> {
        self.owner.owner_key().to_felts()
    }

    fn chain_id(&self) -> Felt {
        self.chain_id
    }

    fn provider(&self) -> &Self::Provider {
        &self.provider
    }

    fn is_signer_interactive(&self) -> bool {
        false
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
        self.owner.sign_hash(tx_hash)
    }
}

/// Sends the owner-signed DEPLOY_ACCOUNT v3 of the session account at
/// [`counterfactual_address`]`(owner, new)` on `chain_id` and waits for it.
/// The address must hold enough STRK for the fee.
pub async fn deploy_account<P, O>(
    provider: P,
    owner: O,
    new: NewAccount,
    chain_id: Felt,
) -> Result<Confirmed, TxError>
where
    P: Provider + Send + Sync,
    O: OwnerSigner + Send + Sync,
{
    let factory = AccountDeployment::new(new.class_hash, chain_id, owner, provider);
    let sent = factory.deploy_v3(new.salt).send().await.map_err(|e| match e {
        starknet_rust::accounts::AccountFactoryError::Provider(p) => tx::from_provider_error(p),
        starknet_rust::accounts::AccountFactoryError::Signing(e) => TxError::Signing(Box::new(e)),
        other => TxError::Preparation(Box::new(other)),
    })?;
    tx::wait_for_receipt(factory.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
}
