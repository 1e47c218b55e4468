//! `account declare`: the session account class (devnet: paid by a
//! predeployed account; elsewhere by `--from`).

use serde::Serialize;
use session_account::contract::ContractArtifact;
use session_account_testkit::classes::declare;

use crate::context::Context;
use crate::output::{Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Existing funded account paying for the declaration (key in $SESSION_ACCOUNT_DECLARER_KEY).
    #[arg(long)]
    from: Option<String>,
}

#[derive(Serialize)]
pub struct Declared {
    class_hash: Hex,
}

impl Response for Declared {
    fn text(&self) -> String {
        format!("class hash  {}", self.class_hash)
    }
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Declared> {
    let chain_id = ctx.chain_id().await?;
    let progress = out.progress();
    progress.step("declaring the session account class");
    let declarer = ctx.declarer(args.from.as_deref(), chain_id).await?;
    let class_hash = declare(&declarer, &ContractArtifact::session_account()).await?;
    Ok(Declared { class_hash: Hex(class_hash) })
}
