//! State-machine fuzzing of session flows against the reference model
//! ([`crate::model`]): proptest generates operation sequences; each runs on
//! a fresh embedded devnet through the library, and after every step the
//! on-chain verdict (accepted / rejected in validate / reverted in execute),
//! the contract error, every session's status and spending, and the
//! account's ETH balance must equal the model's.
//!
//! [`SessionFlows`] is the proptest reference state machine and [`Chain`]
//! the system under test; tests/fuzz.rs runs them as a shrinking proptest,
//! and [`campaign`] runs long seeded campaigns for the `fuzz` command.
//!
//! Time is devnet time: before each operation devnet is set to the model's
//! clock, kept at least 10 s away from hour boundaries and from every
//! session's deadlines so a transaction's block time is never ambiguous.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use serde::Serialize;
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::SigningKey;

use crate::account::counterfactual_address;
use crate::account::owner::calls;
use crate::contract::{selectors, ContractArtifact};
use crate::devnet::client::TokenUnit;
use crate::devnet::sandbox::{DeployedAccount, Sandbox};
use crate::devnet::{DevnetOptions, ETH, STRK};
use crate::model::{AccountModel, Path, Verdict};
use crate::outside::{OutsideExecution, Relayer};
use crate::policy::views::AccountViews;
use crate::policy::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use crate::signature::Authorization;
use crate::token::{balance_of, transfer_call};
use crate::tx::{execute_with_bounds, Confirmed, FeeBounds, TxError};

const STRK_UNIT: u128 = 1_000_000_000_000_000_000;

async fn send_without_estimate<A>(account: &A, calls: Vec<Call>) -> Result<Confirmed, TxError>
where
    A: starknet_rust::accounts::ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    execute_with_bounds(account, calls, FeeBounds::DEVNET).await
}

const HOUR: u64 = 3600;
/// Devnet's first block: ten minutes past a whole hour.
const START: u64 = 1_900_000_000 - 1_900_000_000 % HOUR + 600;
const SLOTS: usize = 3;
/// Wei of ETH the account holds at the start: what sessions move.
const ETH_FUNDS: u128 = 1_000;

fn owner_key() -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0x0123_4567_89ab_u64))
}

fn session_key(slot: usize) -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0x5e55_0000_u64 + slot as u64))
}

fn account_address() -> Felt {
    let class_hash = ContractArtifact::session_account().class_hash().expect("class hash");
    counterfactual_address(class_hash, Felt::ONE, owner_key().verifying_key().scalar())
}

/// How much a transfer asks for, relative to the session's budget.
#[derive(Debug, Clone, Copy)]
pub enum Amount {
    Zero,
    One,
    /// Exactly what is left of the limit.
    Remaining,
    /// One more than what is left.
    OverByOne,
    /// More than the account holds (within no limit).
    MoreThanBalance,
}

/// The metered selectors a session call may use (§4.4).
#[derive(Debug, Clone, Copy)]
pub enum Metered {
    Transfer,
    Approve,
    IncreaseAllowance,
    IncreaseAllowanceCamel,
}

impl Metered {
    fn selector(self) -> Felt {
        match self {
            Metered::Transfer => selectors::TRANSFER,
            Metered::Approve => selectors::APPROVE,
            Metered::IncreaseAllowance => selectors::INCREASE_ALLOWANCE,
            Metered::IncreaseAllowanceCamel => selectors::INCREASE_ALLOWANCE_CAMEL,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    /// The owner grants `policy` to slot's key, by transaction or by an
    /// authorization its next session operation carries.
    Grant { slot: usize, policy: PolicyChoice, by_authorization: bool },
    /// ETH calls moving `amount` each, `count` of them in one multicall.
    Transfer { slot: usize, selector: Metered, amount: Amount, count: usize, path: Path },
    /// A call to a contract no policy grants (STRK).
    CallStranger { slot: usize, path: Path },
    /// The session tries revoke-all on its account.
    AdminSelfCall { slot: usize, path: Path },
    Renew { slot: usize, path: Path },
    RevokeSelf { slot: usize, path: Path },
    OwnerRevoke { slot: usize },
    RevokeAll,
    /// Moves time to a session deadline plus an offset, or forward by a delta.
    TimeToDeadline { slot: usize, grace: bool, after: bool },
    TimeForward { seconds: u64 },
}

#[derive(Debug, Clone, Copy)]
pub struct PolicyChoice {
    lifetime: u64,
    grace: u64,
    limit: Option<u128>,
    max_calls: u64,
    max_calls_per_tx: u32,
    transfer_only: bool,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub model: AccountModel,
    pub now: u64,
    /// Policies granted by authorization and not yet used, per slot.
    pub pending: Vec<Option<SessionPolicy>>,
    /// The verdict the model predicts for the last operation.
    pub expected: Option<Verdict>,
}

fn path() -> impl Strategy<Value = Path> {
    prop_oneof![Just(Path::Direct), Just(Path::Gasless)]
}

fn metered() -> impl Strategy<Value = Metered> {
    prop_oneof![
        3 => Just(Metered::Transfer),
        1 => Just(Metered::Approve),
        1 => Just(Metered::IncreaseAllowance),
        1 => Just(Metered::IncreaseAllowanceCamel),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![Just(Amount::Zero), Just(Amount::One), Just(Amount::Remaining), Just(Amount::OverByOne), Just(Amount::MoreThanBalance)]
}

fn policy_choice() -> impl Strategy<Value = PolicyChoice> {
    (
        prop_oneof![Just(HOUR / 2), Just(2 * HOUR), Just(5 * HOUR)],
        prop_oneof![Just(0u64), Just(HOUR)],
        prop_oneof![Just(None), Just(Some(0u128)), Just(Some(100u128)), Just(Some(400u128))],
        1u64..6,
        1u32..3,
        any::<bool>(),
    )
        .prop_map(|(lifetime, grace, limit, max_calls, max_calls_per_tx, transfer_only)| PolicyChoice {
            lifetime,
            grace,
            limit,
            max_calls,
            max_calls_per_tx,
            transfer_only,
        })
}

/// The policy a grant at time `now` gives slot's key.
fn policy_for(slot: usize, choice: PolicyChoice, now: u64) -> SessionPolicy {
    let valid_until = keep_off_boundaries(now + choice.lifetime);
    SessionPolicy {
        session_key: session_key(slot).verifying_key().scalar(),
        valid_after: now - 60,
        valid_until,
        renewal: RenewalPolicy { grace_period: choice.grace, max_valid_until: valid_until + 3 * HOUR },
        allowed_calls: vec![AllowedContract {
            contract: ETH,
            entrypoints: if choice.transfer_only { vec![selectors::TRANSFER] } else { vec![] },
        }],
        max_calls_per_tx: choice.max_calls_per_tx,
        max_calls: choice.max_calls,
        spending_limits: choice.limit.map(|l| SpendingLimit { token: ETH, limit: U256::from(l) }).into_iter().collect(),
        max_fee_per_tx: 100 * STRK_UNIT,
    }
}

/// Times used as clocks or deadlines keep 20 s away from whole hours, where
/// the validate clock changes.
fn keep_off_boundaries(t: u64) -> u64 {
    let r = t % HOUR;
    if r < 20 {
        t + (20 - r)
    } else if r > HOUR - 20 {
        t + (HOUR - r) + 20
    } else {
        t
    }
}

impl Reference {
    fn key(slot: usize) -> Felt {
        session_key(slot).verifying_key().scalar()
    }

    /// ETH left of slot's limit (0 when unlimited or unknown).
    fn remaining(&self, slot: usize) -> u128 {
        let key = Self::key(slot);
        let policy = self.model.sessions.get(&key).map(|s| &s.policy).or(self.pending[slot].as_ref());
        let limit = policy.and_then(|p| p.limit_for(ETH)).map(|l| l.low()).unwrap_or(0);
        let spent = self.model.sessions.get(&key).and_then(|s| s.spent.get(&ETH)).map(|s| s.low()).unwrap_or(0);
        limit.saturating_sub(spent)
    }

    fn amount(&self, slot: usize, amount: Amount) -> u128 {
        match amount {
            Amount::Zero => 0,
            Amount::One => 1,
            Amount::Remaining => self.remaining(slot),
            Amount::OverByOne => self.remaining(slot) + 1,
            Amount::MoreThanBalance => self.model.balances.get(&ETH).map(|b| b.low()).unwrap_or(0) + 1,
        }
    }

    /// The time a `TimeToDeadline` lands on (never backwards).
    fn deadline_time(&self, slot: usize, grace: bool, after: bool) -> u64 {
        let target = match self.model.sessions.get(&Self::key(slot)) {
            Some(s) => {
                let base = s.valid_until + if grace { s.policy.renewal.grace_period } else { 0 };
                if after { base + 30 } else { base.saturating_sub(30) }
            }
            None => self.now + 60,
        };
        keep_off_boundaries(target.max(self.now + 1))
    }
}

/// The calls of a session operation.
fn op_calls(reference: &Reference, op: &Op) -> Vec<Call> {
    let account = reference.model.account;
    match *op {
        Op::Transfer { slot, selector, amount, count, .. } => {
            let each = reference.amount(slot, amount);
            (0..count)
                .map(|_| Call { to: ETH, selector: selector.selector(), calldata: vec![Felt::TWO, Felt::from(each), Felt::ZERO] })
                .collect()
        }
        Op::CallStranger { .. } => vec![transfer_call(STRK, Felt::TWO, 1)],
        Op::AdminSelfCall { .. } => vec![calls::revoke_all_sessions(account)],
        Op::Renew { .. } => vec![calls::renew_session(account)],
        Op::RevokeSelf { slot, .. } => vec![calls::revoke_session(account, Reference::key(slot))],
        _ => vec![],
    }
}

fn session_op(op: &Op) -> Option<(usize, Path)> {
    match *op {
        Op::Transfer { slot, path, .. }
        | Op::CallStranger { slot, path }
        | Op::AdminSelfCall { slot, path }
        | Op::Renew { slot, path }
        | Op::RevokeSelf { slot, path } => Some((slot, path)),
        _ => None,
    }
}

/// The reference state machine: operations and the model's predictions.
pub struct SessionFlows;

impl ReferenceStateMachine for SessionFlows {
    type State = Reference;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Reference> {
        let mut model = AccountModel::new(account_address());
        model.balances.insert(ETH, U256::from(ETH_FUNDS));
        Just(Reference { model, now: START + 120, pending: vec![None; SLOTS], expected: None }).boxed()
    }

    fn transitions(state: &Reference) -> BoxedStrategy<Op> {
        // Mostly operate on slots that were granted a session (registered
        // or pending), so steps exercise policies rather than "not
        // registered"; still sometimes any slot.
        let granted: Vec<usize> = (0..SLOTS)
            .filter(|s| state.model.sessions.contains_key(&Reference::key(*s)) || state.pending[*s].is_some())
            .collect();
        let slot: BoxedStrategy<usize> = if granted.is_empty() {
            (0..SLOTS).boxed()
        } else {
            prop_oneof![4 => proptest::sample::select(granted), 1 => 0..SLOTS].boxed()
        };
        prop_oneof![
            3 => (slot.clone(), policy_choice(), any::<bool>()).prop_map(|(slot, policy, by_authorization)| Op::Grant { slot, policy, by_authorization }),
            6 => (slot.clone(), metered(), amount(), 1usize..4, path())
                .prop_map(|(slot, selector, amount, count, path)| Op::Transfer { slot, selector, amount, count, path }),
            1 => (slot.clone(), path()).prop_map(|(slot, path)| Op::CallStranger { slot, path }),
            1 => (slot.clone(), path()).prop_map(|(slot, path)| Op::AdminSelfCall { slot, path }),
            2 => (slot.clone(), path()).prop_map(|(slot, path)| Op::Renew { slot, path }),
            1 => (slot.clone(), path()).prop_map(|(slot, path)| Op::RevokeSelf { slot, path }),
            1 => slot.clone().prop_map(|slot| Op::OwnerRevoke { slot }),
            1 => Just(Op::RevokeAll),
            3 => (slot, any::<bool>(), any::<bool>()).prop_map(|(slot, grace, after)| Op::TimeToDeadline { slot, grace, after }),
            1 => prop_oneof![Just(600u64), Just(HOUR), Just(3 * HOUR)].prop_map(|seconds| Op::TimeForward { seconds }),
        ]
        .boxed()
    }

    fn apply(mut state: Reference, op: &Op) -> Reference {
        let now = state.now;
        state.expected = Some(match op {
            Op::Grant { slot, policy, by_authorization } => {
                let policy = policy_for(*slot, *policy, now);
                if *by_authorization {
                    state.pending[*slot] = Some(policy);
                    Verdict::Accepted
                } else {
                    state.model.register(&policy)
                }
            }
            Op::OwnerRevoke { slot } => state.model.revoke(Reference::key(*slot)),
            Op::RevokeAll => state.model.revoke_all(),
            Op::TimeToDeadline { slot, grace, after } => {
                state.now = state.deadline_time(*slot, *grace, *after);
                Verdict::Accepted
            }
            Op::TimeForward { seconds } => {
                state.now = keep_off_boundaries(now + seconds);
                Verdict::Accepted
            }
            session => {
                let (slot, path) = session_op(session).expect("a session op");
                let calls = op_calls(&state, session);
                let pending = state.pending[slot].clone();
                let verdict = state.model.session_calls(Reference::key(slot), pending.as_ref(), &calls, now, path);
                if verdict == Verdict::Accepted {
                    state.pending[slot] = None;
                }
                verdict
            }
        });
        state
    }
}

/// The devnet side: a fresh devnet with the account deployed.
pub struct Chain {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    account: DeployedAccount,
}

impl Chain {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (sandbox, account) = runtime.block_on(async {
            let options = DevnetOptions { start_time: Some(START), ..DevnetOptions::default() };
            let sandbox = Sandbox::start(options).await.expect("devnet");
            let account = sandbox.deploy_account(owner_key(), Felt::ONE, 1000 * STRK_UNIT).await.expect("deploy");
            sandbox.devnet_client.mint(account.address, ETH_FUNDS, TokenUnit::Wei).await.expect("mint ETH");
            (sandbox, account)
        });
        assert_eq!(account.address, account_address());
        Self { runtime, sandbox, account }
    }

    fn verdict(outcome: Result<Confirmed, TxError>) -> Verdict {
        match outcome {
            Ok(_) => Verdict::Accepted,
            Err(e @ TxError::Rejected { .. }) => Verdict::Rejected(e.contract_error()),
            Err(e @ TxError::Reverted { .. }) => Verdict::Reverted(e.contract_error()),
            Err(e) => panic!("infrastructure failure, not a verdict: {e}"),
        }
    }

    /// Runs `op` on the devnet (at the model's time before it).
    pub fn run(&self, before: &Reference, op: &Op) -> Verdict {
        self.runtime.block_on(async {
            self.sandbox.devnet_client.set_time(before.now, true).await.expect("devnet_setTime");
            let owner = self.sandbox.owner(&self.account);
            match op {
                Op::Grant { slot, policy: choice, by_authorization: false } => {
                    // The policy exactly as the model granted it.
                    let granted = policy_for(*slot, *choice, before.now);
                    Self::verdict(send_without_estimate(&owner, vec![calls::register_session(self.account.address, &granted)]).await)
                }
                Op::Grant { .. } | Op::TimeToDeadline { .. } | Op::TimeForward { .. } => Verdict::Accepted,
                Op::OwnerRevoke { slot } => Self::verdict(send_without_estimate(&owner, vec![calls::revoke_session(self.account.address, Reference::key(*slot))]).await),
                Op::RevokeAll => Self::verdict(send_without_estimate(&owner, vec![calls::revoke_all_sessions(self.account.address)]).await),
                session => {
                    let (slot, path) = session_op(session).expect("a session op");
                    let calls = op_calls(before, session);
                    let authorization = before.pending[slot].as_ref().map(|p| {
                        Authorization::sign(p.clone(), &owner_key(), before.model.epoch, self.account.address, self.sandbox.chain_id)
                            .expect("owner signs")
                    });
                    match path {
                        Path::Direct => {
                            let mut account = self.sandbox.session(&self.account, session_key(slot));
                            if let Some(a) = authorization {
                                account = account.with_authorization(a);
                            }
                            Self::verdict(send_without_estimate(&account, calls).await)
                        }
                        Path::Gasless => {
                            let relayer = self.sandbox.relayer(3);
                            let execution = OutsideExecution {
                                caller: relayer.address(),
                                nonce: SigningKey::from_random().secret_scalar(),
                                execute_after: before.now - 600,
                                execute_before: before.now + 600,
                                calls,
                            };
                            let signature = execution
                                .sign_as_session(&session_key(slot), self.account.address, self.sandbox.chain_id, authorization.as_ref())
                                .expect("session signs");
                            // A relayer simulates before submitting: a refusal
                            // shows in its estimate (rejected) or its
                            // transaction (reverted); both are the account
                            // refusing the outside execution.
                            match Self::verdict(relayer.relay(self.account.address, &execution, signature).await) {
                                Verdict::Rejected(e) => Verdict::Reverted(e),
                                other => other,
                            }
                        }
                    }
                }
            }
        })
    }

    /// Every view equals the model; the first difference otherwise.
    pub fn check(&self, reference: &Reference) -> Result<(), String> {
        self.runtime.block_on(async {
            let views = AccountViews::new(&self.sandbox.provider, self.account.address);
            for slot in 0..SLOTS {
                let key = Reference::key(slot);
                let status = views.status(key).await.expect("status");
                match reference.model.sessions.get(&key) {
                    None => ensure(!status.registered, || format!("slot {slot}: registered on chain, not in the model"))?,
                    Some(s) => {
                        ensure(status.registered, || format!("slot {slot}: not registered on chain"))?;
                        ensure_eq(status.revoked, s.revoked, || format!("slot {slot}: revoked"))?;
                        ensure_eq(status.epoch_valid, s.epoch == reference.model.epoch, || format!("slot {slot}: epoch"))?;
                        ensure_eq(status.valid_until, s.valid_until, || format!("slot {slot}: valid_until"))?;
                        ensure_eq(status.calls_used, s.calls_used, || format!("slot {slot}: calls used"))?;
                        let spending = views.spending(key).await.expect("spending");
                        for entry in spending {
                            let spent = s.spent.get(&entry.token).copied().unwrap_or(U256::from(0u8));
                            ensure_eq(entry.spent, spent, || format!("slot {slot}: spent"))?;
                        }
                    }
                }
            }
            let eth = balance_of(&self.sandbox.provider, ETH, self.account.address).await.expect("ETH balance");
            ensure_eq(U256::from(eth), reference.model.balances[&ETH], || "account ETH balance".to_string())?;
            Ok(())
        })
    }

    /// Runs `op` and compares verdict and views with the model (`after`).
    pub fn step(&self, before: &Reference, after: &Reference, op: &Op) -> Result<(), String> {
        let got = self.run(before, op);
        let expected = after.expected.expect("the model judged the step");
        ensure_eq(got, expected, || format!("verdict of {op:?} at t={} (epoch {})", before.now, before.model.epoch))?;
        self.check(after)
    }
}


fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(what()) }
}

fn ensure_eq<T: PartialEq + std::fmt::Debug>(got: T, expected: T, what: impl FnOnce() -> String) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{}: chain has {got:?}, model says {expected:?}", what()))
    }
}

impl Op {
    /// A short name, for coverage counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Grant { by_authorization: true, .. } => "grant by authorization",
            Op::Grant { .. } => "grant by transaction",
            Op::Transfer { path: Path::Direct, .. } => "metered calls (direct)",
            Op::Transfer { .. } => "metered calls (gasless)",
            Op::CallStranger { .. } => "call outside the policy",
            Op::AdminSelfCall { .. } => "admin self-call",
            Op::Renew { .. } => "renew",
            Op::RevokeSelf { .. } => "self-revoke",
            Op::OwnerRevoke { .. } => "owner revoke",
            Op::RevokeAll => "revoke-all",
            Op::TimeToDeadline { .. } => "time to a deadline",
            Op::TimeForward { .. } => "time forward",
        }
    }
}

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct CampaignConfig {
    pub cases: u64,
    /// Most operations per case.
    pub max_steps: usize,
    /// Case `i` uses seed `seed + i`; rerun one case with `cases = 1`.
    pub seed: u64,
}

/// One case where the chain and the model disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Divergence {
    /// Seed that replays this case.
    pub case_seed: u64,
    pub step: usize,
    pub operations: Vec<String>,
    pub message: String,
}

/// What a campaign did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CampaignReport {
    pub seed: u64,
    pub cases: u64,
    pub steps: u64,
    pub seconds: f64,
    pub steps_per_second: f64,
    /// Time spent waiting on devnet (transactions, views, set-up).
    pub devnet_seconds: f64,
    /// The rest: generation, the model, comparisons.
    pub harness_seconds: f64,
    /// Steps per verdict: `accepted`, `rejected: <error>`, `reverted: <error>`.
    pub verdicts: BTreeMap<String, u64>,
    /// Steps per operation kind.
    pub operations: BTreeMap<String, u64>,
    pub divergences: Vec<Divergence>,
}

fn verdict_name(verdict: Verdict) -> String {
    let error = |e: Option<crate::contract::ContractError>| e.map(|e| e.as_str().to_string()).unwrap_or_else(|| "other".into());
    match verdict {
        Verdict::Accepted => "accepted".into(),
        Verdict::Rejected(e) => format!("rejected: {}", error(e)),
        Verdict::Reverted(e) => format!("reverted: {}", error(e)),
    }
}

/// Runs seeded cases without shrinking (the test suite shrinks); calls
/// `progress(steps_done, divergences)` after every step.
pub fn campaign(config: CampaignConfig, mut progress: impl FnMut(u64, usize)) -> CampaignReport {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let started = Instant::now();
    let mut devnet = Duration::ZERO;
    let mut report = CampaignReport { seed: config.seed, ..CampaignReport::default() };
    for case in 0..config.cases {
        let case_seed = config.seed.wrapping_add(case);
        let mut seed_bytes = [0u8; 32];
        seed_bytes[..8].copy_from_slice(&case_seed.to_le_bytes());
        let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
        let tree = SessionFlows::sequential_strategy(1..=config.max_steps.max(1)).new_tree(&mut runner).expect("generate a case");
        let (mut state, transitions, _) = tree.current();
        let t = Instant::now();
        let chain = Chain::start();
        devnet += t.elapsed();
        report.cases += 1;
        let mut done = Vec::new();
        for (step, op) in transitions.iter().enumerate() {
            let before = state.clone();
            state = SessionFlows::apply(state, op);
            done.push(format!("{op:?}"));
            let t = Instant::now();
            let outcome = chain.step(&before, &state, op);
            devnet += t.elapsed();
            report.steps += 1;
            *report.operations.entry(op.kind().to_string()).or_default() += 1;
            *report.verdicts.entry(verdict_name(state.expected.expect("judged"))).or_default() += 1;
            progress(report.steps, report.divergences.len());
            if let Err(message) = outcome {
                report.divergences.push(Divergence { case_seed, step, operations: done.clone(), message });
                break;
            }
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report.devnet_seconds = devnet.as_secs_f64();
    report.harness_seconds = (report.seconds - report.devnet_seconds).max(0.0);
    report.steps_per_second = report.steps as f64 / report.seconds.max(1e-9);
    report
}
