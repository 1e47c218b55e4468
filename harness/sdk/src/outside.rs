//! Gasless session transactions: SNIP-9 v2 outside execution (docs/spec.md
//! §11). The session (or the owner) signs an [`OutsideExecution`]; a
//! [`Relayer`] submits `execute_from_outside_v2` from its own account and
//! pays the fee. A session-signed outside execution goes through the same
//! policy as a session transaction.

use async_trait::async_trait;
use starknet_rust::accounts::ConnectedAccount;
use starknet_rust::core::types::{Call, Felt};
use starknet_rust::macros::{selector, short_string};
use starknet_rust::signers::SigningKey;
use starknet_rust_crypto::poseidon_hash_many;

use crate::account::encoding::encode_calls;
use crate::policy::hash::DOMAIN_TYPE;
use crate::signature::{owner_signature, session_signature, Authorization};
use crate::tx::{self, Confirmed, FeeBounds, TxError};

/// SRC-5 interface id of SNIP-9 v2.
pub const OUTSIDE_EXECUTION_V2_ID: Felt =
    starknet_rust::macros::felt!("0x1d1144bb2138366ff28d8e9ab57456b1d332ac42196230c3a602003c89872");
/// `caller` that lets anyone submit.
pub const ANY_CALLER: Felt = short_string!("ANY_CALLER");
/// `execute_from_outside_v2(outside_execution, signature)` (SNIP-9 v2).
pub const EXECUTE_FROM_OUTSIDE_V2: Felt = selector!("execute_from_outside_v2");
/// `is_valid_outside_execution_nonce(nonce)` (SNIP-9 v2): the owner's nonces.
pub const IS_VALID_OUTSIDE_EXECUTION_NONCE: Felt = selector!("is_valid_outside_execution_nonce");
/// `is_valid_session_outside_nonce(session_key, nonce)`: a session's own nonce space (§11).
pub const IS_VALID_SESSION_OUTSIDE_NONCE: Felt = selector!("is_valid_session_outside_nonce");

/// The encoded `OutsideExecution` type of SNIP-9 v2, with the `Call` it
/// references.
pub const OUTSIDE_EXECUTION_TYPE: &str = concat!(
    r#""OutsideExecution"("Caller":"ContractAddress","Nonce":"felt","#,
    r#""Execute After":"u128","Execute Before":"u128","Calls":"Call*")"#,
    r#""Call"("To":"ContractAddress","Selector":"selector","Calldata":"felt*")"#
);
/// The encoded `Call` type of SNIP-9 v2.
pub const CALL_TYPE: &str =
    r#""Call"("To":"ContractAddress","Selector":"selector","Calldata":"felt*")"#;

/// A SNIP-9 v2 outside execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideExecution {
    /// Who may submit it: a relayer's address, or [`ANY_CALLER`].
    pub caller: Felt,
    /// A nonce of the signer's nonce space, used once (§11).
    pub nonce: Felt,
    /// Valid strictly after this time (unix seconds)...
    pub execute_after: u64,
    /// ...and strictly before this one.
    pub execute_before: u64,
    /// The calls the account makes.
    pub calls: Vec<Call>,
}

impl OutsideExecution {
    /// The SNIP-12 rev 1 hash the signer signs, for `account` on `chain_id`.
    pub fn hash(&self, account: Felt, chain_id: Felt) -> Felt {
        use starknet_rust::core::utils::starknet_keccak;
        let domain = poseidon_hash_many(&[
            starknet_keccak(DOMAIN_TYPE.as_bytes()),
            short_string!("Account.execute_from_outside"),
            Felt::TWO,
            chain_id,
            Felt::ONE,
        ]);
        let call_type = starknet_keccak(CALL_TYPE.as_bytes());
        let calls: Vec<Felt> = self
            .calls
            .iter()
            .map(|c| {
                poseidon_hash_many(&[call_type, c.to, c.selector, poseidon_hash_many(&c.calldata)])
            })
            .collect();
        let message = poseidon_hash_many(&[
            starknet_keccak(OUTSIDE_EXECUTION_TYPE.as_bytes()),
            self.caller,
            self.nonce,
            Felt::from(self.execute_after),
            Felt::from(self.execute_before),
            poseidon_hash_many(&calls),
        ]);
        poseidon_hash_many(&[short_string!("StarkNet Message"), domain, account, message])
    }

    /// `execute_from_outside_v2(outside_execution, signature)` on `account`.
    pub fn to_call(&self, account: Felt, signature: Vec<Felt>) -> Call {
        let mut calldata = vec![
            self.caller,
            self.nonce,
            Felt::from(self.execute_after),
            Felt::from(self.execute_before),
        ];
        calldata.extend(encode_calls(&self.calls));
        calldata.push(Felt::from(signature.len()));
        calldata.extend(signature);
        Call { to: account, selector: EXECUTE_FROM_OUTSIDE_V2, calldata }
    }

    /// The owner's `[r, s]` over the hash.
    pub fn sign_as_owner(
        &self,
        owner_key: &SigningKey,
        account: Felt,
        chain_id: Felt,
    ) -> Result<Vec<Felt>, TxError> {
        let signature = owner_key
            .sign(&self.hash(account, chain_id))
            .map_err(|e| TxError::Signing(Box::new(e)))?;
        Ok(owner_signature(&signature))
    }

    /// The owner's signature of the hash in its kind's layout (a P-256
    /// key, a passkey: [`crate::signers`]).
    pub fn sign_by_owner(
        &self,
        owner: &impl crate::signers::OwnerSigner,
        account: Felt,
        chain_id: Felt,
    ) -> Result<Vec<Felt>, TxError> {
        owner.sign_hash(self.hash(account, chain_id)).map_err(|e| TxError::Signing(Box::new(e)))
    }

    /// The session layout over the hash, carrying `authorization` while the
    /// session is not registered.
    pub fn sign_as_session(
        &self,
        session_key: &SigningKey,
        account: Felt,
        chain_id: Felt,
        authorization: Option<&Authorization>,
    ) -> Result<Vec<Felt>, TxError> {
        let signature = session_key
            .sign(&self.hash(account, chain_id))
            .map_err(|e| TxError::Signing(Box::new(e)))?;
        Ok(session_signature(session_key.verifying_key().scalar(), &signature, authorization))
    }
}

/// Whether `nonce` is still unused by `account`'s owner-signed outside
/// executions (the SNIP-9 view; §11).
pub async fn is_valid_outside_execution_nonce<P: starknet_rust::providers::Provider>(
    provider: &P,
    account: Felt,
    nonce: Felt,
) -> Result<bool, starknet_rust::providers::ProviderError> {
    read_flag(provider, account, IS_VALID_OUTSIDE_EXECUTION_NONCE, vec![nonce]).await
}

/// Whether `nonce` is still unused by the outside executions the session
/// `session_key` signed: each session has a nonce space of its own (§11).
pub async fn is_valid_session_outside_nonce<P: starknet_rust::providers::Provider>(
    provider: &P,
    account: Felt,
    session_key: Felt,
    nonce: Felt,
) -> Result<bool, starknet_rust::providers::ProviderError> {
    read_flag(provider, account, IS_VALID_SESSION_OUTSIDE_NONCE, vec![session_key, nonce]).await
}

async fn read_flag<P: starknet_rust::providers::Provider>(
    provider: &P,
    account: Felt,
    selector: Felt,
    calldata: Vec<Felt>,
) -> Result<bool, starknet_rust::providers::ProviderError> {
    use starknet_rust::core::types::{BlockId, BlockTag, FunctionCall};
    let call = FunctionCall { contract_address: account, entry_point_selector: selector, calldata };
    let result = provider.call(call, BlockId::Tag(BlockTag::PreConfirmed)).await?;
    Ok(result.first().is_some_and(|v| *v != Felt::ZERO))
}

/// Submits signed outside executions and pays for them.
#[async_trait]
pub trait Relayer: Send + Sync {
    /// The address that submits (the `caller` an execution should name).
    fn address(&self) -> Felt;

    /// Submits `execution` for `account` and waits for the outcome. A policy
    /// refusal comes back as [`TxError::Reverted`] carrying the account's
    /// error.
    async fn relay(
        &self,
        account: Felt,
        execution: &OutsideExecution,
        signature: Vec<Felt>,
    ) -> Result<Confirmed, TxError>;
}

/// A relayer that submits through any funded account (on devnet, a
/// predeployed account acting as paymaster).
pub struct AccountRelayer<A> {
    account: A,
    bounds: Option<FeeBounds>,
}

impl<A> AccountRelayer<A> {
    /// Estimates each relayed transaction's fee first, which simulates it:
    /// an execution the account refuses fails there, and costs the relayer
    /// nothing.
    pub fn new(account: A) -> Self {
        Self { account, bounds: None }
    }

    /// Sends with `bounds`, without estimating (simulating) first: one
    /// round trip less, but an execution the account refuses reverts the
    /// relayer's transaction, which then pays for it.
    pub fn with_fee_bounds(account: A, bounds: FeeBounds) -> Self {
        Self { account, bounds: Some(bounds) }
    }

    /// The account that submits and pays.
    pub fn account(&self) -> &A {
        &self.account
    }
}

#[async_trait]
impl<A> Relayer for AccountRelayer<A>
where
    A: ConnectedAccount + Sync + Send,
    A::SignError: crate::tx::SignerError,
{
    fn address(&self) -> Felt {
        self.account.address()
    }

    async fn relay(
        &self,
        account: Felt,
        execution: &OutsideExecution,
        signature: Vec<Felt>,
    ) -> Result<Confirmed, TxError> {
        let call = execution.to_call(account, signature);
        match self.bounds {
            None => tx::execute(&self.account, vec![call]).await,
            Some(bounds) => tx::execute_with_bounds(&self.account, vec![call], bounds).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use starknet_rust::core::utils::starknet_keccak;

    #[test]
    fn type_hashes_are_snip9_v2() {
        assert_eq!(
            starknet_keccak(OUTSIDE_EXECUTION_TYPE.as_bytes()),
            starknet_rust::macros::felt!(
                "0x312b56c05a7965066ddbda31c016d8d05afc305071c0ca3cdc2192c3c2f1f0f"
            )
        );
        assert_eq!(
            starknet_keccak(CALL_TYPE.as_bytes()),
            starknet_rust::macros::felt!(
                "0x3635c7f2a7ba93844c0d064e18e487f35ab90f7c39d00f186a781fc3f0c2ca9"
            )
        );
    }

    /// The vector of contracts/tests/unit/outside_hash.cairo
    /// (`hash_matches_the_rust_library`).
    #[test]
    fn hash_matches_the_contracts_vector() {
        use starknet_rust::macros::felt;
        let execution = OutsideExecution {
            caller: ANY_CALLER,
            nonce: felt!("0x4e"),
            execute_after: 100,
            execute_before: 200,
            calls: vec![
                Call {
                    to: felt!("0x7070"),
                    selector: selector!("transfer"),
                    calldata: vec![Felt::ONE, Felt::from(5u8), Felt::ZERO],
                },
                Call { to: felt!("0x6a3e"), selector: selector!("play"), calldata: vec![] },
            ],
        };
        assert_eq!(
            execution.hash(felt!("0xacc"), short_string!("SN_SEPOLIA")),
            felt!("0x1627b1afcd6df0352bd1f5ea475f29b05afd31e36026d4174509138e112f0ca")
        );
    }

    #[test]
    fn calldata_layout() {
        let execution = OutsideExecution {
            caller: ANY_CALLER,
            nonce: Felt::from(9u8),
            execute_after: 1,
            execute_before: 2,
            calls: vec![Call {
                to: Felt::from(5u8),
                selector: Felt::from(6u8),
                calldata: vec![Felt::from(7u8)],
            }],
        };
        let call = execution.to_call(Felt::from(0xaau8), vec![Felt::from(3u8), Felt::from(4u8)]);
        assert_eq!(
            call.calldata,
            [
                ANY_CALLER,
                Felt::from(9u8),
                Felt::ONE,
                Felt::TWO,
                Felt::ONE,
                Felt::from(5u8),
                Felt::from(6u8),
                Felt::ONE,
                Felt::from(7u8),
                Felt::TWO,
                Felt::THREE,
                Felt::from(4u8)
            ]
            .to_vec()
        );
    }
}
