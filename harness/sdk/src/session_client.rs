//! Using a session like a wallet would: from a [`SessionToken`], execute
//! calls (renewing automatically when, and only when, a transaction finds
//! the session expired inside its grace period), renew, revoke itself, and
//! read its status and spending. Failures come back as [`SessionError`]s
//! that carry the facts (limit, spent, requested, ...) and say what to do.

use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

use crate::account::owner::calls;
use crate::account::SessionAccount;
use crate::contract::ContractError;
use crate::outside::{OutsideExecution, Relayer};
use crate::policy::calldata;
use crate::policy::metering::requested_per_token;
use crate::policy::views::{
    AccountViews, SessionApproval, SessionDetails, SessionStatus, TokenSpending, ViewError,
};
use crate::session_token::{SessionToken, TokenError};
use crate::token::{checked_add_u256 as checked_add, format_u256 as amount};
use crate::tx::{self, Confirmed, TxError};

/// A session operation that failed, with the facts needed to act on it.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(
        "spending limit exceeded for token {}: {} spent + {} requested > {} limit; \
         ask the owner for a new session with a higher limit",
        crate::token::symbol(*token), amount(*spent), amount(*requested), amount(*limit)
    )]
    SpendingLimit { token: Felt, limit: U256, spent: U256, requested: U256 },
    #[error(
        "spending limit exceeded by what left the account: the calls asked for amounts within \
         the limits, but a contract they called moved more of a limited token (e.g. pulled an \
         allowance); left: {}",
        remaining_list(.0)
    )]
    IndirectSpending(Vec<TokenSpending>),
    #[error(
        "periodic limit exceeded for token {}: {} spent in this {period} s window + {} \
         requested > {} per window; it resets at {resets_at}: wait until then, or ask the \
         owner for a higher limit",
        crate::token::symbol(*token), amount(U256::from(*spent)), amount(*requested),
        amount(U256::from(*limit))
    )]
    PeriodLimit {
        token: Felt,
        period: u64,
        limit: u128,
        spent: u128,
        requested: U256,
        resets_at: u128,
    },
    #[error(
        "call {index} ({selector:#x} of {contract:#x}) breaks a calldata rule of the session \
         (a recipient or spender outside its allow-list, an amount over its per-call bound, \
         a fixed argument): `policy show` lists the rules"
    )]
    CalldataRule { index: usize, contract: Felt, selector: Felt },
    #[error(
        "session expired at {valid_until}{}; create a new session",
        grace_note(*grace_deadline)
    )]
    Expired { valid_until: u64, grace_deadline: Option<u128> },
    #[error("session not valid before {valid_after}; wait, or ask for a session starting now")]
    NotYetValid { valid_after: u64 },
    #[error("session call limit reached: {used} of {max} calls used; create a new session")]
    CallLimit { used: u64, max: u64 },
    #[error("too many calls in one transaction: {requested} > {max} allowed; split the multicall")]
    TooManyCalls { requested: usize, max: u32 },
    #[error(
        "transaction fee may exceed the session's cap of {} STRK; \
         lower the fee bounds or ask for a higher cap",
        amount(U256::from(*cap))
    )]
    FeeAboveCap { cap: u128 },
    #[error(
        "session fee budget exhausted: {} of {} STRK used, {} left, this transaction may cost {}; \
         lower the fee bounds, go gasless through a relayer, or ask the owner for a new session",
        amount(U256::from(*used)), amount(U256::from(*budget)), amount(U256::from(*remaining)),
        requested.map(|fee| amount(U256::from(fee))).unwrap_or_else(|| "more".into())
    )]
    FeeBudget { budget: u128, used: u128, remaining: u128, requested: Option<u128> },
    #[error("session was revoked by its owner (or itself); create a new session")]
    Revoked,
    #[error("all sessions were revoked by the owner (revoke-all); create a new session")]
    EpochRevoked,
    #[error(
        "session is not registered on this account; register it (session register) \
         or import a token with its authorization"
    )]
    NotRegistered,
    #[error("{0}")]
    Contract(ContractError, #[source] TxError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Tx(TxError),
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

/// A session bound to a provider.
pub struct SessionClient<P> {
    account: SessionAccount<P, LocalWallet>,
    token: SessionToken,
}

impl<P> std::fmt::Debug for SessionClient<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionClient").field("token", &self.token).finish()
    }
}

impl<P> SessionClient<P>
where
    P: Provider + Send + Sync + Clone,
{
    /// Connects `token` to `provider`; fails if the node is on another chain.
    pub async fn connect(provider: P, token: SessionToken) -> Result<Self, SessionError> {
        let chain_id =
            provider.chain_id().await.map_err(|e| SessionError::Tx(TxError::Provider(e)))?;
        token.check_chain(chain_id)?;
        let mut account = SessionAccount::new(
            provider,
            LocalWallet::from_signing_key(token.session_key.clone()),
            token.session_public_key(),
            token.account,
            token.chain_id,
        );
        if let Some(authorization) = &token.authorization {
            account = account.with_authorization(authorization.clone());
        }
        let mut client = Self { account, token };
        client.drop_authorization_if_registered().await?;
        Ok(client)
    }

    pub fn account(&self) -> &SessionAccount<P, LocalWallet> {
        &self.account
    }

    pub fn token(&self) -> &SessionToken {
        &self.token
    }

    fn views(&self) -> AccountViews<'_, P> {
        AccountViews::new(
            starknet_rust::accounts::ConnectedAccount::provider(&self.account),
            self.token.account,
        )
    }

    /// The token with its authorization dropped once the session is on chain.
    async fn drop_authorization_if_registered(&mut self) -> Result<(), SessionError> {
        if self.account.authorization().is_some() && self.status().await?.registered {
            self.account.clear_authorization();
            self.token.authorization = None;
        }
        Ok(())
    }

    pub async fn status(&self) -> Result<SessionStatus, SessionError> {
        Ok(self.views().status(self.token.session_public_key()).await?)
    }

    pub async fn spending(&self) -> Result<Vec<TokenSpending>, SessionError> {
        Ok(self.views().spending(self.token.session_public_key()).await?)
    }

    /// The session's whole on-chain state (status, allowed calls, spending)
    /// in one view call, read at one state.
    pub async fn details(&self) -> Result<SessionDetails, SessionError> {
        Ok(self.views().session_details(self.token.session_public_key()).await?)
    }

    /// The spenders the session approved (§4.10): what
    /// `session revoke --owner --clear-allowances` sets back to zero.
    pub async fn approvals(&self) -> Result<Vec<SessionApproval>, SessionError> {
        Ok(self.views().session_approvals(self.token.session_public_key()).await?)
    }

    /// Timestamp of the latest block.
    async fn now(&self) -> Result<u64, SessionError> {
        let provider = starknet_rust::accounts::ConnectedAccount::provider(&self.account);
        tx::latest_timestamp(provider).await.map_err(|e| SessionError::Tx(TxError::Provider(e)))
    }

    /// Sends `calls` once, then stops carrying the authorization if that
    /// registered the session: any included session transaction does, even
    /// a reverted one (§3.2), and a successful outside execution.
    async fn send_once(
        &mut self,
        calls: &[Call],
        relayer: Option<&dyn Relayer>,
    ) -> Result<Confirmed, TxError> {
        let outcome = self.send_signed(calls, relayer).await;
        let registered = match &outcome {
            Ok(_) => true,
            Err(error) => relayer.is_none() && error.is_reverted(),
        };
        if registered && self.account.authorization().is_some() {
            self.account.clear_authorization();
            self.token.authorization = None;
        }
        outcome
    }

    /// Sends `calls` once: as a session transaction (the account pays), or
    /// through `relayer` as an outside execution (the relayer pays).
    async fn send_signed(
        &self,
        calls: &[Call],
        relayer: Option<&dyn Relayer>,
    ) -> Result<Confirmed, TxError> {
        match relayer {
            None => tx::execute(&self.account, calls.to_vec()).await,
            Some(relayer) => {
                let now = self.now().await.map_err(|e| match e {
                    SessionError::Tx(t) => t,
                    other => TxError::Signing(other.to_string()),
                })?;
                let execution = OutsideExecution {
                    caller: relayer.address(),
                    nonce: SigningKey::from_random().secret_scalar(),
                    execute_after: now.saturating_sub(60),
                    execute_before: now + 3600,
                    calls: calls.to_vec(),
                };
                let signature = execution.sign_as_session(
                    &self.token.session_key,
                    self.token.account,
                    self.token.chain_id,
                    self.account.authorization(),
                )?;
                relayer.relay(self.token.account, &execution, signature).await
            }
        }
    }

    /// Executes `calls` with the session, the account paying the fee. If the
    /// transaction is refused because the session expired, and the session
    /// is renewable and still inside its grace period, renews it and tries
    /// once more.
    pub async fn execute(&mut self, calls: Vec<Call>) -> Result<Confirmed, SessionError> {
        self.execute_via(calls, None).await
    }

    /// Like [`Self::execute`], but gasless: `relayer` submits a
    /// session-signed outside execution and pays (§11). Works with an
    /// account that holds no STRK, and registers an authorized session.
    pub async fn execute_gasless(
        &mut self,
        calls: Vec<Call>,
        relayer: &dyn Relayer,
    ) -> Result<Confirmed, SessionError> {
        self.execute_via(calls, Some(relayer)).await
    }

    async fn execute_via(
        &mut self,
        calls: Vec<Call>,
        relayer: Option<&dyn Relayer>,
    ) -> Result<Confirmed, SessionError> {
        match self.send_once(&calls, relayer).await {
            Ok(confirmed) => Ok(confirmed),
            Err(error) if error.contract_error() == Some(ContractError::SessionExpired) => {
                let status = self.status().await?;
                let now = self.now().await?;
                let in_grace = status.renewable
                    && status.registered
                    && !status.revoked
                    && status.epoch_valid
                    && now >= status.valid_until
                    && (now as u128) < status.grace_deadline;
                if !in_grace {
                    return Err(self.explain(error, &calls).await);
                }
                tracing::info!(
                    valid_until = status.valid_until,
                    "session expired inside its grace period; renewing"
                );
                self.renew_via(relayer).await?;
                match self.send_once(&calls, relayer).await {
                    Ok(c) => Ok(c),
                    Err(e) => Err(self.explain(e, &calls).await),
                }
            }
            Err(error) => Err(self.explain(error, &calls).await),
        }
    }

    /// Renews the session (§5).
    pub async fn renew(&mut self) -> Result<Confirmed, SessionError> {
        self.renew_via(None).await
    }

    async fn renew_via(
        &mut self,
        relayer: Option<&dyn Relayer>,
    ) -> Result<Confirmed, SessionError> {
        let call = calls::renew_session(self.token.account);
        match self.send_once(std::slice::from_ref(&call), relayer).await {
            Ok(c) => Ok(c),
            Err(e) => Err(self.explain(e, &[call]).await),
        }
    }

    /// Revokes this session (e.g. on logout).
    pub async fn revoke(&mut self) -> Result<Confirmed, SessionError> {
        let call = calls::revoke_session(self.token.account, self.token.session_public_key());
        match self.send_once(std::slice::from_ref(&call), None).await {
            Ok(c) => Ok(c),
            Err(e) => Err(self.explain(e, &[call]).await),
        }
    }

    /// Turns a failed transaction into a [`SessionError`] with facts read
    /// from the account's views.
    pub async fn explain(&self, error: TxError, calls: &[Call]) -> SessionError {
        let Some(code) = error.contract_error() else { return SessionError::Tx(error) };
        let key = self.token.session_public_key();
        let status = self.views().status(key).await.ok();
        match code {
            ContractError::SessionSpendingLimit => {
                let spending = self.views().spending(key).await.unwrap_or_default();
                let tokens: Vec<Felt> = spending.iter().map(|e| e.token).collect();
                let requested = requested_per_token(calls, &tokens);
                // The first limited token whose request does not fit.
                for entry in &spending {
                    if let Some((_, amount)) = requested.iter().find(|(t, _)| *t == entry.token) {
                        let fits = checked_add(entry.spent, *amount)
                            .is_some_and(|total| total <= entry.limit);
                        if !fits {
                            return SessionError::SpendingLimit {
                                token: entry.token,
                                limit: entry.limit,
                                spent: entry.spent,
                                requested: *amount,
                            };
                        }
                    }
                }
                // Every metered request fits: the tokens left the account
                // some other way, counted after the calls (§4.4).
                if error.is_reverted() && !spending.is_empty() {
                    return SessionError::IndirectSpending(spending);
                }
                SessionError::Contract(code, error)
            }
            ContractError::SessionPeriodLimit => {
                let spending = self.views().spending(key).await.unwrap_or_default();
                let tokens: Vec<Felt> = spending.iter().map(|e| e.token).collect();
                let requested = requested_per_token(calls, &tokens);
                let periodic = spending.iter().filter(|e| e.period != 0);
                // The first token whose request does not fit its window, or
                // (what left the account beyond the calls' amounts) the
                // first the calls touch.
                let asked = |e: &TokenSpending| {
                    requested.iter().find(|(t, _)| *t == e.token).map(|(_, amount)| *amount)
                };
                let over = periodic.clone().find(|e| {
                    asked(e).is_some_and(|a| a > U256::from(e.window_remaining().unwrap_or(0)))
                });
                match over.or_else(|| periodic.clone().find(|e| asked(e).is_some())) {
                    Some(e) => SessionError::PeriodLimit {
                        token: e.token,
                        period: e.period,
                        limit: e.period_limit,
                        spent: e.window_spent,
                        requested: asked(e).unwrap_or(U256::from(0u8)),
                        resets_at: e.window_resets_at,
                    },
                    None => SessionError::Contract(code, error),
                }
            }
            ContractError::SessionCalldataRule => {
                let rules = &self.token.policy.calldata_rules;
                let broken = calls.iter().position(|c| {
                    calldata::check_call(rules, c.to, c.selector, &c.calldata).is_err()
                });
                match broken {
                    Some(index) => SessionError::CalldataRule {
                        index,
                        contract: calls[index].to,
                        selector: calls[index].selector,
                    },
                    None => SessionError::Contract(code, error),
                }
            }
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
            ContractError::SessionFeeAboveCap => SessionError::FeeAboveCap {
                cap: status.map(|s| s.max_fee_per_tx).unwrap_or_default(),
            },
            ContractError::SessionFeeBudget => SessionError::FeeBudget {
                budget: status.map(|s| s.fee_budget).unwrap_or_default(),
                used: status.map(|s| s.fee_used).unwrap_or_default(),
                remaining: status.map(|s| s.fee_remaining).unwrap_or_default(),
                requested: None,
            },
            ContractError::SessionRevoked => SessionError::Revoked,
            ContractError::SessionEpochRevoked => SessionError::EpochRevoked,
            ContractError::SessionNotRegistered => SessionError::NotRegistered,
            other => SessionError::Contract(other, error),
        }
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
