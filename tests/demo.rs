//! The main job runs end to end.

use session_account_testkit::demo;
use session_account_testkit::devnet::DevnetOptions;

#[tokio::test]
async fn demo_runs_end_to_end() {
    let mut steps = Vec::new();
    let report = demo::run(DevnetOptions::default(), |s| steps.push(s.to_string())).await.unwrap();
    assert!(steps.len() >= 5);
    assert!(report.recipient_strk_after > report.recipient_strk_before);
    assert!(report.account_strk_after < report.account_strk_before);
    assert!(
        report.refused_transfer_error.contains("session/contract-not-allowed"),
        "{}",
        report.refused_transfer_error
    );
    let text = report.to_string();
    assert!(text.contains(&report.account) && text.contains(&report.transfer_tx));
}

#[tokio::test]
async fn demo_runs_with_a_passkey_owner_that_taps_once() {
    let mut steps = Vec::new();
    let report = demo::run_with(DevnetOptions::default(), demo::DemoOwner::WebAuthn, |s| {
        steps.push(s.to_string())
    })
    .await
    .unwrap();
    assert!(steps.iter().any(|s| s.contains("passkey asserts")), "{steps:?}");
    // No owner transaction: the session's first transfer registered it.
    assert_eq!(report.register_tx, report.transfer_tx);
    assert!(report.recipient_strk_after > report.recipient_strk_before);
    assert!(
        report.over_limit_error.contains("session/spending-limit"),
        "{}",
        report.over_limit_error
    );
    assert!(report.to_string().contains("passkey"));
}
