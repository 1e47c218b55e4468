//! The owner path: the account signed by its owner key.
//!
//! The owner signature is the plain `[r, s]` layout, so the owner account is
//! starknet-rust's own [`SingleOwnerAccount`]; [`OwnerOperations`] adds the
//! session-management entrypoints to any account that can send transactions.

use async_trait::async_trait;
use starknet_rust::accounts::{ConnectedAccount, ExecutionEncoding, SingleOwnerAccount};
use starknet_rust::core::types::{Call, Felt};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

use crate::contract::selectors;
use crate::policy::SessionPolicy;
use crate::tx::{self, Confirmed, TxError};

/// The session account, signed by its owner key.
pub type OwnerAccount<P> = SingleOwnerAccount<P, LocalWallet>;

/// Connects to a deployed session account as its owner.
pub fn owner_account<P: Provider + Send + Sync>(
    provider: P,
    owner_key: SigningKey,
    address: Felt,
    chain_id: Felt,
) -> OwnerAccount<P> {
    SingleOwnerAccount::new(
        provider,
        LocalWallet::from_signing_key(owner_key),
        address,
        chain_id,
        ExecutionEncoding::New,
    )
}

/// The calls that manage sessions, for batching into other multicalls.
pub mod calls {
    use super::*;

    pub fn register_session(account: Felt, policy: &SessionPolicy) -> Call {
        Call { to: account, selector: selectors::REGISTER_SESSION, calldata: policy.to_calldata() }
    }

    pub fn revoke_session(account: Felt, session_key: Felt) -> Call {
        Call { to: account, selector: selectors::REVOKE_SESSION, calldata: vec![session_key] }
    }
}

/// Owner-only operations, as owner-signed transactions of the account.
#[async_trait]
pub trait OwnerOperations: ConnectedAccount + Sync
where
    Self::SignError: std::fmt::Display,
{
    /// Registers a session (`register_session`).
    async fn register_session(&self, policy: &SessionPolicy) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::register_session(self.address(), policy)]).await
    }

    /// Revokes one session (`revoke_session`).
    async fn revoke_session(&self, session_key: Felt) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::revoke_session(self.address(), session_key)]).await
    }
}

impl<A> OwnerOperations for A
where
    A: ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
}
