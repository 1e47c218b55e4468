//! `session import`: store a session token given on stdin or in an
//! environment variable (never as an argument: it holds a private key).

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context as _;
use serde::Serialize;
use session_account::session_token::{chain_name, SessionToken};

use crate::context::Context;
use crate::output::{Hex, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Read the token from this environment variable (default: stdin).
    #[arg(long)]
    from_env: Option<String>,
    /// Where to store it (default: the home folder's session).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
pub struct Imported {
    session_public_key: Hex,
    account: Hex,
    chain: String,
    path: PathBuf,
}

impl Response for Imported {
    fn text(&self) -> String {
        format!(
            "session {} imported\naccount  {} on {}\nsaved to {}",
            self.session_public_key,
            self.account,
            self.chain,
            self.path.display()
        )
    }
}

pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<Imported> {
    let text = match &args.from_env {
        Some(var) => std::env::var(var).with_context(|| format!("${var} is not set"))?,
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading the token from stdin")?;
            text
        }
    };
    let token = SessionToken::decode(&text)?;
    token.check_chain(ctx.chain_id().await?)?;
    let path = ctx.save_session(&token, args.out.as_deref())?;
    Ok(Imported {
        session_public_key: Hex(token.session_public_key()),
        account: Hex(token.account),
        chain: chain_name(token.chain_id),
        path,
    })
}
