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

use crate::account::AccountAt;
use crate::contract::selectors;
use crate::policy::SessionPolicy;
use crate::signers::{OwnerKey, OwnerSignError, OwnerSigner};
use crate::tx::{self, Confirmed, TxError};

/// The session account, signed by its owner key.
pub type OwnerAccount<P> = SingleOwnerAccount<P, LocalWallet>;

/// Connects to a deployed session account as its owner. Also right for any
/// account signed by one Stark key with `[r, s]` (e.g. devnet's predeployed
/// OpenZeppelin accounts, a relayer).
pub fn owner_account<P: Provider + Send + Sync>(
    provider: P,
    owner_key: SigningKey,
    at: AccountAt,
) -> OwnerAccount<P> {
    SingleOwnerAccount::new(
        provider,
        LocalWallet::from_signing_key(owner_key),
        at.address,
        at.chain_id,
        ExecutionEncoding::New,
    )
}

/// The calls that manage the account, for batching into multicalls.
pub mod calls {
    use super::*;

    /// Registers `policy` as a session (`register_session`, §3.1).
    pub fn register_session(account: Felt, policy: &SessionPolicy) -> Call {
        Call { to: account, selector: selectors::REGISTER_SESSION, calldata: policy.to_calldata() }
    }

    /// Revokes one session (`revoke_session`, §6).
    pub fn revoke_session(account: Felt, session_key: Felt) -> Call {
        Call { to: account, selector: selectors::REVOKE_SESSION, calldata: vec![session_key] }
    }

    /// The session lifecycle call a session sends to renew itself (§5).
    pub fn renew_session(account: Felt) -> Call {
        Call { to: account, selector: selectors::RENEW_SESSION, calldata: vec![] }
    }

    /// Ends every session at once (`revoke_all_sessions`, §6).
    pub fn revoke_all_sessions(account: Felt) -> Call {
        Call { to: account, selector: selectors::REVOKE_ALL_SESSIONS, calldata: vec![] }
    }

    /// Sets every allowance the session granted back to zero (§4.10).
    pub fn clear_session_allowances(account: Felt, session_key: Felt) -> Call {
        Call {
            to: account,
            selector: selectors::CLEAR_SESSION_ALLOWANCES,
            calldata: vec![session_key],
        }
    }

    /// `set_owner(new_owner, r, s)`, with the new key's proof of possession (§7.3).
    pub fn set_owner(
        account: Felt,
        chain_id: Felt,
        old_owner: Felt,
        new_owner_key: &SigningKey,
    ) -> Result<Call, starknet_rust::core::crypto::EcdsaSignError> {
        let new_owner = new_owner_key.verifying_key().scalar();
        let proof = set_owner_proof_hash(chain_id, account, old_owner, new_owner);
        let signature = new_owner_key.sign(&proof)?;
        Ok(Call {
            to: account,
            selector: selectors::SET_OWNER,
            calldata: vec![new_owner, signature.r, signature.s],
        })
    }

    /// `set_owner_key(new_owner, proof)` (§7.3): rotates the owner from
    /// `old` to `new`'s key, of any kind; `new` signs the proof.
    pub fn set_owner_key(
        account: Felt,
        chain_id: Felt,
        old: &OwnerKey,
        new: &impl OwnerSigner,
    ) -> Result<Call, OwnerSignError> {
        let new_key = new.owner_key();
        let proof =
            new.sign_hash(set_owner_proof_hash(chain_id, account, old.id(), new_key.id()))?;
        let mut calldata = new_key.to_felts();
        calldata.push(Felt::from(proof.len()));
        calldata.extend(proof);
        Ok(Call { to: account, selector: selectors::SET_OWNER_KEY, calldata })
    }

    /// Replaces the account's class (`upgrade`, §6).
    pub fn upgrade(account: Felt, new_class_hash: Felt) -> Call {
        Call { to: account, selector: selectors::UPGRADE, calldata: vec![new_class_hash] }
    }
}

/// What the new owner key signs in `set_owner` (§7.3).
pub fn set_owner_proof_hash(
    chain_id: Felt,
    account: Felt,
    old_owner: Felt,
    new_owner: Felt,
) -> Felt {
    starknet_rust_crypto::poseidon_hash_many(&[
        starknet_rust::macros::short_string!("session-account/set-owner"),
        chain_id,
        account,
        old_owner,
        new_owner,
    ])
}

/// Accounts whose transactions carry the owner's signature: the only ones
/// [`OwnerOperations`] is implemented for, so a session account cannot even
/// ask to register a session or rotate the owner. Implement it for your own
/// owner account type (a hardware signer, say) to get [`OwnerOperations`].
///
/// ```compile_fail
/// # use session_account::account::{OwnerOperations, SessionAccount};
/// # async fn f(session: SessionAccount<
/// #     starknet_rust::providers::JsonRpcClient<starknet_rust::providers::jsonrpc::HttpTransport>,
/// #     starknet_rust::signers::LocalWallet>,
/// #     policy: session_account::SessionPolicy) {
/// session.register_session(&policy).await; // a session is not the owner
/// # }
/// ```
pub trait OwnerSigned {}

impl<P, S> OwnerSigned for SingleOwnerAccount<P, S>
where
    P: Provider + Send,
    S: starknet_rust::signers::Signer + Send,
{
}

impl<P, O> OwnerSigned for super::KeyedOwnerAccount<P, O> {}

/// Owner-only operations, as owner-signed transactions of the account.
#[async_trait]
pub trait OwnerOperations: ConnectedAccount + OwnerSigned + Sync
where
    Self::SignError: crate::tx::SignerError,
{
    /// Registers a session (`register_session`).
    async fn register_session(&self, policy: &SessionPolicy) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::register_session(self.address(), policy)]).await
    }

    /// Revokes one session (`revoke_session`).
    async fn revoke_session(&self, session_key: Felt) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::revoke_session(self.address(), session_key)]).await
    }

    /// Revokes one session and sets every allowance it granted back to
    /// zero, in one transaction (§4.10): after it, no spender the session
    /// approved can pull the account's tokens.
    async fn revoke_session_clearing_allowances(
        &self,
        session_key: Felt,
    ) -> Result<Confirmed, TxError> {
        let account = self.address();
        let calls = vec![
            calls::revoke_session(account, session_key),
            calls::clear_session_allowances(account, session_key),
        ];
        tx::execute(self, calls).await
    }

    /// Sets every allowance a session granted back to zero
    /// (`clear_session_allowances`, §4.10), revoked or not.
    async fn clear_session_allowances(&self, session_key: Felt) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::clear_session_allowances(self.address(), session_key)]).await
    }

    /// Ends every session at once (`revoke_all_sessions`, §6).
    async fn revoke_all_sessions(&self) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::revoke_all_sessions(self.address())]).await
    }

    /// Rotates the owner key to `new_owner_key` (§7.3). `old_owner` is the
    /// current owner public key.
    async fn set_owner(
        &self,
        old_owner: Felt,
        new_owner_key: &SigningKey,
    ) -> Result<Confirmed, TxError> {
        let call = calls::set_owner(self.address(), self.chain_id(), old_owner, new_owner_key)
            .map_err(|e| TxError::Signing(Box::new(e)))?;
        tx::execute(self, vec![call]).await
    }

    /// Replaces the account's class (`upgrade`, §6).
    async fn upgrade(&self, new_class_hash: Felt) -> Result<Confirmed, TxError> {
        tx::execute(self, vec![calls::upgrade(self.address(), new_class_hash)]).await
    }
}

impl<A> OwnerOperations for A
where
    A: ConnectedAccount + OwnerSigned + Sync,
    A::SignError: crate::tx::SignerError,
{
}
