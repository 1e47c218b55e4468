//! Harness throughput: transactions per second the fuzzer pushes through one
//! embedded devnet, against the practical ceiling, plain STRK transfers
//! from a predeployed account sent one after another on the same kind of
//! devnet (lite, blocks on demand, as the fuzzer's) in the same run; our
//! own session transfers (our contract's cost);
//! where the fuzzer's time goes, per phase; how it scales to two devnets;
//! and what starting a case costs, by snapshot or on a fresh account.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::{Felt, U256};
use starknet_rust::signers::SigningKey;

use super::gas::BenchError;
use crate::devnet::sandbox::Sandbox;
use crate::devnet::DevnetOptions;
use crate::fuzz::chain::TXS_PER_BLOCK;
use crate::fuzz::{campaign, Blocks, CampaignConfig, CampaignReport, Chain, Phase, Shard};
use session_account::account::owner::calls;
use session_account::policy::SessionPolicy;
use session_account::token::STRK;
use session_account::token::{transfer_call, STRK_UNIT};
use session_account::tx::{execute_with_bounds, FeeBounds};

/// How fast the fuzzer explores, next to what devnet can do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Throughput {
    /// Plain transfers sent back to back from a predeployed account: the
    /// ceiling.
    pub ceiling_transactions: u64,
    pub ceiling_seconds: f64,
    pub ceiling_tps: f64,
    pub ceiling_ms_per_tx: f64,
    /// Of the ceiling's time per transaction: signing (measured apart)
    /// and the rest (RPC round trips, devnet execution, receipt).
    pub ceiling_signing_ms: f64,
    pub ceiling_rpc_and_devnet_ms: f64,
    /// Limited session transfers from our account sent back to back on the
    /// same devnet: our contract's own cost, without the fuzzer's checks.
    pub session_transfer_tps: f64,
    pub session_transfer_ms_per_tx: f64,
    /// The fuzzer on one devnet (one job).
    pub fuzz_cases: u64,
    pub fuzz_steps: u64,
    pub fuzz_transactions: u64,
    pub fuzz_seconds: f64,
    pub fuzz_steps_per_second: f64,
    pub fuzz_tps: f64,
    pub fuzz_ms_per_tx: f64,
    /// Fuzzer transactions per second over the ceiling's.
    pub ratio: f64,
    /// Where the fuzzer's time went, per phase.
    pub fuzz_phases: Vec<PhaseCost>,
    /// What the fuzzer spends per transaction beyond the ceiling's time per
    /// transaction: our contract's own cost (its transactions' phase over
    /// the ceiling's transfers), and each harness phase.
    pub gap_ms_per_tx: BTreeMap<String, f64>,
    /// The same campaign on two devnets at once (two jobs).
    pub fuzz_two_jobs_steps_per_second: f64,
    /// Steps per second with two jobs over twice those with one.
    pub scaling_efficiency: f64,
    /// Starting a case: reverting devnet to a snapshot (and taking it
    /// again), against setting up a fresh account on it; the fuzzer does
    /// the faster.
    pub case_start_snapshot_ms: f64,
    pub case_start_fresh_account_ms: f64,
}

/// One phase of the fuzzer's time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhaseCost {
    pub phase: String,
    pub seconds: f64,
    pub ms_per_step: f64,
    pub ms_per_tx: f64,
}

impl Throughput {
    /// A few lines for people: the rates, and where the fuzzer's time went.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "ceiling: {:.1} tx/s ({:.2} ms per plain transfer: \
             {:.2} signing, {:.2} RPC and devnet)\n\
             our limited session transfers: {:.1} tx/s ({:.2} ms each)\n\
             fuzzer on one devnet: {:.1} steps/s, {:.1} tx/s ({:.2} ms per tx): \
             {:.2}x the ceiling\n\
             fuzzer on two devnets: {:.1} steps/s (scaling efficiency {:.0}%)\n\
             case start: {:.1} ms reverting to a snapshot, {:.1} ms on a fresh account\n\
             {:<44}{:>8}{:>10}{:>10}\n",
            self.ceiling_tps,
            self.ceiling_ms_per_tx,
            self.ceiling_signing_ms,
            self.ceiling_rpc_and_devnet_ms,
            self.session_transfer_tps,
            self.session_transfer_ms_per_tx,
            self.fuzz_steps_per_second,
            self.fuzz_tps,
            self.fuzz_ms_per_tx,
            self.ratio,
            self.fuzz_two_jobs_steps_per_second,
            100.0 * self.scaling_efficiency,
            self.case_start_snapshot_ms,
            self.case_start_fresh_account_ms,
            "phase",
            "s",
            "ms/step",
            "ms/tx"
        );
        for p in &self.fuzz_phases {
            text.push_str(&format!(
                "  {:<42}{:>8.2}{:>10.2}{:>10.2}\n",
                p.phase, p.seconds, p.ms_per_step, p.ms_per_tx
            ));
        }
        text.push_str("beyond the ceiling's time per transaction, largest first:\n");
        let mut gaps: Vec<(&String, &f64)> = self.gap_ms_per_tx.iter().collect();
        gaps.sort_by(|a, b| b.1.total_cmp(a.1));
        for (what, ms) in gaps {
            text.push_str(&format!("  {what:<58}{ms:>6.2} ms/tx\n"));
        }
        text
    }
}

/// Sends `n` one-wei STRK transfers from `account`, each waiting for its
/// receipt, closing a block after every [`TXS_PER_BLOCK`] as the fuzzer
/// does at the most; the time it took.
async fn back_to_back<A>(
    sandbox: &Sandbox,
    account: &A,
    recipient: Felt,
    n: u64,
) -> Result<Duration, BenchError>
where
    A: starknet_rust::accounts::ConnectedAccount + Sync,
    A::SignError: session_account::tx::SignerError,
{
    let started = Instant::now();
    for i in 1..=n {
        execute_with_bounds(account, vec![transfer_call(STRK, recipient, 1)], FeeBounds::DEVNET)
            .await
            .map_err(|e| BenchError::new("a transfer", e))?;
        if i % u64::from(TXS_PER_BLOCK) == 0 {
            sandbox
                .devnet_client
                .create_block()
                .await
                .map_err(|e| BenchError::new("closing a block", e))?;
        }
    }
    Ok(started.elapsed())
}

/// Runs `transactions` plain transfers and as many session transfers, the
/// case-start comparison, then a fuzz campaign of `cases` cases with one
/// job and again with two. Blocking: it runs its own runtimes.
pub fn measure(transactions: u64, cases: u64, seed: u64) -> Result<Throughput, BenchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let (ceiling, signing, sessions) = runtime.block_on(measure_transfers(transactions))?;
    let case_start = runtime.block_on(case_start_costs())?;
    drop(runtime);

    let report = fuzz_campaign(cases, seed, 1)?;
    let two_jobs = fuzz_campaign(cases, seed, 2)?;
    let per_tx = |d: Duration| 1000.0 * d.as_secs_f64() / transactions.max(1) as f64;
    let ceiling_tps = transactions as f64 / ceiling.as_secs_f64().max(1e-9);
    let ceiling_ms_per_tx = per_tx(ceiling);
    let fuzz_phases = phase_costs(&report);
    let gap_ms_per_tx = gaps(&fuzz_phases, ceiling_ms_per_tx);
    Ok(Throughput {
        ceiling_transactions: transactions,
        ceiling_seconds: ceiling.as_secs_f64(),
        ceiling_tps,
        ceiling_ms_per_tx,
        ceiling_signing_ms: per_tx(signing),
        ceiling_rpc_and_devnet_ms: per_tx(ceiling.saturating_sub(signing)),
        session_transfer_tps: transactions as f64 / sessions.as_secs_f64().max(1e-9),
        session_transfer_ms_per_tx: per_tx(sessions),
        fuzz_cases: report.cases,
        fuzz_steps: report.steps,
        fuzz_transactions: report.transactions,
        fuzz_seconds: report.seconds,
        fuzz_steps_per_second: report.steps_per_second,
        fuzz_tps: report.transactions_per_second,
        fuzz_ms_per_tx: 1000.0 / report.transactions_per_second.max(1e-9),
        ratio: report.transactions_per_second / ceiling_tps.max(1e-9),
        fuzz_phases,
        gap_ms_per_tx,
        fuzz_two_jobs_steps_per_second: two_jobs.steps_per_second,
        scaling_efficiency: two_jobs.steps_per_second / (2.0 * report.steps_per_second).max(1e-9),
        case_start_snapshot_ms: case_start.0,
        case_start_fresh_account_ms: case_start.1,
    })
}

/// On one devnet set up as the fuzzer's (lite, on-demand blocks): the
/// time `transactions` plain transfers take back to back (the ceiling),
/// the time signing as many takes alone, and the time as many limited
/// session transfers take.
async fn measure_transfers(
    transactions: u64,
) -> Result<(Duration, Duration, Duration), BenchError> {
    let options = DevnetOptions { lite: true, on_demand_blocks: true, ..DevnetOptions::default() };
    let sandbox =
        Sandbox::start(options).await.map_err(|e| BenchError::new("starting devnet", e))?;
    let account = sandbox.funded_account(0);
    let recipient = sandbox.predeployed[1].address;
    let elapsed = back_to_back(&sandbox, &account, recipient, transactions).await?;
    let sessions = session_transfers(&sandbox, recipient, transactions).await?;
    // Signing alone: the same number of ECDSA signatures.
    let key = SigningKey::from_secret_scalar(Felt::from(0x5161_u64));
    let started = Instant::now();
    for i in 0..transactions {
        key.sign(&Felt::from(i + 1)).map_err(|e| BenchError::new("signing", e))?;
    }
    Ok((elapsed, started.elapsed(), sessions))
}

/// The same transfers from our account, signed by a limited session
/// registered for them: the time they take back to back.
async fn session_transfers(
    sandbox: &Sandbox,
    recipient: Felt,
    transactions: u64,
) -> Result<Duration, BenchError> {
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
    back_to_back(sandbox, &session, recipient, transactions).await
}

/// A fuzz campaign of `cases` cases of at most 40 steps from `seed` on
/// `jobs` devnets; an error if it diverged.
fn fuzz_campaign(cases: u64, seed: u64, jobs: usize) -> Result<CampaignReport, BenchError> {
    let report = campaign(
        CampaignConfig {
            cases,
            max_steps: 40,
            seed,
            jobs,
            shard: Shard::WHOLE,
            fail_fast: false,
            blocks: Blocks::OnDemand,
        },
        |_, _| {},
    );
    match report.divergences.first() {
        Some(d) => Err(BenchError::new(
            "the fuzzer diverged",
            format!("case seed {}: {}", d.case_seed, d.message),
        )),
        None => Ok(report),
    }
}

/// Where the campaign's time went, per phase, per step and per
/// transaction.
fn phase_costs(report: &CampaignReport) -> Vec<PhaseCost> {
    let (steps, sent) = (report.steps.max(1) as f64, report.transactions.max(1) as f64);
    Phase::ALL
        .iter()
        .map(|phase| {
            let seconds = report.breakdown_seconds.get(phase.name()).copied().unwrap_or(0.0);
            PhaseCost {
                phase: phase.name().to_string(),
                seconds,
                ms_per_step: 1000.0 * seconds / steps,
                ms_per_tx: 1000.0 * seconds / sent,
            }
        })
        .collect()
}

/// What the fuzzer spends per transaction beyond the ceiling's
/// `ceiling_ms_per_tx`: our contract's own cost and each harness phase.
fn gaps(fuzz_phases: &[PhaseCost], ceiling_ms_per_tx: f64) -> BTreeMap<String, f64> {
    let mut gap_ms_per_tx = BTreeMap::new();
    for (phase, cost) in Phase::ALL.iter().zip(fuzz_phases) {
        let (what, ms) = match phase {
            Phase::Transactions => (
                "our contract: its transactions beyond a plain transfer".to_string(),
                cost.ms_per_tx - ceiling_ms_per_tx,
            ),
            Phase::Harness => ("harness: generation, model, comparisons".into(), cost.ms_per_tx),
            other => (format!("harness: {}", other.name()), cost.ms_per_tx),
        };
        gap_ms_per_tx.insert(what, ms);
    }
    gap_ms_per_tx
}

/// Milliseconds to start a case, both ways, each the mean of ten on one
/// fuzz devnet: reverting to a snapshot (and taking it again, as a revert
/// consumes it), and setting up a fresh account.
async fn case_start_costs() -> Result<(f64, f64), BenchError> {
    const TIMES: u32 = 10;
    // The chain runs its own runtime: keep it off this one.
    let measured = std::thread::spawn(|| {
        let chain = Chain::start();
        let client = &chain.sandbox().devnet_client;
        let started = Instant::now();
        for _ in 0..TIMES {
            let snapshot = chain
                .block_on(client.snapshot())
                .map_err(|e| BenchError::new("devnet_snapshot", e))?;
            chain
                .block_on(client.revert(&snapshot))
                .map_err(|e| BenchError::new("devnet_revert", e))?;
        }
        let snapshot = started.elapsed();
        let started = Instant::now();
        for _ in 0..TIMES {
            chain.new_case(0);
        }
        Ok::<_, BenchError>((snapshot, started.elapsed()))
    })
    .join()
    .map_err(|_| BenchError::new("measuring case starts", "the chain panicked"))??;
    let ms = |d: Duration| 1000.0 * d.as_secs_f64() / f64::from(TIMES);
    Ok((ms(measured.0), ms(measured.1)))
}
