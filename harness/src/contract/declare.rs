//! Declaring the embedded classes (owner or any funded account pays).

use starknet_rust::accounts::{ConnectedAccount};
use starknet_rust::core::types::{Felt, StarknetError};
use starknet_rust::providers::{Provider, ProviderError};

use super::artifacts::{ArtifactError, ContractArtifact};
use crate::tx::{self, TxError};

#[derive(Debug, thiserror::Error)]
pub enum DeclareError {
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    #[error("declaring {name} failed: {source}")]
    Tx { name: &'static str, source: TxError },
}

/// Declares `artifact` from `account` unless the network already has it;
/// returns the class hash.
pub async fn declare<A>(account: &A, artifact: &ContractArtifact) -> Result<Felt, DeclareError>
where
    A: ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    let class = artifact.flattened()?;
    let class_hash = class.class_hash();
    match account.provider().get_class(account.block_id(), class_hash).await {
        Ok(_) => return Ok(class_hash),
        Err(ProviderError::StarknetError(StarknetError::ClassHashNotFound)) => {}
        Err(e) => {
            return Err(DeclareError::Tx { name: artifact.name, source: TxError::Provider(e) })
        }
    }
    let compiled_class_hash = artifact.compiled_class_hash()?;
    let sent = account
        .declare_v3(std::sync::Arc::new(class), compiled_class_hash)
        .send()
        .await
        .map_err(|e| DeclareError::Tx { name: artifact.name, source: tx::from_account_error(e) })?;
    tx::wait_for_receipt(account.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
        .map_err(|source| DeclareError::Tx { name: artifact.name, source })?;
    Ok(class_hash)
}
