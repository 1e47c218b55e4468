//! The mutation campaign's machinery, end to end (`session-account
//! mutants`, harness/testkit/src/mutants/): one mutant of each section of
//! the spec (`smoke = true` in contracts/mutants.toml) is applied to a
//! scratch copy of the Cairo workspace, built with scarb, and the attack
//! corpus, run by the CLI against the mutated class on an embedded devnet,
//! must kill it. The whole campaign (every mutant, snforge and the fuzzer
//! too) is `session-account mutants`; its report is docs/bench/mutants.json.
//!
//! Needs scarb and snforge: skipped with a warning without them, an error
//! under `SESSION_ACCOUNT_REQUIRE_CAIRO=1` (CI).

use std::process::Command;

use serde_json::Value;
use session_account_e2e::cli;

fn cairo_toolchain() -> bool {
    let found = ["scarb", "snforge"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()));
    if !found {
        assert!(
            std::env::var_os("SESSION_ACCOUNT_REQUIRE_CAIRO").is_none(),
            "SESSION_ACCOUNT_REQUIRE_CAIRO is set but scarb or snforge is not on PATH"
        );
        eprintln!("SKIPPED the mutation smoke test: scarb and snforge are not on PATH");
    }
    found
}

#[test]
fn one_mutant_of_each_spec_section_is_killed_by_the_corpus() {
    if !cairo_toolchain() {
        return;
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scratch = tempfile::tempdir().unwrap();
    let out = Command::new(cli::binary())
        .args(["--json", "mutants", "--smoke", "--layers", "corpus", "--repo"])
        .arg(&repo)
        .arg("--scratch")
        .arg(scratch.path().join("workspace"))
        .output()
        .expect("spawn session-account");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "`mutants --smoke` printed no report:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mutants = report["mutants"].as_array().expect("mutants");
    let mut chapters: Vec<&str> =
        mutants.iter().map(|m| m["section"].as_str().unwrap().split('.').next().unwrap()).collect();
    chapters.dedup();
    assert_eq!(chapters.len(), mutants.len(), "one smoke mutant per section: {chapters:?}");
    assert!(mutants.len() >= 8, "sections 1 to 7 and 11 each have a smoke mutant");
    for mutant in mutants {
        let (name, layers) = (&mutant["name"], &mutant["layers"]);
        assert_eq!(mutant["outcome"], "killed", "{name} survived the corpus: {mutant:#}");
        assert_eq!(layers[0]["layer"], "corpus", "{name}");
        let by = layers[0]["by"].as_str().unwrap_or_default();
        assert!(by.starts_with("attack "), "{name} was killed by {by:?}, not by an attack");
    }
    assert_eq!(report["kills"]["end_to_end"], mutants.len());
    assert!(out.status.success(), "exit {}", out.status);
}
