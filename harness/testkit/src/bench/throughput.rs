//! Harness throughput: transactions per second the fuzzer pushes through one
//! embedded devnet, against the practical ceiling, plain STRK transfers
//! from a predeployed account sent one after another on the same kind of
//! devnet in the same run.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::{Felt, U256};
use starknet_rust::signers::SigningKey;

use super::gas::BenchError;
use crate::devnet::sandbox::Sandbox;
use crate::devnet::DevnetOptions;
use crate::fuzz::{campaign, CampaignConfig};
use session_account::account::owner::calls;
use session_account::policy::SessionPolicy;
use session_account::token::STRK;
use session_account::token::{transfer_call, STRK_UNIT};
use session_account::tx::{execute_with_bounds, FeeBounds};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Throughput {
    /// Plain transfers sent back to back from a predeployed account.
    pub ceiling_transactions: u64,
    pub ceiling_seconds: f64,
    pub ceiling_tps: f64,
    /// Of the ceiling's time per transaction: signing (measured apart)
    /// and the rest (RPC round trips, devnet execution, receipt).
    pub ceiling_signing_ms: f64,
    pub ceiling_rpc_and_devnet_ms: f64,
    /// Session transfers from our account sent back to back on the same
    /// devnet: what our account's transactions cost devnet, without the
    /// fuzzer's checks.
    pub session_transfer_tps: f64,
    /// The fuzzer on one devnet at a time (one job).
    pub fuzz_cases: u64,
    pub fuzz_steps: u64,
    pub fuzz_transactions: u64,
    pub fuzz_seconds: f64,
    pub fuzz_tps: f64,
    /// Fuzzer rate over the ceiling.
    pub ratio: f64,
    /// Where the fuzzer's time went, seconds per category.
    pub fuzz_breakdown_seconds: BTreeMap<String, f64>,
}

impl Throughput {
    /// A few lines for people: the rates, and where the fuzzer's time went.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "throughput: ceiling {:.1} tx/s ({} plain transfers; {:.2} ms signing \
             + {:.2} ms RPC and devnet each); session transfers from our account {:.1} tx/s; \
             fuzzer {:.1} tx/s ({} transactions in {} steps, {} cases): {:.2}x the ceiling\n",
            self.ceiling_tps,
            self.ceiling_transactions,
            self.ceiling_signing_ms,
            self.ceiling_rpc_and_devnet_ms,
            self.session_transfer_tps,
            self.fuzz_tps,
            self.fuzz_transactions,
            self.fuzz_steps,
            self.fuzz_cases,
            self.ratio
        );
        let total: f64 = self.fuzz_breakdown_seconds.values().sum();
        for (what, seconds) in &self.fuzz_breakdown_seconds {
            text.push_str(&format!(
                "  {:>5.1}%  {what} ({seconds:.1} s)\n",
                100.0 * seconds / total.max(1e-9)
            ));
        }
        text
    }
}

/// Sends `n` one-wei STRK transfers from `account`, each waiting for its
/// receipt; the time it took.
async fn back_to_back<A>(
    account: &A,
    recipient: Felt,
    n: u64,
) -> Result<Duration, session_account::tx::TxError>
where
    A: starknet_rust::accounts::ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    let started = Instant::now();
    for _ in 0..n {
        execute_with_bounds(account, vec![transfer_call(STRK, recipient, 1)], FeeBounds::DEVNET)
            .await?;
    }
    Ok(started.elapsed())
}

/// Runs `transactions` plain transfers, then a one-job fuzz campaign of
/// `cases` cases. Blocking: it runs its own runtimes.
pub fn measure(transactions: u64, cases: u64, seed: u64) -> Result<Throughput, BenchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let (ceiling, signing, sessions) = runtime.block_on(async {
        let sandbox = Sandbox::start(DevnetOptions::default())
            .await
            .map_err(|e| BenchError::new("starting devnet", e))?;
        let account = sandbox.funded_account(0);
        let recipient = sandbox.predeployed[1].address;
        let elapsed = back_to_back(&account, recipient, transactions)
            .await
            .map_err(|e| BenchError::new("a plain transfer", e))?;

        // The same transfers from our account, signed by a limited session.
        let ours = sandbox
            .deploy_account(
                SigningKey::from_secret_scalar(Felt::from(0x0e4e_u64)),
                Felt::ONE,
                1000 * STRK_UNIT,
            )
            .await
            .map_err(|e| BenchError::new("deploying the account", e))?;
        let now = session_account::tx::latest_timestamp(&sandbox.provider)
            .await
            .map_err(|e| BenchError::new("block time", e))?;
        let session_key = SigningKey::from_secret_scalar(Felt::from(0x5e5_u64));
        let policy = SessionPolicy::builder(session_key.verifying_key().scalar())
            .valid_between(now - 60, now + 30 * 24 * 3600)
            .allow(STRK)
            .max_calls(transactions + 1)
            .spending_limit(STRK, U256::from(STRK_UNIT))
            .max_fee_per_tx(STRK_UNIT)
            .fee_budget(u128::MAX)
            .build()
            .map_err(|e| BenchError::new("the session's policy", e))?;
        execute_with_bounds(
            &sandbox.owner(&ours),
            vec![calls::register_session(ours.address, &policy)],
            FeeBounds::DEVNET,
        )
        .await
        .map_err(|e| BenchError::new("registering the session", e))?;
        let session = sandbox.session(&ours, session_key);
        let sessions = back_to_back(&session, recipient, transactions)
            .await
            .map_err(|e| BenchError::new("a session transfer", e))?;
        // Signing alone: the same number of ECDSA signatures.
        let key = SigningKey::from_secret_scalar(Felt::from(0x5161_u64));
        let started = Instant::now();
        for i in 0..transactions {
            key.sign(&Felt::from(i + 1)).map_err(|e| BenchError::new("signing", e))?;
        }
        Ok::<(Duration, Duration, Duration), BenchError>((elapsed, started.elapsed(), sessions))
    })?;
    drop(runtime);

    let report = campaign(CampaignConfig { cases, max_steps: 40, seed, jobs: 1 }, |_, _| {});
    if let Some(d) = report.divergences.first() {
        return Err(BenchError::new(
            "the fuzzer diverged",
            format!("case seed {}: {}", d.case_seed, d.message),
        ));
    }
    let per_tx = |d: Duration| 1000.0 * d.as_secs_f64() / transactions.max(1) as f64;
    let ceiling_tps = transactions as f64 / ceiling.as_secs_f64().max(1e-9);
    Ok(Throughput {
        ceiling_transactions: transactions,
        ceiling_seconds: ceiling.as_secs_f64(),
        ceiling_tps,
        ceiling_signing_ms: per_tx(signing),
        ceiling_rpc_and_devnet_ms: per_tx(ceiling.saturating_sub(signing)),
        session_transfer_tps: transactions as f64 / sessions.as_secs_f64().max(1e-9),
        fuzz_cases: report.cases,
        fuzz_steps: report.steps,
        fuzz_transactions: report.transactions,
        fuzz_seconds: report.seconds,
        fuzz_tps: report.transactions_per_second,
        ratio: report.transactions_per_second / ceiling_tps.max(1e-9),
        fuzz_breakdown_seconds: report.breakdown_seconds,
    })
}
