//! `session register`: the owner registers the current session with an
//! owner transaction (instead of its authorization).

use std::path::PathBuf;

use session_account::account::OwnerOperations;

use super::{Sent, SessionSelector};
use crate::context::Context;
use crate::output::{Hex, Output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selector: SessionSelector,
    /// Owner keystore (default: the account's, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Sent> {
    let token = ctx.load_session(args.selector.session.as_deref())?;
    let record = ctx.load_account()?;
    let owner = ctx.owner(&record, args.keystore.as_deref())?;
    let progress = out.progress();
    progress.step("registering the session (owner transaction)");
    let confirmed = owner.register_session(&token.policy).await?;
    Ok(Sent { what: "session registered", transaction_hash: Hex(confirmed.transaction_hash) })
}
