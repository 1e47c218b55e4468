//! How `transfer` and `execute` send calls: with the session (renewing it
//! when it expired inside its grace period; gasless through a relayer when
//! one is configured), or with the owner key.

use std::path::PathBuf;

use serde::Serialize;
use session_account::session_client::SessionClient;
use session_account::session_token::SessionToken;
use session_account::token::{balance_of, STRK};
use session_account::tx::Confirmed;
use session_account::Rpc;
use starknet_rust::core::types::Call;

use super::SessionSelector;
use crate::context::{Context, SESSION_ENV};
use crate::output::{Amount, Hex, Output, Response};

#[derive(clap::Args)]
pub struct SignerArgs {
    /// Sign with the owner key instead of the session.
    #[arg(long)]
    owner: bool,
    /// Gasless: who relays and pays (SNIP-9 outside execution). `devnet`
    /// uses a predeployed account; an address needs its key in
    /// $SESSION_ACCOUNT_RELAYER_KEY.
    #[arg(long, env = "SESSION_ACCOUNT_RELAYER")]
    relayer: Option<String>,
    /// Pay the fee from the account even when a relayer is configured.
    #[arg(long)]
    user_pays: bool,
    /// Owner keystore (with --owner).
    #[arg(long)]
    keystore: Option<PathBuf>,
    #[command(flatten)]
    selector: SessionSelector,
}

/// A transaction (or relayed outside execution) that went through.
#[derive(Serialize)]
pub struct Executed {
    transaction_hash: Hex,
    /// What whoever paid (the account, or the relayer) paid, in fri.
    actual_fee: Amount,
    l2_gas: u64,
    gasless: bool,
}

impl Response for Executed {
    fn text(&self) -> String {
        let payer = if self.gasless { " (paid by the relayer)" } else { "" };
        format!(
            "transaction  {}\nfee          {} STRK{payer}",
            self.transaction_hash, self.actual_fee
        )
    }
}

/// Sends `calls` as `signer` says; `what` is the progress message.
pub async fn send(
    ctx: &Context,
    out: &Output,
    signer: SignerArgs,
    calls: Vec<Call>,
    what: &str,
) -> anyhow::Result<Executed> {
    let progress = out.progress();
    progress.step(what);
    let gasless = signer.relayer.is_some() && !signer.user_pays && !signer.owner;
    let confirmed = if signer.owner {
        let record = ctx.load_account()?;
        session_account::tx::execute(&ctx.owner(&record, signer.keystore.as_deref())?, calls)
            .await?
    } else {
        let stored = stored_session_path(ctx, &signer.selector);
        let mut client = ctx.connect(signer.selector.session.as_deref()).await?;
        let confirmed = match (&signer.relayer, signer.user_pays) {
            (Some(relayer), false) => {
                let relayer = ctx.relayer(relayer).await?;
                client.execute_gasless(calls, &relayer).await?
            }
            _ => {
                if signer.user_pays {
                    check_user_can_pay(ctx, &client).await?;
                }
                client.execute(calls).await?
            }
        };
        // The first transaction registered an authorized session: keep the
        // stored token in step (no authorization any more).
        if let Some(path) = stored {
            if SessionToken::read_file(&path).map(|t| t.authorization.is_some()).unwrap_or(false) {
                client.token().write_file(&path)?;
            }
        }
        confirmed
    };
    Ok(executed(confirmed, gasless))
}

fn executed(confirmed: Confirmed, gasless: bool) -> Executed {
    Executed {
        transaction_hash: Hex(confirmed.transaction_hash),
        actual_fee: Amount(confirmed.actual_fee),
        l2_gas: confirmed.l2_gas,
        gasless,
    }
}

/// `--user-pays`: the session must be registered and the account hold STRK.
async fn check_user_can_pay(ctx: &Context, client: &SessionClient<Rpc>) -> anyhow::Result<()> {
    if !client.status().await?.registered && client.token().authorization.is_none() {
        anyhow::bail!(
            "--user-pays needs the session registered: `session register` (owner), \
             or send through a relayer"
        );
    }
    let balance = balance_of(&ctx.provider(), STRK, client.token().account).await?;
    if balance == 0 {
        anyhow::bail!(
            "--user-pays needs STRK in the account {:#066x} for the fee; \
             fund it, or drop --user-pays and use a relayer",
            client.token().account
        );
    }
    Ok(())
}

/// The file the session was read from, if it came from a file.
fn stored_session_path(ctx: &Context, selector: &SessionSelector) -> Option<PathBuf> {
    if let Some(path) = &selector.session {
        return Some(path.clone());
    }
    if std::env::var(SESSION_ENV).is_ok() {
        return None;
    }
    let path = ctx.session_path();
    path.exists().then_some(path)
}
