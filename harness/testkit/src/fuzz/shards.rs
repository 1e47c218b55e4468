//! Campaigns over many machines. `fuzz --shard K/N` runs a deterministic
//! slice of a campaign: of its cases (case `i` has seed `seed + i`), those
//! with `i mod N = K - 1`, so shards of a campaign never run the same case
//! and together run all of them, whatever machine runs each. [`merge`]
//! combines the shards' reports into the report of the whole campaign: the
//! same cases, steps, verdicts, operations and divergences as one
//! unsharded run over the same seeds, with each shard's throughput.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::campaign::CampaignReport;

/// Shard `index` (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u64,
    /// How many shards the campaign is cut into.
    pub count: u64,
}

impl Shard {
    /// The whole campaign, unsharded.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Whether case `case` (counted from 0) of the campaign is this shard's.
    pub fn owns(self, case: u64) -> bool {
        case % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N`, with `1 <= K <= N`.
    fn from_str(text: &str) -> Result<Self, String> {
        let usage = || format!("{text:?} is not a shard: write K/N with 1 <= K <= N, e.g. 2/4");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: u64 = index.trim().parse().map_err(|_| usage())?;
        let count: u64 = count.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// One shard's run, as the merged report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRun {
    /// Which shard.
    pub shard: Shard,
    /// Devnets it ran on.
    pub jobs: usize,
    /// Cases it ran.
    pub cases: u64,
    /// Steps it ran.
    pub steps: u64,
    /// Its wall time.
    pub seconds: f64,
    /// Its steps per second.
    pub steps_per_second: f64,
    /// Divergent cases it found.
    pub divergences: usize,
}

/// Why shard reports cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no reports to merge")]
    Empty,
    /// A report was written without `--shard`.
    #[error("report {0} is not a shard's (it was written without --shard)")]
    NotAShard(usize),
    /// A report is of another campaign (seed, steps, cases or shard count).
    #[error("report {index} is of another campaign: {what}")]
    OtherCampaign {
        /// The report's position among those given (from 1).
        index: usize,
        /// What differs from the first report.
        what: String,
    },
    /// The same shard was given twice.
    #[error("shard {0} is given twice")]
    Duplicate(Shard),
    /// Some shards are missing: the merge would not be the whole campaign.
    #[error("shards {missing} of {count} are missing: merge every shard of the campaign")]
    Missing {
        /// The missing shards' indexes.
        missing: String,
        /// The campaign's shard count.
        count: u64,
    },
}

/// The report of the whole campaign whose shards reported `reports`
/// (in any order): cases, steps, transactions, verdicts, operations and the
/// time per phase summed; the errors no shard produced; every divergence
/// (with the seed that replays it); the wall time of the slowest shard,
/// since shards run side by side; and each shard's own run.
pub fn merge(reports: Vec<CampaignReport>) -> Result<CampaignReport, MergeError> {
    let first = reports.first().ok_or(MergeError::Empty)?;
    let count = first.shard.ok_or(MergeError::NotAShard(1))?.count;
    let mut seen = BTreeSet::new();
    for (i, report) in reports.iter().enumerate() {
        let shard = report.shard.ok_or(MergeError::NotAShard(i + 1))?;
        let differs = |what: &str| MergeError::OtherCampaign { index: i + 1, what: what.into() };
        if report.seed != first.seed {
            return Err(differs(&format!("seed {} vs {}", report.seed, first.seed)));
        }
        if report.max_steps != first.max_steps {
            return Err(differs(&format!("--steps {} vs {}", report.max_steps, first.max_steps)));
        }
        if report.campaign_cases != first.campaign_cases {
            return Err(differs(&format!(
                "--cases {} vs {}",
                report.campaign_cases, first.campaign_cases
            )));
        }
        if shard.count != count {
            return Err(differs(&format!("{} shards vs {count}", shard.count)));
        }
        if !seen.insert(shard.index) {
            return Err(MergeError::Duplicate(shard));
        }
    }
    let missing: Vec<String> =
        (1..=count).filter(|k| !seen.contains(k)).map(|k| k.to_string()).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing: missing.join(", "), count });
    }
    Ok(combine(reports))
}

/// The sums, unions and intersections of [`merge`], of checked shards.
fn combine(mut reports: Vec<CampaignReport>) -> CampaignReport {
    reports.sort_by_key(|r| r.shard);
    let sum = |f: fn(&CampaignReport) -> u64| reports.iter().map(f).sum::<u64>();
    let seconds = reports.iter().map(|r| r.seconds).fold(0.0, f64::max);
    let devnet_seconds: f64 = reports.iter().map(|r| r.devnet_seconds).sum();
    let harness_seconds: f64 = reports.iter().map(|r| r.harness_seconds).sum();
    let (steps, transactions) = (sum(|r| r.steps), sum(|r| r.transactions));
    let mut breakdown_seconds = BTreeMap::new();
    let mut verdicts = BTreeMap::new();
    let mut operations = BTreeMap::new();
    for r in &reports {
        for (k, v) in &r.breakdown_seconds {
            *breakdown_seconds.entry(k.clone()).or_insert(0.0) += v;
        }
        for (k, v) in &r.verdicts {
            *verdicts.entry(k.clone()).or_insert(0) += v;
        }
        for (k, v) in &r.operations {
            *operations.entry(k.clone()).or_insert(0) += v;
        }
    }
    let errors_not_seen = reports[0]
        .errors_not_seen
        .iter()
        .filter(|e| reports.iter().all(|r| r.errors_not_seen.contains(e)))
        .cloned()
        .collect();
    let mut divergences: Vec<_> = reports.iter().flat_map(|r| r.divergences.clone()).collect();
    divergences.sort_by_key(|d| d.case_seed);
    let shards = reports
        .iter()
        .map(|r| ShardRun {
            shard: r.shard.expect("checked"),
            jobs: r.jobs,
            cases: r.cases,
            steps: r.steps,
            seconds: r.seconds,
            steps_per_second: r.steps_per_second,
            divergences: r.divergences.len(),
        })
        .collect();
    CampaignReport {
        seed: reports[0].seed,
        max_steps: reports[0].max_steps,
        jobs: reports.iter().map(|r| r.jobs).sum(),
        blocks: reports[0].blocks,
        cases: sum(|r| r.cases),
        campaign_cases: reports[0].campaign_cases,
        shard: None,
        steps,
        seconds,
        steps_per_second: steps as f64 / seconds.max(1e-9),
        devnet_seconds,
        harness_seconds,
        devnet_share: devnet_seconds / (devnet_seconds + harness_seconds).max(1e-9),
        transactions,
        transactions_per_second: transactions as f64 / seconds.max(1e-9),
        breakdown_seconds,
        verdicts,
        operations,
        errors_not_seen,
        divergences,
        shards,
    }
}
