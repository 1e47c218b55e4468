//! Gas per operation and account kind, from devnet's receipts (L2 gas and
//! L1 data gas of the whole transaction) and traces (L2 gas of
//! `__validate__` and of `__execute__`). Every transaction here succeeds;
//! the same calls run from devnet's predeployed OpenZeppelin account (the
//! baseline), from our account signed by its owner, and signed by sessions
//! (`gas/sessions.rs`, and indirect spending in `gas/router_pull.rs`);
//! owners of other kinds are measured in `gas/owner_kinds.rs`.
//!
//! Gas is deterministic: a fresh devnet and the same transactions give the
//! same figures, which is what tests/gas.rs relies on.

use serde::{Deserialize, Serialize};
use starknet_rust::accounts::ConnectedAccount;
use starknet_rust::core::types::{Call, ExecuteInvocation, Felt, TransactionTrace, U256};
use starknet_rust::providers::Provider;
use starknet_rust::signers::SigningKey;

use crate::devnet::sandbox::{DeployedAccount, Sandbox};
use crate::devnet::DevnetOptions;
use session_account::account::owner::calls;
use session_account::policy::SessionPolicy;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{execute_with_bounds, Confirmed, FeeBounds};

use crate::devnet::FIXED_START as START;
use session_account::token::STRK_UNIT;

mod agent_policies;
mod owner_kinds;
mod router_pull;
mod sessions;

pub use agent_policies::{allowlist_operation, PERIODIC, PER_CALL_BOUND, ROLLOVER};

const HOUR: u64 = 3600;

/// Who signs a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum AccountKind {
    /// Devnet's predeployed OpenZeppelin account.
    Baseline,
    /// Our account, signed by its owner (a Stark key).
    Owner,
    /// Our account owned by a raw P-256 key (spec §2.1).
    OwnerP256,
    /// Our account owned by a passkey (WebAuthn, spec §2.3).
    OwnerPasskey,
    /// Our account, signed by a session without spending limits.
    Session,
    /// Our account, signed by a session with a spending limit on the token.
    SessionLimited,
}

impl AccountKind {
    pub const ALL: [AccountKind; 6] = [
        AccountKind::Baseline,
        AccountKind::Owner,
        AccountKind::OwnerP256,
        AccountKind::OwnerPasskey,
        AccountKind::Session,
        AccountKind::SessionLimited,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Baseline => "OZ account (baseline)",
            AccountKind::Owner => "owner",
            AccountKind::OwnerP256 => "owner (P-256)",
            AccountKind::OwnerPasskey => "owner (passkey)",
            AccountKind::Session => "session",
            AccountKind::SessionLimited => "session + limit",
        }
    }
}

/// One measured transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GasRow {
    /// What the transaction does, e.g. `transfer x1`.
    pub operation: String,
    pub account: AccountKind,
    /// L2 gas of the whole transaction (receipt).
    pub l2_gas: u64,
    pub l1_data_gas: u64,
    /// L2 gas of `__validate__` and of `__execute__` (trace).
    pub validate_l2_gas: u64,
    pub execute_l2_gas: u64,
    /// Actual fee in fri.
    pub fee_fri: u128,
    /// This row's L2 gas over the baseline's for the same operation.
    pub vs_baseline: Option<f64>,
}

/// The operations measured; `transfer x1` and `transfer x5` for every kind.
pub const TRANSFER_1: &str = "transfer x1";
pub const TRANSFER_5: &str = "transfer x5";
pub const REGISTER: &str = "register session (owner tx)";
pub const FIRST_WITH_AUTHORIZATION: &str = "transfer x1, first tx carrying an authorization";
pub const RENEW: &str = "renew (session tx)";
pub const REVOKE: &str = "revoke session (owner tx)";
/// A router pulls the account's tokens through an allowance given long ago:
/// the indirect spending a limit must see (§4.4).
pub const ROUTER_PULL: &str = "router pull x1 (indirect spending)";

pub fn revoke_all_operation(sessions: usize) -> String {
    format!("revoke-all with {sessions} sessions")
}

/// A session policy: STRK only, limited or not, 100 calls, `lifetime` seconds.
fn policy(key: &SigningKey, limited: bool, now: u64, lifetime: u64) -> SessionPolicy {
    let valid_until = now + lifetime;
    let builder = SessionPolicy::builder(key.verifying_key().scalar())
        .valid_between(now - 60, valid_until)
        .renewable(HOUR, lifetime, valid_until + 30 * 24 * HOUR)
        .allow(STRK)
        .max_calls_per_tx(5)
        .max_calls(100)
        .max_fee_per_tx(10 * STRK_UNIT)
        .fee_budget(u128::MAX);
    let builder =
        if limited { builder.spending_limit(STRK, U256::from(1000 * STRK_UNIT)) } else { builder };
    builder.build().expect("the bench's policies are well formed")
}

fn key(n: u64) -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0xbe4c_0000_u64 + n))
}

/// What failed, and why; the bench cannot continue past it.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {detail}")]
pub struct BenchError {
    what: String,
    detail: String,
}

impl BenchError {
    pub fn new(what: impl Into<String>, detail: impl std::fmt::Display) -> Self {
        Self { what: what.into(), detail: detail.to_string() }
    }
}

fn failed<E: std::fmt::Display>(what: impl Into<String>) -> impl FnOnce(E) -> BenchError {
    let what = what.into();
    move |e| BenchError::new(what, e)
}

struct Bench {
    sandbox: Sandbox,
    rows: Vec<GasRow>,
}

impl Bench {
    async fn send<A>(
        &mut self,
        operation: &str,
        kind: AccountKind,
        account: &A,
        calls: Vec<Call>,
    ) -> Result<(), BenchError>
    where
        A: ConnectedAccount + Sync,
        A::SignError: session_account::tx::SignerError,
    {
        self.send_with(operation, kind, account, calls, FeeBounds::DEVNET).await
    }

    /// [`Self::send`] with other fee bounds (a P-256 or passkey owner's
    /// verification needs more L2 gas than devnet's usual bounds allow).
    async fn send_with<A>(
        &mut self,
        operation: &str,
        kind: AccountKind,
        account: &A,
        calls: Vec<Call>,
        bounds: FeeBounds,
    ) -> Result<(), BenchError>
    where
        A: ConnectedAccount + Sync,
        A::SignError: session_account::tx::SignerError,
    {
        let confirmed = execute_with_bounds(account, calls, bounds)
            .await
            .map_err(failed(format!("{operation} ({kind:?})")))?;
        self.record(operation, kind, &confirmed).await
    }

    async fn record(
        &mut self,
        operation: &str,
        account: AccountKind,
        confirmed: &Confirmed,
    ) -> Result<(), BenchError> {
        let hash = confirmed.transaction_hash;
        let receipt =
            self.sandbox.provider.get_transaction_receipt(hash).await.map_err(failed("receipt"))?;
        let resources = session_account::tx::execution_resources(&receipt.receipt).clone();
        let trace = self.sandbox.provider.trace_transaction(hash).await.map_err(failed("trace"))?;
        let (validate_l2_gas, execute_l2_gas) = match trace {
            TransactionTrace::Invoke(t) => (
                t.validate_invocation.map(|v| v.execution_resources.l2_gas).unwrap_or(0),
                match t.execute_invocation {
                    ExecuteInvocation::Success(e) => e.execution_resources.l2_gas,
                    ExecuteInvocation::Reverted(_) => 0,
                },
            ),
            _ => (0, 0),
        };
        let fee_fri = confirmed.actual_fee;
        self.rows.push(GasRow {
            operation: operation.to_string(),
            account,
            l2_gas: resources.l2_gas,
            l1_data_gas: resources.l1_data_gas,
            validate_l2_gas,
            execute_l2_gas,
            fee_fri,
            vs_baseline: None,
        });
        Ok(())
    }

    async fn deploy(&self, salt: u64) -> Result<DeployedAccount, BenchError> {
        self.sandbox
            .deploy_account(key(1_000 + salt), Felt::from(salt), 1000 * STRK_UNIT)
            .await
            .map_err(failed("deploying an account"))
    }
}

/// Measures every operation on a fresh devnet. `revoke_all_sessions`
/// lists the session counts to measure revoke-all at.
pub async fn measure(revoke_all_sessions: &[usize]) -> Result<Vec<GasRow>, BenchError> {
    let options = DevnetOptions { start_time: Some(START), ..DevnetOptions::default() };
    let sandbox = Sandbox::start(options).await.map_err(failed("starting devnet"))?;
    let mut bench = Bench { sandbox, rows: Vec::new() };
    let recipient = bench.sandbox.predeployed[1].address;

    // The account, its owner, two sessions registered by transaction.
    let account = bench.deploy(1).await?;
    let owner = bench.sandbox.owner(&account);
    bench.measure_registration(&account, &owner).await?;
    bench.measure_transfers(&account, &owner, recipient).await?;
    bench.measure_first_with_authorization(&account, recipient).await?;
    let now_after_renewal = bench.measure_renewal(&account, &owner).await?;
    bench.measure_router_pull(&account, &owner, recipient, now_after_renewal).await?;

    bench.measure_owner_kinds(recipient).await?;

    // Revoke-all on accounts holding 1, 10, 100 … sessions.
    let now = now_after_renewal + 120;
    bench.measure_revoke_all(revoke_all_sessions, now).await?;

    // The agent policies, last: the rollover moves the clock an hour on.
    bench.measure_agent_policies(&account, recipient, now).await?;

    bench.set_baseline_ratios();
    Ok(bench.rows)
}

/// `n` transfers of 1,000 fri of STRK to `recipient`.
fn transfers(recipient: Felt, n: usize) -> Vec<Call> {
    (0..n).map(|_| transfer_call(STRK, recipient, 1_000)).collect()
}

impl Bench {
    /// Sets each row's ratio to the baseline's figure for the same
    /// operation.
    fn set_baseline_ratios(&mut self) {
        let rows = self.rows.clone();
        for row in &mut self.rows {
            let base = rows
                .iter()
                .find(|r| r.operation == row.operation && r.account == AccountKind::Baseline);
            row.vs_baseline = base.map(|b| row.l2_gas as f64 / b.l2_gas as f64);
        }
    }
}
