//! Long seeded fuzz campaigns (the `fuzz` command): cases run without
//! shrinking (the test suite shrinks), `jobs` of them at a time, each job
//! on its own thread and long-lived devnet, each case on a fresh account.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use proptest_state_machine::ReferenceStateMachine;
use serde::{Deserialize, Serialize};

use super::shards::{Shard, ShardRun};
use super::{Blocks, Chain, SessionFlows};
use crate::model::Verdict;
use session_account::contract::ContractError;

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct CampaignConfig {
    pub cases: u64,
    /// Most operations per case.
    pub max_steps: usize,
    /// Case `i` uses seed `seed + i`; rerun one case with `cases = 1`.
    pub seed: u64,
    /// Devnets running cases at the same time.
    pub jobs: usize,
    /// Which slice of the cases this run takes ([`Shard::WHOLE`]: all).
    pub shard: Shard,
    /// Stop taking cases once one diverged (a mutation campaign wants one
    /// witness, not all of them).
    pub fail_fast: bool,
    /// How each job's devnet makes blocks.
    pub blocks: Blocks,
}

/// Where a campaign's time goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Starting each job's devnet and deploying the test contracts.
    Startup,
    /// Setting up each case's fresh account.
    Cases,
    /// Taking devnet back to its start-up snapshot every few cases.
    Resets,
    /// `devnet_setTime` before each transaction.
    TimeMoves,
    /// Signing, sending and executing transactions, and their receipts.
    Transactions,
    /// Reading the chain's state after each step that can change it.
    Checks,
    /// Generation, the model and the comparisons.
    Harness,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Startup,
        Phase::Cases,
        Phase::Resets,
        Phase::TimeMoves,
        Phase::Transactions,
        Phase::Checks,
        Phase::Harness,
    ];

    /// The key of [`CampaignReport::breakdown_seconds`].
    pub fn name(self) -> &'static str {
        match self {
            Phase::Startup => "devnet start-up",
            Phase::Cases => "case set-up (a fresh account)",
            Phase::Resets => "devnet resets (to the start-up snapshot)",
            Phase::TimeMoves => "setting devnet time",
            Phase::Transactions => "transactions (sign, RPC, execute)",
            Phase::Checks => "state checks",
            Phase::Harness => "harness (generation, model, comparisons)",
        }
    }
}

/// One case where the chain and the model disagree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Divergence {
    /// Seed that replays this case (with the report's `max_steps`).
    pub case_seed: u64,
    pub step: usize,
    pub operations: Vec<String>,
    pub message: String,
}

/// What a campaign did.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CampaignReport {
    pub seed: u64,
    pub max_steps: usize,
    pub jobs: usize,
    /// How the devnets made blocks (reports from before on-demand blocks
    /// were per transaction).
    #[serde(default = "per_transaction")]
    pub blocks: Blocks,
    /// Cases run (by this shard, for a shard's report).
    pub cases: u64,
    /// Cases of the whole campaign, all shards together.
    #[serde(default)]
    pub campaign_cases: u64,
    /// The slice this report is of; absent for a whole campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    pub steps: u64,
    pub seconds: f64,
    pub steps_per_second: f64,
    /// Time spent waiting on devnet (transactions, views, set-up), summed
    /// over jobs.
    pub devnet_seconds: f64,
    /// The rest (generation, the model, comparisons), summed over jobs.
    pub harness_seconds: f64,
    /// Share of the jobs' time spent waiting on devnet.
    pub devnet_share: f64,
    /// Transactions and outside executions sent to the node, whether it
    /// included or rejected them (the other steps only move time or hand
    /// out authorizations).
    pub transactions: u64,
    pub transactions_per_second: f64,
    /// Where the jobs' time went, in seconds, per [`Phase`] (by name).
    pub breakdown_seconds: BTreeMap<String, f64>,
    /// Steps per verdict: `accepted`, `rejected: <error>`, `reverted: <error>`.
    pub verdicts: BTreeMap<String, u64>,
    /// Steps per operation kind.
    pub operations: BTreeMap<String, u64>,
    /// Contract errors no step produced.
    pub errors_not_seen: Vec<String>,
    pub divergences: Vec<Divergence>,
    /// For a merged campaign: each shard's own run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<ShardRun>,
}

fn verdict_name(verdict: Verdict) -> String {
    match verdict {
        Verdict::Accepted => "accepted".into(),
        Verdict::Rejected(Some(e)) => format!("rejected: {}", e.as_str()),
        Verdict::Reverted(Some(e)) => format!("reverted: {}", e.as_str()),
        Verdict::Rejected(None) => "rejected by the node (spent nonce)".into(),
        Verdict::Reverted(None) => "reverted by the token".into(),
    }
}

/// The error a nested execution the step set off was refused with (the
/// hooked token's), if it set one off.
fn nested_refusal(before: &super::Reference, after: &super::Reference) -> Option<ContractError> {
    let hooked = super::hooked_token_address();
    let result = after.model.ledger.hook_result(hooked);
    if result == before.model.ledger.hook_result(hooked) {
        return None;
    }
    ContractError::ALL.iter().copied().find(|e| e.felt() == result)
}

/// One job's share of a campaign.
#[derive(Default)]
struct Tally {
    startup: Duration,
    chain: super::ChainTimes,
    cases: u64,
    steps: u64,
    busy: Duration,
    devnet: Duration,
    verdicts: BTreeMap<String, u64>,
    operations: BTreeMap<String, u64>,
    divergences: Vec<Divergence>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.startup += other.startup;
        self.chain.add(other.chain);
        self.cases += other.cases;
        self.steps += other.steps;
        self.busy += other.busy;
        self.devnet += other.devnet;
        for (k, v) in other.verdicts {
            *self.verdicts.entry(k).or_default() += v;
        }
        for (k, v) in other.operations {
            *self.operations.entry(k).or_default() += v;
        }
        self.divergences.extend(other.divergences);
    }
}

/// The operations of case `case_seed`, generated as the test suite would.
fn generate(case_seed: u64, max_steps: usize) -> (super::Reference, Vec<super::Op>) {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&case_seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let tree = SessionFlows::sequential_strategy(1..=max_steps.max(1))
        .new_tree(&mut runner)
        .expect("generate a case");
    let (state, transitions, _) = tree.current();
    (state, transitions)
}

/// Runs one case on a fresh account of `chain`: the operations generated
/// for `case_seed`, replayed on the model of that account.
fn run_case(
    chain: &Chain,
    case_seed: u64,
    max_steps: usize,
    tally: &mut Tally,
    steps_done: &AtomicU64,
    divergences: &AtomicUsize,
    progress: &(dyn Fn(u64, usize) + Sync),
) {
    let started = Instant::now();
    let (init, transitions) = generate(case_seed, max_steps);
    let t = Instant::now();
    let mut state = chain.new_case(init.owner_key_id());
    tally.devnet += t.elapsed();
    tally.cases += 1;
    let mut done = Vec::new();
    for (step, op) in transitions.iter().enumerate() {
        let before = state.clone();
        state = SessionFlows::apply(state, op);
        done.push(format!("{op:?}"));
        let t = Instant::now();
        let outcome = chain.step(&before, &state, op);
        tally.devnet += t.elapsed();
        tally.steps += 1;
        *tally.operations.entry(op.kind().to_string()).or_default() += 1;
        *tally.verdicts.entry(verdict_name(state.expected.expect("judged"))).or_default() += 1;
        if let Some(refused) = nested_refusal(&before, &state) {
            *tally.verdicts.entry(format!("nested, refused: {}", refused.as_str())).or_default() +=
                1;
        }
        let total = steps_done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Err(message) = outcome {
            tally.divergences.push(Divergence {
                case_seed,
                step,
                operations: done.clone(),
                message,
            });
            progress(total, divergences.fetch_add(1, Ordering::Relaxed) + 1);
            break;
        }
        progress(total, divergences.load(Ordering::Relaxed));
    }
    // Each step read what it may change; the case's end reads everything.
    if tally.divergences.last().is_none_or(|d| d.case_seed != case_seed) {
        let t = Instant::now();
        let outcome = chain.check(&state);
        tally.devnet += t.elapsed();
        if let Err(message) = outcome {
            let step = transitions.len();
            tally.divergences.push(Divergence { case_seed, step, operations: done, message });
            progress(
                steps_done.load(Ordering::Relaxed),
                divergences.fetch_add(1, Ordering::Relaxed) + 1,
            );
        }
    }
    tally.busy += started.elapsed();
}

/// Runs `config.cases` seeded cases on `config.jobs` devnets; calls
/// `progress(steps_done, divergences)` after every step.
pub fn campaign(config: CampaignConfig, progress: impl Fn(u64, usize) + Sync) -> CampaignReport {
    let started = Instant::now();
    let counters = Counters::default();
    let total = Mutex::new(Tally::default());
    let jobs = config.jobs.max(1);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let tally = run_job(config, &counters, &progress);
                total.lock().expect("no job panicked holding the tally").merge(tally);
            });
        }
    });
    let tally = total.into_inner().expect("tally");
    let seconds = started.elapsed().as_secs_f64();
    report(config, jobs, tally, seconds)
}

/// What a campaign's jobs share: how many of the shard's cases were taken
/// (the n-th is the campaign's case `K - 1 + n * N`), and the steps done
/// and divergences found so far (what `progress` is told).
#[derive(Default)]
struct Counters {
    next_case: AtomicU64,
    steps_done: AtomicU64,
    divergences: AtomicUsize,
}

/// One job: takes the next case until none is left, each on a fresh
/// account of one long-lived devnet; a panic fails its case and the job
/// goes on with a fresh devnet. The job's tally.
fn run_job(
    config: CampaignConfig,
    counters: &Counters,
    progress: &(dyn Fn(u64, usize) + Sync),
) -> Tally {
    let mut tally = Tally::default();
    // One long-lived devnet per job; each case on a fresh account.
    let mut chain: Option<Chain> = None;
    let mut times = super::ChainTimes::default();
    loop {
        // The shard's n-th case is the campaign's case K - 1 + n * N.
        if config.fail_fast && counters.divergences.load(Ordering::Relaxed) > 0 {
            break;
        }
        let nth = counters.next_case.fetch_add(1, Ordering::Relaxed);
        let case = (config.shard.index - 1).saturating_add(nth.saturating_mul(config.shard.count));
        if case >= config.cases {
            break;
        }
        let case_seed = config.seed.wrapping_add(case);
        // A panic (a devnet or RPC failure, not a verdict) fails its case,
        // is reported, and the job goes on with a fresh devnet.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let current = chain.get_or_insert_with(|| {
                let t = Instant::now();
                let started = Chain::start_with(config.blocks);
                tally.startup += t.elapsed();
                tally.busy += t.elapsed();
                tally.devnet += t.elapsed();
                started
            });
            run_case(
                current,
                case_seed,
                config.max_steps,
                &mut tally,
                &counters.steps_done,
                &counters.divergences,
                progress,
            );
        }));
        if let Err(panic) = outcome {
            case_failed(&mut tally, case_seed, panic, counters, progress);
            if let Some(broken) = chain.take() {
                times.add(broken.times());
            }
        }
    }
    if let Some(chain) = chain {
        times.add(chain.times());
    }
    tally.chain = times;
    tally
}

/// Records the case `case_seed`, which panicked with `panic`, as a
/// divergence, and tells `progress`.
fn case_failed(
    tally: &mut Tally,
    case_seed: u64,
    panic: Box<dyn std::any::Any + Send>,
    counters: &Counters,
    progress: &(dyn Fn(u64, usize) + Sync),
) {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into());
    tally.divergences.push(Divergence {
        case_seed,
        step: 0,
        operations: vec![],
        message: format!("the case failed: {message}"),
    });
    progress(
        counters.steps_done.load(Ordering::Relaxed),
        counters.divergences.fetch_add(1, Ordering::Relaxed) + 1,
    );
}

/// The report of a campaign of `jobs` jobs whose merged tally is `tally`,
/// which took `seconds`.
fn report(config: CampaignConfig, jobs: usize, tally: Tally, seconds: f64) -> CampaignReport {
    let busy = tally.busy.as_secs_f64();
    let devnet = tally.devnet.as_secs_f64();
    let seen: Vec<&String> = tally.verdicts.keys().collect();
    let errors_not_seen = ContractError::ALL
        .iter()
        .map(|e| e.as_str().to_string())
        .filter(|e| !seen.iter().any(|v| v.ends_with(&format!(": {e}"))))
        .collect();
    let breakdown_seconds = BTreeMap::from([
        (Phase::Startup.name().to_string(), tally.startup.as_secs_f64()),
        (Phase::Cases.name().to_string(), tally.chain.cases.as_secs_f64()),
        (Phase::Resets.name().to_string(), tally.chain.resets.as_secs_f64()),
        (Phase::TimeMoves.name().to_string(), tally.chain.set_time.as_secs_f64()),
        (Phase::Transactions.name().to_string(), tally.chain.transactions.as_secs_f64()),
        (Phase::Checks.name().to_string(), tally.chain.checks.as_secs_f64()),
        (Phase::Harness.name().to_string(), (busy - devnet).max(0.0)),
    ]);
    let mut divergences = tally.divergences;
    divergences.sort_by_key(|d| d.case_seed);
    CampaignReport {
        seed: config.seed,
        max_steps: config.max_steps,
        jobs,
        blocks: config.blocks,
        cases: tally.cases,
        campaign_cases: config.cases,
        shard: (config.shard != Shard::WHOLE).then_some(config.shard),
        steps: tally.steps,
        seconds,
        steps_per_second: tally.steps as f64 / seconds.max(1e-9),
        devnet_seconds: devnet,
        harness_seconds: (busy - devnet).max(0.0),
        devnet_share: devnet / busy.max(1e-9),
        transactions: tally.chain.sent,
        transactions_per_second: tally.chain.sent as f64 / seconds.max(1e-9),
        breakdown_seconds,
        verdicts: tally.verdicts,
        operations: tally.operations,
        errors_not_seen,
        divergences,
        shards: vec![],
    }
}

fn per_transaction() -> Blocks {
    Blocks::PerTransaction
}
