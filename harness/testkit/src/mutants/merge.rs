//! Merging reports that each ran a slice of a mutation campaign: shards
//! (some mutants), passes (some layers) and re-runs (`mutants merge`).

use super::layers::Layer;
use super::report::{MutantRun, MutantsReport, Outcome, ShardTime};

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    #[error("no reports to merge")]
    Empty,
    #[error("the reports come from different campaigns ({0} differs)")]
    OtherCampaign(&'static str),
    #[error("report {report} did not run the {layer} layer", layer = layer.name())]
    LayerNotRun { report: usize, layer: Layer },
    #[error(
        "mutant {mutant}'s {layer} run is in two reports: take that layer from one \
         (FILE:LAYERS)",
        layer = layer.name()
    )]
    Twice { mutant: String, layer: Layer },
    #[error("mutant {0} of the catalogue is in no report: is a shard missing?")]
    MissingMutant(usize),
    #[error("no report has mutant {mutant}'s {layer} run", layer = layer.name())]
    MissingLayer { mutant: String, layer: Layer },
}

/// A report, and the layers a merge takes from it (`None`: all it ran).
#[derive(Debug, Clone)]
pub struct MergePart {
    pub report: MutantsReport,
    pub layers: Option<Vec<Layer>>,
    /// A re-run (of some mutants, after a test was added): its runs
    /// replace those the other reports give for the same mutant and layer.
    pub rerun: bool,
}

impl From<MutantsReport> for MergePart {
    fn from(report: MutantsReport) -> Self {
        MergePart { report, layers: None, rerun: false }
    }
}

/// The report of the whole campaign from reports that each ran a slice of
/// it: shards (some of the mutants, `mutants --shard K/N`) and passes
/// (some of the layers, `--layers`), such as the snforge layer of three
/// shards and a later re-run of the end-to-end layers after the corpus
/// learned more. Every mutant of the catalogue must come with each layer
/// exactly once, except that a re-run's runs replace the others'; a run's
/// outcome is judged again from the layers taken, and its time is what
/// they and its builds took.
pub fn merge(mut parts: Vec<MergePart>) -> Result<MutantsReport, MergeError> {
    // Re-runs last, so their runs replace the others'.
    parts.sort_by_key(|p| p.rerun);
    let first = parts.first().ok_or(MergeError::Empty)?;
    let size = first.report.catalogue_size;
    let mut fuzz = None;
    let mut layers: Vec<Layer> = Vec::new();
    let mut merged: Vec<Option<MutantRun>> = vec![None; size];
    let mut times = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let report = &part.report;
        if report.catalogue_size != size {
            return Err(MergeError::OtherCampaign("the catalogue"));
        }
        let taken = part.layers.clone().unwrap_or_else(|| report.layers.clone());
        if let Some(&layer) = taken.iter().find(|l| !report.layers.contains(l)) {
            return Err(MergeError::LayerNotRun { report: i, layer });
        }
        if taken.contains(&Layer::Fuzzer) {
            if fuzz.is_some_and(|f| f != report.fuzz) {
                return Err(MergeError::OtherCampaign("the fuzz settings"));
            }
            fuzz = Some(report.fuzz);
        }
        for &layer in &taken {
            if !layers.contains(&layer) {
                layers.push(layer);
            }
        }
        for run in &report.mutants {
            let slot =
                merged.get_mut(run.index).ok_or(MergeError::OtherCampaign("the catalogue"))?;
            take(slot, run, &taken, part.rerun)?;
        }
        let shard = report.shard;
        times.push(ShardTime {
            shard,
            layers: taken,
            mutants: report.mutants.len(),
            seconds: report.seconds,
        });
    }
    layers.sort();
    let mut runs = Vec::with_capacity(size);
    for (index, run) in merged.into_iter().enumerate() {
        let mut run = run.ok_or(MergeError::MissingMutant(index))?;
        if !matches!(run.outcome, Outcome::FoldedAway | Outcome::DoesNotCompile) {
            if let Some(&layer) = layers.iter().find(|&&l| !run.layers.iter().any(|r| r.layer == l))
            {
                return Err(MergeError::MissingLayer { mutant: run.name, layer });
            }
            run.layers.sort_by_key(|r| r.layer);
            let killed = run.layers.iter().any(|l| l.killed);
            run.outcome = match (killed, run.equivalent.is_some()) {
                (true, _) => Outcome::Killed,
                (false, true) => Outcome::ArguedEquivalent,
                (false, false) => Outcome::Survived,
            };
        }
        run.seconds = run.build_seconds + run.layers.iter().map(|l| l.seconds).sum::<f64>();
        runs.push(run);
    }
    let seconds = runs.iter().map(|r| r.seconds).sum();
    let fuzz = fuzz.unwrap_or(first.report.fuzz);
    let mut report = MutantsReport::new(size, layers, fuzz, None, runs, seconds);
    report.shards = times;
    Ok(report)
}

/// Adds `run`'s `taken` layers (and its build) to the merged run in
/// `slot`; a re-run's replace those already there.
fn take(
    slot: &mut Option<MutantRun>,
    run: &MutantRun,
    taken: &[Layer],
    rerun: bool,
) -> Result<(), MergeError> {
    let merged = slot.get_or_insert_with(|| MutantRun {
        layers: Vec::new(),
        build_seconds: 0.0,
        ..run.clone()
    });
    merged.build_seconds += run.build_seconds;
    if matches!(run.outcome, Outcome::FoldedAway | Outcome::DoesNotCompile) {
        merged.outcome = run.outcome;
        return Ok(());
    }
    for layer in run.layers.iter().filter(|l| taken.contains(&l.layer)) {
        if let Some(at) = merged.layers.iter().position(|l| l.layer == layer.layer) {
            if !rerun {
                return Err(MergeError::Twice { mutant: run.name.clone(), layer: layer.layer });
            }
            merged.layers.remove(at);
        }
        merged.layers.push(layer.clone());
    }
    Ok(())
}
