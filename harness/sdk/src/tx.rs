//! Sending transactions and reading their outcome.
//!
//! A transaction can fail in two places, and callers need to know which:
//! - **rejected**: `__validate__` (or the node's own checks) refused it; no
//!   fee was paid and the nonce did not move;
//! - **reverted**: it was included but `__execute__` failed; the fee was paid
//!   and the nonce moved.
//!
//! Both carry the contract's error as a typed [`ContractError`] when the
//! failure came from our account.

use std::time::Duration;

use starknet_rust::accounts::{AccountError, ConnectedAccount};
use starknet_rust::core::types::{
    Call, ContractExecutionError, ExecutionResult, Felt, StarknetError, TransactionReceipt,
    TransactionReceiptWithBlockInfo,
};
use starknet_rust::providers::{Provider, ProviderError};

use crate::contract::ContractError;

/// How long to wait for a receipt before giving up.
pub const DEFAULT_RECEIPT_TIMEOUT: Duration = Duration::from_secs(300);

/// A transaction that was included and succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// The transaction's hash.
    pub transaction_hash: Felt,
    /// Fee actually paid, in fri (STRK's smallest unit).
    pub actual_fee: u128,
    /// L2 gas consumed, where the node reports it.
    pub l2_gas: u64,
}

/// Why a transaction did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum TxError {
    /// Refused before inclusion (validation failed): no fee, nonce unchanged.
    #[error("transaction rejected: {}", summary(.error, .message))]
    Rejected {
        /// The session account's error, when the refusal was the account's.
        error: Option<ContractError>,
        /// The node's full text.
        message: String,
    },
    /// Included, but execution reverted: fee paid (`actual_fee`, in fri),
    /// nonce incremented.
    #[error("transaction {hash:#x} reverted: {}", summary(.error, .reason))]
    Reverted {
        /// The included transaction's hash.
        hash: Felt,
        /// The session account's error, when the revert was the account's.
        error: Option<ContractError>,
        /// The revert reason the receipt gives.
        reason: String,
        /// The fee paid, in fri.
        actual_fee: u128,
    },
    /// The signer failed: its own error, which callers can downcast.
    #[error("could not sign the transaction: {0}")]
    Signing(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The transaction could not be prepared before sending (e.g. its fee
    /// overflowed): starknet-rust's error.
    #[error("could not prepare the transaction: {0}")]
    Preparation(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The node could not be reached, or answered something other than a
    /// refusal of the transaction.
    #[error("RPC error: {0}")]
    Provider(#[source] ProviderError),
    /// No receipt came within [`DEFAULT_RECEIPT_TIMEOUT`].
    #[error("no receipt for {0:#x} after waiting; the transaction may still be pending")]
    Timeout(Felt),
}

/// What a signer's error must be for a [`TxError`] to carry it: an error
/// that can cross threads, as every signer's in starknet-rust and in this
/// crate is.
pub trait SignerError: std::error::Error + Send + Sync + 'static {}

impl<E: std::error::Error + Send + Sync + 'static> SignerError for E {}

/// The contract's error when known (the node's text is then noise), else
/// the node's text.
fn summary(error: &Option<ContractError>, text: &str) -> String {
    match error {
        Some(e) => e.to_string(),
        None => text.to_string(),
    }
}

impl TxError {
    /// The session account's own error, if the failure came from it.
    pub fn contract_error(&self) -> Option<ContractError> {
        match self {
            TxError::Rejected { error, .. } | TxError::Reverted { error, .. } => *error,
            _ => None,
        }
    }

    /// Refused before inclusion: no fee, nonce unchanged.
    pub fn is_rejected(&self) -> bool {
        matches!(self, TxError::Rejected { .. })
    }

    /// Included and reverted: fee paid, nonce moved.
    pub fn is_reverted(&self) -> bool {
        matches!(self, TxError::Reverted { .. })
    }

    /// The fee the account paid for this failure: a reverted transaction's
    /// actual fee, 0 for anything that was not included.
    pub fn fee_paid(&self) -> u128 {
        match self {
            TxError::Reverted { actual_fee, .. } => *actual_fee,
            _ => 0,
        }
    }
}

/// Maps a node's refusal to [`TxError::Rejected`]; other provider failures
/// (transport, rate limits) stay [`TxError::Provider`].
pub fn from_provider_error(error: ProviderError) -> TxError {
    match error {
        ProviderError::StarknetError(starknet_error) => {
            let message = describe_starknet_error(&starknet_error);
            TxError::Rejected { error: ContractError::find(&message), message }
        }
        other => TxError::Provider(other),
    }
}

/// Maps starknet-rust's account error: a node's refusal to
/// [`TxError::Rejected`], the signer's failure to [`TxError::Signing`].
pub fn from_account_error<S: SignerError>(error: AccountError<S>) -> TxError {
    match error {
        AccountError::Provider(e) => from_provider_error(e),
        AccountError::Signing(e) => TxError::Signing(Box::new(e)),
        other => TxError::Preparation(Box::new(other)),
    }
}

fn describe_starknet_error(error: &StarknetError) -> String {
    match error {
        StarknetError::ValidationFailure(msg) => format!("validation failed: {msg}"),
        StarknetError::TransactionExecutionError(data) => {
            format!("execution failed: {}", describe_execution_error(&data.execution_error))
        }
        StarknetError::ContractError(data) => {
            format!("contract error: {}", describe_execution_error(&data.revert_error))
        }
        StarknetError::InvalidTransactionNonce(msg) => format!("invalid nonce: {msg}"),
        StarknetError::UnexpectedError(msg) => format!("unexpected error: {msg}"),
        other => other.to_string(),
    }
}

/// Renders a node's nested execution error, innermost frame last.
pub fn describe_execution_error(error: &ContractExecutionError) -> String {
    match error {
        ContractExecutionError::Message(message) => message.clone(),
        ContractExecutionError::Nested(inner) => format!(
            "in contract {:#x} (selector {:#x}): {}",
            inner.contract_address,
            inner.selector,
            describe_execution_error(&inner.error)
        ),
    }
}

/// Executes `calls` from `account` (fees estimated by the node, with the
/// account's real signature) and waits for the outcome.
pub async fn execute<A>(account: &A, calls: Vec<Call>) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: SignerError,
{
    let sent = account.execute_v3(calls).send().await.map_err(from_account_error)?;
    wait_for_receipt(account.provider(), sent.transaction_hash, DEFAULT_RECEIPT_TIMEOUT).await
}

/// Timestamp of the latest block (devnet time on devnet).
pub async fn latest_timestamp<P: Provider>(provider: &P) -> Result<u64, ProviderError> {
    use starknet_rust::core::types::{BlockId, BlockTag, MaybePreConfirmedBlockWithTxHashes};
    Ok(match provider.get_block_with_tx_hashes(BlockId::Tag(BlockTag::Latest)).await? {
        MaybePreConfirmedBlockWithTxHashes::Block(b) => b.timestamp,
        MaybePreConfirmedBlockWithTxHashes::PreConfirmedBlock(b) => b.timestamp,
    })
}

/// Explicit resource bounds: (max amount, max price per unit) per resource,
/// and the tip. Sending with them skips fee estimation, which itself fails
/// for a transaction that validation would reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeBounds {
    /// L1 gas: (max amount, max price per unit in fri).
    pub l1_gas: (u64, u128),
    /// L2 gas: (max amount, max price per unit in fri).
    pub l2_gas: (u64, u128),
    /// L1 data gas: (max amount, max price per unit in fri).
    pub l1_data_gas: (u64, u128),
    /// The tip, per L2 gas unit, in fri.
    pub tip: u64,
}

impl FeeBounds {
    /// Generous bounds for devnet (gas price 1e9 fri): at most about 0.04 STRK.
    pub const DEVNET: FeeBounds = FeeBounds {
        l1_gas: (0, 2_000_000_000),
        l2_gas: (20_000_000, 2_000_000_000),
        l1_data_gas: (10_000, 2_000_000_000),
        tip: 0,
    };

    /// The most a transaction with these bounds can cost, in fri, as the
    /// account computes it for the session fee cap and budget (§4.5, §4.7):
    /// each resource's `max_amount × max_price_per_unit`, plus
    /// `tip × L2 max_amount`; `None` when that reaches 2^128 (more than any
    /// cap, as the contract sees it).
    pub fn max_fee(&self) -> Option<u128> {
        let part = |(amount, price): (u64, u128)| (amount as u128).checked_mul(price);
        part(self.l1_gas)?
            .checked_add(part(self.l2_gas)?)?
            .checked_add(part(self.l1_data_gas)?)?
            .checked_add((self.tip as u128).checked_mul(self.l2_gas.0 as u128)?)
    }
}

/// starknet-rust's v3 transaction builders (`execute_v3`, `declare_v3`),
/// which take the same fee fields one by one.
pub trait WithFeeBounds: Sized {
    /// The builder with every resource bound and the tip of `bounds`: no
    /// fee estimation when it is sent.
    fn with_fee_bounds(self, bounds: FeeBounds) -> Self;
}

macro_rules! with_fee_bounds {
    ($($builder:ident),*) => {$(
        impl<A> WithFeeBounds for starknet_rust::accounts::$builder<'_, A> {
            fn with_fee_bounds(self, bounds: FeeBounds) -> Self {
                self.l1_gas(bounds.l1_gas.0)
                    .l1_gas_price(bounds.l1_gas.1)
                    .l2_gas(bounds.l2_gas.0)
                    .l2_gas_price(bounds.l2_gas.1)
                    .l1_data_gas(bounds.l1_data_gas.0)
                    .l1_data_gas_price(bounds.l1_data_gas.1)
                    .tip(bounds.tip)
            }
        }
    )*};
}
with_fee_bounds!(ExecutionV3, DeclarationV3);

/// Executes `calls` from `account` with explicit fee bounds (no estimation)
/// and waits for the outcome.
pub async fn execute_with_bounds<A>(
    account: &A,
    calls: Vec<Call>,
    bounds: FeeBounds,
) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: SignerError,
{
    send_with_bounds(account, calls, bounds, None).await
}

/// Like [`execute_with_bounds`], at an explicit nonce (e.g. to replay a
/// transaction).
pub async fn execute_at_nonce<A>(
    account: &A,
    calls: Vec<Call>,
    bounds: FeeBounds,
    nonce: Felt,
) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: SignerError,
{
    send_with_bounds(account, calls, bounds, Some(nonce)).await
}

async fn send_with_bounds<A>(
    account: &A,
    calls: Vec<Call>,
    bounds: FeeBounds,
    nonce: Option<Felt>,
) -> Result<Confirmed, TxError>
where
    A: ConnectedAccount + Sync,
    A::SignError: SignerError,
{
    let mut execution = account.execute_v3(calls);
    if let Some(nonce) = nonce {
        execution = execution.nonce(nonce);
    }
    let sent = execution.with_fee_bounds(bounds).send().await.map_err(from_account_error)?;
    wait_for_receipt(account.provider(), sent.transaction_hash, DEFAULT_RECEIPT_TIMEOUT).await
}

/// Polls for the receipt of `hash`; a reverted receipt is [`TxError::Reverted`].
pub async fn wait_for_receipt<P: Provider>(
    provider: &P,
    hash: Felt,
    timeout: Duration,
) -> Result<Confirmed, TxError> {
    let started = std::time::Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        match provider.get_transaction_receipt(hash).await {
            Ok(receipt) => return confirmed(receipt),
            Err(ProviderError::StarknetError(StarknetError::TransactionHashNotFound)) => {}
            Err(e) => return Err(TxError::Provider(e)),
        }
        if started.elapsed() >= timeout {
            return Err(TxError::Timeout(hash));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

fn confirmed(receipt: TransactionReceiptWithBlockInfo) -> Result<Confirmed, TxError> {
    let receipt = receipt.receipt;
    let hash = *receipt.transaction_hash();
    match receipt.execution_result() {
        ExecutionResult::Succeeded => Ok(Confirmed {
            transaction_hash: hash,
            actual_fee: fee_and_gas(&receipt).0,
            l2_gas: fee_and_gas(&receipt).1,
        }),
        ExecutionResult::Reverted { reason } => Err(TxError::Reverted {
            hash,
            error: ContractError::find(reason),
            reason: reason.clone(),
            actual_fee: fee_and_gas(&receipt).0,
        }),
    }
}

/// (actual fee in fri, L2 gas consumed). A fee beyond u128 (no node
/// charges that) reads as `u128::MAX`.
fn fee_and_gas(receipt: &TransactionReceipt) -> (u128, u64) {
    let fee = match receipt {
        TransactionReceipt::Invoke(r) => r.actual_fee.amount,
        TransactionReceipt::DeployAccount(r) => r.actual_fee.amount,
        TransactionReceipt::Declare(r) => r.actual_fee.amount,
        TransactionReceipt::Deploy(r) => r.actual_fee.amount,
        TransactionReceipt::L1Handler(r) => r.actual_fee.amount,
    };
    (u128::try_from(fee).unwrap_or(u128::MAX), execution_resources(receipt).l2_gas)
}

/// The gas a transaction consumed, per resource.
pub fn execution_resources(
    receipt: &TransactionReceipt,
) -> &starknet_rust::core::types::ExecutionResources {
    match receipt {
        TransactionReceipt::Invoke(r) => &r.execution_resources,
        TransactionReceipt::DeployAccount(r) => &r.execution_resources,
        TransactionReceipt::Declare(r) => &r.execution_resources,
        TransactionReceipt::Deploy(r) => &r.execution_resources,
        TransactionReceipt::L1Handler(r) => &r.execution_resources,
    }
}

#[cfg(test)]
mod fee_tests {
    use super::*;

    #[test]
    fn max_fee_sums_every_resource_and_the_tip() {
        let bounds = FeeBounds { l1_gas: (2, 3), l2_gas: (5, 7), l1_data_gas: (11, 13), tip: 4 };
        assert_eq!(bounds.max_fee(), Some(6 + 35 + 143 + 20));
        let huge = FeeBounds {
            l1_gas: (u64::MAX, u128::MAX),
            l2_gas: (0, 0),
            l1_data_gas: (0, 0),
            tip: u64::MAX,
        };
        assert_eq!(huge.max_fee(), None);
        let at_the_edge =
            FeeBounds { l1_gas: (1, u128::MAX), l2_gas: (0, 0), l1_data_gas: (1, 1), tip: 0 };
        assert_eq!(at_the_edge.max_fee(), None, "2^128 exceeds every cap");
    }
}
