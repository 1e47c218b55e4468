//! `account revoke-all` (also `session revoke-all`): the owner ends every
//! session at once, in O(1).

use std::path::PathBuf;

use serde::Serialize;
use session_account::account::OwnerOperations;
use session_account::policy::views::AccountViews;

use crate::context::Context;
use crate::output::{Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Owner keystore (default: the account's, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
}

#[derive(Serialize)]
pub struct RevokedAll {
    transaction_hash: Hex,
    revocation_epoch: u64,
}

impl Response for RevokedAll {
    fn text(&self) -> String {
        format!(
            "all sessions revoked (epoch {})\ntransaction  {}",
            self.revocation_epoch, self.transaction_hash
        )
    }
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<RevokedAll> {
    let record = ctx.load_account()?;
    let owner = ctx.owner(&record, args.keystore.as_deref())?;
    let progress = out.progress();
    progress.step("revoking every session (owner transaction)");
    let confirmed = owner.revoke_all_sessions().await?;
    let epoch = AccountViews::new(&ctx.provider(), record.address).revocation_epoch().await?;
    Ok(RevokedAll { transaction_hash: Hex(confirmed.transaction_hash), revocation_epoch: epoch })
}
