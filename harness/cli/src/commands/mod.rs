//! One file per command: its arguments (`Args`), what it does (`run`) and
//! its typed response. `sending` holds what `transfer` and `execute` share.

pub mod account_class;
pub mod account_declare;
pub mod account_deploy;
pub mod account_revoke_all;
pub mod account_rotate_owner;
pub mod account_show;
pub mod balance;
pub mod bench;
pub mod demo;
pub mod devnet;
pub mod execute;
pub mod fuzz;
pub mod mutants;
pub mod policy_show;
pub mod sending;
pub mod session_create;
pub mod session_export;
pub mod session_import;
pub mod session_register;
pub mod session_renew;
pub mod session_revoke;
pub mod session_status;
pub mod transfer;

use std::path::PathBuf;

use serde::Serialize;

use crate::output::{Hex, Response};

/// Which session a command uses.
#[derive(clap::Args, Clone)]
pub struct SessionSelector {
    /// Session token file (default: $SESSION_ACCOUNT_SESSION, else the home folder's session).
    #[arg(long)]
    pub session: Option<PathBuf>,
}

/// A transaction that went through, and what it did.
#[derive(Serialize)]
pub struct Sent {
    #[serde(skip)]
    pub what: &'static str,
    pub transaction_hash: Hex,
}

impl Response for Sent {
    fn text(&self) -> String {
        format!("{}\ntransaction  {}", self.what, self.transaction_hash)
    }
}
