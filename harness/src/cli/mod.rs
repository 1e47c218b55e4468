//! Command-line interface. Every command takes `--json`: one JSON document on
//! stdout instead of human output; progress and logs go to stderr.
//!
//! Exit codes: 0 success; 1 the command failed (the message says why and
//! what to do next); 2 invalid usage.

mod output;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use session_account::cairo_test;
use session_account::demo;
use session_account::devnet::embedded::{DevnetOptions, DEFAULT_SEED};
use session_account::devnet::sandbox::Sandbox;

use output::Output;

#[derive(Parser)]
#[command(name = "session-account", version, about = "Starknet session-key account: deploy, delegate, transact, test")]
struct Cli {
    /// Print one JSON document on stdout instead of human-readable output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// End-to-end session demo on an embedded devnet.
    Demo(DevnetArgs),
    /// Run an embedded devnet in the foreground until Ctrl-C.
    Devnet(DevnetArgs),
    /// Run the Cairo tests (contracts/tests) on an embedded devnet.
    CairoTest {
        /// Only run tests whose `Contract::test` name contains this.
        filter: Option<String>,
    },
}

#[derive(Args, Clone)]
struct DevnetArgs {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
}

impl DevnetArgs {
    fn options(&self) -> DevnetOptions {
        DevnetOptions { seed: self.seed, port: self.port, ..DevnetOptions::default() }
    }
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
    let result = runtime.block_on(run(cli.command, &out));
    match result {
        Ok(code) => code,
        Err(e) => out.fail(e),
    }
}

async fn run(command: Command, out: &Output) -> anyhow::Result<ExitCode> {
    match command {
        Command::Demo(args) => {
            let progress = out.progress();
            let report = demo::run(args.options(), |step| progress.step(step)).await?;
            progress.finish();
            out.print(&report, || report.to_string());
            Ok(ExitCode::SUCCESS)
        }
        Command::Devnet(args) => {
            let sandbox = Sandbox::start(args.options()).await?;
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
            Ok(ExitCode::SUCCESS)
        }
        Command::CairoTest { filter } => {
            let progress = out.progress();
            progress.step("starting an embedded devnet");
            let sandbox = Sandbox::start(DevnetOptions::default()).await?;
            progress.step("running Cairo tests");
            let results = cairo_test::run_all(&sandbox.funded_account(0), filter.as_deref()).await?;
            progress.finish();
            let failed = results.iter().filter(|r| !r.passed).count();
            out.print(&results, || {
                let mut text = String::new();
                for r in &results {
                    let status = if r.passed { "ok  " } else { "FAIL" };
                    text.push_str(&format!("{status} {}::{}", r.contract, r.test));
                    if !r.passed {
                        text.push_str(&format!("\n     {}", r.detail));
                    }
                    text.push('\n');
                }
                text.push_str(&format!("{} passed, {} failed", results.len() - failed, failed));
                text
            });
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
    }
}
