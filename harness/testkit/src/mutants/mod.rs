//! The mutation campaign: does the suite notice when a rule of the
//! contract is wrong? Each mutant of the catalogue
//! ([`catalogue`], `contracts/mutants.toml`) is one small edit of one rule
//! of `contracts/src`. For each, in a scratch copy of the Cairo workspace
//! ([`scratch`]), the campaign builds the class and runs the layers
//! ([`layers`]): `snforge test`, then, against the mutated class on an
//! embedded devnet, the attack corpus and a short seeded fuzz campaign.
//! The report ([`report`]) records which layer killed each mutant (by which
//! test, attack or fuzz step), the kill rate per layer and the time per
//! mutant; `--shard K/N` takes mutant `i` when `i mod N = K - 1`, and
//! [`merge`] combines the reports of shards (some mutants), passes (some
//! layers) and re-runs into the report of the whole campaign.

pub mod catalogue;
pub mod layers;
pub mod merge;
pub mod report;
pub mod scratch;

use std::path::PathBuf;
use std::time::Instant;

pub use catalogue::{CatalogueError, Mutant};
pub use layers::{FuzzSettings, Layer, LayerError, LayerRun};
pub use merge::{merge, MergeError, MergePart};
pub use report::{KillRates, MutantRun, MutantsReport, Outcome};
pub use scratch::{Built, Scratch, ScratchError};

use crate::fuzz::Shard;

/// What to run.
#[derive(Debug, Clone)]
pub struct MutantsConfig {
    /// The repository (its `contracts/` and the catalogue).
    pub repo: PathBuf,
    /// Where the scratch copy of the workspace goes (emptied first).
    pub scratch: PathBuf,
    /// The `session-account` binary the end-to-end layers run.
    pub cli: PathBuf,
    /// The layers each mutant faces, in order.
    pub layers: Vec<Layer>,
    pub fuzz: FuzzSettings,
    /// The slice of the catalogue this run takes.
    pub shard: Shard,
    /// Only these mutants (by name), when not empty.
    pub only: Vec<String>,
    /// Only the smoke mutants (one per spec section).
    pub smoke: bool,
}

/// What stopped a campaign (not a verdict on a mutant).
#[derive(Debug, thiserror::Error)]
pub enum MutantsError {
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error(transparent)]
    Scratch(#[from] ScratchError),
    #[error("mutant {name}: {source}")]
    Layer { name: String, source: LayerError },
}

/// Runs the catalogue's mutants (this shard's, or those named) through
/// every layer; `progress` hears what is running and how each mutant ended,
/// and `so_far` gets the report of the mutants done after each one (a long
/// campaign keeps what it found if it is stopped).
pub fn run(
    config: &MutantsConfig,
    progress: impl Fn(&str),
    mut so_far: impl FnMut(&MutantsReport),
) -> Result<MutantsReport, MutantsError> {
    let started = Instant::now();
    let catalogue = catalogue::load(&config.repo)?;
    let size = catalogue.len();
    let whole = config.only.is_empty() && !config.smoke;
    catalogue::check_names(&catalogue, &config.only)?;
    let chosen: Vec<(usize, Mutant)> = (catalogue.into_iter().enumerate())
        .filter(|(i, m)| {
            if whole {
                config.shard.owns(*i as u64)
            } else {
                config.only.contains(&m.name) || (config.smoke && m.smoke)
            }
        })
        .collect();
    progress("building the unmutated contract in a scratch copy");
    let scratch = Scratch::create(&config.repo, &config.scratch)?;
    let shard = (config.shard != Shard::WHOLE && whole).then_some(config.shard);
    let report = |runs: Vec<MutantRun>| {
        let seconds = started.elapsed().as_secs_f64();
        MutantsReport::new(size, config.layers.clone(), config.fuzz, shard, runs, seconds)
    };
    let mut runs = Vec::new();
    for (n, (index, mutant)) in chosen.iter().enumerate() {
        let (name, section) = (&mutant.name, &mutant.section);
        progress(&format!("mutant {}/{}: {name} (§{section})", n + 1, chosen.len()));
        let run = run_one(config, &scratch, *index, mutant, &progress);
        scratch.restore(&config.repo, mutant)?;
        let run = run?;
        progress(&format!("  {name}: {}", summary(&run)));
        runs.push(run);
        so_far(&report(runs.clone()));
    }
    Ok(report(runs))
}

/// How a mutant ended, in a line.
fn summary(run: &MutantRun) -> String {
    let killers: Vec<&str> =
        run.layers.iter().filter(|l| l.killed).map(|l| l.layer.name()).collect();
    match run.outcome {
        Outcome::Killed => format!("killed by {} ({:.0} s)", killers.join(", "), run.seconds),
        Outcome::Survived => format!("SURVIVED ({:.0} s)", run.seconds),
        Outcome::ArguedEquivalent => "not killed, argued equivalent".to_string(),
        Outcome::FoldedAway => "folded away by the compiler".to_string(),
        Outcome::DoesNotCompile => "DOES NOT COMPILE".to_string(),
    }
}

/// One mutant: build it, then every layer in turn (each runs even when an
/// earlier one killed it, so the report gives each layer's own kill rate).
fn run_one(
    config: &MutantsConfig,
    scratch: &Scratch,
    index: usize,
    mutant: &Mutant,
    progress: &impl Fn(&str),
) -> Result<MutantRun, MutantsError> {
    let started = Instant::now();
    let built = scratch.mutate(mutant)?;
    let build_seconds = started.elapsed().as_secs_f64();
    let class = match built {
        Built::Class(class) => class,
        Built::Identical => {
            let mut run = MutantRun::of(index, mutant, Outcome::FoldedAway);
            run.build_seconds = build_seconds;
            run.seconds = build_seconds;
            return Ok(run);
        }
        Built::DoesNotCompile(error) => {
            let mut run = MutantRun::of(index, mutant, Outcome::DoesNotCompile);
            run.build_error = Some(error);
            run.build_seconds = build_seconds;
            run.seconds = build_seconds;
            return Ok(run);
        }
    };
    let layer_error = |source| MutantsError::Layer { name: mutant.name.clone(), source };
    let mut layers = Vec::new();
    for &layer in &config.layers {
        progress(&format!("  {}: {}", mutant.name, layer.name()));
        let run = match layer {
            Layer::Snforge => {
                let (failed, took) = scratch.snforge()?;
                LayerRun {
                    layer,
                    killed: failed.is_some(),
                    by: failed,
                    seconds: took.as_secs_f64(),
                }
            }
            Layer::Corpus => layers::corpus(&config.cli, &class).map_err(layer_error)?,
            Layer::Fuzzer => {
                layers::fuzzer(&config.cli, &class, config.fuzz).map_err(layer_error)?
            }
        };
        layers.push(run);
    }
    let killed = layers.iter().any(|l| l.killed);
    let outcome = match (killed, &mutant.equivalent) {
        (true, _) => Outcome::Killed,
        (false, Some(_)) => Outcome::ArguedEquivalent,
        (false, None) => Outcome::Survived,
    };
    let mut run = MutantRun::of(index, mutant, outcome);
    run.layers = layers;
    run.equivalent = mutant.equivalent.clone();
    run.build_seconds = build_seconds;
    run.seconds = started.elapsed().as_secs_f64();
    Ok(run)
}
