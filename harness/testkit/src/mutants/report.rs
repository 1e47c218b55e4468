//! What a mutation campaign found: each mutant's outcome and the layers
//! that killed it, the kill rate per layer and the time per mutant
//! (merging reports: [`super::merge`]).

use serde::{Deserialize, Serialize};

use super::catalogue::Mutant;
use super::layers::{FuzzSettings, Layer, LayerRun};
use crate::fuzz::Shard;

/// How a mutant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// At least one layer noticed it.
    Killed,
    /// No layer noticed it, and nobody argued why none could.
    Survived,
    /// No layer noticed it; the catalogue argues no behaviour can differ.
    ArguedEquivalent,
    /// The compiler folded the edit away: the class is byte for byte the
    /// unmutated one (equivalent by construction).
    FoldedAway,
    /// The edit does not compile (the catalogue needs mending).
    DoesNotCompile,
}

/// One mutant's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutantRun {
    /// Its place in the catalogue, from 0 (what shards are cut by).
    pub index: usize,
    pub name: String,
    pub section: String,
    pub rule: String,
    pub file: String,
    pub outcome: Outcome,
    /// Each layer that ran, in order.
    pub layers: Vec<LayerRun>,
    /// The catalogue's argument, for a mutant argued equivalent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equivalent: Option<String>,
    /// scarb's output, for a mutant that does not compile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_error: Option<String>,
    /// Building the mutated class.
    pub build_seconds: f64,
    /// The whole mutant: build and every layer.
    pub seconds: f64,
}

impl MutantRun {
    /// Whether `layer` ran and killed the mutant.
    pub fn killed_by(&self, layer: Layer) -> bool {
        self.layers.iter().any(|l| l.layer == layer && l.killed)
    }

    pub(crate) fn of(index: usize, mutant: &Mutant, outcome: Outcome) -> Self {
        MutantRun {
            index,
            name: mutant.name.clone(),
            section: mutant.section.clone(),
            rule: mutant.rule.clone(),
            file: mutant.file.clone(),
            outcome,
            layers: Vec::new(),
            equivalent: None,
            build_error: None,
            build_seconds: 0.0,
            seconds: 0.0,
        }
    }
}

/// Kills per layer, over the mutants that built to a new class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KillRates {
    /// Mutants that built to a class different from the unmutated one.
    pub mutants: usize,
    /// Killed by snforge alone.
    pub snforge: usize,
    /// Killed by the corpus alone.
    pub corpus: usize,
    /// Killed by the fuzzer alone.
    pub fuzzer: usize,
    /// Killed end to end, on devnet (corpus or fuzzer).
    pub end_to_end: usize,
    /// Killed by snforge or the corpus.
    pub snforge_or_corpus: usize,
    /// Killed by any layer.
    pub any: usize,
    /// Argued equivalent (not killed).
    pub argued_equivalent: usize,
    /// Neither killed nor argued: what the suite must still learn.
    pub survivors: Vec<String>,
    /// Killed by snforge but by neither end-to-end layer.
    pub missed_end_to_end: Vec<String>,
}

impl KillRates {
    pub fn of(runs: &[MutantRun]) -> Self {
        let built: Vec<&MutantRun> = runs
            .iter()
            .filter(|r| !matches!(r.outcome, Outcome::FoldedAway | Outcome::DoesNotCompile))
            .collect();
        let count = |f: &dyn Fn(&MutantRun) -> bool| built.iter().filter(|r| f(r)).count();
        let e2e = |r: &MutantRun| r.killed_by(Layer::Corpus) || r.killed_by(Layer::Fuzzer);
        KillRates {
            mutants: built.len(),
            snforge: count(&|r| r.killed_by(Layer::Snforge)),
            corpus: count(&|r| r.killed_by(Layer::Corpus)),
            fuzzer: count(&|r| r.killed_by(Layer::Fuzzer)),
            end_to_end: count(&e2e),
            snforge_or_corpus: count(&|r| {
                r.killed_by(Layer::Snforge) || r.killed_by(Layer::Corpus)
            }),
            any: count(&|r| r.outcome == Outcome::Killed),
            argued_equivalent: count(&|r| r.outcome == Outcome::ArguedEquivalent),
            survivors: (built.iter())
                .filter(|r| r.outcome == Outcome::Survived)
                .map(|r| r.name.clone())
                .collect(),
            missed_end_to_end: (built.iter())
                .filter(|r| r.killed_by(Layer::Snforge) && !e2e(r))
                .map(|r| r.name.clone())
                .collect(),
        }
    }
}

/// One report's part in a merged report: its shard (if it was one), the
/// layers taken from it, and its wall time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardTime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    #[serde(default)]
    pub layers: Vec<Layer>,
    pub mutants: usize,
    pub seconds: f64,
}

/// A mutation campaign's report (`docs/bench/mutants.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutantsReport {
    /// The catalogue, from the repository root.
    pub catalogue: String,
    /// Mutants in the whole catalogue.
    pub catalogue_size: usize,
    /// The layers each mutant faced.
    pub layers: Vec<Layer>,
    /// The campaign each mutant faced in the fuzzer layer.
    pub fuzz: FuzzSettings,
    /// The slice this run took, when sharded and not merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// Each mutant run, in catalogue order.
    pub mutants: Vec<MutantRun>,
    pub kills: KillRates,
    /// Wall time of the run (the shards' sum, once merged).
    pub seconds: f64,
    pub seconds_per_mutant: f64,
    /// Each shard's run, once merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<ShardTime>,
}

impl MutantsReport {
    pub(crate) fn new(
        catalogue_size: usize,
        layers: Vec<Layer>,
        fuzz: FuzzSettings,
        shard: Option<Shard>,
        mutants: Vec<MutantRun>,
        seconds: f64,
    ) -> Self {
        MutantsReport {
            catalogue: super::catalogue::CATALOGUE.to_string(),
            catalogue_size,
            layers,
            fuzz,
            shard,
            kills: KillRates::of(&mutants),
            seconds,
            seconds_per_mutant: seconds / mutants.len().max(1) as f64,
            mutants,
            shards: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutants::merge::{merge, MergeError, MergePart};

    fn run(index: usize, name: &str, kills: [bool; 3], equivalent: bool) -> MutantRun {
        let layers = Layer::ALL
            .iter()
            .zip(kills)
            .map(|(&layer, killed)| LayerRun {
                layer,
                killed,
                by: killed.then(|| format!("{} of {name}", layer.name())),
                seconds: 1.0,
            })
            .collect();
        let outcome = match (kills.contains(&true), equivalent) {
            (true, _) => Outcome::Killed,
            (false, true) => Outcome::ArguedEquivalent,
            (false, false) => Outcome::Survived,
        };
        MutantRun {
            index,
            name: name.into(),
            section: "4.2".into(),
            rule: "r".into(),
            file: "f".into(),
            outcome,
            layers,
            equivalent: equivalent.then(|| "why".into()),
            build_error: None,
            build_seconds: 1.0,
            seconds: 4.0,
        }
    }

    const FUZZ: FuzzSettings = FuzzSettings { cases: 10, steps: 5, seed: 1, jobs: 1 };

    fn catalogue() -> Vec<MutantRun> {
        vec![
            run(0, "a", [true, true, true], false),
            run(1, "b", [true, false, false], false),
            run(2, "c", [false, false, true], false),
            run(3, "d", [false, false, false], false),
            run(4, "e", [false, false, false], true),
        ]
    }

    fn report(runs: Vec<MutantRun>, shard: Option<Shard>) -> MutantsReport {
        let seconds = 4.0 * runs.len() as f64;
        MutantsReport::new(5, Layer::ALL.to_vec(), FUZZ, shard, runs, seconds)
    }

    #[test]
    fn kill_rates_count_each_layer_on_its_own() {
        let kills = KillRates::of(&catalogue());
        assert_eq!((kills.mutants, kills.snforge, kills.corpus, kills.fuzzer), (5, 2, 1, 2));
        assert_eq!((kills.end_to_end, kills.snforge_or_corpus, kills.any), (2, 2, 3));
        assert_eq!(kills.argued_equivalent, 1);
        assert_eq!(kills.survivors, vec!["d".to_string()]);
        assert_eq!(kills.missed_end_to_end, vec!["b".to_string()]);
    }

    #[test]
    fn shards_merged_equal_the_whole_campaign() {
        let whole = report(catalogue(), None);
        let shard = |k: u64| {
            let s = Shard { index: k, count: 2 };
            report(catalogue().into_iter().filter(|r| s.owns(r.index as u64)).collect(), Some(s))
        };
        let merged = merge(vec![shard(2).into(), shard(1).into()]).unwrap();
        assert_eq!(merged.mutants, whole.mutants);
        assert_eq!(merged.kills, whole.kills);
        assert_eq!(merged.seconds, whole.seconds);
        assert_eq!(merged.shards.len(), 2);
        assert_eq!(merge(vec![shard(1).into()]), Err(MergeError::MissingMutant(1)));
        assert_eq!(
            merge(vec![shard(1).into(), shard(1).into(), shard(2).into()]),
            Err(MergeError::Twice { mutant: "a".into(), layer: Layer::Snforge })
        );
        assert_eq!(merge(vec![whole.clone().into()]).unwrap().mutants, whole.mutants);
    }

    /// `runs` with only `layers` (what `mutants --layers` records).
    fn pass(runs: Vec<MutantRun>, layers: &[Layer], shard: Option<Shard>) -> MutantsReport {
        let runs = runs
            .into_iter()
            .map(|mut r| {
                r.layers.retain(|l| layers.contains(&l.layer));
                r.seconds = r.build_seconds + r.layers.len() as f64;
                r
            })
            .collect();
        let mut report = report(runs, shard);
        report.layers = layers.to_vec();
        report
    }

    #[test]
    fn passes_over_some_layers_merge_into_the_whole_campaign() {
        let whole = report(catalogue(), None);
        let e2e = [Layer::Corpus, Layer::Fuzzer];
        let snforge_shard = |k: u64| {
            let s = Shard { index: k, count: 2 };
            let runs = catalogue().into_iter().filter(|r| s.owns(r.index as u64)).collect();
            pass(runs, &[Layer::Snforge], Some(s)).into()
        };
        let rerun = pass(catalogue(), &e2e, None);
        let merged = merge(vec![snforge_shard(1), snforge_shard(2), rerun.clone().into()]).unwrap();
        assert_eq!(merged.layers, Layer::ALL.to_vec());
        assert_eq!(merged.kills, whole.kills);
        let names = |r: &MutantsReport| r.mutants.iter().map(|m| m.outcome).collect::<Vec<_>>();
        assert_eq!(names(&merged), names(&whole));
        // Each mutant was built twice (once per pass).
        assert_eq!(merged.mutants[0].seconds, 2.0 + 3.0);

        // A whole campaign whose end-to-end layers are replaced by a re-run.
        let mut rerun_kills_d = rerun.clone();
        rerun_kills_d.mutants[3].layers[0].killed = true;
        let parts = vec![
            MergePart { report: whole.clone(), layers: Some(vec![Layer::Snforge]), rerun: false },
            rerun_kills_d.into(),
        ];
        let merged = merge(parts).unwrap();
        assert_eq!(merged.mutants[3].outcome, Outcome::Killed);
        assert!(merged.kills.survivors.is_empty());
        assert_eq!(merged.kills.end_to_end, whole.kills.end_to_end + 1);

        // A re-run of one mutant replaces its runs.
        let mut fixed = pass(catalogue()[3..4].to_vec(), &Layer::ALL, None);
        fixed.mutants[0].layers[0].killed = true;
        let mut parts = vec![whole.clone().into()];
        parts.insert(0, MergePart { report: fixed, layers: None, rerun: true });
        let merged = merge(parts).unwrap();
        assert_eq!(merged.mutants[3].outcome, Outcome::Killed);
        assert_eq!(merged.kills.snforge, whole.kills.snforge + 1);
        assert_eq!(merged.mutants[3].layers.len(), 3);

        // Every layer once: not twice, not missing, not one a report never ran.
        assert_eq!(
            merge(vec![whole.clone().into(), rerun.clone().into()]),
            Err(MergeError::Twice { mutant: "a".into(), layer: Layer::Corpus })
        );
        assert_eq!(
            merge(vec![
                snforge_shard(1),
                snforge_shard(2),
                pass(catalogue(), &e2e[..1], None).into()
            ])
            .map(|r| r.layers),
            Ok(vec![Layer::Snforge, Layer::Corpus])
        );
        let take = |report: &MutantsReport, layer| MergePart {
            report: report.clone(),
            layers: Some(vec![layer]),
            rerun: false,
        };
        let (partial, corpus_only) = (take(&whole, Layer::Snforge), take(&rerun, Layer::Corpus));
        let fuzz_of_two = take(&pass(catalogue()[..2].to_vec(), &e2e, None), Layer::Fuzzer);
        assert_eq!(
            merge(vec![partial, corpus_only, fuzz_of_two]),
            Err(MergeError::MissingLayer { mutant: "c".into(), layer: Layer::Fuzzer })
        );
        let snforge_of_rerun = take(&rerun, Layer::Snforge);
        assert_eq!(
            merge(vec![snforge_of_rerun]),
            Err(MergeError::LayerNotRun { report: 0, layer: Layer::Snforge })
        );
    }
}
