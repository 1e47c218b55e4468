//! `session revoke`: the session revokes itself (e.g. on logout), or the
//! owner revokes it (`--owner`).

use std::path::PathBuf;

use session_account::account::OwnerOperations;

use super::{Sent, SessionSelector};
use crate::context::Context;
use crate::output::{Hex, Output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selector: SessionSelector,
    /// Revoke with an owner transaction instead.
    #[arg(long)]
    owner: bool,
    /// Owner keystore (with --owner).
    #[arg(long)]
    keystore: Option<PathBuf>,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Sent> {
    let progress = out.progress();
    progress.step("revoking the session");
    let session = args.selector.session.as_deref();
    let confirmed = if args.owner {
        let token = ctx.load_session(session)?;
        let record = ctx.load_account()?;
        ctx.owner(&record, args.keystore.as_deref())?
            .revoke_session(token.session_public_key())
            .await?
    } else {
        ctx.connect(session).await?.revoke().await?
    };
    Ok(Sent { what: "session revoked", transaction_hash: Hex(confirmed.transaction_hash) })
}
