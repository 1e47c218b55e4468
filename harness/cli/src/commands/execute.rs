//! `execute`: any contract entrypoint, with the session (or the owner with
//! `--owner`).

use anyhow::Context as _;
use starknet_rust::core::types::Call;
use starknet_rust::core::utils::get_selector_from_name;

use super::sending::{send, Executed, SignerArgs};
use crate::context::{parse_calldata, parse_token, Context};
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The contract: an address, or STRK / ETH.
    #[arg(long)]
    contract: String,
    #[arg(long)]
    entrypoint: String,
    /// Comma-separated felts (decimal or 0x-hex).
    #[arg(long, default_value = "")]
    calldata: String,
    #[command(flatten)]
    signer: SignerArgs,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Executed> {
    let call = Call {
        to: parse_token(&args.contract)?,
        selector: get_selector_from_name(&args.entrypoint)
            .with_context(|| format!("{:?} is not an entrypoint name", args.entrypoint))?,
        calldata: parse_calldata(&args.calldata)?,
    };
    send(ctx, out, args.signer, vec![call], &format!("calling {}", args.entrypoint)).await
}
