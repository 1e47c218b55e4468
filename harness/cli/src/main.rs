//! `session-account`: deploy the session account, grant and use sessions,
//! run the demo, fuzz and bench. `session-account --help` lists the
//! commands; each lives in its own file under `commands/` and returns a
//! typed response, shown as text or (`--json`) as one JSON document.
//!
//! Exit codes: 0 success; 1 the command failed (the message says why and
//! what to do next); 2 invalid usage; 3 the account refused the
//! transaction (a policy check failed: rejected or reverted).

mod commands;
mod context;
mod output;
mod owner;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commands::*;
use context::Context;
use output::Output;
use url::Url;

/// Where the CLI looks for a node unless told otherwise: the devnet that
/// `session-account devnet` starts.
const DEFAULT_RPC_URL: &str = "http://127.0.0.1:5050/rpc";

#[derive(Parser)]
#[command(
    name = "session-account",
    version,
    about = "Starknet session-key account: deploy, delegate, transact, test"
)]
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
    Demo(demo::Args),
    /// Run an embedded devnet in the foreground until Ctrl-C (default port 5050).
    Devnet(devnet::Args),
    /// Deploy and administer the account (owner key).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Create, share and use sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Show what the current session may do and has used.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Token balance of the account (or any address).
    Balance(balance::Args),
    /// Transfer tokens with the session (or the owner with --owner).
    Transfer(transfer::Args),
    /// Call any contract entrypoint with the session (or the owner with --owner).
    Execute(execute::Args),
    /// Fuzz session flows on embedded devnets against the reference model.
    Fuzz(fuzz::Args),
    /// Mutation campaign: mutate each rule of the contract (contracts/mutants.toml)
    /// and check that snforge, the attack corpus and the fuzzer notice.
    Mutants(mutants::Args),
    /// Measure gas per operation and account kind, and the fuzzer's
    /// throughput, on embedded devnets; write a JSON report and an SVG chart.
    Bench(bench::Args),
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Declare the session account class (devnet: paid by a predeployed account).
    Declare(account_declare::Args),
    /// Deploy a session account owned by the owner key (counterfactual DEPLOY_ACCOUNT v3).
    Deploy(account_deploy::Args),
    /// Show the account: address, owner kind and id, balance, revocation epoch.
    Show,
    /// The embedded account class: Sierra class hash, compiled class hash, sizes.
    Class,
    /// Owner: revoke every session at once.
    RevokeAll(account_revoke_all::Args),
    /// Owner: rotate the owner key to a new encrypted keystore.
    RotateOwner(account_rotate_owner::Args),
}

#[derive(Subcommand)]
enum SessionCommand {
    /// Create a session key and policy; register it (owner tx) or authorize it.
    Create(Box<session_create::Args>),
    /// Owner: register the current session with an owner transaction.
    Register(session_register::Args),
    /// Store a session token given on stdin or in an environment variable.
    Import(session_import::Args),
    /// Print the current session token (it holds the session's private key).
    Export(SessionSelector),
    /// Show the session's on-chain status.
    Status(SessionSelector),
    /// Renew the session (only expired, renewable sessions inside their grace period).
    Renew(SessionSelector),
    /// Revoke the session (signed by the session itself, or by the owner with --owner).
    Revoke(session_revoke::Args),
    /// Owner: revoke every session at once (same as `account revoke-all`).
    RevokeAll(account_revoke_all::Args),
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Fee cap and budget, allowed calls, and per token the amount used of the limit.
    Show(SessionSelector),
}

fn main() -> ExitCode {
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
    match runtime.block_on(dispatch(cli.command, &ctx, &out)) {
        Ok(code) => code,
        Err(e) => out.fail(e),
    }
}

/// Runs `command` and renders its response.
async fn dispatch(command: Command, ctx: &Context, out: &Output) -> anyhow::Result<ExitCode> {
    use AccountCommand as A;
    use SessionCommand as S;
    Ok(match command {
        Command::Demo(args) => out.render(&demo::run(args, out).await?),
        Command::Devnet(args) => devnet::run(args, out).await?,
        Command::Account(A::Declare(args)) => {
            out.render(&account_declare::run(args, ctx, out).await?)
        }
        Command::Account(A::Deploy(args)) => {
            out.render(&account_deploy::run(args, ctx, out).await?)
        }
        Command::Account(A::Show) => out.render(&account_show::run(ctx).await?),
        Command::Account(A::Class) => out.render(&account_class::run()?),
        Command::Account(A::RevokeAll(args)) | Command::Session(S::RevokeAll(args)) => {
            out.render(&account_revoke_all::run(args, ctx, out).await?)
        }
        Command::Account(A::RotateOwner(args)) => {
            out.render(&account_rotate_owner::run(args, ctx, out).await?)
        }
        Command::Session(S::Create(args)) => {
            out.render(&session_create::run(*args, ctx, out).await?)
        }
        Command::Session(S::Register(args)) => {
            out.render(&session_register::run(args, ctx, out).await?)
        }
        Command::Session(S::Import(args)) => out.render(&session_import::run(args, ctx).await?),
        Command::Session(S::Export(selector)) => out.render(&session_export::run(selector, ctx)?),
        Command::Session(S::Status(selector)) => {
            out.render(&session_status::run(selector, ctx).await?)
        }
        Command::Session(S::Renew(selector)) => {
            out.render(&session_renew::run(selector, ctx, out).await?)
        }
        Command::Session(S::Revoke(args)) => {
            out.render(&session_revoke::run(args, ctx, out).await?)
        }
        Command::Policy(PolicyCommand::Show(selector)) => {
            out.render(&policy_show::run(selector, ctx).await?)
        }
        Command::Balance(args) => out.render(&balance::run(args, ctx).await?),
        Command::Transfer(args) => out.render(&transfer::run(args, ctx, out).await?),
        Command::Execute(args) => out.render(&execute::run(args, ctx, out).await?),
        Command::Fuzz(args) => fuzz::run(args, out)?,
        Command::Mutants(args) => mutants::run(args, out)?,
        Command::Bench(args) => out.render(&bench::run(args, out).await?),
    })
}
