//! `balance`: a token balance of the account, or of any address.

use serde::Serialize;
use session_account::token::balance_of;

use crate::context::{parse_felt, parse_token, token_name, Context};
use crate::output::{Amount, Hex, Response};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = "STRK")]
    token: String,
    /// Whose balance (default: the account).
    #[arg(long)]
    address: Option<String>,
}

#[derive(Serialize)]
pub struct Balance {
    token: Hex,
    address: Hex,
    balance: Amount,
}

impl Response for Balance {
    fn text(&self) -> String {
        format!("{} {}", self.balance, token_name(self.token.0))
    }
}

pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<Balance> {
    let token = parse_token(&args.token)?;
    let address = match args.address {
        Some(a) => parse_felt(&a)?,
        None => ctx.load_account()?.address,
    };
    let balance = balance_of(&ctx.provider(), token, address).await?;
    Ok(Balance { token: Hex(token), address: Hex(address), balance: Amount(balance) })
}
