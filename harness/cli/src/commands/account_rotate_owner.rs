//! `account rotate-owner`: the owner moves the account to a new key, saved
//! as an encrypted keystore. Unused authorizations die with it (§7.3).

use std::path::PathBuf;

use anyhow::Context as _;
use serde::Serialize;
use session_account::account::OwnerOperations;
use session_account::keys::{save_keystore, KEYSTORE_PASSWORD_ENV};
use starknet_rust::signers::SigningKey;

use crate::context::Context;
use crate::output::{Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// The current owner keystore (default: the account's, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// Where to save the new owner key (encrypted, same password).
    #[arg(long)]
    new_keystore: PathBuf,
}

#[derive(Serialize)]
pub struct Rotated {
    transaction_hash: Hex,
    owner_public_key: Hex,
    keystore: PathBuf,
}

impl Response for Rotated {
    fn text(&self) -> String {
        format!(
            "owner key rotated; new owner public key {}\nkeystore     {}\ntransaction  {}",
            self.owner_public_key,
            self.keystore.display(),
            self.transaction_hash
        )
    }
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Rotated> {
    let mut record = ctx.load_account()?;
    let password = std::env::var(KEYSTORE_PASSWORD_ENV).with_context(|| {
        format!("the new keystore's password must be in ${KEYSTORE_PASSWORD_ENV}")
    })?;
    let owner = ctx.owner(&record, args.keystore.as_deref())?;
    let new_key = SigningKey::from_random();
    save_keystore(&new_key, &args.new_keystore, &password)?;
    let progress = out.progress();
    progress.step("rotating the owner key (owner transaction)");
    let confirmed = owner.set_owner(record.owner_public_key, &new_key).await?;
    record.owner_public_key = new_key.verifying_key().scalar();
    record.keystore = Some(args.new_keystore.clone());
    ctx.save_account(&record)?;
    Ok(Rotated {
        transaction_hash: Hex(confirmed.transaction_hash),
        owner_public_key: Hex(record.owner_public_key),
        keystore: args.new_keystore,
    })
}
