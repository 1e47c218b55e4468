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
