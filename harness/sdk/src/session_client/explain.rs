//! How a refused transaction becomes a [`SessionError`]: the contract's
//! error, completed with facts read from the account's views (what was
//! spent, what the window holds, which call broke a rule).

use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::providers::Provider;

use super::{SessionClient, SessionError};
use crate::contract::ContractError;
use crate::policy::calldata;
use crate::policy::metering::requested_per_token;
use crate::policy::views::{SessionStatus, TokenSpending};
use crate::token::checked_add_u256 as checked_add;
use crate::tx::TxError;

impl<P> SessionClient<P>
where
    P: Provider + Send + Sync + Clone,
{
    /// Turns a failed transaction into a [`SessionError`] with facts read
    /// from the account's views. A refusal whose facts cannot be found (the
    /// views failed, or nothing in `calls` explains it) stays
    /// [`SessionError::Contract`]; a failure that is not the account's stays
    /// [`SessionError::Tx`].
    pub async fn explain(&self, error: TxError, calls: &[Call]) -> SessionError {
        let Some(code) = error.contract_error() else { return SessionError::Tx(error) };
        let key = self.token.session_public_key();
        let explained = match code {
            ContractError::SessionSpendingLimit => {
                let spending = self.views().spending(key).await.unwrap_or_default();
                over_lifetime_limit(&spending, calls, error.is_reverted())
            }
            ContractError::SessionPeriodLimit => {
                let spending = self.views().spending(key).await.unwrap_or_default();
                over_window(&spending, calls)
            }
            ContractError::SessionCalldataRule => {
                broken_rule(&self.token.policy.calldata_rules, calls)
            }
            _ => from_status(code, self.views().status(key).await.ok(), calls),
        };
        explained.unwrap_or(SessionError::Contract(code, error))
    }
}

/// The first limited token whose request does not fit its lifetime limit;
/// if every metered request fits, what left the account some other way,
/// counted after the calls (§4.4; only an executed transaction can show it).
fn over_lifetime_limit(
    spending: &[TokenSpending],
    calls: &[Call],
    reverted: bool,
) -> Option<SessionError> {
    let tokens: Vec<Felt> = spending.iter().map(|e| e.token).collect();
    let requested = requested_per_token(calls, &tokens);
    for entry in spending {
        if let Some((_, amount)) = requested.iter().find(|(t, _)| *t == entry.token) {
            let fits = checked_add(entry.spent, *amount).is_some_and(|total| total <= entry.limit);
            if !fits {
                return Some(SessionError::SpendingLimit {
                    token: entry.token,
                    limit: entry.limit,
                    spent: entry.spent,
                    requested: *amount,
                });
            }
        }
    }
    (reverted && !spending.is_empty()).then(|| SessionError::IndirectSpending(spending.to_vec()))
}

/// The first token whose request does not fit its window (§4.9), or (what
/// left the account beyond the calls' amounts) the first the calls touch.
fn over_window(spending: &[TokenSpending], calls: &[Call]) -> Option<SessionError> {
    let tokens: Vec<Felt> = spending.iter().map(|e| e.token).collect();
    let requested = requested_per_token(calls, &tokens);
    let periodic = spending.iter().filter(|e| e.period != 0);
    let asked = |e: &TokenSpending| {
        requested.iter().find(|(t, _)| *t == e.token).map(|(_, amount)| *amount)
    };
    let over = periodic
        .clone()
        .find(|e| asked(e).is_some_and(|a| a > U256::from(e.window_remaining().unwrap_or(0))));
    let entry = over.or_else(|| periodic.clone().find(|e| asked(e).is_some()))?;
    Some(SessionError::PeriodLimit {
        token: entry.token,
        period: entry.period,
        limit: entry.period_limit,
        spent: entry.window_spent,
        requested: asked(entry).unwrap_or(U256::from(0u8)),
        resets_at: entry.window_resets_at,
    })
}

/// The first call that breaks one of `rules` (§4.8).
fn broken_rule(rules: &[calldata::CalldataRule], calls: &[Call]) -> Option<SessionError> {
    let index = calls
        .iter()
        .position(|c| calldata::check_call(rules, c.to, c.selector, &c.calldata).is_err())?;
    Some(SessionError::CalldataRule {
        index,
        contract: calls[index].to,
        selector: calls[index].selector,
    })
}

/// The refusals the session's status explains (window, caps, fees,
/// revocation); `None` for any other error.
fn from_status(
    code: ContractError,
    status: Option<SessionStatus>,
    calls: &[Call],
) -> Option<SessionError> {
    Some(match code {
        ContractError::SessionExpired => SessionError::Expired {
            valid_until: status.map(|s| s.valid_until).unwrap_or_default(),
            grace_deadline: status.filter(|s| s.renewable).map(|s| s.grace_deadline),
        },
        ContractError::SessionNotYetValid => SessionError::NotYetValid {
            valid_after: status.map(|s| s.valid_after).unwrap_or_default(),
        },
        ContractError::SessionCallLimit => SessionError::CallLimit {
            used: status.map(|s| s.calls_used).unwrap_or_default(),
            max: status.map(|s| s.calls_used + s.calls_remaining).unwrap_or_default(),
        },
        ContractError::SessionTooManyCalls => SessionError::TooManyCalls {
            requested: calls.len(),
            max: status.map(|s| s.max_calls_per_tx).unwrap_or_default(),
        },
        ContractError::SessionFeeAboveCap => {
            SessionError::FeeAboveCap { cap: status.map(|s| s.max_fee_per_tx).unwrap_or_default() }
        }
        ContractError::SessionFeeBudget => SessionError::FeeBudget {
            budget: status.map(|s| s.fee_budget).unwrap_or_default(),
            used: status.map(|s| s.fee_used).unwrap_or_default(),
            remaining: status.map(|s| s.fee_remaining).unwrap_or_default(),
            requested: None,
        },
        ContractError::SessionRevoked => SessionError::Revoked,
        ContractError::SessionEpochRevoked => SessionError::EpochRevoked,
        ContractError::SessionNotRegistered => SessionError::NotRegistered,
        _ => return None,
    })
}
