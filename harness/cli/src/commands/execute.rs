//! `execute`: any contract entrypoint, with the session (or the owner with
//! `--owner`).

use starknet_rust::core::types::{Call, Felt};
use starknet_rust::core::utils::get_selector_from_name;

use super::sending::{send, Executed, SignerArgs};
use crate::context::{value, Context};
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The contract: an address, or STRK / ETH.
    #[arg(long, value_parser = value::token)]
    contract: Felt,
    /// The entrypoint's name, e.g. `transfer`.
    #[arg(long, value_parser = value::entrypoint)]
    entrypoint: String,
    /// Comma-separated felts (decimal or 0x-hex).
    #[arg(long, value_delimiter = ',', value_parser = value::felt)]
    calldata: Vec<Felt>,
    #[command(flatten)]
    signer: SignerArgs,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Executed> {
    let what = format!("calling {}", args.entrypoint);
    let selector = get_selector_from_name(&args.entrypoint).expect("checked by its value parser");
    let call = Call { to: args.contract, selector, calldata: args.calldata };
    send(ctx, out, args.signer, vec![call], &what).await
}
