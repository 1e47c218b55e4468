//! `account show`: the deployed account as the chain sees it.

use serde::Serialize;
use session_account::policy::views::AccountViews;
use session_account::token::{balance_of, STRK};

use crate::context::Context;
use crate::output::{fields, Amount, Hex, Response};
use crate::owner::OwnerKind;

#[derive(Serialize)]
pub struct AccountInfo {
    address: Hex,
    owner_kind: OwnerKind,
    /// The owner's id (§7.3): a Stark owner's public key, for other kinds
    /// the Poseidon hash of its key.
    owner_id: Hex,
    owner_rotations: u64,
    class_hash: Hex,
    strk_balance: Amount,
    revocation_epoch: u64,
}

impl Response for AccountInfo {
    fn text(&self) -> String {
        fields(&[
            ("address", self.address.to_string()),
            (
                "owner",
                format!(
                    "{} {} ({} rotations)",
                    self.owner_kind.describe(),
                    self.owner_id,
                    self.owner_rotations
                ),
            ),
            ("class hash", self.class_hash.to_string()),
            ("STRK balance", self.strk_balance.to_string()),
            ("revocation epoch", self.revocation_epoch.to_string()),
        ])
    }
}

pub async fn run(ctx: &Context) -> anyhow::Result<AccountInfo> {
    let record = ctx.load_account()?;
    let provider = ctx.provider();
    let views = AccountViews::new(&provider, record.address);
    Ok(AccountInfo {
        address: Hex(record.address),
        owner_kind: OwnerKind::of(&views.owner_key().await?),
        owner_id: Hex(views.owner().await?),
        owner_rotations: views.owner_rotations().await?,
        class_hash: Hex(record.class_hash),
        strk_balance: Amount(balance_of(&provider, STRK, record.address).await?),
        revocation_epoch: views.revocation_epoch().await?,
    })
}
