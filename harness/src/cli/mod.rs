//! Command-line interface. Every command takes `--json`: one JSON document on
//! stdout instead of human output; progress and logs go to stderr.
//!
//! Exit codes: 0 success; 1 the command failed (the message says why and
//! what to do next); 2 invalid usage; 3 the account refused the
//! transaction (a policy check failed: rejected or reverted).

mod account;
mod context;
mod output;
mod session;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use session_account::demo;
use session_account::devnet::embedded::{DevnetOptions, DEFAULT_SEED};
use session_account::devnet::sandbox::Sandbox;
use session_account::token::{balance_of, format_amount, parse_amount, transfer_call};
use session_account::session_token::SessionToken;
use starknet_rust::core::types::Call;
use starknet_rust::core::utils::get_selector_from_name;
use url::Url;

use context::{parse_felt, parse_token, token_name, Context};
use output::Output;
use session::SessionSelector;

/// Where the CLI looks for a node unless told otherwise: the devnet that
/// `session-account devnet` starts.
const DEFAULT_RPC_URL: &str = "http://127.0.0.1:5050/rpc";

#[derive(Parser)]
#[command(name = "session-account", version, about = "Starknet session-key account: deploy, delegate, transact, test")]
struct Cli {
    /// Print one JSON document on stdout instead of human-readable output.
    #[arg(long, global = true)]
    json: bool,
    /// JSON-RPC endpoint (devnet, Sepolia, mainnet).
    #[arg(long, global = true, env = "SESSION_ACCOUNT_RPC_URL", default_value = DEFAULT_RPC_URL)]
    rpc_url: Url,
    /// Folder holding the account record and the current session token.
    #[arg(long, global = true, env = "SESSION_ACCOUNT_HOME")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// End-to-end session demo on an embedded devnet.
    Demo(DemoArgs),
    /// Run an embedded devnet in the foreground until Ctrl-C (default port 5050).
    Devnet(DevnetArgs),
    /// Deploy and administer the account (owner key).
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Create, share and use sessions.
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// Show what the current session may do and has spent.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Token balance of the account (or any address).
    Balance {
        #[arg(long, default_value = "STRK")]
        token: String,
        #[arg(long)]
        address: Option<String>,
    },
    /// Transfer tokens with the session (or the owner with --owner).
    Transfer {
        #[arg(long)]
        to: String,
        /// Amount in whole tokens (18 decimals), e.g. 1.5.
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "STRK")]
        token: String,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Call any contract entrypoint with the session (or the owner with --owner).
    Execute {
        #[arg(long)]
        contract: String,
        #[arg(long)]
        entrypoint: String,
        /// Comma-separated felts (decimal or 0x-hex).
        #[arg(long, default_value = "")]
        calldata: String,
        #[command(flatten)]
        signer: SignerArgs,
    },
    /// Fuzz session flows on embedded devnets against the reference model.
    Fuzz {
        /// Number of cases (each from a freshly deployed account).
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
        /// Replay the divergent cases of a saved report instead.
        #[arg(long, conflicts_with_all = ["cases", "seed", "steps", "report"])]
        replay: Option<PathBuf>,
        /// Run the adversarial corpus (named attacks) instead.
        #[arg(long, conflicts_with_all = ["cases", "seed", "steps", "replay", "jobs", "report"])]
        corpus: bool,
    },
    /// Measure gas per operation and account kind, and harness throughput,
    /// on embedded devnets; write a JSON report and an SVG chart.
    Bench {
        /// Where to write the JSON report.
        #[arg(long, default_value = "bench-report.json")]
        report: PathBuf,
        /// Where to write the gas chart (SVG).
        #[arg(long, default_value = "bench-gas.svg")]
        chart: PathBuf,
        /// Plain transfers sent to measure the devnet's ceiling.
        #[arg(long, default_value_t = 300)]
        transactions: u64,
        /// Fuzz cases run (one devnet at a time) to measure the fuzzer.
        #[arg(long, default_value_t = 40)]
        cases: u64,
        /// Seed of the fuzz cases.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Gas only.
        #[arg(long)]
        skip_throughput: bool,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Allowed calls, and per token the amount used of the limit.
    Show(SessionSelector),
}

#[derive(Args, Clone)]
struct DemoArgs {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
}

#[derive(Args, Clone)]
struct DevnetArgs {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 5050)]
    port: u16,
}

#[derive(Args)]
struct SignerArgs {
    /// Sign with the owner key instead of the session.
    #[arg(long)]
    owner: bool,
    /// Gasless: who relays and pays (SNIP-9 outside execution). `devnet`
    /// uses a predeployed account; an address needs its key in
    /// $SESSION_ACCOUNT_RELAYER_KEY.
    #[arg(long, env = "SESSION_ACCOUNT_RELAYER")]
    relayer: Option<String>,
    /// Pay the fee from the account even when a relayer is configured.
    #[arg(long)]
    user_pays: bool,
    /// Owner keystore (with --owner).
    #[arg(long)]
    keystore: Option<PathBuf>,
    #[command(flatten)]
    selector: SessionSelector,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let out = Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return out.fail(anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    let ctx = match Context::new(cli.home, cli.rpc_url) {
        Ok(ctx) => ctx,
        Err(e) => return out.fail(e),
    };
    let result = runtime.block_on(run(cli.command, &ctx, &out));
    match result {
        Ok(code) => code,
        Err(e) => out.fail(e),
    }
}

async fn run(command: Command, ctx: &Context, out: &Output) -> anyhow::Result<ExitCode> {
    match command {
        Command::Account(command) => account::run(command, ctx, out).await?,
        Command::Session(command) => session::run(command, ctx, out).await?,
        Command::Policy(PolicyCommand::Show(selector)) => session::policy_show(ctx, out, selector).await?,
        Command::Balance { token, address } => {
            let token = parse_token(&token)?;
            let address = match address {
                Some(a) => parse_felt(&a)?,
                None => ctx.load_account()?.address,
            };
            let balance = balance_of(&ctx.provider(), token, address).await?;
            out.print(
                &json!({ "token": format!("{token:#066x}"), "address": format!("{address:#066x}"), "balance": balance.to_string() }),
                || format!("{} {}", format_amount(balance, 18), token_name(token)),
            );
        }
        Command::Transfer { to, amount, token, signer } => {
            let token = parse_token(&token)?;
            let amount = parse_amount(&amount, 18).map_err(anyhow::Error::msg)?;
            let call = transfer_call(token, parse_felt(&to)?, amount);
            send(ctx, out, signer, vec![call], &format!("transferring {} {}", format_amount(amount, 18), token_name(token))).await?;
        }
        Command::Execute { contract, entrypoint, calldata, signer } => {
            let call = Call {
                to: parse_token(&contract)?,
                selector: get_selector_from_name(&entrypoint).with_context(|| format!("{entrypoint:?} is not an entrypoint name"))?,
                calldata: session::parse_calldata(&calldata)?,
            };
            send(ctx, out, signer, vec![call], &format!("calling {entrypoint}")).await?;
        }
        Command::Fuzz { cases, steps, seed, jobs, report: report_path, replay, corpus } => {
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
            if corpus {
                return fuzz_corpus(out);
            }
            let configs = match replay {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                    let saved: session_account::fuzz::CampaignReport = serde_json::from_str(&text)
                        .with_context(|| format!("{} is not a fuzz report (written by `fuzz --report`)", path.display()))?;
                    if saved.divergences.is_empty() {
                        anyhow::bail!("{} records no divergence to replay", path.display());
                    }
                    saved
                        .divergences
                        .iter()
                        .map(|d| session_account::fuzz::CampaignConfig { cases: 1, max_steps: saved.max_steps, seed: d.case_seed, jobs: 1 })
                        .collect()
                }
                None => vec![session_account::fuzz::CampaignConfig { cases, max_steps: steps, seed, jobs }],
            };
            let mut failed = false;
            for config in configs {
                failed |= fuzz_campaign(out, config, report_path.as_deref())?;
            }
            if failed {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Demo(args) => {
            let progress = out.progress();
            let options = DevnetOptions { seed: args.seed, ..DevnetOptions::default() };
            let report = demo::run(options, |step| progress.step(step)).await?;
            progress.finish();
            out.print(&report, || report.to_string());
        }
        Command::Devnet(args) => {
            let options = DevnetOptions { seed: args.seed, port: args.port, ..DevnetOptions::default() };
            let sandbox = Sandbox::start(options).await?;
            let info = serde_json::json!({
                "rpc_url": sandbox.devnet.url().as_str(),
                "chain_id": format!("{:#x}", sandbox.chain_id),
                "session_account_class_hash": format!("{:#x}", sandbox.account_class_hash),
                "predeployed_accounts": sandbox.predeployed.iter().map(|a| serde_json::json!({
                    "address": format!("{:#066x}", a.address),
                    "public_key": format!("{:#066x}", a.public_key),
                })).collect::<Vec<_>>(),
            });
            out.print(&info, || {
                let mut text = format!(
                    "Devnet listening on {}\n  chain id            {:#x}\n  session account     {:#066x} (declared)\n  funded accounts:\n",
                    sandbox.devnet.url(), sandbox.chain_id, sandbox.account_class_hash
                );
                for a in &sandbox.predeployed {
                    text.push_str(&format!("    {:#066x}\n", a.address));
                }
                text.push_str("Private keys: devnet_getPredeployedAccounts. Ctrl-C to stop.");
                text
            });
            tokio::signal::ctrl_c().await?;
        }
        Command::Bench { report: report_path, chart, transactions, cases, seed, skip_throughput } => {
            use session_account::bench;
            let progress = out.progress();
            progress.step("measuring gas (fresh devnet)");
            let gas = bench::gas::measure(&bench::REVOKE_ALL_SESSIONS).await?;
            let write = |report: &bench::BenchReport| -> anyhow::Result<()> {
                std::fs::write(&report_path, serde_json::to_string_pretty(report)?).with_context(|| format!("writing {}", report_path.display()))?;
                bench::chart::draw(&report.gas, &chart).map_err(|e| anyhow::anyhow!("drawing {}: {e}", chart.display()))
            };
            let mut report = bench::BenchReport { targets: bench::targets(&gas, None), gas, throughput: None, notes: bench::notes() };
            // The gas figures are written first: a failing throughput run
            // does not lose them.
            write(&report)?;
            if !skip_throughput {
                progress.step(&format!("measuring throughput: {transactions} plain transfers, then {cases} fuzz cases on one devnet at a time"));
                // Blocking, with its own runtimes: off this one.
                let measured = std::thread::scope(|scope| scope.spawn(|| bench::throughput::measure(transactions, cases, seed)).join())
                    .map_err(|_| anyhow::anyhow!("the throughput bench panicked; the gas figures are in {}", report_path.display()))?
                    .with_context(|| format!("measuring throughput; the gas figures are in {}", report_path.display()))?;
                report.targets = bench::targets(&report.gas, Some(&measured));
                report.throughput = Some(measured);
                write(&report)?;
            }
            progress.finish();
            out.print(&report, || bench_text(&report, &report_path, &chart));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sends `calls` with the session (auto-renewing in grace) or the owner.
async fn send(ctx: &Context, out: &Output, signer: SignerArgs, calls: Vec<Call>, what: &str) -> anyhow::Result<()> {
    let progress = out.progress();
    progress.step(what);
    let confirmed = if signer.owner {
        let record = ctx.load_account()?;
        session_account::tx::execute(&account::owner(ctx, &record, signer.keystore)?, calls).await?
    } else {
        let stored = stored_session_path(ctx, &signer.selector);
        let mut client = session::connect(ctx, signer.selector).await?;
        let confirmed = match (&signer.relayer, signer.user_pays) {
            (Some(relayer), false) => {
                let relayer = context::relayer_account(ctx, relayer).await?;
                client.execute_gasless(calls, &relayer).await?
            }
            _ => {
                if signer.user_pays {
                    check_user_can_pay(ctx, &client).await?;
                }
                client.execute(calls).await?
            }
        };
        // The first transaction registered an authorized session: keep the
        // stored token in step (no authorization any more).
        if let Some(path) = stored {
            if SessionToken::read_file(&path).map(|t| t.authorization.is_some()).unwrap_or(false) {
                client.token().write_file(&path)?;
            }
        }
        confirmed
    };
    progress.finish();
    out.print(
        &json!({
            "transaction_hash": format!("{:#066x}", confirmed.transaction_hash),
            "actual_fee": confirmed.actual_fee.to_string(),
            "l2_gas": confirmed.l2_gas,
        }),
        || {
            format!(
                "transaction  {:#066x}
fee          {} STRK",
                confirmed.transaction_hash,
                format_amount(confirmed.actual_fee, 18)
            )
        },
    );
    Ok(())
}

/// `--user-pays`: the session must be registered and the account hold STRK.
async fn check_user_can_pay(ctx: &Context, client: &session_account::session_client::SessionClient<context::Rpc>) -> anyhow::Result<()> {
    if !client.status().await?.registered && client.token().authorization.is_none() {
        anyhow::bail!("--user-pays needs the session registered: `session register` (owner), or send through a relayer");
    }
    let balance = balance_of(&ctx.provider(), session_account::devnet::STRK, client.token().account).await?;
    if balance == 0 {
        anyhow::bail!(
            "--user-pays needs STRK in the account {:#066x} for the fee; fund it, or drop --user-pays and use a relayer",
            client.token().account
        );
    }
    Ok(())
}

/// The file the session was read from, if it came from a file.
fn stored_session_path(ctx: &Context, selector: &SessionSelector) -> Option<PathBuf> {
    if let Some(path) = &selector.session {
        return Some(path.clone());
    }
    if std::env::var(context::SESSION_ENV).is_ok() {
        return None;
    }
    let path = ctx.session_path();
    path.exists().then_some(path)
}

/// Runs one fuzz campaign with a progress line; true when it diverged.
fn fuzz_campaign(out: &Output, config: session_account::fuzz::CampaignConfig, report_path: Option<&std::path::Path>) -> anyhow::Result<bool> {
    let progress = out.progress();
    let started = std::time::Instant::now();
    // The campaign runs its own devnet runtimes: keep it off this one.
    let report = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                session_account::fuzz::campaign(config, |done, divergences| {
                    if done % 50 == 0 {
                        let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
                        progress.step(&format!("{done} steps, {rate:.1} steps/s, {divergences} divergences"));
                    }
                })
            })
            .join()
    })
    .map_err(|_| anyhow::anyhow!("the fuzz campaign panicked"))?;
    progress.finish();
    if let Some(path) = report_path {
        std::fs::write(path, serde_json::to_string_pretty(&report)?).with_context(|| format!("writing {}", path.display()))?;
    }
    out.print(&report, || {
        let mut text = format!(
            "{} cases, {} steps in {:.1} s on {} devnets ({:.1} steps/s; {:.0}% of the time waiting on devnet), seed {}\n{} divergences",
            report.cases,
            report.steps,
            report.seconds,
            report.jobs,
            report.steps_per_second,
            100.0 * report.devnet_share,
            report.seed,
            report.divergences.len()
        );
        for d in &report.divergences {
            text.push_str(&format!(
                "\n  case seed {} step {}: {}\n    replay: session-account fuzz --cases 1 --seed {} --steps {}",
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
    });
    Ok(!report.divergences.is_empty())
}

/// Runs every attack of the adversarial corpus.
fn fuzz_corpus(out: &Output) -> anyhow::Result<ExitCode> {
    #[derive(serde::Serialize)]
    struct Outcome {
        attack: &'static str,
        what: &'static str,
        refused: String,
        ok: bool,
        failure: Option<String>,
    }
    let progress = out.progress();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                session_account::fuzz::corpus::attacks()
                    .iter()
                    .map(|attack| {
                        progress.step(&format!("attack {}", attack.name));
                        // A devnet failure fails this attack, not the run.
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session_account::fuzz::corpus::run(attack)))
                            .unwrap_or_else(|_| Err(format!("{}: the run panicked (see stderr)", attack.name)));
                        Outcome {
                            attack: attack.name,
                            what: attack.what,
                            refused: format!("{:?}", attack.refused),
                            ok: result.is_ok(),
                            failure: result.err(),
                        }
                    })
                    .collect()
            })
            .join()
    })
    .map_err(|_| anyhow::anyhow!("the corpus run panicked"))?;
    progress.finish();
    let failed = outcomes.iter().filter(|o| !o.ok).count();
    out.print(&outcomes, || {
        let mut text = String::new();
        for o in &outcomes {
            match &o.failure {
                None => text.push_str(&format!("refused  {:<36} {}\n", o.attack, o.what)),
                Some(f) => text.push_str(&format!("FAILED   {:<36} {f}\n", o.attack)),
            }
        }
        text.push_str(&format!("{} attacks, {} refused as the model predicts, {failed} failed", outcomes.len(), outcomes.len() - failed));
        text
    });
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn bench_text(report: &session_account::bench::BenchReport, report_path: &std::path::Path, chart: &std::path::Path) -> String {
    let mut text = format!("{:<50} {:<22} {:>10} {:>10} {:>10} {:>8}\n", "operation", "account", "L2 gas", "validate", "execute", "vs base");
    for r in &report.gas {
        let ratio = r.vs_baseline.map(|x| format!("{x:.2}x")).unwrap_or_default();
        text.push_str(&format!(
            "{:<50} {:<22} {:>10} {:>10} {:>10} {:>8}\n",
            r.operation,
            r.account.label(),
            r.l2_gas,
            r.validate_l2_gas,
            r.execute_l2_gas,
            ratio
        ));
    }
    if let Some(t) = &report.throughput {
        text.push_str(&format!(
            "\nthroughput: ceiling {:.1} tx/s ({} plain transfers; {:.2} ms signing + {:.2} ms RPC and devnet each); session transfers from our account {:.1} tx/s; fuzzer {:.1} tx/s ({} transactions in {} steps, {} cases): {:.2}x the ceiling\n",
            t.ceiling_tps, t.ceiling_transactions, t.ceiling_signing_ms, t.ceiling_rpc_and_devnet_ms, t.session_transfer_tps, t.fuzz_tps, t.fuzz_transactions, t.fuzz_steps, t.fuzz_cases, t.ratio
        ));
        let total: f64 = t.fuzz_breakdown_seconds.values().sum();
        for (what, seconds) in &t.fuzz_breakdown_seconds {
            text.push_str(&format!("  {:>5.1}%  {what} ({seconds:.1} s)\n", 100.0 * seconds / total.max(1e-9)));
        }
    }
    text.push_str("\ntargets:\n");
    for t in &report.targets {
        text.push_str(&format!("  [{}] {}: {} (target {})\n", if t.met { "met" } else { "MISSED" }, t.name, t.measured, t.target));
    }
    text.push_str(&format!("\nwrote {} and {}", report_path.display(), chart.display()));
    text
}
