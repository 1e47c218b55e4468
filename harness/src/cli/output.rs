//! Human or JSON output, and progress on stderr.

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use session_account::contract::ContractError;
use session_account::session_client::SessionError;
use session_account::tx::TxError;

/// Exit code when the account refused the transaction.
pub const REFUSED: u8 = 3;

/// `Some(contract error)` when the failure is the account refusing a
/// transaction (rejected in validation or reverted in execution).
fn refusal(error: &anyhow::Error) -> Option<Option<ContractError>> {
    for cause in error.chain() {
        if let Some(tx) = cause.downcast_ref::<TxError>() {
            if tx.is_rejected() || tx.is_reverted() {
                return Some(tx.contract_error());
            }
        }
        if let Some(session) = cause.downcast_ref::<SessionError>() {
            return match session {
                SessionError::Tx(tx) if tx.is_rejected() || tx.is_reverted() => Some(tx.contract_error()),
                SessionError::Contract(code, _) => Some(Some(*code)),
                SessionError::Tx(_) | SessionError::Token(_) | SessionError::View(_) => None,
                other => Some(other.contract_error()),
            };
        }
    }
    None
}

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints the result: `value` as JSON, or `human()`.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("error: cannot encode the result as JSON: {e}"),
            }
        } else {
            println!("{}", human());
        }
    }

    /// Reports a failure and returns the exit code for it: 3 when the
    /// account refused the transaction, else 1.
    pub fn fail(&self, error: anyhow::Error) -> ExitCode {
        let refused = refusal(&error);
        let code = if refused.is_some() { ExitCode::from(REFUSED) } else { ExitCode::FAILURE };
        if self.json {
            let chain: Vec<String> = error.chain().map(|e| e.to_string()).collect();
            println!(
                "{}",
                serde_json::json!({
                    "error": error.to_string(),
                    "contract_error": refused.flatten().map(|e| e.as_str()),
                    "causes": chain,
                })
            );
        } else {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
        }
        code
    }

    /// A spinner on stderr (hidden when stderr is not a terminal).
    pub fn progress(&self) -> Progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("valid template"));
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar }
    }
}

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn step(&self, message: &str) {
        if self.bar.is_hidden() {
            eprintln!("==> {message}");
        }
        self.bar.set_message(message.to_string());
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
