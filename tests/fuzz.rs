//! State-machine fuzzing of session flows against the reference model
//! (harness/testkit/src/model/), with shrinking: the state machine lives in
//! `session_account_testkit::fuzz`; here proptest drives it. After every step the
//! on-chain verdict and contract error must equal the model's, and after
//! every step that can change state every view too (see
//! harness/testkit/src/fuzz/chain/check.rs). Failing seeds are kept in
//! tests/fuzz.regressions. Longer campaigns: `session-account fuzz --cases N`.

use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use proptest_state_machine::{prop_state_machine, StateMachineTest};
use session_account_testkit::fuzz::{Chain, Reference, SessionFlows};

struct Chains;

/// Devnets of finished cases, reverted and reused by the next ones.
static POOL: Mutex<Vec<Chain>> = Mutex::new(Vec::new());

impl StateMachineTest for Chains {
    type SystemUnderTest = (Chain, Reference);
    type Reference = SessionFlows;

    fn init_test(reference: &Reference) -> (Chain, Reference) {
        let pooled = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let chain = match pooled {
            Some(chain) => {
                chain.reset();
                chain
            }
            None => Chain::start(),
        };
        (chain, reference.clone())
    }

    fn teardown((chain, _): (Chain, Reference), _: Reference) {
        POOL.lock().unwrap_or_else(|e| e.into_inner()).push(chain);
    }

    fn apply(
        (chain, before): (Chain, Reference),
        reference: &Reference,
        op: session_account_testkit::fuzz::Op,
    ) -> (Chain, Reference) {
        if let Err(divergence) = chain.step(&before, reference, &op) {
            panic!("{divergence}");
        }
        (chain, reference.clone())
    }
}

/// Cases per run: `$SESSION_ACCOUNT_FUZZ_CASES`, default 12 (about 20 s).
fn cases() -> u32 {
    std::env::var("SESSION_ACCOUNT_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12)
}

prop_state_machine! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]
    #[test]
    fn session_flows_match_the_model(sequential 1..30 => Chains);
}
