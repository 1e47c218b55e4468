//! State-machine fuzzing of session flows against the reference model
//! (harness/testkit/src/model/), with shrinking: the state machine lives in
//! `session_account_testkit::fuzz`; here proptest drives it. Each case runs
//! on a fresh account of a pooled devnet. After every step the on-chain
//! verdict and contract error must equal the model's, and after every step
//! that can change state the whole chain state too (see
//! harness/testkit/src/fuzz/chain/check.rs). Failing seeds are kept in
//! tests/fuzz.regressions. Longer campaigns: `session-account fuzz --cases N`.

use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use session_account_testkit::fuzz::{Chain, Op, Reference, SessionFlows};

struct Chains;

/// Devnets of finished cases, reused by the next ones.
static POOL: Mutex<Vec<Chain>> = Mutex::new(Vec::new());

/// The chain, and the model of the case's own account. Proptest's reference
/// state drew the operations; the model replays them on the real account
/// (operations do not depend on its address).
struct Case {
    chain: Chain,
    model: Reference,
}

impl StateMachineTest for Chains {
    type SystemUnderTest = Case;
    type Reference = SessionFlows;

    fn init_test(reference: &Reference) -> Case {
        let pooled = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let chain = pooled.unwrap_or_else(Chain::start);
        // The owner kind the case drew (§2.1).
        let model = chain.new_case(reference.owner_key_id());
        Case { chain, model }
    }

    /// Each step read what it may change; the case's end reads everything.
    fn teardown(case: Case, _: Reference) {
        if let Err(divergence) = case.chain.check(&case.model) {
            panic!("at the end of the case: {divergence}");
        }
        POOL.lock().unwrap_or_else(|e| e.into_inner()).push(case.chain);
    }

    fn apply(case: Case, _: &Reference, op: Op) -> Case {
        let after = SessionFlows::apply(case.model.clone(), &op);
        if let Err(divergence) = case.chain.step(&case.model, &after, &op) {
            panic!("{divergence}");
        }
        Case { chain: case.chain, model: after }
    }
}

/// Cases per run: `$SESSION_ACCOUNT_FUZZ_CASES`, default 12 (about 10 s).
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
