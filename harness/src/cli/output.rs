//! Human or JSON output, and progress on stderr.

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

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

    /// Reports a failure and returns the exit code for it.
    pub fn fail(&self, error: anyhow::Error) -> ExitCode {
        if self.json {
            let chain: Vec<String> = error.chain().map(|e| e.to_string()).collect();
            println!("{}", serde_json::json!({ "error": error.to_string(), "causes": chain }));
        } else {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
        }
        ExitCode::FAILURE
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
