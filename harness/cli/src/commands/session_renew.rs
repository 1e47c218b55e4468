//! `session renew`: an expired, renewable session renews itself inside its
//! grace period, by one renewal period.

use serde::Serialize;

use super::SessionSelector;
use crate::context::Context;
use crate::output::{when, Hex, Output, Response};

#[derive(Serialize)]
pub struct Renewed {
    transaction_hash: Hex,
    valid_until: u64,
    /// The chain's time after the renewal (unix seconds).
    now: u64,
}

impl Response for Renewed {
    fn text(&self) -> String {
        format!(
            "session renewed until {}\ntransaction  {}",
            when(self.valid_until, self.now),
            self.transaction_hash
        )
    }
}

pub async fn run(
    selector: SessionSelector,
    ctx: &Context,
    out: &Output,
) -> anyhow::Result<Renewed> {
    let mut client = ctx.connect(selector.session.as_deref()).await?;
    let progress = out.progress();
    progress.step("renewing the session");
    let confirmed = client.renew().await?;
    let status = client.status().await?;
    Ok(Renewed {
        transaction_hash: Hex(confirmed.transaction_hash),
        valid_until: status.valid_until,
        now: ctx.chain_time().await?,
    })
}
