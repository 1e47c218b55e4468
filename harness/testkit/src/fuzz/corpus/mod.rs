//! The adversarial corpus: named attacks, each a short scripted sequence of
//! fuzz operations. The model judges every step and the chain must agree
//! step by step (as in the fuzzer); the last step is the attack, and the
//! model must refuse it with the named error (or, for an attack a contract
//! starts inside the last step, refuse that nested execution). Many are
//! holes found in existing session accounts (docs/spec.md says which rule
//! closes each). One table per section of the spec: `admission` (§2,
//! §3, §4.1), `calls` (§4.2, §4.3, §4.6), `spending` (§4.4), `fees`
//! (§4.5, §4.7), `renewal` (§5), `outside` (§11), `owners` (§2.1, §2.3,
//! §7.3: every owner kind, tampered passkey assertions), `rules` (§4.8,
//! §4.9: calldata rules, periodic limits). tests/corpus.rs runs
//! every entry as its own test.

mod admission;
mod calls;
mod fees;
mod outside;
mod owners;
mod renewal;
mod rules;
mod spending;

use crate::model::{Path, Verdict};
use session_account::contract::ContractError;
use session_account::tx::FeeBounds;

use super::{
    hooked_token_address, AdminEntrypoint, Amount, Chain, Grant, HookSigner, Metered, Op,
    PolicyChoice, PolicyFlaw, Reference, RelayEdge, SessionFlows, SessionSignature, Spender,
    TimeEdge, TxField, FEE_CAP,
};
use proptest_state_machine::ReferenceStateMachine;

/// One attack: set-up operations, then the attacking operation.
pub struct Attack {
    pub name: &'static str,
    pub what: &'static str,
    pub steps: Vec<Op>,
    /// How the account must refuse the attack.
    pub refused: Refusal,
}

/// How the account must refuse an attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The last step, with this verdict.
    Step(Verdict),
    /// The execution of the account that a contract starts while the last
    /// step runs (the hooked token's outside execution), with this error;
    /// the last step itself goes through.
    Nested(ContractError),
}

const D: Path = Path::Direct;
const G: Path = Path::Gasless;

fn grant(policy: PolicyChoice) -> Op {
    Op::Grant { slot: 0, policy, how: Grant::ByTransaction }
}

fn authorize(policy: PolicyChoice, how: Grant) -> Op {
    Op::Grant { slot: 0, policy, how }
}

fn spend(selector: Metered, amount: Amount, count: usize, path: Path) -> Op {
    Op::Transfer { slot: 0, selector, amount, count, path }
}

fn approve_then_pull(spender: Spender, approved: Amount, pulled: Amount) -> Op {
    Op::ApproveThenPull { slot: 0, spender, increase: false, approved, pulled, path: D }
}

fn admin(entrypoint: AdminEntrypoint, path: Path) -> Op {
    Op::AdminSelfCall { slot: 0, entrypoint, path }
}

fn past_expiry() -> Op {
    Op::TimeToDeadline { slot: 0, grace: false, after: true }
}

fn before_expiry() -> Op {
    Op::TimeToDeadline { slot: 0, grace: false, after: false }
}

/// Time exactly onto slot 0's `edge` (`early`: the second before it).
fn on_edge(edge: TimeEdge, early: bool) -> Op {
    Op::TimeOnEdge { slot: 0, edge, early }
}

/// A one-unit transfer relayed with outside terms on `edge` (§11).
fn relayed(edge: RelayEdge) -> Op {
    Op::RelayedOnEdge { slot: 0, edge }
}

fn renew(path: Path) -> Op {
    Op::Renew { slot: 0, path }
}

fn burn(at_cap: bool) -> Op {
    Op::FeeBurn { slot: 0, at_cap }
}

/// What `n` session transactions with the usual fee bounds may cost.
fn usual_fees(n: u128) -> u128 {
    n * FeeBounds::DEVNET.max_fee().expect("fits")
}

fn rejected(e: ContractError) -> Refusal {
    Refusal::Step(Verdict::Rejected(Some(e)))
}

fn reverted(e: ContractError) -> Refusal {
    Refusal::Step(Verdict::Reverted(Some(e)))
}

fn arm_hook(signer: HookSigner) -> Op {
    Op::ArmHook { signer }
}

/// Every attack in the corpus, one table per section of the spec.
pub fn attacks() -> Vec<Attack> {
    [
        admission::attacks(),
        calls::attacks(),
        spending::attacks(),
        fees::attacks(),
        renewal::attacks(),
        outside::attacks(),
        owners::attacks(),
        rules::attacks(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Runs `attack` on a fresh account of `chain`: every step must match the
/// model, and the model must refuse the last step as the attack says.
/// Returns the model's state after the attack. Every attack starts with a
/// Stark owner (owner key number 0); owner-kind attacks rotate first.
pub fn run_on(chain: &Chain, attack: &Attack) -> Result<Reference, String> {
    let mut state = chain.new_case(0);
    for op in &attack.steps {
        let before = state.clone();
        state = SessionFlows::apply(state, op);
        chain.step(&before, &state, op).map_err(|e| format!("{}: {e}", attack.name))?;
    }
    chain.check(&state).map_err(|e| format!("{}: at the end, {e}", attack.name))?;
    let judged = match attack.refused {
        Refusal::Step(_) => state.expected.map(Refusal::Step),
        // The last step went through, and its nested execution ended as
        // the hook recorded (the chain's record was checked above).
        Refusal::Nested(_) => {
            let recorded = state.model.ledger.hook_result(hooked_token_address());
            let nested = ContractError::ALL.iter().find(|e| e.felt() == recorded);
            match (state.expected, nested) {
                (Some(Verdict::Accepted), Some(e)) => Some(Refusal::Nested(*e)),
                (other, _) => other.map(Refusal::Step),
            }
        }
    };
    match judged {
        Some(refusal) if refusal == attack.refused => Ok(state),
        other => Err(format!(
            "{}: the model judged the attack {other:?}, the corpus says {:?}",
            attack.name, attack.refused
        )),
    }
}

/// Runs `attack` on a fresh devnet (see [`run_on`]).
pub fn run(attack: &Attack) -> Result<(), String> {
    run_on(&Chain::start(), attack).map(|_| ())
}

/// The attack named `name`.
pub fn attack(name: &str) -> Attack {
    attacks()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no attack named {name}"))
}
