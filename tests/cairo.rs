//! The Cairo tests (contracts/tests), run on a devnet.

use session_account::cairo_test::run_all;
use session_account::devnet::sandbox::Sandbox;
use session_account::devnet::DevnetOptions;

#[tokio::test]
async fn cairo_tests_pass() {
    let sandbox = Sandbox::start(DevnetOptions::default()).await.unwrap();
    let results = run_all(&sandbox.funded_account(0), None).await.unwrap();
    for r in &results {
        println!("{} {}::{} {}", if r.passed { "ok  " } else { "FAIL" }, r.contract, r.test, r.detail);
    }
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    assert!(results.len() >= 20, "expected the full Cairo suite, ran {}", results.len());
    assert!(failed.is_empty(), "{} Cairo test(s) failed: {failed:#?}", failed.len());
    // The expected-panic mechanism was exercised.
    assert!(results.iter().any(|r| r.detail.contains("as expected")));
}
