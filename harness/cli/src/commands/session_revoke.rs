//! `session revoke`: the session revokes itself (e.g. on logout), or the
//! owner revokes it (`--owner`), and with `--clear-allowances` sets every
//! allowance the session granted back to zero in the same transaction.
//! Revoke-all does not clear them (it stays O(1)): after it, run
//! `session revoke --owner --clear-allowances` for each session that
//! approved a spender (a session of an older epoch can still be revoked).

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
    /// With --owner: also set every allowance the session granted back to
    /// zero (spec §4.10), in the same transaction.
    #[arg(long, requires = "owner")]
    clear_allowances: bool,
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
        let owner = ctx.owner(&record, args.keystore.as_deref())?;
        let key = token.session_public_key();
        if args.clear_allowances {
            owner.revoke_session_clearing_allowances(key).await?
        } else {
            owner.revoke_session(key).await?
        }
    } else {
        ctx.connect(session).await?.revoke().await?
    };
    let what = if args.clear_allowances {
        "session revoked, its allowances set to zero"
    } else {
        "session revoked"
    };
    Ok(Sent { what, transaction_hash: Hex(confirmed.transaction_hash) })
}
