//! The main job: an end-to-end session on an embedded devnet.
//!
//! Declares and counterfactually deploys the account, grants a session
//! allowed to call the STRK token, transfers STRK with the session key, and
//! shows that a transfer above the session's limit and a transfer of
//! another token (ETH) are refused by the account.
//!
//! The owner is a Stark key, which registers the session in an owner
//! transaction; or ([`DemoOwner::WebAuthn`]) a passkey held by a software
//! authenticator, which asserts the session once (the user's one tap) and
//! never signs again: the session's first transaction carries that
//! authorization and registers itself (§3.2).

use serde::Serialize;
use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

use crate::devnet::embedded::DevnetOptions;
use crate::devnet::sandbox::{Rpc, Sandbox, SandboxError};
use session_account::account::owner::OwnerOperations;
use session_account::account::AccountAt;
use session_account::account::SessionAccount;
use session_account::contract::ContractError;
use session_account::policy::Binding;
use session_account::policy::SessionPolicy;
use session_account::signature::Authorization;
use session_account::signers::{P256Owner, SoftwarePasskey};
use session_account::token::{balance_of, transfer_call, BalanceError, STRK_UNIT};
use session_account::token::{ETH, STRK};
use session_account::tx::{self, TxError};
use starknet_rust::core::types::U256;
use starknet_rust::signers::LocalWallet;

/// STRK minted to the new account before it deploys itself.
const FUNDING: u128 = 100 * STRK_UNIT;
/// STRK the session transfers.
const TRANSFER: u128 = STRK_UNIT;
/// Session lifetime.
const SESSION_SECONDS: u64 = 24 * 3600;
/// STRK the session may move over its life.
const SPENDING_LIMIT: u128 = 10 * STRK_UNIT;
/// Most fee one session transaction may commit the account to.
const FEE_CAP: u128 = STRK_UNIT;
/// Most the session's transactions may cost the account in all.
const FEE_BUDGET: u128 = 5 * STRK_UNIT;

/// Who owns the demo's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DemoOwner {
    /// A Stark key, which registers the session in an owner transaction.
    #[default]
    Stark,
    /// A passkey (a software authenticator, relying party `localhost`),
    /// which authorizes the session with one assertion.
    WebAuthn,
}

/// Everything the demo did, for people (`Display`) and scripts (JSON).
#[derive(Debug, Serialize)]
pub struct DemoReport {
    pub owner: DemoOwner,
    pub rpc_url: String,
    pub chain_id: String,
    pub class_hash: String,
    pub account: String,
    pub deploy_tx: String,
    pub session_public_key: String,
    pub session_valid_until: u64,
    /// The transaction that registered the session: the owner's, or (a
    /// passkey owner) the session's first, carrying the authorization.
    pub register_tx: String,
    pub recipient: String,
    pub transfer_tx: String,
    pub transfer_fee_fri: String,
    /// The session's fee budget, and what its transactions may have cost
    /// so far (their bounds' worst case, recorded by the account).
    pub session_fee_budget_fri: String,
    pub session_fee_used_fri: String,
    pub account_strk_before: u128,
    pub account_strk_after: u128,
    pub recipient_strk_before: u128,
    pub recipient_strk_after: u128,
    /// The contract error that refused the transfer above the limit.
    pub over_limit_error: String,
    /// The contract error that refused the ETH transfer.
    pub refused_transfer_error: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Sandbox(Box<SandboxError>),
    #[error("{step}: {source}")]
    Tx { step: &'static str, source: Box<TxError> },
    #[error("reading balances: {0}")]
    Balance(#[from] BalanceError),
    #[error("reading the latest block: {0}")]
    Block(String),
    #[error("{0}")]
    Unexpected(String),
}

impl From<SandboxError> for DemoError {
    fn from(error: SandboxError) -> Self {
        DemoError::Sandbox(Box::new(error))
    }
}

fn hex(value: Felt) -> String {
    format!("{value:#066x}")
}

/// Runs the demo with a Stark owner; `progress` is told about each step as
/// it starts.
pub async fn run(
    options: DevnetOptions,
    progress: impl FnMut(&str),
) -> Result<DemoReport, DemoError> {
    run_with(options, DemoOwner::Stark, progress).await
}

/// Runs the demo with `owner`; `progress` is told about each step as it
/// starts.
pub async fn run_with(
    options: DevnetOptions,
    owner: DemoOwner,
    mut progress: impl FnMut(&str),
) -> Result<DemoReport, DemoError> {
    progress("starting an embedded devnet and declaring the session account");
    let sandbox = Sandbox::start(options).await?;
    let passkey = SoftwarePasskey::new(P256Owner::random(), "localhost", "http://localhost");
    let owner_key = SigningKey::from_random();
    let (address, deploy_tx) = deploy(&sandbox, owner, &owner_key, &passkey, &mut progress).await?;
    let (policy, session) = new_session(&sandbox, address).await?;
    // A Stark owner registers the session now; a passkey asserts it once,
    // and the session's first transaction carries that authorization.
    let (registered, first) = match owner {
        DemoOwner::Stark => {
            let registered =
                register_session(&sandbox, owner_key, address, &policy, &mut progress).await?;
            (Some(registered), session.clone())
        }
        DemoOwner::WebAuthn => {
            let authorization =
                authorize_session(&sandbox, &passkey, address, &policy, &mut progress)?;
            (None, session.clone().with_authorization(authorization))
        }
    };

    let recipient = sandbox.predeployed[1].address;
    let transfer =
        transfer_once(&sandbox, owner, &first, address, recipient, &mut progress).await?;
    let registered = registered.unwrap_or(transfer.confirmed.transaction_hash);
    let fee = transfer.confirmed.actual_fee;
    let fee_used = check_fee_budget(&sandbox, address, &policy, fee).await?;
    let (over_limit, refused) = refused_transfers(&session, recipient, &mut progress).await?;

    Ok(DemoReport {
        owner,
        rpc_url: sandbox.devnet.url().to_string(),
        chain_id: hex(sandbox.chain_id),
        class_hash: hex(sandbox.account_class_hash),
        account: hex(address),
        deploy_tx: hex(deploy_tx),
        session_public_key: hex(policy.session_key),
        session_valid_until: policy.valid_until,
        register_tx: hex(registered),
        recipient: hex(recipient),
        transfer_tx: hex(transfer.confirmed.transaction_hash),
        transfer_fee_fri: fee.to_string(),
        session_fee_budget_fri: FEE_BUDGET.to_string(),
        session_fee_used_fri: fee_used.to_string(),
        account_strk_before: transfer.account_before,
        account_strk_after: transfer.account_after,
        recipient_strk_before: transfer.recipient_before,
        recipient_strk_after: transfer.recipient_after,
        over_limit_error: over_limit,
        refused_transfer_error: refused,
    })
}

/// Deploys the account counterfactually, funded with devnet_mint, owned by
/// `owner_key` or (a passkey owner) `passkey`; its address and deploy
/// transaction.
async fn deploy(
    sandbox: &Sandbox,
    owner: DemoOwner,
    owner_key: &SigningKey,
    passkey: &SoftwarePasskey,
    progress: &mut impl FnMut(&str),
) -> Result<(Felt, Felt), DemoError> {
    Ok(match owner {
        DemoOwner::Stark => {
            progress("deploying the account counterfactually (funded with devnet_mint)");
            sandbox.deploy_account_of(owner_key, Felt::from(1u8), FUNDING).await?
        }
        DemoOwner::WebAuthn => {
            progress("deploying the account, owned by a passkey (a software authenticator)");
            sandbox.deploy_account_of(passkey, Felt::from(1u8), FUNDING).await?
        }
    })
}

/// A new session key and its policy from the latest block's time: STRK
/// only, within [`SPENDING_LIMIT`], [`FEE_CAP`] and [`FEE_BUDGET`],
/// renewable; and the account at `address` signed by that key.
async fn new_session(
    sandbox: &Sandbox,
    address: Felt,
) -> Result<(SessionPolicy, SessionAccount<Rpc, LocalWallet>), DemoError> {
    let now = tx::latest_timestamp(&sandbox.provider)
        .await
        .map_err(|e| DemoError::Block(e.to_string()))?;
    let session_key = SigningKey::from_random();
    let policy = SessionPolicy::builder(session_key.verifying_key().scalar())
        .valid_between(now, now + SESSION_SECONDS)
        .renewable(SESSION_SECONDS, SESSION_SECONDS, now + 7 * SESSION_SECONDS)
        .allow(STRK)
        .max_calls_per_tx(5)
        .max_calls(100)
        .spending_limit(STRK, U256::from(SPENDING_LIMIT))
        .max_fee_per_tx(FEE_CAP)
        .fee_budget(FEE_BUDGET)
        .build()
        .map_err(|e| DemoError::Unexpected(format!("the demo's policy is not well formed: {e}")))?;
    let session = SessionAccount::new(
        sandbox.devnet.provider(),
        LocalWallet::from_signing_key(session_key),
        policy.session_key,
        AccountAt { address, chain_id: sandbox.chain_id },
    );
    Ok((policy, session))
}

/// A Stark owner registers `policy` in an owner transaction (§3.1); the
/// transaction's hash.
async fn register_session(
    sandbox: &Sandbox,
    owner_key: SigningKey,
    address: Felt,
    policy: &SessionPolicy,
    progress: &mut impl FnMut(&str),
) -> Result<Felt, DemoError> {
    progress("registering a session that may move up to 10 STRK (owner transaction)");
    let owner = session_account::account::owner::owner_account(
        sandbox.devnet.provider(),
        owner_key,
        AccountAt { address, chain_id: sandbox.chain_id },
    );
    let registered = owner
        .register_session(policy)
        .await
        .map_err(|source| DemoError::Tx { step: "register_session", source: Box::new(source) })?;
    Ok(registered.transaction_hash)
}

/// A passkey owner asserts `policy` once (the user's one tap): the
/// authorization the session's first transaction carries (§3.2).
fn authorize_session(
    sandbox: &Sandbox,
    passkey: &SoftwarePasskey,
    address: Felt,
    policy: &SessionPolicy,
    progress: &mut impl FnMut(&str),
) -> Result<Authorization, DemoError> {
    progress("the passkey asserts a session that may move up to 10 STRK (one tap)");
    let binding = Binding::new_account(address, sandbox.chain_id);
    Authorization::sign_by(policy.clone(), passkey, &binding)
        .map_err(|e| DemoError::Unexpected(format!("the passkey could not assert: {e}")))
}

/// The session's STRK transfer, and both parties' STRK around it.
struct Transfer {
    confirmed: tx::Confirmed,
    account_before: u128,
    account_after: u128,
    recipient_before: u128,
    recipient_after: u128,
}

/// `first` (the session, carrying the passkey's authorization if any)
/// transfers [`TRANSFER`] STRK to `recipient`; the balances must move by
/// exactly the transfer and its fee.
async fn transfer_once(
    sandbox: &Sandbox,
    owner: DemoOwner,
    first: &SessionAccount<Rpc, LocalWallet>,
    address: Felt,
    recipient: Felt,
    progress: &mut impl FnMut(&str),
) -> Result<Transfer, DemoError> {
    let account_before = balance_of(&sandbox.provider, STRK, address).await?;
    let recipient_before = balance_of(&sandbox.provider, STRK, recipient).await?;

    progress(match owner {
        DemoOwner::Stark => "transferring 1 STRK with the session key",
        DemoOwner::WebAuthn => {
            "transferring 1 STRK with the session key (its first transaction registers it)"
        }
    });
    let confirmed =
        tx::execute(first, vec![transfer_call(STRK, recipient, TRANSFER)]).await.map_err(
            |source| DemoError::Tx { step: "session STRK transfer", source: Box::new(source) },
        )?;
    let account_after = balance_of(&sandbox.provider, STRK, address).await?;
    let recipient_after = balance_of(&sandbox.provider, STRK, recipient).await?;
    let fee = confirmed.actual_fee;
    if recipient_after != recipient_before + TRANSFER
        || account_after != account_before - TRANSFER - fee
    {
        return Err(DemoError::Unexpected(format!(
            "balances moved unexpectedly: account {account_before} -> {account_after} (fee {fee}), \
             recipient {recipient_before} -> {recipient_after}"
        )));
    }
    Ok(Transfer { confirmed, account_before, account_after, recipient_before, recipient_after })
}

/// What the account recorded of the session's fee budget (§4.7), which
/// must cover the `fee` its transfer paid and stay within the budget.
async fn check_fee_budget(
    sandbox: &Sandbox,
    address: Felt,
    policy: &SessionPolicy,
    fee: u128,
) -> Result<u128, DemoError> {
    let status = session_account::policy::views::AccountViews::new(&sandbox.provider, address)
        .status(policy.session_key)
        .await
        .map_err(|e| DemoError::Unexpected(format!("reading the session's status: {e}")))?;
    if status.fee_used < fee || status.fee_used > FEE_BUDGET {
        return Err(DemoError::Unexpected(format!(
            "the account recorded {} fri of the fee budget for a transaction that paid {fee}",
            status.fee_used
        )));
    }
    Ok(status.fee_used)
}

/// The transfers the account must refuse: 20 STRK, above the spending
/// limit (§4.4), and ETH, which the session was not granted (§4.3); the
/// errors they were refused with.
async fn refused_transfers(
    session: &SessionAccount<Rpc, LocalWallet>,
    recipient: Felt,
    progress: &mut impl FnMut(&str),
) -> Result<(String, String), DemoError> {
    progress("trying a 20 STRK transfer, above the session's spending limit");
    let over_limit = expect_refusal(
        tx::execute(session, vec![transfer_call(STRK, recipient, 2 * SPENDING_LIMIT)]).await,
        ContractError::SessionSpendingLimit,
        "the 20 STRK transfer",
    )?;

    progress("trying an ETH transfer, which the session was not granted");
    let refused = expect_refusal(
        tx::execute(session, vec![transfer_call(ETH, recipient, 1)]).await,
        ContractError::SessionContractNotAllowed,
        "the ETH transfer",
    )?;
    Ok((over_limit, refused))
}

/// The account must have refused `what` with `expected`.
fn expect_refusal(
    outcome: Result<tx::Confirmed, TxError>,
    expected: ContractError,
    what: &str,
) -> Result<String, DemoError> {
    match outcome {
        Err(e) if e.contract_error() == Some(expected) => Ok(e.to_string()),
        Err(e) => {
            Err(DemoError::Unexpected(format!("{what} failed, but not with {expected}: {e}")))
        }
        Ok(c) => Err(DemoError::Unexpected(format!(
            "{what} was accepted ({:#x}); the account should refuse it with {expected}",
            c.transaction_hash
        ))),
    }
}

impl std::fmt::Display for DemoReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use session_account::token::format_amount as amount;
        let fri = |text: &str| amount(text.parse().unwrap_or(0), 18);
        let (owner, registered) = match self.owner {
            DemoOwner::Stark => ("a Stark key", "registered in"),
            DemoOwner::WebAuthn => {
                ("a passkey (software authenticator)", "authorized; registered by")
            }
        };
        let rows = [
            ("owner", owner.to_string()),
            ("class hash", self.class_hash.clone()),
            ("account", self.account.clone()),
            ("deployed in", self.deploy_tx.clone()),
            (
                "session public key",
                format!(
                    "{} (valid until {})",
                    self.session_public_key,
                    utc(self.session_valid_until)
                ),
            ),
            (registered, self.register_tx.clone()),
            (
                "STRK transfer",
                format!("{} (fee {} STRK)", self.transfer_tx, fri(&self.transfer_fee_fri)),
            ),
            (
                "fee budget",
                format!(
                    "{} of {} STRK used (the bounds' worst case)",
                    fri(&self.session_fee_used_fri),
                    fri(&self.session_fee_budget_fri)
                ),
            ),
            (
                "account STRK",
                format!(
                    "{} -> {}",
                    amount(self.account_strk_before, 18),
                    amount(self.account_strk_after, 18)
                ),
            ),
            (
                "recipient STRK",
                format!(
                    "{} -> {}",
                    amount(self.recipient_strk_before, 18),
                    amount(self.recipient_strk_after, 18)
                ),
            ),
            ("20 STRK transfer", format!("refused: {}", self.over_limit_error)),
            ("ETH transfer", format!("refused: {}", self.refused_transfer_error)),
        ];
        write!(f, "Session demo on an embedded devnet ({})", self.rpc_url)?;
        for (label, value) in rows {
            write!(f, "\n  {label:<20}{value}")?;
        }
        Ok(())
    }
}

/// A unix time as `2026-12-06 21:00:00 UTC`.
fn utc(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| format!("{seconds} (unix seconds)"))
}
