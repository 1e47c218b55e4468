//! Campaigns over many machines, as .github/workflows/nightly-fuzz.yml runs
//! them: `fuzz --shard K/N` on each runner, then `fuzz merge`. The merged
//! report must be the unsharded campaign over the same seeds, step for
//! step; a merge that would not be the whole campaign is refused.

use serde_json::Value;
use session_account_e2e::cli::{devnet, User};

/// What the shards together must have run exactly as the whole campaign.
const SAME: &[&str] = &[
    "seed",
    "max_steps",
    "campaign_cases",
    "cases",
    "steps",
    "transactions",
    "verdicts",
    "operations",
    "errors_not_seen",
    "divergences",
];

#[tokio::test]
async fn shards_merged_are_the_whole_campaign() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let user = User::new(&devnet, dir.path(), "fuzzer");
    let campaign = ["fuzz", "--cases", "7", "--steps", "6", "--seed", "31", "--jobs", "1"];
    fn with<'a>(campaign: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [campaign, extra].concat()
    }

    let whole = user.json(&with(&campaign, &["--report", "whole.json"]), 0);
    assert!(whole.get("shard").is_none() && whole["cases"] == 7, "{whole}");
    for (k, cases) in [(1, 3), (2, 2), (3, 2)] {
        let shard = format!("{k}/3");
        let report = format!("shard-{k}.json");
        let run = user.json(&with(&campaign, &["--shard", &shard, "--report", &report]), 0);
        assert_eq!(run["shard"], serde_json::json!({ "index": k, "count": 3 }));
        assert_eq!((run["cases"].as_u64(), run["campaign_cases"].as_u64()), (Some(cases), Some(7)));
    }

    // In any order.
    let merge = ["fuzz", "merge", "shard-3.json", "shard-1.json", "shard-2.json"];
    let merged = user.json(&[&merge[..], &["--report", "merged.json"]].concat(), 0);
    for key in SAME {
        assert_eq!(merged[key], whole[key], "{key} differs from the unsharded campaign");
    }
    assert!(whole["steps"].as_u64().unwrap() >= 7, "{whole}");
    let shards = merged["shards"].as_array().unwrap();
    let runs: Vec<(u64, u64)> = shards
        .iter()
        .map(|s| (s["shard"]["index"].as_u64().unwrap(), s["cases"].as_u64().unwrap()))
        .collect();
    assert_eq!(runs, [(1, 3), (2, 2), (3, 2)]);
    assert!(shards.iter().all(|s| s["steps_per_second"].as_f64().unwrap() > 0.0));
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(user.workdir.join("merged.json")).unwrap())
            .unwrap();
    assert_eq!(saved["steps"], merged["steps"]);

    // Not the whole campaign: refused, saying why.
    for (args, why) in [
        (vec!["fuzz", "merge", "shard-1.json", "shard-2.json"], "shards 3 of 3 are missing"),
        (vec!["fuzz", "merge", "shard-1.json", "shard-1.json", "shard-2.json"], "given twice"),
        (vec!["fuzz", "merge", "whole.json"], "written without --shard"),
    ] {
        let out = user.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
    let other = user.json(
        &[
            "fuzz",
            "--cases",
            "2",
            "--steps",
            "6",
            "--seed",
            "32",
            "--jobs",
            "1",
            "--shard",
            "3/3",
            "--report",
            "other.json",
        ],
        0,
    );
    assert_eq!(other["cases"], 0, "shard 3/3 of 2 cases has none");
    let out = user.run(&["fuzz", "merge", "shard-1.json", "shard-2.json", "other.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("another campaign"));
}

#[test]
fn a_shard_is_k_of_n() {
    use session_account_testkit::fuzz::Shard;
    assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
    for bad in ["0/4", "5/4", "1/0", "2", "a/b", "1/2/3"] {
        assert!(bad.parse::<Shard>().is_err(), "{bad}");
    }
    let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
    for case in 0..30 {
        assert_eq!(shards.iter().filter(|s| s.owns(case)).count(), 1, "case {case}");
    }
}
