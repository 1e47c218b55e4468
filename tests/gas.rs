//! Gas regression check: the contract's L2 gas for fixed operations (the
//! `bench` command's gas part, on a fresh devnet) against the figures
//! committed in tests/gas_figures.json. Gas is deterministic, so this is
//! not a timing test; the tolerance only absorbs devnet/compiler updates
//! that move every figure slightly. A change that makes sessions costlier,
//! or cheaper, fails here until the figures are updated on purpose.

use serde_json::Value;
use session_account_testkit::bench::gas::measure;

/// Relative change tolerated either way.
const TOLERANCE: f64 = 0.02;

#[tokio::test]
async fn gas_matches_the_committed_figures() {
    let committed: Vec<Value> = serde_json::from_str(include_str!("gas_figures.json")).unwrap();
    let rows = measure(&[1, 10]).await.unwrap();
    let mut drifted = Vec::new();
    let mut fresh = Vec::new();
    for figure in &committed {
        let operation = figure["operation"].as_str().unwrap();
        let account = figure["account"].as_str().unwrap();
        let expected = figure["l2_gas"].as_u64().unwrap();
        let row = rows
            .iter()
            .find(|r| {
                r.operation == operation && serde_json::to_value(r.account).unwrap() == account
            })
            .unwrap_or_else(|| panic!("the bench no longer measures {operation} ({account})"));
        let change = row.l2_gas as f64 / expected as f64 - 1.0;
        if change.abs() > TOLERANCE {
            drifted.push(format!(
                "{operation} ({account}): {expected} -> {} ({:+.1}%)",
                row.l2_gas,
                100.0 * change
            ));
        }
        fresh.push(
            serde_json::json!({ "operation": operation, "account": account, "l2_gas": row.l2_gas }),
        );
    }
    assert!(
        drifted.is_empty(),
        "L2 gas moved more than {:.0}%:\n  {}\n\
         If intended, replace tests/gas_figures.json with:\n{}",
        100.0 * TOLERANCE,
        drifted.join("\n  "),
        serde_json::to_string_pretty(&fresh).unwrap()
    );
}
