//! The layers that try to kill a mutant: snforge on the mutated sources
//! (in the scratch copy), then the end-to-end layers against the mutated
//! class on an embedded devnet: the attack corpus and a seeded fuzz
//! campaign. Both end-to-end layers run in a child `session-account fuzz
//! --account-class` process, so the class is loaded from a path without
//! recompiling anything, and a mutant that upsets devnet cannot take the
//! campaign down with it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// A test layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// `snforge test` on the mutated sources.
    Snforge,
    /// The named attack corpus against the mutated class.
    Corpus,
    /// A seeded fuzz campaign against the mutated class.
    Fuzzer,
}

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Snforge, Layer::Corpus, Layer::Fuzzer];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Snforge => "snforge",
            Layer::Corpus => "corpus",
            Layer::Fuzzer => "fuzzer",
        }
    }
}

impl std::str::FromStr for Layer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Layer::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| format!("{s:?} is not a layer: write snforge, corpus or fuzzer"))
    }
}

/// How one layer judged one mutant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerRun {
    pub layer: Layer,
    /// Whether the layer noticed the mutant.
    pub killed: bool,
    /// What noticed it: the failing test, the attack, the divergent case
    /// and step with its replay command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub seconds: f64,
}

/// The fuzz campaign each mutant faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FuzzSettings {
    pub cases: u64,
    pub steps: usize,
    pub seed: u64,
    pub jobs: usize,
}

/// A child `session-account` that did not end with a verdict.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("cannot run {cli}: {source}")]
    Spawn { cli: String, source: std::io::Error },
    #[error("`session-account {args}` printed no report (exit {status}): {stderr}")]
    NoReport { args: String, status: String, stderr: String },
}

/// The corpus against `class`, stopping at the first attack the chain and
/// the model disagree on.
pub fn corpus(cli: &Path, class: &Path) -> Result<LayerRun, LayerError> {
    let started = Instant::now();
    let report = run_cli(cli, &["fuzz", "--corpus", "--fail-fast"], class)?;
    let failed = report.as_array().and_then(|attacks| {
        attacks.iter().find(|a| a["ok"] == false).map(|a| {
            let failure = a["failure"].as_str().unwrap_or("failed");
            format!("attack {}: {}", a["attack"].as_str().unwrap_or("?"), shorten(failure))
        })
    });
    Ok(verdict(Layer::Corpus, failed, started.elapsed()))
}

/// A seeded campaign against `class`, stopping at the first divergence.
pub fn fuzzer(cli: &Path, class: &Path, settings: FuzzSettings) -> Result<LayerRun, LayerError> {
    let started = Instant::now();
    let (cases, steps, seed, jobs) = (
        settings.cases.to_string(),
        settings.steps.to_string(),
        settings.seed.to_string(),
        settings.jobs.to_string(),
    );
    let args = ["fuzz", "--fail-fast", "--cases", &cases, "--steps", &steps, "--seed", &seed];
    let report = run_cli(cli, &[&args[..], &["--jobs", &jobs]].concat(), class)?;
    let first = report["divergences"].as_array().and_then(|d| d.first()).map(|d| {
        let (seed, step) = (&d["case_seed"], &d["step"]);
        format!(
            "case seed {seed} step {step}: {} (replay: session-account fuzz --account-class \
             CLASS --cases 1 --seed {seed} --steps {steps})",
            shorten(d["message"].as_str().unwrap_or("diverged"))
        )
    });
    Ok(verdict(Layer::Fuzzer, first, started.elapsed()))
}

fn verdict(layer: Layer, by: Option<String>, took: Duration) -> LayerRun {
    LayerRun { layer, killed: by.is_some(), by, seconds: took.as_secs_f64() }
}

/// Runs `cli args --account-class class --json`; its JSON document.
fn run_cli(cli: &Path, args: &[&str], class: &Path) -> Result<serde_json::Value, LayerError> {
    let output = Command::new(cli)
        .args(args)
        .arg("--account-class")
        .arg(class)
        .arg("--json")
        .stdin(Stdio::null())
        .output()
        .map_err(|source| LayerError::Spawn { cli: cli.display().to_string(), source })?;
    serde_json::from_slice(&output.stdout).map_err(|_| LayerError::NoReport {
        args: args.join(" "),
        status: output.status.to_string(),
        stderr: shorten(&String::from_utf8_lossy(&output.stderr)),
    })
}

/// At most 300 characters of a message, on one line.
fn shorten(message: &str) -> String {
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}
