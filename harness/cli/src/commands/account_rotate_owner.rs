//! `account rotate-owner`: the owner hands the account to a new owner of
//! any kind (§7.3, §2.1), which proves itself by signing the rotation.
//! Unused authorizations die with the old owner.

use std::path::PathBuf;

use anyhow::bail;
use serde::Serialize;
use session_account::account::owner::calls;
use session_account::signers::OwnerSigner;

use crate::context::Context;
use crate::output::{Hex, Output, Response};
use crate::owner::{self, OwnerKind, OwnerSecret};

#[derive(clap::Args)]
pub struct Args {
    /// The current owner's keystore (default: where the account record
    /// says its secret is, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// The new owner's kind.
    #[arg(long, value_enum, default_value_t = OwnerKind::Stark)]
    to: OwnerKind,
    /// Create the new owner and save it here: an encrypted keystore (same
    /// password), or for a passkey a software passkey file (devnet).
    #[arg(long, required_unless_present_any = ["to_keystore", "to_passkey"])]
    new_keystore: Option<PathBuf>,
    /// Hand over to an existing key: its encrypted keystore (Stark or P-256).
    #[arg(long, conflicts_with_all = ["new_keystore", "to_passkey"])]
    to_keystore: Option<PathBuf>,
    /// Hand over to an existing software passkey file.
    #[arg(long, conflicts_with = "new_keystore")]
    to_passkey: Option<PathBuf>,
    /// A new passkey's relying party id.
    #[arg(long, default_value = "localhost")]
    rp_id: String,
    /// A new passkey's origin.
    #[arg(long, default_value = "http://localhost")]
    origin: String,
}

#[derive(Serialize)]
pub struct Rotated {
    transaction_hash: Hex,
    owner_kind: OwnerKind,
    owner_id: Hex,
    secret: PathBuf,
}

impl Response for Rotated {
    fn text(&self) -> String {
        format!(
            "owner rotated to a {} (owner id {})\nsecret       {}\ntransaction  {}",
            self.owner_kind.describe(),
            self.owner_id,
            self.secret.display(),
            self.transaction_hash
        )
    }
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Rotated> {
    let mut record = ctx.load_account()?;
    let current = ctx.owner(&record, args.keystore.as_deref())?;
    let (next, secret, path) = match (&args.new_keystore, &args.to_keystore, &args.to_passkey) {
        (Some(path), None, None) => {
            let (next, secret) = owner::create(args.to, path, &args.rp_id, &args.origin)?;
            (next, secret, path.clone())
        }
        (None, Some(path), None) if args.to != OwnerKind::Webauthn => {
            let secret = OwnerSecret::Keystore { path: path.clone() };
            (owner::load(args.to, &secret)?, secret, path.clone())
        }
        (None, None, Some(path)) if args.to == OwnerKind::Webauthn => {
            let secret = OwnerSecret::SoftwarePasskey { path: path.clone() };
            (owner::load(args.to, &secret)?, secret, path.clone())
        }
        _ => bail!(
            "pass --new-keystore FILE, or --to-keystore FILE (--to stark|p256), \
             or --to-passkey FILE (--to webauthn)"
        ),
    };
    let rotate =
        calls::set_owner_key(record.address, record.chain_id, &current.owner().owner_key(), &next)?;
    let progress = out.progress();
    progress.step("rotating the owner (owner transaction, proven by the new owner)");
    let confirmed = session_account::tx::execute(&current, vec![rotate]).await?;
    record.set_owner(&next.owner_key(), &secret);
    ctx.save_account(&record)?;
    Ok(Rotated {
        transaction_hash: Hex(confirmed.transaction_hash),
        owner_kind: record.owner_kind,
        owner_id: Hex(record.owner_id),
        secret: path,
    })
}
