//! Using a session like a wallet would: from a [`SessionToken`], execute
//! calls (renewing automatically when, and only when, a transaction finds
//! the session expired inside its grace period), renew, revoke itself, and
//! read its status and spending. Failures come back as [`SessionError`]s
//! that carry the facts (limit, spent, requested, ...) and say what to do.
//!
//! - `error`    [`SessionError`], one variant per refusal, with its facts
//! - `explain`  how a refused transaction becomes a [`SessionError`]

mod error;
mod explain;

pub use error::SessionError;

use starknet_rust::core::types::Call;
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

use crate::account::owner::calls;
use crate::account::AccountAt;
use crate::account::SessionAccount;
use crate::contract::ContractError;
use crate::outside::{OutsideExecution, Relayer};
use crate::policy::views::{
    AccountViews, SessionApproval, SessionDetails, SessionStatus, TokenSpending,
};
use crate::session_token::SessionToken;
use crate::tx::{self, Confirmed, TxError};

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
            AccountAt { address: token.account, chain_id: token.chain_id },
        );
        if let Some(authorization) = &token.authorization {
            account = account.with_authorization(authorization.clone());
        }
        let mut client = Self { account, token };
        client.drop_authorization_if_registered().await?;
        Ok(client)
    }

    /// The session account the client signs with (a starknet-rust
    /// `Account`).
    pub fn account(&self) -> &SessionAccount<P, LocalWallet> {
        &self.account
    }

    /// The session token, as updated (the authorization is dropped once the
    /// session is registered).
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

    /// The session's status as the account sees it (`get_session`).
    pub async fn status(&self) -> Result<SessionStatus, SessionError> {
        Ok(self.views().status(self.token.session_public_key()).await?)
    }

    /// Each limited token's limit and what was spent of it (`get_spending`).
    pub async fn spending(&self) -> Result<Vec<TokenSpending>, SessionError> {
        Ok(self.views().spending(self.token.session_public_key()).await?)
    }

    /// The session's whole on-chain state (status, allowed calls, spending)
    /// in one view call, read at one state.
    pub async fn details(&self) -> Result<SessionDetails, SessionError> {
        Ok(self.views().session_details(self.token.session_public_key()).await?)
    }

    /// The spenders the session approved (§4.10): what the owner's
    /// `clear_session_allowances` sets back to zero.
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
                let provider = starknet_rust::accounts::ConnectedAccount::provider(&self.account);
                let now = tx::latest_timestamp(provider).await.map_err(TxError::Provider)?;
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
}
