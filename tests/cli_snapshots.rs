//! What users see: the text and the `--json` output of every command,
//! snapshotted (tests/snapshots/), so a change in either is a visible diff
//! in review. One scripted run of a user's life on one devnet, each step
//! run once as text and once as JSON.
//!
//! What changes from run to run is redacted before comparing: felts
//! (addresses, keys, hashes) become `[felt]`, session tokens `[token]`,
//! dates `[date]` and the time left `[span]`, unix times in messages
//! `[unix]`, the temporary folder `[dir]`, devnet's port `[port]`,
//! wall-clock measurements `[measured]`, and the gas of P-256 and passkey
//! owners `[varies]` (their fresh keys' signatures cost slightly different
//! gas to verify); in JSON, times (unix seconds) become `"[time]"` and measured
//! durations and rates `"[measured]"`. Amounts, fees, gas, counts, states
//! and messages are compared as they are: devnet's fees are deterministic.
//!
//! To accept a change: `INSTA_UPDATE=always cargo test --release -p
//! session-account-e2e cli_snapshots`, then review the diff of
//! tests/snapshots/ (or use `cargo insta review`).

use std::path::Path;

use regex::Regex;
use serde_json::Value;
use session_account_e2e::cli::{devnet, User};
use session_account_e2e::HOUR;
use session_account_testkit::devnet::DevnetClient;

/// JSON keys holding unix times (numbers, or decimal strings for u128s).
const TIME_KEYS: &[&str] = &[
    "now",
    "valid_after",
    "valid_until",
    "grace_deadline",
    "max_valid_until",
    "window_resets_at",
    "execute_after",
    "execute_before",
    "session_valid_until",
];

/// JSON keys holding wall-clock measurements, different on every run.
fn is_measured(key: &str) -> bool {
    ["seconds", "secs", "per_second", "per_s", "elapsed", "_ms", "duration", "throughput", "share"]
        .iter()
        .any(|k| key.contains(k))
}

/// Whether `text` is about a P-256 or passkey owner, whose signatures (of
/// fresh random keys) take a slightly different gas to verify each run.
fn about_p256(text: &str) -> bool {
    ["P-256", "p256", "passkey"].iter().any(|k| text.contains(k))
}

/// `text` with what differs between runs replaced by placeholders.
fn redact_text(text: &str, dir: &Path) -> String {
    let varies = Regex::new(r"\d{6,}|\d+\.\d+x").unwrap();
    let text: Vec<String> = text
        .split('\n')
        .map(|line| match about_p256(line) {
            true => varies.replace_all(line, "[varies]").into_owned(),
            false => line.to_string(),
        })
        .collect();
    let text = text.join("\n").replace(&dir.display().to_string(), "[dir]");
    let rules = [
        (r"sat1\.[A-Za-z0-9_\-]+", "[token]"),
        (r"0x[0-9a-fA-F]{16,}", "[felt]"),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "[date]"),
        (r"\((in )?\d+[dhms]( \d+[dhms])?( ago)?\)", "([span])"),
        (r"\(now\)", "([span])"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        // Unix times in messages, and wall-clock measurements.
        (r"\b1[789]\d{8}\b", "[unix]"),
        (r"\d+\.\d+ s\b", "[measured] s"),
        (r"\d+(\.\d+)? steps/s", "[measured] steps/s"),
        (r"\d+% of the time", "[measured]% of the time"),
    ];
    rules.iter().fold(text, |text, (pattern, replacement)| {
        Regex::new(pattern).unwrap().replace_all(&text, *replacement).into_owned()
    })
}

/// `value` with times and measurements replaced, then its strings
/// redacted as text.
fn redact_json(value: &mut Value, dir: &Path) {
    match value {
        Value::Object(map) => {
            let p256 = map.values().any(|v| v.as_str().is_some_and(about_p256));
            for (key, field) in map.iter_mut() {
                if p256 && field.is_number() {
                    *field = Value::String("[varies]".into());
                    continue;
                }
                let digits = field.as_str().is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()));
                if TIME_KEYS.contains(&key.as_str()) && (field.is_number() || digits) {
                    *field = Value::String("[time]".into());
                } else if is_measured(key) && (field.is_number() || field.is_object()) {
                    *field = Value::String("[measured]".into());
                } else {
                    redact_json(field, dir);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact_json(item, dir)),
        Value::String(text) => *text = redact_text(text, dir),
        _ => {}
    }
}

/// Runs `args` as text and as JSON, each expecting exit `code`, and
/// snapshots both (stdout; for a failure, also what stderr said).
fn snapshot(user: &User, dir: &Path, name: &str, args: &[&str], code: i32) {
    snapshot_text(user, dir, name, args, code);
    snapshot_json(user, dir, name, args, code);
}

fn snapshot_text(user: &User, dir: &Path, name: &str, args: &[&str], code: i32) {
    snapshot_text_with(user, dir, name, args, code, &[]);
}

fn snapshot_json(user: &User, dir: &Path, name: &str, args: &[&str], code: i32) {
    snapshot_json_with(user, dir, name, args, code, &[]);
}

/// Runs `args` with the environment variables `env` too, expecting exit
/// `code`; stdout and stderr.
fn run(user: &User, args: &[&str], code: i32, env: &[(&str, &str)]) -> (String, String) {
    let out = user.command(args).envs(env.iter().copied()).output().expect("spawn");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}\nstdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

/// The text of `args`, run with the environment variables `env` too.
fn snapshot_text_with(
    user: &User,
    dir: &Path,
    name: &str,
    args: &[&str],
    code: i32,
    env: &[(&str, &str)],
) {
    let (stdout, stderr) = run(user, args, code, env);
    let mut shown = redact_text(&stdout, dir);
    if code != 0 {
        let errors: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("==>")).collect();
        shown.push_str(&format!("--- stderr ---\n{}\n", redact_text(&errors.join("\n"), dir)));
    }
    insta::assert_snapshot!(
        format!("{name}.text"),
        shown,
        &format!("session-account {}", args.join(" "))
    );
}

/// The JSON of `args`, run with the environment variables `env` too.
fn snapshot_json_with(
    user: &User,
    dir: &Path,
    name: &str,
    args: &[&str],
    code: i32,
    env: &[(&str, &str)],
) {
    let with_json = [&["--json"][..], args].concat();
    let (stdout, _) = run(user, &with_json, code, env);
    let mut document: Value = serde_json::from_str(&stdout).expect("one JSON document");
    redact_json(&mut document, dir);
    let shown = serde_json::to_string_pretty(&document).unwrap();
    insta::assert_snapshot!(
        format!("{name}.json"),
        shown,
        &format!("session-account --json {}", args.join(" "))
    );
}

#[tokio::test]
async fn every_command_as_text_and_json() {
    let devnet = devnet().await;
    let time = DevnetClient::new(devnet.url().clone());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let owner = User::new(&devnet, root, "owner");
    let app = User::new(&devnet, root, "app");
    let spare = User::new(&devnet, root, "spare");

    snapshot(&owner, root, "account-class", &["account", "class"], 0);
    // Deploying twice would be two accounts: text on a spare user.
    snapshot_text(
        &spare,
        root,
        "account-deploy",
        &["account", "deploy", "--new-keystore", "o.json", "--mint", "50"],
        0,
    );
    snapshot_json(
        &owner,
        root,
        "account-deploy",
        &["account", "deploy", "--new-keystore", "owner.json", "--mint", "50"],
        0,
    );
    snapshot(&owner, root, "account-show", &["account", "show"], 0);
    snapshot(&owner, root, "account-declare", &["account", "declare"], 0);
    snapshot(&owner, root, "balance", &["balance"], 0);

    // A renewable session with a daily limit, registered by the owner.
    let create = [
        "session",
        "create",
        "--allow",
        "STRK",
        "--limit",
        "STRK:10/day",
        "--valid-for",
        "2h",
        "--grace",
        "1h",
    ];
    snapshot_text(&spare, root, "session-create", &create, 0);
    snapshot_json(&owner, root, "session-create", &create, 0);
    snapshot(&owner, root, "session-export", &["session", "export"], 0);
    let token = owner.json(&["session", "export"], 0)["token"].as_str().unwrap().to_string();
    let import = ["session", "import", "--from-env", "APP_TOKEN"];
    let from_env = [("APP_TOKEN", token.as_str())];
    snapshot_text_with(&spare, root, "session-import", &import, 0, &from_env);
    snapshot_json_with(&app, root, "session-import", &import, 0, &from_env);

    snapshot(&app, root, "transfer", &["transfer", "--to", "0x1", "--amount", "1"], 0);
    snapshot(
        &app,
        root,
        "execute",
        &["execute", "--contract", "STRK", "--entrypoint", "transfer", "--calldata", "0x1,1000,0"],
        0,
    );
    snapshot(&app, root, "session-status", &["session", "status"], 0);
    snapshot(&app, root, "policy-show", &["policy", "show"], 0);
    // Refused: over the daily limit (exit 3, the facts on stderr / in JSON).
    snapshot(&app, root, "transfer-refused", &["transfer", "--to", "0x1", "--amount", "20"], 3);

    // Past its end, inside the grace period: the session renews itself.
    time.increase_time(2 * HOUR + 60).await.unwrap();
    snapshot_text(&app, root, "session-renew", &["session", "renew"], 0);
    time.increase_time(2 * HOUR + 60).await.unwrap();
    snapshot_json(&app, root, "session-renew", &["session", "renew"], 0);

    // An authorized session, registered by the owner's transaction.
    let authorized = ["session", "create", "--allow", "STRK", "--valid-for", "1h", "--authorize"];
    owner.json(&authorized, 0);
    snapshot_text(&owner, root, "session-register", &["session", "register"], 0);
    owner.json(&authorized, 0);
    snapshot_json(&owner, root, "session-register", &["session", "register"], 0);

    snapshot_text(&app, root, "session-revoke", &["session", "revoke"], 0);
    owner.json(&create, 0);
    snapshot_json(
        &owner,
        root,
        "session-revoke",
        &["session", "revoke", "--owner", "--clear-allowances"],
        0,
    );
    snapshot(&owner, root, "account-revoke-all", &["account", "revoke-all"], 0);
    snapshot_text(
        &owner,
        root,
        "account-rotate-owner",
        &["account", "rotate-owner", "--new-keystore", "owner2.json"],
        0,
    );
    snapshot_json(
        &owner,
        root,
        "account-rotate-owner",
        &["account", "rotate-owner", "--new-keystore", "owner3.json"],
        0,
    );

    // Usage errors name the argument and exit 2, before any network call.
    snapshot_text(&app, root, "usage-error", &["transfer", "--to", "0xnothex", "--amount", "1"], 2);

    // The campaign tools, small.
    let fuzz = ["fuzz", "--cases", "2", "--steps", "4", "--seed", "7", "--jobs", "1"];
    snapshot(&spare, root, "fuzz", &fuzz, 0);
    let bench = ["bench", "--skip-throughput", "--report", "bench.json", "--chart", "gas.svg"];
    snapshot(&spare, root, "bench", &bench, 0);
    snapshot(&spare, root, "demo", &["demo"], 0);
    for json in [false, true] {
        snapshot_devnet(&spare, root, json);
    }
}

/// `devnet` serves until stopped: its banner, read until it is whole.
fn snapshot_devnet(user: &User, dir: &Path, json: bool) {
    use std::io::BufRead;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let port = port.to_string();
    let mut args = vec!["devnet", "--port", port.as_str()];
    if json {
        args.insert(0, "--json");
    }
    let mut child = user
        .command(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = if json { line == "}" } else { line.ends_with("Ctrl-C to stop.") };
        banner.push_str(&line);
        banner.push('\n');
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (name, shown) = if json {
        let mut document: Value = serde_json::from_str(&banner).unwrap();
        redact_json(&mut document, dir);
        ("devnet.json", serde_json::to_string_pretty(&document).unwrap())
    } else {
        ("devnet.text", redact_text(&banner, dir))
    };
    insta::assert_snapshot!(name, shown, "session-account devnet");
}
