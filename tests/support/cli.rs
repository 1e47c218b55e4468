//! The `session-account` CLI as a user runs it: the binary cargo built, a
//! user's environment (devnet URL, home folder, keystore password), and
//! its `--json` output parsed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use session_account_testkit::devnet::{DevnetOptions, EmbeddedDevnet};

/// The CLI binary cargo built next to this test binary.
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target folder");
    let bin = dir.join("session-account");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build --release -p session-account-cli`",
        bin.display()
    );
    bin
}

/// One user's environment: a devnet URL, a home folder and a keystore password.
pub struct User {
    pub rpc_url: String,
    pub home: PathBuf,
    pub workdir: PathBuf,
}

impl User {
    pub fn new(devnet: &EmbeddedDevnet, dir: &Path, name: &str) -> Self {
        let home = dir.join(name);
        std::fs::create_dir_all(&home).unwrap();
        Self { rpc_url: devnet.url().to_string(), home: home.join("state"), workdir: home }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(binary());
        cmd.args(args)
            .current_dir(&self.workdir)
            .env("SESSION_ACCOUNT_RPC_URL", &self.rpc_url)
            .env("SESSION_ACCOUNT_HOME", &self.home)
            .env("SESSION_ACCOUNT_KEYSTORE_PASSWORD", "correct horse")
            .env_remove("SESSION_ACCOUNT_SESSION")
            .env_remove("SESSION_ACCOUNT_OWNER_KEY");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("spawn session-account")
    }

    /// Runs with `--json`, expects `code`, returns the parsed document.
    pub fn json(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
    }
}

pub async fn devnet() -> EmbeddedDevnet {
    EmbeddedDevnet::start(DevnetOptions::default()).await.unwrap()
}
