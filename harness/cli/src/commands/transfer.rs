//! `transfer`: tokens, with the session (or the owner with `--owner`).

use session_account::token::{format_amount, parse_amount, transfer_call};

use super::sending::{send, Executed, SignerArgs};
use crate::context::{parse_felt, parse_token, token_name, Context};
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    to: String,
    /// Amount in whole tokens (18 decimals), e.g. 1.5.
    #[arg(long)]
    amount: String,
    #[arg(long, default_value = "STRK")]
    token: String,
    #[command(flatten)]
    signer: SignerArgs,
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Executed> {
    let token = parse_token(&args.token)?;
    let amount = parse_amount(&args.amount, 18).map_err(anyhow::Error::msg)?;
    let call = transfer_call(token, parse_felt(&args.to)?, amount);
    let what = format!("transferring {} {}", format_amount(amount, 18), token_name(token));
    send(ctx, out, args.signer, vec![call], &what).await
}
