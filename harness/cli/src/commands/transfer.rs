//! `transfer`: tokens, with the session (or the owner with `--owner`).

use session_account::token::{format_amount, transfer_call};
use starknet_rust::core::types::Felt;

use super::sending::{send, Executed, SignerArgs};
use crate::context::{token_name, value, Context};
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    /// The recipient's address.
    #[arg(long, value_parser = value::felt)]
    to: Felt,
    /// Amount in whole tokens (18 decimals), e.g. 1.5.
    #[arg(long, value_parser = value::amount)]
    amount: u128,
    /// `STRK`, `ETH` or a token address.
    #[arg(long, default_value = "STRK", value_parser = value::token)]
    token: Felt,
    #[command(flatten)]
    signer: SignerArgs,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Executed> {
    let (token, amount) = (args.token, args.amount);
    let call = transfer_call(token, args.to, amount);
    let what = format!("transferring {} {}", format_amount(amount, 18), token_name(token));
    send(ctx, out, args.signer, vec![call], &what).await
}
