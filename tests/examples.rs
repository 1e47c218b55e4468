//! The SDK's examples (harness/sdk/examples/), run as a user runs them
//! against a node: an owner grants an agent a session (`owner_grants`), and
//! the agent's dapp uses it (`dapp_session`), on an embedded devnet. `cargo
//! test` builds the examples next to this test binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use session_account_e2e::World;
use starknet_rust::core::types::Felt;

/// The example `name`, as `cargo test` built it.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile = exe.parent().and_then(Path::parent).expect("target folder");
    let bin = profile.join("examples").join(name);
    assert!(
        bin.exists(),
        "{} is missing: `cargo test` builds it (or `cargo build --release --examples -p \
         session-account`)",
        bin.display()
    );
    bin
}

fn run(command: &mut Command) -> (String, Output) {
    let out = command.output().expect("spawn the example");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{command:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout, out)
}

#[tokio::test]
async fn an_owner_grants_a_session_and_a_dapp_uses_it() {
    let world = World::new().await;
    let dir = tempfile::tempdir().unwrap();
    let rpc = world.sandbox.devnet.url().to_string();
    let listed = world.recipient;

    let (granted, _) = run(Command::new(example("owner_grants"))
        .args([format!("{listed:#x}"), "0xb0b".into()])
        .current_dir(dir.path())
        .env("SESSION_ACCOUNT_RPC", &rpc)
        .env("SESSION_ACCOUNT_OWNER_KEY", format!("{:#x}", world.account.owner_key.secret_scalar()))
        .env("SESSION_ACCOUNT_ADDRESS", format!("{:#x}", world.account.address)));
    assert!(granted.contains("registered in 0x"), "{granted}");
    let token_file = dir.path().join("agent.session");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&token_file).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the token holds the session key");
    let token = std::fs::read_to_string(&token_file).unwrap();

    let dapp = |recipient: Felt| {
        let mut command = Command::new(example("dapp_session"));
        command
            .arg(format!("{recipient:#x}"))
            .env("SESSION_ACCOUNT_RPC", &rpc)
            .env("SESSION_ACCOUNT_SESSION", &token);
        command
    };
    let before = world.strk_balance(listed).await;
    let (sent, _) = run(&mut dapp(listed));
    assert!(sent.contains("sent 0x"), "{sent}");
    assert_eq!(world.strk_balance(listed).await, before + 1_000);

    // An address the owner did not list: refused by the account, explained.
    let (refused, _) = run(&mut dapp(Felt::from(0xdead_u32)));
    assert!(refused.contains("not allowed: call 0"), "{refused}");
    assert!(refused.contains("calldata rule"), "{refused}");
}
