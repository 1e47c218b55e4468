//! How commands answer: every command returns a typed [`Response`], shown
//! as text or, with `--json`, as one JSON document on stdout, so the two
//! cannot disagree. Progress and errors go to stderr.

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Serialize, Serializer};
use session_account::contract::ContractError;
use session_account::session_client::SessionError;
use session_account::tx::TxError;
use starknet_rust::core::types::Felt;

/// Exit code when the account refused the transaction.
pub const REFUSED: u8 = 3;

/// What a command returns: its JSON form (`Serialize`) and its text form.
pub trait Response: Serialize {
    /// The human-readable form.
    fn text(&self) -> String;

    /// The exit code after printing (a fuzz campaign that diverged fails).
    fn exit_code(&self) -> ExitCode {
        ExitCode::SUCCESS
    }
}

/// A felt shown as 0x-prefixed, 64-digit hex, in text and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hex(pub Felt);

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#066x}", self.0)
    }
}

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An amount in a token's smallest unit: a decimal string in JSON (it can
/// exceed what JSON numbers hold), 18-decimals tokens in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub u128);

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&session_account::token::format_amount(self.0, 18))
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}
/// Writes `report` to `path` as pretty JSON (what `--report FILE` writes).
pub fn write_report<T: Serialize>(path: &std::path::Path, report: &T) -> anyhow::Result<()> {
    use anyhow::Context as _;
    std::fs::write(path, serde_json::to_string_pretty(report)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// Reads a report `--report FILE` wrote; `what` names it in the error,
/// e.g. "a fuzz report (written by `fuzz --report`)".
pub fn read_report<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    what: &str,
) -> anyhow::Result<T> {
    use anyhow::Context as _;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not {what}", path.display()))
}

/// A unix time as text: `2026-12-06 21:00:00 UTC` (JSON keeps unix
/// seconds).
pub fn utc(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| format!("{seconds} (unix seconds)"))
}

/// A span of seconds in its two largest units: `1d 4h`, `1h 59m`, `42s`.
pub fn span(seconds: u64) -> String {
    let units = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let parts: Vec<String> = units
        .iter()
        .scan(seconds, |left, &(size, unit)| {
            let count = *left / size;
            *left %= size;
            Some((count, unit))
        })
        .skip_while(|(count, _)| *count == 0)
        .take(2)
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| format!("{count}{unit}"))
        .collect();
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

/// `at` as a UTC date with how far it is from `now` (the chain's time):
/// `2026-12-06 23:00:00 UTC (in 1h 59m)`, `... (3m ago)`, `... (now)`.
pub fn when(at: u64, now: u64) -> String {
    let relative = match at.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", span(at - now)),
        std::cmp::Ordering::Less => format!("{} ago", span(now - at)),
        std::cmp::Ordering::Equal => "now".to_string(),
    };
    format!("{} ({relative})", utc(at))
}

/// `label  value` lines, the values aligned.
pub fn fields(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    let lines: Vec<String> =
        rows.iter().map(|(label, value)| format!("{label:<width$}  {value}")).collect();
    lines.join("\n")
}

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
                SessionError::Tx(tx) if tx.is_rejected() || tx.is_reverted() => {
                    Some(tx.contract_error())
                }
                SessionError::Contract(code, _) => Some(Some(*code)),
                SessionError::Tx(_) | SessionError::Token(_) | SessionError::View(_) => None,
                other => Some(other.contract_error()),
            };
        }
    }
    None
}

/// The failure document `--json` prints.
#[derive(Serialize)]
struct Failure<'a> {
    error: String,
    contract_error: Option<&'a str>,
    causes: Vec<String>,
}

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints `response` as JSON or text; returns its exit code.
    pub fn render<R: Response>(&self, response: &R) -> ExitCode {
        if self.json {
            match serde_json::to_string_pretty(response) {
                Ok(text) => println!("{text}"),
                Err(e) => {
                    eprintln!("error: cannot encode the result as JSON: {e}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            println!("{}", response.text());
        }
        response.exit_code()
    }

    /// Reports a failure and returns the exit code for it: 3 when the
    /// account refused the transaction, else 1.
    pub fn fail(&self, error: anyhow::Error) -> ExitCode {
        let refused = refusal(&error);
        let code = if refused.is_some() { ExitCode::from(REFUSED) } else { ExitCode::FAILURE };
        if self.json {
            let failure = Failure {
                error: error.to_string(),
                contract_error: refused.flatten().map(|e| e.as_str()),
                causes: error.chain().map(|e| e.to_string()).collect(),
            };
            println!(
                "{}",
                serde_json::to_string(&failure).unwrap_or_else(|_| failure.error.clone())
            );
        } else {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
        }
        code
    }

    /// A message for the user on stderr (stdout keeps the result alone).
    pub fn notice(&self, message: &str) {
        eprintln!("{message}");
    }

    /// A spinner on stderr (plain lines when stderr is not a terminal).
    pub fn progress(&self) -> Progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("valid template"),
        );
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
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn felts_and_amounts_render_the_same_in_text_and_json() {
        let hex = Hex(Felt::from(0xabcu16));
        assert_eq!(hex.to_string(), format!("0x{}abc", "0".repeat(61)));
        assert_eq!(serde_json::to_value(hex).unwrap(), serde_json::Value::String(hex.to_string()));
        assert_eq!(fields(&[("a", "1".into()), ("long", "2".into())]), "a     1\nlong  2");
        let amount = Amount(1_500_000_000_000_000_000);
        assert_eq!(amount.to_string(), "1.5");
        assert_eq!(serde_json::to_value(amount).unwrap(), "1500000000000000000");
    }

    #[test]
    fn times_are_utc_dates_with_the_time_left() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_465_359), "2026-12-05 10:09:19 UTC");
        assert_eq!(span(0), "0s");
        assert_eq!(span(42), "42s");
        assert_eq!(span(7_140), "1h 59m");
        assert_eq!(span(3_600), "1h");
        assert_eq!(span(90_061), "1d 1h");
        assert_eq!(when(1_000 + 7_140, 1_000), "1970-01-01 02:15:40 UTC (in 1h 59m)");
        assert_eq!(when(1_000, 1_180), "1970-01-01 00:16:40 UTC (3m ago)");
        assert_eq!(when(5, 5), "1970-01-01 00:00:05 UTC (now)");
        assert_eq!(utc(u64::MAX), format!("{} (unix seconds)", u64::MAX));
    }
}
