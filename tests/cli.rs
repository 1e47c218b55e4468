//! The `session-account` CLI, driven as a user would: a spawned process
//! against a real embedded devnet, with `--json` output parsed. Also runs
//! the README walkthrough exactly as written.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use session_account_e2e::HOUR;
use session_account_testkit::devnet::EmbeddedDevnet;

use session_account_e2e::cli::{binary, devnet, User};

#[tokio::test]
async fn owner_and_app_flow_with_json_output() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = User::new(&devnet, dir.path(), "owner");
    let app = User::new(&devnet, dir.path(), "app");

    let deployed =
        owner.json(&["account", "deploy", "--new-keystore", "owner.json", "--mint", "50"], 0);
    assert!(deployed["address"].as_str().unwrap().starts_with("0x"));
    let mode = |p: &Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    assert_eq!(mode(&owner.workdir.join("owner.json")), 0o600, "keystore must be private");

    let created = owner.json(
        &["session", "create", "--allow", "STRK", "--limit", "STRK:10", "--valid-for", "2h"],
        0,
    );
    assert_eq!(created["authorized"], false);
    assert_eq!(mode(&owner.home.join("session.token")), 0o600, "session token must be private");
    let exported = owner.json(&["session", "export"], 0);
    let token = exported["token"].as_str().unwrap().to_string();

    // The app imports the token from an environment variable.
    let imported = app
        .command(&["--json", "session", "import", "--from-env", "APP_TOKEN"])
        .env("APP_TOKEN", &token)
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let sent = app.json(&["transfer", "--to", "0x1", "--amount", "4"], 0);
    assert!(sent["transaction_hash"].as_str().unwrap().starts_with("0x"));

    let policy = app.json(&["policy", "show"], 0);
    assert_eq!(policy["spending"][0]["spent"], "4000000000000000000");
    assert_eq!(policy["spending"][0]["limit"], "10000000000000000000");
    let status = app.json(&["session", "status"], 0);
    assert_eq!(status["status"]["active"], true);
    assert_eq!(status["status"]["calls_used"], 1);

    // Over the limit: exit 3, with the facts.
    let refused = app.json(&["transfer", "--to", "0x1", "--amount", "7"], 3);
    assert_eq!(refused["contract_error"], "session/spending-limit");
    let message = refused["error"].as_str().unwrap();
    assert!(
        message.contains("4.0 spent")
            && message.contains("7.0 requested")
            && message.contains("10.0 limit"),
        "{message}"
    );
    // Human output says the same on stderr.
    let human = app.run(&["transfer", "--to", "0x1", "--amount", "7"]);
    assert_eq!(human.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&human.stderr).contains("spending limit exceeded for token STRK")
    );

    // Not granted: ETH.
    let refused = app.json(&["transfer", "--to", "0x1", "--amount", "1", "--token", "ETH"], 3);
    assert_eq!(refused["contract_error"], "session/contract-not-allowed");

    let balance = app.json(&["balance", "--address", deployed["address"].as_str().unwrap()], 0);
    assert!(balance["balance"].as_str().unwrap().parse::<u128>().unwrap() < 50 * 10u128.pow(18));

    // The app logs out; the session is dead for everyone.
    app.json(&["session", "revoke"], 0);
    let refused = owner.json(&["transfer", "--to", "0x1", "--amount", "1"], 3);
    assert_eq!(refused["contract_error"], "session/revoked");

    // The owner can still act.
    owner.json(&["transfer", "--owner", "--to", "0x1", "--amount", "1"], 0);
    let shown = owner.json(&["account", "show"], 0);
    assert_eq!(shown["revocation_epoch"], 0);
}

#[tokio::test]
async fn authorized_session_registers_itself_and_revoke_all_ends_it() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = User::new(&devnet, dir.path(), "owner");
    owner.json(&["account", "deploy", "--new-keystore", "owner.json", "--mint", "50"], 0);
    let created = owner
        .json(&["session", "create", "--allow", "STRK", "--authorize", "--out", "game.token"], 0);
    assert_eq!(created["authorized"], true);
    let status = owner.json(&["session", "status", "--session", "game.token"], 0);
    assert_eq!(status["status"]["registered"], false);
    assert_eq!(status["pending_authorization"], true);
    owner.json(
        &[
            "execute",
            "--session",
            "game.token",
            "--contract",
            "STRK",
            "--entrypoint",
            "transfer",
            "--calldata",
            "0x1,5,0",
        ],
        0,
    );
    let status = owner.json(&["session", "status", "--session", "game.token"], 0);
    assert_eq!(status["status"]["registered"], true);
    assert_eq!(
        status["pending_authorization"], false,
        "the stored token drops the used authorization"
    );

    let revoked = owner.json(&["session", "revoke-all"], 0);
    assert_eq!(revoked["revocation_epoch"], 1);
    let refused =
        owner.json(&["transfer", "--session", "game.token", "--to", "0x1", "--amount", "1"], 3);
    assert_eq!(refused["contract_error"], "session/epoch-revoked");
}

#[tokio::test]
async fn renewal_happens_automatically_inside_the_grace_period() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = User::new(&devnet, dir.path(), "owner");
    owner.json(&["account", "deploy", "--new-keystore", "owner.json", "--mint", "50"], 0);
    owner.json(&["session", "create", "--allow", "STRK", "--valid-for", "2h", "--grace", "1h"], 0);
    let before = owner.json(&["session", "status"], 0)["status"]["valid_until"].as_u64().unwrap();
    // Two hours and ten minutes later: expired, inside the grace hour.
    devnet.client().increase_time(2 * HOUR + 600).await.unwrap();
    owner.json(&["transfer", "--to", "0x1", "--amount", "1"], 0);
    let after = owner.json(&["session", "status"], 0)["status"]["valid_until"].as_u64().unwrap();
    assert!(after > before + 2 * HOUR, "renewed: {before} -> {after}");
    // Past the grace period: no renewal, a clear error.
    devnet.client().increase_time(4 * HOUR).await.unwrap();
    let refused = owner.json(&["transfer", "--to", "0x1", "--amount", "1"], 3);
    assert_eq!(refused["contract_error"], "session/expired");
    assert!(refused["error"].as_str().unwrap().contains("create a new session"));
}

#[tokio::test]
async fn errors_say_what_to_do_next() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let user = User::new(&devnet, dir.path(), "user");
    let no_account = user.json(&["account", "show"], 1);
    assert!(no_account["error"].as_str().unwrap().contains("account deploy"));
    let no_session = user.json(&["session", "status"], 1);
    assert!(no_session["error"].as_str().unwrap().contains("session create"));
    let bad_token = user
        .command(&["--json", "session", "import", "--from-env", "T"])
        .env("T", "sat1.eyJub3Q")
        .output()
        .unwrap();
    assert_eq!(bad_token.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_token.stdout).contains("truncated or corrupted"));
    let not_token = user
        .command(&["--json", "session", "import", "--from-env", "T"])
        .env("T", "hello")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&not_token.stdout).contains("not a session token"));
    let unreachable = user
        .command(&[
            "--json",
            "--rpc-url",
            "http://127.0.0.1:9/rpc",
            "account",
            "deploy",
            "--new-keystore",
            "k.json",
        ])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreachable.stdout).contains("cannot reach a Starknet node"));
    let usage = user.run(&["transfer"]);
    assert_eq!(usage.status.code(), Some(2));
    // Malformed values are usage errors (exit 2) naming the argument,
    // before anything reaches the node.
    for (args, name, why) in [
        (&["transfer", "--to", "0x1", "--amount", "1.2.3"][..], "--amount", "not a decimal amount"),
        (&["transfer", "--to", "0xnothex", "--amount", "1"][..], "--to", "not a hex felt"),
        (&["session", "create", "--allow", "STRK", "--valid-for", "2x"][..], "--valid-for", "unit"),
    ] {
        let out = user.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(name) && stderr.contains(why), "{args:?}: {stderr}");
    }
    // No key anywhere.
    let no_key = user.json(&["account", "deploy"], 1);
    assert!(no_key["error"].as_str().unwrap().contains("SESSION_ACCOUNT_OWNER_KEY"));
}

/// The `sh` blocks of a README section.
fn readme_blocks(heading: &str) -> Vec<&'static str> {
    let readme = include_str!("../README.md");
    let start = readme.find(heading).unwrap_or_else(|| panic!("README has no {heading:?}"));
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n##").unwrap_or(section.len())];
    section.split("```sh\n").skip(1).map(|b| &b[..b.find("```").unwrap()]).collect()
}

/// Runs README blocks in order, each in its own shell, in one folder; each
/// command must exit 0, or with the code its `# exit N` comment announces.
async fn run_readme_blocks(blocks: &[&str]) -> (EmbeddedDevnet, tempfile::TempDir) {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    for block in blocks {
        // Each command must exit 0, or with the code its comment announces.
        let mut script = String::from("set -u\n");
        for line in block.lines().filter(|l| !l.trim().is_empty()) {
            let expected = line
                .split("# exit ")
                .nth(1)
                .and_then(|r| r.split(':').next())
                .unwrap_or("0")
                .trim()
                .to_string();
            let command = line.split('#').next().unwrap().trim();
            script.push_str(&format!(
                "{command}\ncode=$?\nif [ \"$code\" != \"{expected}\" ]; then \
                 echo \"FAILED ($code, expected {expected}): {}\" >&2; exit 99; fi\n",
                command.replace('"', "\\\"")
            ));
        }
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("HOME", dir.path())
            .env("SESSION_ACCOUNT_RPC_URL", devnet.url().as_str())
            .env_remove("SESSION_ACCOUNT_HOME")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README block failed:\n{block}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (devnet, dir)
}

#[tokio::test]
async fn readme_walkthrough_runs_as_written() {
    let blocks = readme_blocks("### Walkthrough");
    assert_eq!(blocks.len(), 3);
    assert_eq!(
        blocks[0].trim(),
        "session-account devnet",
        "shell 1 starts the devnet (the test embeds one)"
    );
    let (_devnet, dir) = run_readme_blocks(&blocks[1..]).await;
    assert!(dir.path().join(".session-account/account.json").exists());
    assert!(dir.path().join("app-home/session.token").exists());
}

#[tokio::test]
async fn readme_gasless_walkthrough_runs_as_written() {
    let blocks = readme_blocks("### Gasless walkthrough");
    assert_eq!(blocks.len(), 1);
    let (devnet, dir) = run_readme_blocks(&blocks).await;
    let home = dir.path().join("gasless-home");
    let account: Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("account.json")).unwrap()).unwrap();
    let address = account["address"].as_str().unwrap();
    let user = User { rpc_url: devnet.url().to_string(), home, workdir: dir.path().to_path_buf() };
    assert_eq!(
        user.json(&["balance", "--token", "STRK", "--address", address], 0)["balance"],
        "0",
        "the account never held STRK"
    );
    let eth = user.json(&["balance", "--token", "ETH", "--address", address], 0);
    assert_eq!(eth["balance"], "1500000000000000000");
}

#[tokio::test]
async fn fuzz_and_bench_write_reports() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let user = User::new(&devnet, dir.path(), "fuzzer");

    let report_path = user.workdir.join("fuzz.json");
    let report = user.json(
        &[
            "fuzz",
            "--cases",
            "4",
            "--steps",
            "8",
            "--jobs",
            "2",
            "--seed",
            "42",
            "--report",
            report_path.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(report["cases"], 4);
    assert!(report["steps"].as_u64().unwrap() >= 4);
    assert_eq!(report["divergences"].as_array().unwrap().len(), 0);
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(saved["steps"], report["steps"]);
    // Nothing to replay: a clear refusal, not a panic.
    let replay = user.run(&["fuzz", "--replay", report_path.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&replay.stderr).contains("records no divergence"));
    let not_a_report = user.workdir.join("not-a-report.json");
    std::fs::write(&not_a_report, "steps: many").unwrap();
    let replay = user.run(&["fuzz", "--replay", not_a_report.to_str().unwrap()]);
    assert_eq!(replay.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&replay.stderr).contains("is not a fuzz report"));

    let chart = user.workdir.join("gas.svg");
    let bench = user.json(
        &[
            "bench",
            "--skip-throughput",
            "--report",
            "bench.json",
            "--chart",
            chart.to_str().unwrap(),
        ],
        0,
    );
    let gas = bench["gas"].as_array().unwrap();
    let row = |op: &str, account: &str| {
        gas.iter().find(|r| r["operation"] == op && r["account"] == account).unwrap()["l2_gas"]
            .as_u64()
            .unwrap()
    };
    assert!(row("transfer x1", "session-limited") > row("transfer x1", "owner"));
    let flat = bench["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("revoke-all"))
        .unwrap();
    assert_eq!(flat["met"], true, "{flat}");
    assert!(std::fs::read_to_string(&chart).unwrap().starts_with("<svg"));
    assert!(user.workdir.join("bench.json").exists());
}
