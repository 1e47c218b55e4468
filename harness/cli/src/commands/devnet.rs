//! `devnet`: an embedded devnet in the foreground, the session account
//! class declared, until Ctrl-C.

use std::process::ExitCode;

use serde::Serialize;
use session_account_testkit::devnet::embedded::DEFAULT_SEED;
use session_account_testkit::devnet::{DevnetOptions, Sandbox};

use crate::output::{fields, Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 5050)]
    port: u16,
}

/// What is running, printed once the devnet listens.
#[derive(Serialize)]
pub struct Running {
    rpc_url: String,
    chain_id: Hex,
    session_account_class_hash: Hex,
    predeployed_accounts: Vec<Predeployed>,
}

#[derive(Serialize)]
struct Predeployed {
    address: Hex,
    public_key: Hex,
}

impl Response for Running {
    fn text(&self) -> String {
        let accounts: Vec<String> =
            self.predeployed_accounts.iter().map(|a| a.address.to_string()).collect();
        let rows = fields(&[
            ("chain id", self.chain_id.to_string()),
            (
                "session account class hash",
                format!("{} (declared)", self.session_account_class_hash),
            ),
            ("funded accounts", accounts.join(&format!("\n{:28}", ""))),
        ]);
        format!(
            "Devnet listening on {}\n{rows}\n\
             Their private keys: devnet_getPredeployedAccounts. Ctrl-C to stop.",
            self.rpc_url
        )
    }
}

/// Starts the devnet, prints what runs, and serves until Ctrl-C.
pub async fn run(args: Args, out: &Output) -> anyhow::Result<ExitCode> {
    let options = DevnetOptions { seed: args.seed, port: args.port, ..DevnetOptions::default() };
    let sandbox = Sandbox::start(options).await?;
    let running = Running {
        rpc_url: sandbox.devnet.url().to_string(),
        chain_id: Hex(sandbox.chain_id),
        session_account_class_hash: Hex(sandbox.account_class_hash),
        predeployed_accounts: sandbox
            .predeployed
            .iter()
            .map(|a| Predeployed { address: Hex(a.address), public_key: Hex(a.public_key) })
            .collect(),
    };
    let code = out.render(&running);
    tokio::signal::ctrl_c().await?;
    Ok(code)
}
