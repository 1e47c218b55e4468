//! [`SessionError`]: why a session operation failed, with the facts
//! (limit, spent, requested, ...) and what to do next.

use starknet_rust::core::types::{Felt, U256};

use crate::contract::ContractError;
use crate::policy::views::{TokenSpending, ViewError};
use crate::session_token::TokenError;
use crate::token::format_u256 as amount;
use crate::tx::TxError;

/// A session operation that failed, with the facts needed to act on it.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The calls would move more of a token than the session's lifetime limit (§4.4).
    #[error(
        "spending limit exceeded for token {}: {} spent + {} requested > {} limit; \
         ask the owner for a new session with a higher limit",
        crate::token::symbol(*token), amount(*spent), amount(*requested), amount(*limit)
    )]
    SpendingLimit {
        /// The limited token.
        token: Felt,
        /// The session's limit over its life, in the token's smallest unit.
        limit: U256,
        /// What the session had already spent of it.
        spent: U256,
        /// What the refused calls asked to move.
        requested: U256,
    },
    /// What left the account exceeded a limit, though the calls asked for less (§4.4).
    #[error(
        "spending limit exceeded by what left the account: the calls asked for amounts within \
         the limits, but a contract they called moved more of a limited token (e.g. pulled an \
         allowance); left: {}",
        remaining_list(.0)
    )]
    IndirectSpending(
        /// Each limited token's limit and what is left of it.
        Vec<TokenSpending>,
    ),
    /// The calls would move more of a token than its window allows (§4.9).
    #[error(
        "periodic limit exceeded for token {}: {} spent in this {period} s window + {} \
         requested > {} per window; it resets at unix time {resets_at}: wait until then, or \
         ask the owner for a higher limit",
        crate::token::symbol(*token), amount(U256::from(*spent)), amount(*requested),
        amount(U256::from(*limit))
    )]
    PeriodLimit {
        /// The limited token.
        token: Felt,
        /// The window's length, in seconds (§4.9).
        period: u64,
        /// Most the session may move in one window.
        limit: u128,
        /// What it moved in the current window.
        spent: u128,
        /// What the refused calls asked to move.
        requested: U256,
        /// When the next window starts (unix seconds).
        resets_at: u128,
    },
    /// A call breaks a calldata rule of the session (§4.8).
    #[error(
        "call {index} ({selector:#x} of {contract:#x}) breaks a calldata rule of the session \
         (a recipient or spender outside its allow-list, an amount over its per-call bound, \
         a fixed argument); the session's rules are in its policy (`get_calldata_rules`)"
    )]
    CalldataRule {
        /// The refused call's index in the multicall.
        index: usize,
        /// The contract it called.
        contract: Felt,
        /// The entrypoint it called.
        selector: Felt,
    },
    /// The session's time window is over (§4.2).
    #[error(
        "session expired at {valid_until}{}; create a new session",
        grace_note(*grace_deadline)
    )]
    Expired {
        /// When the session expired (unix seconds, exclusive).
        valid_until: u64,
        /// Until when it may still renew itself (unix seconds); `None` when
        /// it is not renewable or its grace period is over.
        grace_deadline: Option<u128>,
    },
    /// The session's time window has not begun (§4.2).
    #[error("session not valid before {valid_after}; wait, or ask for a session starting now")]
    NotYetValid {
        /// The session's first valid second (unix seconds).
        valid_after: u64,
    },
    /// The session made all the calls it may make (§4.6).
    #[error("session call limit reached: {used} of {max} calls used; create a new session")]
    CallLimit {
        /// Calls the session made.
        used: u64,
        /// Most calls it may make over its life.
        max: u64,
    },
    /// The transaction holds more calls than the session allows in one (§4.6).
    #[error("too many calls in one transaction: {requested} > {max} allowed; split the multicall")]
    TooManyCalls {
        /// Calls in the refused transaction.
        requested: usize,
        /// Most calls one transaction may hold.
        max: u32,
    },
    /// The transaction's fee bounds exceed the session's fee cap (§4.5).
    #[error(
        "transaction fee may exceed the session's cap of {} STRK; \
         lower the fee bounds or ask for a higher cap",
        amount(U256::from(*cap))
    )]
    FeeAboveCap {
        /// The session's fee cap per transaction, in fri.
        cap: u128,
    },
    /// The session's fee budget cannot cover the transaction (§4.7).
    #[error(
        "session fee budget exhausted: {} of {} STRK used, {} left, this transaction may cost {}; \
         lower the fee bounds, go gasless through a relayer, or ask the owner for a new session",
        amount(U256::from(*used)), amount(U256::from(*budget)), amount(U256::from(*remaining)),
        requested.map(|fee| amount(U256::from(fee))).unwrap_or_else(|| "more".into())
    )]
    FeeBudget {
        /// The session's fee budget, in fri.
        budget: u128,
        /// What its transactions committed the account to so far, in fri.
        used: u128,
        /// What is left of the budget, in fri.
        remaining: u128,
        /// What the refused transaction could cost, in fri, when known.
        requested: Option<u128>,
    },
    /// The owner revoked the session, or it revoked itself.
    #[error("session was revoked by its owner (or itself); create a new session")]
    Revoked,
    /// The owner revoked every session at once (revoke-all).
    #[error("all sessions were revoked by the owner (revoke-all); create a new session")]
    EpochRevoked,
    /// The session is not registered and the token carries no authorization.
    #[error(
        "session is not registered on this account; the owner registers it, or the token \
         carries the owner's authorization"
    )]
    NotRegistered,
    /// The account refused with an error no variant above explains.
    #[error("{0}")]
    Contract(ContractError, #[source] TxError),
    /// The session token is unusable (wrong chain, malformed).
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The transaction failed for another reason than the session's policy.
    #[error(transparent)]
    Tx(TxError),
    /// The session's state could not be read.
    #[error("reading the session's state: {0}")]
    View(#[from] ViewError),
}

fn remaining_list(spending: &[TokenSpending]) -> String {
    let parts: Vec<String> = spending
        .iter()
        .map(|e| {
            format!(
                "{} of {} {}",
                amount(e.remaining()),
                amount(e.limit),
                crate::token::symbol(e.token)
            )
        })
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

fn grace_note(grace_deadline: Option<u128>) -> String {
    match grace_deadline {
        Some(deadline) => format!(" and its grace period ended at {deadline}"),
        None => " (not renewable)".to_string(),
    }
}

impl SessionError {
    /// The contract error behind this failure, if the account refused.
    pub fn contract_error(&self) -> Option<ContractError> {
        match self {
            SessionError::SpendingLimit { .. } | SessionError::IndirectSpending(_) => {
                Some(ContractError::SessionSpendingLimit)
            }
            SessionError::PeriodLimit { .. } => Some(ContractError::SessionPeriodLimit),
            SessionError::CalldataRule { .. } => Some(ContractError::SessionCalldataRule),
            SessionError::Expired { .. } => Some(ContractError::SessionExpired),
            SessionError::NotYetValid { .. } => Some(ContractError::SessionNotYetValid),
            SessionError::CallLimit { .. } => Some(ContractError::SessionCallLimit),
            SessionError::TooManyCalls { .. } => Some(ContractError::SessionTooManyCalls),
            SessionError::FeeAboveCap { .. } => Some(ContractError::SessionFeeAboveCap),
            SessionError::FeeBudget { .. } => Some(ContractError::SessionFeeBudget),
            SessionError::Revoked => Some(ContractError::SessionRevoked),
            SessionError::EpochRevoked => Some(ContractError::SessionEpochRevoked),
            SessionError::NotRegistered => Some(ContractError::SessionNotRegistered),
            SessionError::Contract(code, _) => Some(*code),
            SessionError::Tx(tx) => tx.contract_error(),
            SessionError::Token(_) | SessionError::View(_) => None,
        }
    }
}
