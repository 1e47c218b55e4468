//! `mutants`: the mutation campaign. Applies each mutant of
//! `contracts/mutants.toml` to a scratch copy of the Cairo workspace, builds
//! the class, and runs snforge, the attack corpus and a seeded fuzz
//! campaign against it; reports which layer killed each mutant. `--shard
//! K/N` runs a slice, `mutants merge` combines the reports of shards and of
//! passes over some layers. Needs
//! scarb and snforge (.tool-versions).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use session_account_testkit::fuzz::Shard;
use session_account_testkit::mutants::{
    self, FuzzSettings, Layer, MergePart, MutantsConfig, MutantsReport, Outcome,
};

use crate::output::{read_report, write_report, Output, Response};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<MutantsCommand>,
    /// Only these mutants (by name; repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Only the smoke mutants, one per section of the spec (what the
    /// end-to-end suite runs).
    #[arg(long)]
    smoke: bool,
    /// Run only shard K of N of the catalogue (mutant i when i mod N = K - 1).
    #[arg(long, conflicts_with_all = ["only", "smoke"])]
    shard: Option<Shard>,
    /// The layers each mutant faces.
    #[arg(long, value_delimiter = ',', default_value = "snforge,corpus,fuzzer")]
    layers: Vec<Layer>,
    /// Cases of each mutant's fuzz campaign (it stops at the first divergence).
    #[arg(long, default_value_t = 150)]
    fuzz_cases: u64,
    /// Most steps per case.
    #[arg(long, default_value_t = 30)]
    fuzz_steps: usize,
    /// Case i of the campaign uses seed + i.
    #[arg(long, default_value_t = 1)]
    fuzz_seed: u64,
    /// Devnets running the campaign's cases at the same time (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// The repository whose contracts are mutated (default: the current folder).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Where the scratch copy of the Cairo workspace goes (emptied first;
    /// default: the repository's target/mutants/workspace).
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// Also write the JSON report to this file (rewritten after each mutant).
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum MutantsCommand {
    /// Combine reports that each ran a slice of the campaign into the
    /// report of the whole: shards (`mutants --shard K/N --report F`) and
    /// passes over some layers (`--layers`). Each mutant's run of each
    /// layer must come from exactly one report.
    Merge {
        /// The reports, in any order; `FILE:LAYER,...` takes only those
        /// layers from FILE (e.g. `shard-1.json:snforge e2e.json`).
        #[arg(required = true)]
        reports: Vec<MergeInput>,
        /// A re-run's report (e.g. `mutants --only NAME` after a test was
        /// added): its runs replace those the other reports give for the
        /// same mutant and layer. Repeatable; `FILE:LAYER,...` works too.
        #[arg(long)]
        rerun: Vec<MergeInput>,
        /// Also write the merged report to this file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

/// A report to merge: `FILE`, or `FILE:LAYER,...` for only those layers.
#[derive(Debug, Clone)]
struct MergeInput {
    path: PathBuf,
    layers: Option<Vec<Layer>>,
}

impl std::str::FromStr for MergeInput {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        // A suffix that is not a list of layers belongs to the path.
        if let Some((path, list)) = s.rsplit_once(':') {
            let layers: Result<Vec<Layer>, String> = list.split(',').map(str::parse).collect();
            if let Ok(layers) = layers {
                return Ok(MergeInput { path: path.into(), layers: Some(layers) });
            }
        }
        Ok(MergeInput { path: s.into(), layers: None })
    }
}

/// The report, shown as a table.
#[derive(serde::Serialize)]
#[serde(transparent)]
pub struct Campaign(MutantsReport);

impl Response for Campaign {
    fn text(&self) -> String {
        let report = &self.0;
        let mut text = String::new();
        for m in &report.mutants {
            let marks: Vec<String> = (m.layers.iter())
                .map(|l| format!("{}:{}", l.layer.name(), if l.killed { "killed" } else { "-" }))
                .collect();
            text.push_str(&format!(
                "{:<18} §{:<5} {:<44} {} ({:.0} s)\n",
                outcome_name(m.outcome),
                m.section,
                m.name,
                marks.join(" "),
                m.seconds
            ));
        }
        let k = &report.kills;
        let of = |n: usize| format!("{n}/{}", k.mutants);
        let ran = |layer: Layer| report.layers.contains(&layer);
        let mut killed: Vec<String> =
            [(Layer::Snforge, k.snforge), (Layer::Corpus, k.corpus), (Layer::Fuzzer, k.fuzzer)]
                .into_iter()
                .filter(|(layer, _)| ran(*layer))
                .map(|(layer, n)| format!("{} {}", layer.name(), of(n)))
                .collect();
        if ran(Layer::Corpus) || ran(Layer::Fuzzer) {
            killed.push(format!("end to end (corpus or fuzzer) {}", of(k.end_to_end)));
        }
        killed.push(format!("any layer {}", of(k.any)));
        text.push_str(&format!(
            "\n{} mutants of {} in the catalogue; killed by {}; argued equivalent {}",
            report.mutants.len(),
            report.catalogue_size,
            killed.join(", "),
            k.argued_equivalent
        ));
        if !k.survivors.is_empty() {
            text.push_str(&format!("\nsurvivors: {}", k.survivors.join(", ")));
        }
        if !k.missed_end_to_end.is_empty() {
            text.push_str(&format!("\nkilled by snforge only: {}", k.missed_end_to_end.join(", ")));
        }
        text.push_str(&format!(
            "\n{:.0} s in all, {:.0} s per mutant",
            report.seconds, report.seconds_per_mutant
        ));
        if let Some(shard) = report.shard {
            text.push_str(&format!("\nshard {shard} (merge the shards with `mutants merge`)"));
        }
        text
    }

    /// Failure when a mutant survived unargued or a mutant is broken.
    fn exit_code(&self) -> ExitCode {
        let bad = self
            .0
            .mutants
            .iter()
            .any(|m| matches!(m.outcome, Outcome::Survived | Outcome::DoesNotCompile));
        if bad {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Killed => "killed",
        Outcome::Survived => "SURVIVED",
        Outcome::ArguedEquivalent => "argued equivalent",
        Outcome::FoldedAway => "folded away",
        Outcome::DoesNotCompile => "DOES NOT COMPILE",
    }
}

pub fn run(args: Args, out: &Output) -> anyhow::Result<ExitCode> {
    if let Some(MutantsCommand::Merge { reports, rerun, report }) = args.command {
        let inputs = reports.iter().map(|i| (i, false)).chain(rerun.iter().map(|i| (i, true)));
        let parts = inputs
            .map(|(input, rerun)| {
                let report = read_report(&input.path, WHAT)?;
                Ok(MergePart { report, layers: input.layers.clone(), rerun })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let merged = mutants::merge(parts)?;
        if let Some(path) = &report {
            write_report(path, &merged)?;
        }
        return Ok(out.render(&Campaign(merged)));
    }
    let repo = std::fs::canonicalize(&args.repo)
        .with_context(|| format!("no repository at {}", args.repo.display()))?;
    if !repo.join(mutants::catalogue::CATALOGUE).is_file() {
        anyhow::bail!(
            "{} has no {}: run `mutants` from the session-account repository or pass --repo",
            repo.display(),
            mutants::catalogue::CATALOGUE
        );
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let config = MutantsConfig {
        scratch: args.scratch.unwrap_or_else(|| repo.join("target/mutants/workspace")),
        repo,
        cli: std::env::current_exe().context("locating the session-account binary")?,
        layers: args.layers,
        fuzz: FuzzSettings {
            cases: args.fuzz_cases,
            steps: args.fuzz_steps,
            seed: args.fuzz_seed,
            jobs,
        },
        shard: args.shard.unwrap_or(Shard::WHOLE),
        only: args.only,
        smoke: args.smoke,
    };
    let progress = out.progress();
    // The report file is rewritten after every mutant, so a stopped
    // campaign keeps what it found.
    let mut unwritten = None;
    let report = mutants::run(
        &config,
        |message| progress.step(message),
        |so_far| {
            if let Some(path) = &args.report {
                if let Err(e) = write_report(path, so_far) {
                    unwritten.get_or_insert(e);
                }
            }
        },
    )?;
    drop(progress);
    if let Some(e) = unwritten {
        return Err(e);
    }
    if let Some(path) = &args.report {
        write_report(path, &report)?;
    }
    Ok(out.render(&Campaign(report)))
}

const WHAT: &str = "a mutants report (written by `mutants --report`)";
