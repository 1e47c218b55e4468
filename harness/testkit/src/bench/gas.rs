//! Gas per operation and account kind, from devnet's receipts (L2 gas and
//! L1 data gas of the whole transaction) and traces (L2 gas of
//! `__validate__` and of `__execute__`). Every transaction here succeeds;
//! the same calls run from devnet's predeployed OpenZeppelin account (the
//! baseline), from our account signed by its owner, and signed by sessions;
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
use session_account::contract::selectors;
use session_account::policy::{Binding, SessionPolicy};
use session_account::signature::Authorization;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::{execute_with_bounds, Confirmed, FeeBounds};
use starknet_rust::accounts::Account;

use crate::devnet::FIXED_START as START;
use session_account::token::STRK_UNIT;

mod agent_policies;
mod owner_kinds;

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
        A::SignError: std::fmt::Display,
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
        A::SignError: std::fmt::Display,
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
    let transfers =
        |n: usize| (0..n).map(|_| transfer_call(STRK, recipient, 1_000)).collect::<Vec<_>>();

    // The account, its owner, two sessions registered by transaction.
    let account = bench.deploy(1).await?;
    let owner = bench.sandbox.owner(&account);
    let plain = policy(&key(1), false, START, 30 * 24 * HOUR);
    let limited = policy(&key(2), true, START, 30 * 24 * HOUR);
    bench
        .send(
            REGISTER,
            AccountKind::Owner,
            &owner,
            vec![calls::register_session(account.address, &plain)],
        )
        .await?;
    let register = calls::register_session(account.address, &limited);
    execute_with_bounds(&owner, vec![register], FeeBounds::DEVNET)
        .await
        .map_err(failed("registering"))?;

    let baseline = bench.sandbox.funded_account(0);
    let session = bench.sandbox.session(&account, key(1));
    let session_limited = bench.sandbox.session(&account, key(2));
    // One unmeasured transfer each first: the figures are for a session in
    // use (its counters already written), like the baseline's nonce.
    for (what, outcome) in [
        (
            "warm-up (baseline)",
            execute_with_bounds(&baseline, transfers(1), FeeBounds::DEVNET).await,
        ),
        ("warm-up (owner)", execute_with_bounds(&owner, transfers(1), FeeBounds::DEVNET).await),
        ("warm-up (session)", execute_with_bounds(&session, transfers(1), FeeBounds::DEVNET).await),
        (
            "warm-up (limited session)",
            execute_with_bounds(&session_limited, transfers(1), FeeBounds::DEVNET).await,
        ),
    ] {
        outcome.map_err(failed(what))?;
    }
    for (operation, n) in [(TRANSFER_1, 1), (TRANSFER_5, 5)] {
        bench.send(operation, AccountKind::Baseline, &baseline, transfers(n)).await?;
        bench.send(operation, AccountKind::Owner, &owner, transfers(n)).await?;
        bench.send(operation, AccountKind::Session, &session, transfers(n)).await?;
        bench.send(operation, AccountKind::SessionLimited, &session_limited, transfers(n)).await?;
    }

    // A session registered by the authorization its first transaction carries.
    let authorized = policy(&key(3), true, START, 30 * 24 * HOUR);
    let binding = Binding::new_account(account.address, bench.sandbox.chain_id);
    let authorization = Authorization::sign(authorized, &account.owner_key, &binding)
        .map_err(failed("signing an authorization"))?;
    let first = bench.sandbox.session(&account, key(3)).with_authorization(authorization);
    bench.send(FIRST_WITH_AUTHORIZATION, AccountKind::SessionLimited, &first, transfers(1)).await?;

    // Renewal: a one-hour session, renewed 60 s after it expired.
    let short = policy(&key(4), true, START, HOUR);
    execute_with_bounds(
        &owner,
        vec![calls::register_session(account.address, &short)],
        FeeBounds::DEVNET,
    )
    .await
    .map_err(failed("registering"))?;
    bench
        .sandbox
        .devnet_client
        .set_time(short.valid_until + 60, true)
        .await
        .map_err(failed("devnet_setTime"))?;
    let renewing = bench.sandbox.session(&account, key(4));
    bench
        .send(
            RENEW,
            AccountKind::SessionLimited,
            &renewing,
            vec![calls::renew_session(account.address)],
        )
        .await?;
    bench
        .send(
            REVOKE,
            AccountKind::Owner,
            &owner,
            vec![calls::revoke_session(account.address, short.session_key)],
        )
        .await?;
    let now_after_renewal = short.valid_until;

    // Indirect spending: a router pulls an allowance given long ago.
    let token = bench
        .sandbox
        .deploy_contract(&crate::classes::test_token(), Felt::ONE, vec![])
        .await
        .map_err(failed("token"))?;
    let router = bench
        .sandbox
        .deploy_contract(&crate::classes::test_router(), Felt::ONE, vec![])
        .await
        .map_err(failed("router"))?;
    let holders = [baseline.address(), account.address];
    let mints = holders.iter().map(|h| Call {
        to: token,
        selector: selectors::MINT,
        calldata: vec![*h, Felt::from(1_000_000u32), Felt::ZERO],
    });
    bench.sandbox.execute_funded(0, mints.collect()).await.map_err(failed("minting"))?;
    let approve = Call {
        to: token,
        selector: selectors::APPROVE,
        calldata: vec![router, Felt::from(1_000_000u32), Felt::ZERO],
    };
    for (what, outcome) in [
        (
            "baseline approves the router",
            execute_with_bounds(&baseline, vec![approve.clone()], FeeBounds::DEVNET).await,
        ),
        (
            "the owner approves the router",
            execute_with_bounds(&owner, vec![approve], FeeBounds::DEVNET).await,
        ),
    ] {
        outcome.map_err(failed(what))?;
    }
    let pull_policy = |k: u64, limited: bool| {
        let builder = SessionPolicy::builder(key(k).verifying_key().scalar())
            .valid_between(now_after_renewal, now_after_renewal + 30 * 24 * HOUR)
            .allow(router)
            .max_calls(100)
            .max_fee_per_tx(10 * STRK_UNIT)
            .fee_budget(u128::MAX);
        let builder =
            if limited { builder.spending_limit(token, U256::from(1_000_000u32)) } else { builder };
        builder.build().expect("well formed")
    };
    let registrations = vec![
        calls::register_session(account.address, &pull_policy(5, false)),
        calls::register_session(account.address, &pull_policy(6, true)),
    ];
    execute_with_bounds(&owner, registrations, FeeBounds::DEVNET)
        .await
        .map_err(failed("registering"))?;
    let pull = |from: Felt| Call {
        to: router,
        selector: selectors::PULL,
        calldata: vec![token, from, recipient, Felt::from(10u8), Felt::ZERO],
    };
    let (pulling, pulling_limited) =
        (bench.sandbox.session(&account, key(5)), bench.sandbox.session(&account, key(6)));
    for (what, outcome) in [
        (
            "warm-up pull (baseline)",
            execute_with_bounds(&baseline, vec![pull(baseline.address())], FeeBounds::DEVNET).await,
        ),
        (
            "warm-up pull (session)",
            execute_with_bounds(&pulling, vec![pull(account.address)], FeeBounds::DEVNET).await,
        ),
        (
            "warm-up pull (limited)",
            execute_with_bounds(&pulling_limited, vec![pull(account.address)], FeeBounds::DEVNET)
                .await,
        ),
    ] {
        outcome.map_err(failed(what))?;
    }
    bench
        .send(ROUTER_PULL, AccountKind::Baseline, &baseline, vec![pull(baseline.address())])
        .await?;
    bench.send(ROUTER_PULL, AccountKind::Session, &pulling, vec![pull(account.address)]).await?;
    bench
        .send(
            ROUTER_PULL,
            AccountKind::SessionLimited,
            &pulling_limited,
            vec![pull(account.address)],
        )
        .await?;

    bench.measure_owner_kinds(recipient).await?;

    // Revoke-all on accounts holding 1, 10, 100 … sessions.
    let now = short.valid_until + 120;
    for (i, &count) in revoke_all_sessions.iter().enumerate() {
        let account = bench.deploy(10 + i as u64).await?;
        let owner = bench.sandbox.owner(&account);
        let keys: Vec<u64> = (0..count as u64).map(|k| 10_000 * (i as u64 + 1) + k).collect();
        for chunk in keys.chunks(10) {
            let registrations = chunk
                .iter()
                .map(|k| {
                    calls::register_session(
                        account.address,
                        &policy(&key(*k), true, now, 24 * HOUR),
                    )
                })
                .collect();
            let bounds = FeeBounds {
                l2_gas: (400_000_000, 2_000_000_000),
                l1_data_gas: (40_000, 2_000_000_000),
                ..FeeBounds::DEVNET
            };
            execute_with_bounds(&owner, registrations, bounds)
                .await
                .map_err(failed("registering sessions"))?;
        }
        bench
            .send(
                &revoke_all_operation(count),
                AccountKind::Owner,
                &owner,
                vec![calls::revoke_all_sessions(account.address)],
            )
            .await?;
    }

    // The agent policies, last: the rollover moves the clock an hour on.
    bench.measure_agent_policies(&account, recipient, now).await?;

    // Ratios to the baseline's figure for the same operation.
    let rows = bench.rows.clone();
    for row in &mut bench.rows {
        let base = rows
            .iter()
            .find(|r| r.operation == row.operation && r.account == AccountKind::Baseline);
        row.vs_baseline = base.map(|b| row.l2_gas as f64 / b.l2_gas as f64);
    }
    Ok(bench.rows)
}
