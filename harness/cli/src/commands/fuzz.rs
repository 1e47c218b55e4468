//! `fuzz`: fuzz session flows against the reference model on embedded
//! devnets (a seeded campaign, one shard of it, or the replay of a report's
//! divergent cases), run the adversarial corpus, or merge the reports of a
//! campaign's shards (`fuzz merge`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;
use session_account_testkit::fuzz::{self, corpus, Blocks, CampaignConfig, CampaignReport, Shard};

use crate::output::{read_report, write_report, Output, Progress, Response};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<FuzzCommand>,
    /// Number of cases (each on a freshly set-up account).
    #[arg(long, default_value_t = 100)]
    cases: u64,
    /// Most operations per case.
    #[arg(long, default_value_t = 30)]
    steps: usize,
    /// Case i uses seed + i; replay a divergent case with its seed and --cases 1.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Devnets running cases at the same time (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Also write the JSON report to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Run only shard K of N of the campaign (case i when i mod N = K - 1),
    /// to spread a campaign over machines; `fuzz merge` combines the
    /// shards' reports.
    #[arg(long)]
    shard: Option<Shard>,
    /// How each devnet makes blocks: `on-demand` (a block only when the
    /// model's clock moves, or after 16 transactions) or `per-transaction`
    /// (devnet's default, and a block at the model's time before each
    /// transaction: slower, for comparison).
    #[arg(long, default_value = "on-demand", value_name = "MODE")]
    blocks: Blocks,
    /// Replay the divergent cases of a saved report instead.
    #[arg(long, conflicts_with_all = ["cases", "seed", "steps", "report", "shard"])]
    replay: Option<PathBuf>,
    /// Run the adversarial corpus (named attacks) instead.
    #[arg(long, conflicts_with_all = ["cases", "seed", "steps", "replay", "jobs", "report", "shard"])]
    corpus: bool,
    /// Stop at the first divergence (or failed attack) instead of running
    /// the whole campaign (or corpus): what `mutants` asks for.
    #[arg(long)]
    fail_fast: bool,
    /// Test this build of the session account (Sierra JSON as scarb writes
    /// it) instead of the embedded class: how `mutants` runs the corpus and
    /// a campaign against a mutated contract.
    #[arg(long, value_name = "CLASS_JSON")]
    account_class: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum FuzzCommand {
    /// Combine the reports of every shard of a campaign (`fuzz --shard K/N
    /// --report F`) into the report of the whole campaign.
    Merge {
        /// The shards' reports, one per shard, in any order.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Also write the merged report to this file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

/// What a fuzz run found.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Fuzzed {
    Campaign(Box<CampaignReport>),
    /// One campaign per divergent case replayed.
    Replay(Vec<CampaignReport>),
    Corpus(Vec<AttackOutcome>),
}

/// One attack of the corpus, run against the chain and the model.
#[derive(Serialize)]
pub struct AttackOutcome {
    attack: &'static str,
    what: &'static str,
    refused: String,
    ok: bool,
    failure: Option<String>,
}

impl Response for Fuzzed {
    fn text(&self) -> String {
        match self {
            Fuzzed::Campaign(report) => campaign_text(report),
            Fuzzed::Replay(reports) => {
                reports.iter().map(campaign_text).collect::<Vec<_>>().join("\n\n")
            }
            Fuzzed::Corpus(outcomes) => {
                let mut text = String::new();
                for o in outcomes {
                    match &o.failure {
                        None => text.push_str(&format!("refused  {:<36} {}\n", o.attack, o.what)),
                        Some(f) => text.push_str(&format!("FAILED   {:<36} {f}\n", o.attack)),
                    }
                }
                let failed = outcomes.iter().filter(|o| !o.ok).count();
                text.push_str(&format!(
                    "{} attacks, {} refused as the model predicts, {failed} failed",
                    outcomes.len(),
                    outcomes.len() - failed
                ));
                text
            }
        }
    }

    fn exit_code(&self) -> ExitCode {
        let failed = match self {
            Fuzzed::Campaign(report) => !report.divergences.is_empty(),
            Fuzzed::Replay(reports) => reports.iter().any(|r| !r.divergences.is_empty()),
            Fuzzed::Corpus(outcomes) => outcomes.iter().any(|o| !o.ok),
        };
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn campaign_text(report: &CampaignReport) -> String {
    let mut text = format!(
        "{} cases, {} steps in {:.1} s on {} devnets ({:.1} steps/s; \
         {:.0}% of the time waiting on devnet), seed {}\n{} divergences",
        report.cases,
        report.steps,
        report.seconds,
        report.jobs,
        report.steps_per_second,
        100.0 * report.devnet_share,
        report.seed,
        report.divergences.len()
    );
    if let Some(shard) = report.shard {
        text.push_str(&format!(
            "\nshard {shard} of a {}-case campaign (merge the shards with `fuzz merge`)",
            report.campaign_cases
        ));
    }
    for run in &report.shards {
        text.push_str(&format!(
            "\n  shard {}: {} cases, {} steps in {:.1} s on {} devnets ({:.1} steps/s), \
             {} divergences",
            run.shard,
            run.cases,
            run.steps,
            run.seconds,
            run.jobs,
            run.steps_per_second,
            run.divergences
        ));
    }
    for d in &report.divergences {
        text.push_str(&format!(
            "\n  case seed {} step {}: {}\n    \
             replay: session-account fuzz --cases 1 --seed {} --steps {}",
            d.case_seed, d.step, d.message, d.case_seed, report.max_steps
        ));
    }
    text.push_str("\nverdicts:");
    for (name, count) in &report.verdicts {
        text.push_str(&format!("\n  {count:>7}  {name}"));
    }
    text.push_str("\noperations:");
    for (name, count) in &report.operations {
        text.push_str(&format!("\n  {count:>7}  {name}"));
    }
    if !report.errors_not_seen.is_empty() {
        text.push_str(&format!("\nerrors no step produced: {}", report.errors_not_seen.join(", ")));
    }
    text
}

pub fn run(args: Args, out: &Output) -> anyhow::Result<ExitCode> {
    let progress = out.progress();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    if let Some(path) = &args.account_class {
        let class_hash = session_account_testkit::classes::use_account_class(path)?;
        progress.step(&format!("testing the account class {class_hash:#x} of {}", path.display()));
    }
    let fuzzed = if let Some(FuzzCommand::Merge { reports, report }) = args.command {
        let shards =
            reports.iter().map(|p| read_report(p, WHAT)).collect::<anyhow::Result<Vec<_>>>()?;
        let merged = fuzz::merge(shards)?;
        if let Some(path) = &report {
            write_report(path, &merged)?;
        }
        Fuzzed::Campaign(Box::new(merged))
    } else if args.corpus {
        Fuzzed::Corpus(run_corpus(&progress, args.fail_fast)?)
    } else if let Some(path) = &args.replay {
        let saved = divergent_report(path)?;
        let replays = saved.divergences.iter().map(|d| CampaignConfig {
            cases: 1,
            max_steps: saved.max_steps,
            seed: d.case_seed,
            jobs: 1,
            shard: Shard::WHOLE,
            fail_fast: false,
            blocks: args.blocks,
        });
        Fuzzed::Replay(
            replays.map(|config| run_campaign(&progress, config)).collect::<anyhow::Result<_>>()?,
        )
    } else {
        let config = CampaignConfig {
            cases: args.cases,
            max_steps: args.steps,
            seed: args.seed,
            jobs,
            shard: args.shard.unwrap_or(Shard::WHOLE),
            fail_fast: args.fail_fast,
            blocks: args.blocks,
        };
        let report = run_campaign(&progress, config)?;
        if let Some(path) = &args.report {
            write_report(path, &report)?;
        }
        Fuzzed::Campaign(Box::new(report))
    };
    drop(progress);
    Ok(out.render(&fuzzed))
}

const WHAT: &str = "a fuzz report (written by `fuzz --report`)";

/// A report `fuzz --report` wrote, with divergences to replay.
fn divergent_report(path: &Path) -> anyhow::Result<CampaignReport> {
    let saved: CampaignReport = read_report(path, WHAT)?;
    if saved.divergences.is_empty() {
        anyhow::bail!("{} records no divergence to replay", path.display());
    }
    Ok(saved)
}

/// One campaign, with a progress line every 50 steps.
fn run_campaign(progress: &Progress, config: CampaignConfig) -> anyhow::Result<CampaignReport> {
    let started = Instant::now();
    // The campaign runs its own devnet runtimes: keep it off this one.
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                fuzz::campaign(config, |done, divergences| {
                    if done % 50 == 0 {
                        let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
                        progress.step(&format!(
                            "{done} steps, {rate:.1} steps/s, {divergences} divergences"
                        ));
                    }
                })
            })
            .join()
    })
    .map_err(|_| anyhow::anyhow!("the fuzz campaign panicked"))
}

/// Every attack of the corpus; a devnet failure fails its attack only.
fn run_corpus(progress: &Progress, fail_fast: bool) -> anyhow::Result<Vec<AttackOutcome>> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // One devnet for the whole corpus, each attack on a fresh
                // account of it (as the fuzzer's cases); a panic (a devnet
                // failure, not a verdict) fails the attack and the next one
                // starts on a fresh devnet.
                let mut chain: Option<fuzz::Chain> = None;
                let mut outcomes = Vec::new();
                for attack in corpus::attacks() {
                    progress.step(&format!("attack {}", attack.name));
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        corpus::run_on(chain.get_or_insert_with(fuzz::Chain::start), &attack)
                            .map(|_| ())
                    }))
                    .unwrap_or_else(|_| {
                        chain = None;
                        Err(format!("{}: the run panicked (see stderr)", attack.name))
                    });
                    let failed = result.is_err();
                    outcomes.push(AttackOutcome {
                        attack: attack.name,
                        what: attack.what,
                        refused: format!("{:?}", attack.refused),
                        ok: result.is_ok(),
                        failure: result.err(),
                    });
                    if failed && fail_fast {
                        break;
                    }
                }
                outcomes
            })
            .join()
    })
    .map_err(|_| anyhow::anyhow!("the corpus run panicked"))
}
