//! `balance`: a token balance of the account, or of any address.

use serde::Serialize;
use session_account::token::balance_of;

use starknet_rust::core::types::Felt;

use crate::context::{token_name, value, Context};
use crate::output::{Amount, Hex, Response};

#[derive(clap::Args)]
pub struct Args {
    /// `STRK`, `ETH` or a token address.
    #[arg(long, default_value = "STRK", value_parser = value::token)]
    token: Felt,
    /// Whose balance (default: the account).
    #[arg(long, value_parser = value::felt)]
    address: Option<Felt>,
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
    let token = args.token;
    let address = match args.address {
        Some(address) => address,
        None => ctx.load_account()?.address,
    };
    let balance = balance_of(&ctx.provider(), token, address).await?;
    Ok(Balance { token: Hex(token), address: Hex(address), balance: Amount(balance) })
}
