//! State-machine fuzzing of session flows against the reference model
//! ([`crate::model`]): proptest generates operation sequences; each runs on
//! a fresh embedded devnet through the library, and after every step the
//! on-chain verdict (accepted / rejected in validate / reverted in execute)
//! and the contract error must equal the model's; after every step that can
//! change state, so must every session's stored policy, status and
//! spending, the owner, the epoch, the account's nonce, the last outside
//! nonce and the account's ETH balance.
//!
//! - this module: the operations and [`SessionFlows`], the proptest
//!   reference state machine (generation and the model's predictions);
//! - [`chain`]: the system under test, [`Chain`];
//! - [`campaign`]: long seeded campaigns for the `fuzz` command, on
//!   several devnets in parallel;
//! - [`corpus`]: named attacks, scripted as operation sequences the model
//!   judges.
//!
//! Time is devnet time: before each operation devnet is set to the model's
//! clock, kept at least 20 s away from hour boundaries and from every
//! session's deadlines so a transaction's block time is never ambiguous.

pub mod campaign;
pub mod chain;
pub mod corpus;

pub use campaign::{campaign, CampaignConfig, CampaignReport, Divergence};
pub use chain::{Chain, ChainTimes};

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use starknet_rust::core::chain_id;
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::SigningKey;

use crate::account::counterfactual_address;
use crate::account::owner::calls;
use crate::contract::{selectors, ContractArtifact};
use crate::devnet::{ETH, STRK};
use crate::model::{AccountModel, OutsideTerms, Path, Route, SessionSignature, SignedAuthorization, Submission, Verdict};
use crate::policy::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use crate::token::transfer_call;
use crate::tx::FeeBounds;

pub(crate) use crate::token::STRK_UNIT;
const HOUR: u64 = 3600;
/// Devnet's first block.
pub(crate) const START: u64 = crate::devnet::FIXED_START;
pub(crate) const SLOTS: usize = 3;
/// Wei of ETH the account holds at the start: what sessions move.
pub(crate) const ETH_FUNDS: u128 = 1_000;
/// The chain the embedded devnet runs.
pub(crate) const CHAIN_ID: Felt = chain_id::SEPOLIA;
/// Every session's fee cap (§4.5).
const FEE_CAP: u128 = 100 * STRK_UNIT;
/// Fee bounds above [`FEE_CAP`] (200 STRK), still within what the account
/// holds, so only the account's cap can refuse them.
pub(crate) const OVER_CAP: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (20_000_000, 10_000_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 0,
};
/// How long a signed outside execution stays usable, each way from now.
const OUTSIDE_WINDOW: u64 = 600;

/// The owner key after `rotations` key rotations.
pub(crate) fn owner_key(rotations: u64) -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0x0123_4567_89ab_u64 + rotations))
}

pub(crate) fn session_key(slot: usize) -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0x5e55_0000_u64 + slot as u64))
}

pub(crate) fn account_address() -> Felt {
    static ADDRESS: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    *ADDRESS.get_or_init(|| {
        let class_hash = ContractArtifact::session_account().class_hash().expect("class hash");
        counterfactual_address(class_hash, Felt::ONE, owner_key(0).verifying_key().scalar())
    })
}

pub(crate) fn fee_of(bounds: FeeBounds) -> u128 {
    bounds.max_fee()
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
    /// A `u256` with a non-zero high word.
    HighWord,
    /// A low word that is not a `u128` (malformed calldata).
    NotU128,
}

/// The metered selectors a session call may use (§4.4).
#[derive(Debug, Clone, Copy)]
pub enum Metered {
    Transfer,
    Approve,
    IncreaseAllowance,
    IncreaseAllowanceCamel,
    /// `transfer_from` with the account as sender (metered like a transfer;
    /// the token then refuses for want of an allowance).
    TransferFromSelf,
    /// `balance_of`: a selector that cannot be metered.
    Unmetered,
}

impl Metered {
    fn selector(self) -> Felt {
        match self {
            Metered::Transfer => selectors::TRANSFER,
            Metered::Approve => selectors::APPROVE,
            Metered::IncreaseAllowance => selectors::INCREASE_ALLOWANCE,
            Metered::IncreaseAllowanceCamel => selectors::INCREASE_ALLOWANCE_CAMEL,
            Metered::TransferFromSelf => selectors::TRANSFER_FROM,
            Metered::Unmetered => selectors::BALANCE_OF,
        }
    }
}

/// How the owner grants a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `register_session` in an owner transaction (§3.1).
    ByTransaction,
    /// An authorization the session's next operation carries (§3.2).
    ByAuthorization,
    /// An authorization signed for another chain.
    ForOtherChain,
    /// An authorization signed for another account.
    ForOtherAccount,
    /// An authorization whose carried policy was changed after signing
    /// (more calls).
    Tampered,
}

/// How a session operation is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    Genuine,
    /// The session layout with a signature that does not verify.
    Forged,
    /// The owner layout, signed by the session key.
    OwnerLayout,
}

#[derive(Debug, Clone)]
pub enum Op {
    /// The owner grants `policy` to slot's key.
    Grant { slot: usize, policy: PolicyChoice, how: Grant },
    /// ETH calls moving `amount` each, `count` of them in one multicall.
    Transfer { slot: usize, selector: Metered, amount: Amount, count: usize, path: Path },
    /// A call to a contract no policy grants (STRK).
    CallStranger { slot: usize, path: Path },
    /// The session tries an owner-only entrypoint of its account.
    AdminSelfCall { slot: usize, entrypoint: AdminEntrypoint, path: Path },
    Renew { slot: usize, path: Path },
    RevokeSelf { slot: usize, path: Path },
    /// A one-wei transfer, signed wrongly.
    Forged { slot: usize, signing: Signing, path: Path },
    /// A one-wei transfer whose fee bounds exceed the session's cap.
    OverFeeCap { slot: usize },
    /// The last included session transaction, sent again (same nonce).
    ReplayTransaction,
    /// The last outside execution, submitted again (same nonce, signature).
    ReplayOutside,
    OwnerRevoke { slot: usize },
    RevokeAll,
    /// The owner rotates its key (§7.3).
    RotateOwner,
    /// Moves time to a session deadline plus an offset, or forward by a delta.
    TimeToDeadline { slot: usize, grace: bool, after: bool },
    TimeForward { seconds: u64 },
}

/// Owner-only entrypoints a session may try to reach (§6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminEntrypoint {
    RevokeAll,
    Upgrade,
    SetOwner,
    RegisterSession,
    /// Revoking another slot's session.
    RevokeOther,
}

#[derive(Debug, Clone, Copy)]
pub struct PolicyChoice {
    lifetime: u64,
    grace: u64,
    limit: Option<u128>,
    max_calls: u64,
    max_calls_per_tx: u32,
    transfer_only: bool,
    flaw: Option<PolicyFlaw>,
}

/// Policies an owner should not be able to grant, or that bind oddly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyFlaw {
    /// `valid_after == valid_until` (§1.1).
    EmptyWindow,
    /// Renewable, with `max_valid_until < valid_until` (§1.1).
    BadRenewal,
    /// Renewable, but `max_valid_until == valid_until`: every renewal hits
    /// the limit (well formed).
    NoRoomToRenew,
    /// `max_calls_per_tx == 0` (§1.1).
    ZeroCallCap,
    /// The account itself among the allowed contracts (§1.1).
    AllowsTheAccount,
    /// ETH listed twice (§1.1).
    DuplicateContract,
    /// Starts two hours from now (well formed, not yet valid).
    StartsLater,
}

impl PolicyChoice {
    /// A 2-hour, renewable, transfer-only policy with a 100-wei limit.
    pub fn limited() -> Self {
        Self { lifetime: 2 * HOUR, grace: HOUR, limit: Some(100), max_calls: 5, max_calls_per_tx: 2, transfer_only: false, flaw: None }
    }

    pub fn lifetime(self, seconds: u64) -> Self {
        Self { lifetime: seconds, ..self }
    }

    pub fn not_renewable(self) -> Self {
        Self { grace: 0, ..self }
    }

    pub fn unlimited(self) -> Self {
        Self { limit: None, ..self }
    }

    pub fn flawed(self, flaw: PolicyFlaw) -> Self {
        Self { flaw: Some(flaw), ..self }
    }
}

/// An outside execution as signed: what [`Op::ReplayOutside`] resubmits.
#[derive(Debug, Clone)]
pub struct SentOutside {
    pub slot: usize,
    pub calls: Vec<Call>,
    pub terms: OutsideTerms,
    pub signing: Signing,
    pub authorization: Option<SignedAuthorization>,
}

/// A session transaction that was included (its nonce is spent).
#[derive(Debug, Clone)]
pub struct SentTransaction {
    pub slot: usize,
    pub calls: Vec<Call>,
    pub nonce: u64,
}

/// The model's side of one case.
#[derive(Debug, Clone)]
pub struct Reference {
    pub model: AccountModel,
    pub now: u64,
    /// Owner key rotations so far: the owner key is `owner_key(rotations)`.
    pub rotations: u64,
    /// The account's nonce.
    pub nonce: u64,
    /// Operations applied so far (outside-execution nonces derive from it).
    pub steps: u64,
    /// Authorizations granted and not yet used, per slot.
    pub pending: Vec<Option<SignedAuthorization>>,
    pub last_transaction: Option<SentTransaction>,
    pub last_outside: Option<SentOutside>,
    /// The verdict the model predicts for the last operation.
    pub expected: Option<Verdict>,
}

fn path() -> impl Strategy<Value = Path> {
    prop_oneof![Just(Path::Direct), Just(Path::Gasless)]
}

fn metered() -> impl Strategy<Value = Metered> {
    prop_oneof![
        6 => Just(Metered::Transfer),
        2 => Just(Metered::Approve),
        2 => Just(Metered::IncreaseAllowance),
        2 => Just(Metered::IncreaseAllowanceCamel),
        1 => Just(Metered::TransferFromSelf),
        1 => Just(Metered::Unmetered),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => Just(Amount::Zero),
        3 => Just(Amount::One),
        3 => Just(Amount::Remaining),
        3 => Just(Amount::OverByOne),
        2 => Just(Amount::MoreThanBalance),
        1 => Just(Amount::HighWord),
        1 => Just(Amount::NotU128),
    ]
}

fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![
        8 => Just(Grant::ByTransaction),
        8 => Just(Grant::ByAuthorization),
        1 => Just(Grant::ForOtherChain),
        1 => Just(Grant::ForOtherAccount),
        1 => Just(Grant::Tampered),
    ]
}

fn admin_entrypoint() -> impl Strategy<Value = AdminEntrypoint> {
    prop_oneof![
        Just(AdminEntrypoint::RevokeAll),
        Just(AdminEntrypoint::Upgrade),
        Just(AdminEntrypoint::SetOwner),
        Just(AdminEntrypoint::RegisterSession),
        Just(AdminEntrypoint::RevokeOther),
    ]
}

fn signing() -> impl Strategy<Value = Signing> {
    prop_oneof![Just(Signing::Forged), Just(Signing::OwnerLayout)]
}

fn policy_flaw() -> impl Strategy<Value = Option<PolicyFlaw>> {
    prop_oneof![
        28 => Just(None),
        1 => Just(Some(PolicyFlaw::EmptyWindow)),
        1 => Just(Some(PolicyFlaw::BadRenewal)),
        1 => Just(Some(PolicyFlaw::NoRoomToRenew)),
        1 => Just(Some(PolicyFlaw::ZeroCallCap)),
        1 => Just(Some(PolicyFlaw::AllowsTheAccount)),
        1 => Just(Some(PolicyFlaw::DuplicateContract)),
        1 => Just(Some(PolicyFlaw::StartsLater)),
    ]
}

fn policy_choice() -> impl Strategy<Value = PolicyChoice> {
    (
        prop_oneof![Just(HOUR / 2), Just(2 * HOUR), Just(5 * HOUR)],
        prop_oneof![Just(0u64), Just(HOUR)],
        prop_oneof![Just(None), Just(Some(0u128)), Just(Some(100u128)), Just(Some(400u128))],
        1u64..6,
        1u32..3,
        any::<bool>(),
        policy_flaw(),
    )
        .prop_map(|(lifetime, grace, limit, max_calls, max_calls_per_tx, transfer_only, flaw)| PolicyChoice {
            lifetime,
            grace,
            limit,
            max_calls,
            max_calls_per_tx,
            transfer_only,
            flaw,
        })
}

/// The policy a grant at time `now` gives slot's key.
fn policy_for(slot: usize, choice: PolicyChoice, now: u64) -> SessionPolicy {
    let valid_after = match choice.flaw {
        Some(PolicyFlaw::StartsLater) => keep_off_boundaries(now + 2 * HOUR),
        _ => now - 60,
    };
    let valid_until = keep_off_boundaries(valid_after + 60 + choice.lifetime);
    let eth = AllowedContract { contract: ETH, entrypoints: if choice.transfer_only { vec![selectors::TRANSFER] } else { vec![] } };
    let mut policy = SessionPolicy {
        session_key: session_key(slot).verifying_key().scalar(),
        valid_after,
        valid_until,
        renewal: RenewalPolicy { grace_period: choice.grace, max_valid_until: valid_until + 3 * HOUR },
        allowed_calls: vec![eth.clone()],
        max_calls_per_tx: choice.max_calls_per_tx,
        max_calls: choice.max_calls,
        spending_limits: choice.limit.map(|l| SpendingLimit { token: ETH, limit: U256::from(l) }).into_iter().collect(),
        max_fee_per_tx: FEE_CAP,
    };
    match choice.flaw {
        None | Some(PolicyFlaw::StartsLater) => {}
        Some(PolicyFlaw::EmptyWindow) => policy.valid_after = policy.valid_until,
        Some(PolicyFlaw::BadRenewal) => policy.renewal = RenewalPolicy { grace_period: HOUR, max_valid_until: valid_until - 1 },
        Some(PolicyFlaw::NoRoomToRenew) => policy.renewal = RenewalPolicy { grace_period: HOUR, max_valid_until: valid_until },
        Some(PolicyFlaw::ZeroCallCap) => policy.max_calls_per_tx = 0,
        Some(PolicyFlaw::AllowsTheAccount) => policy.allowed_calls.push(AllowedContract::any(account_address())),
        Some(PolicyFlaw::DuplicateContract) => policy.allowed_calls.push(eth),
    }
    policy
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
    /// A fresh account: deployed by owner key 0, holding [`ETH_FUNDS`] wei.
    pub fn new() -> Self {
        let owner = owner_key(0).verifying_key().scalar();
        let mut model = AccountModel::new(account_address(), owner, CHAIN_ID);
        model.balances.insert(ETH, U256::from(ETH_FUNDS));
        Reference {
            model,
            now: START + 120,
            rotations: 0,
            // The deployment used nonce 0.
            nonce: 1,
            steps: 0,
            pending: vec![None; SLOTS],
            last_transaction: None,
            last_outside: None,
            expected: None,
        }
    }

    pub(crate) fn key(slot: usize) -> Felt {
        session_key(slot).verifying_key().scalar()
    }

    /// ETH left of slot's limit (0 when unlimited or unknown).
    fn remaining(&self, slot: usize) -> u128 {
        let key = Self::key(slot);
        let policy = self.model.sessions.get(&key).map(|s| &s.policy).or(self.pending[slot].as_ref().map(|a| &a.policy));
        let limit = policy.and_then(|p| p.limit_for(ETH)).map(|l| l.low()).unwrap_or(0);
        let spent = self.model.sessions.get(&key).and_then(|s| s.spent.get(&ETH)).map(|s| s.low()).unwrap_or(0);
        limit.saturating_sub(spent)
    }

    /// The calldata words of an amount: `[low, high]`.
    fn amount_words(&self, slot: usize, amount: Amount) -> [Felt; 2] {
        let low = |v: u128| [Felt::from(v), Felt::ZERO];
        match amount {
            Amount::Zero => low(0),
            Amount::One => low(1),
            Amount::Remaining => low(self.remaining(slot)),
            Amount::OverByOne => low(self.remaining(slot) + 1),
            Amount::MoreThanBalance => low(self.model.balances.get(&ETH).map(|b| b.low()).unwrap_or(0) + 1),
            Amount::HighWord => [Felt::ZERO, Felt::ONE],
            Amount::NotU128 => [Felt::from(u128::MAX) + Felt::ONE, Felt::ZERO],
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

    /// The authorization a grant produces now.
    fn authorization(&self, policy: SessionPolicy, how: Grant) -> SignedAuthorization {
        let mut signed = SignedAuthorization::genuine(&self.model, &policy);
        match how {
            Grant::ForOtherChain => signed.chain_id = chain_id::MAINNET,
            Grant::ForOtherAccount => signed.account = STRK,
            Grant::Tampered => signed.policy.max_calls += 10,
            Grant::ByAuthorization | Grant::ByTransaction => {}
        }
        signed
    }

    /// The terms of the outside execution sent at this step.
    fn outside_terms(&self) -> OutsideTerms {
        OutsideTerms {
            nonce: Felt::from(0x0075_0000_0000_u64 + self.steps),
            execute_after: self.now - OUTSIDE_WINDOW,
            execute_before: self.now + OUTSIDE_WINDOW,
        }
    }
}

impl Default for Reference {
    fn default() -> Self {
        Self::new()
    }
}

/// The calls of a session operation.
pub(crate) fn op_calls(reference: &Reference, op: &Op) -> Vec<Call> {
    let account = reference.model.account;
    match *op {
        Op::Transfer { slot, selector, amount, count, .. } => {
            let [low, high] = reference.amount_words(slot, amount);
            let calldata = match selector {
                Metered::TransferFromSelf => vec![account, Felt::TWO, low, high],
                Metered::Unmetered => vec![account],
                _ => vec![Felt::TWO, low, high],
            };
            (0..count).map(|_| Call { to: ETH, selector: selector.selector(), calldata: calldata.clone() }).collect()
        }
        Op::CallStranger { .. } => vec![transfer_call(STRK, Felt::TWO, 1)],
        Op::AdminSelfCall { slot, entrypoint, .. } => vec![match entrypoint {
            AdminEntrypoint::RevokeAll => calls::revoke_all_sessions(account),
            AdminEntrypoint::Upgrade => calls::upgrade(account, Felt::from(0xc1a55_u64)),
            AdminEntrypoint::SetOwner => Call {
                to: account,
                selector: selectors::SET_OWNER,
                calldata: vec![Reference::key(slot), Felt::ONE, Felt::TWO],
            },
            AdminEntrypoint::RegisterSession => calls::register_session(account, &policy_for(slot, PolicyChoice::limited(), reference.now)),
            AdminEntrypoint::RevokeOther => calls::revoke_session(account, Reference::key((slot + 1) % SLOTS)),
        }],
        Op::Renew { .. } => vec![calls::renew_session(account)],
        Op::RevokeSelf { slot, .. } => vec![calls::revoke_session(account, Reference::key(slot))],
        Op::Forged { .. } | Op::OverFeeCap { .. } => vec![transfer_call(ETH, Felt::TWO, 1)],
        _ => vec![],
    }
}

/// Slot, route and signing of an operation a session signs.
fn session_op(op: &Op) -> Option<(usize, Path, Signing)> {
    match *op {
        Op::Transfer { slot, path, .. }
        | Op::CallStranger { slot, path }
        | Op::AdminSelfCall { slot, path, .. }
        | Op::Renew { slot, path }
        | Op::RevokeSelf { slot, path } => Some((slot, path, Signing::Genuine)),
        Op::Forged { slot, signing, path } => Some((slot, path, signing)),
        Op::OverFeeCap { slot } => Some((slot, Path::Direct, Signing::Genuine)),
        _ => None,
    }
}

fn model_signature(signing: Signing) -> SessionSignature {
    match signing {
        Signing::Genuine => SessionSignature::Valid,
        Signing::Forged => SessionSignature::Forged,
        Signing::OwnerLayout => SessionSignature::OwnerLayout,
    }
}

/// Whether a verdict refuses the carried authorization itself (§3.2, §1.1).
fn refuses_authorization(verdict: Verdict) -> bool {
    use crate::contract::ContractError::*;
    matches!(
        verdict.error(),
        Some(
            SessionInvalidAuthorization
                | SessionAlreadyRegistered
                | SessionInvalidKey
                | SessionInvalidWindow
                | SessionInvalidRenewal
                | SessionInvalidCallCaps
                | SessionDuplicateEntry
        )
    ) && !matches!(verdict, Verdict::Accepted)
}

/// Whether a verdict spends the account's nonce (the transaction was included).
fn included(verdict: Verdict) -> bool {
    !matches!(verdict, Verdict::Rejected(_))
}

/// The reference state machine: operations and the model's predictions.
pub struct SessionFlows;

impl ReferenceStateMachine for SessionFlows {
    type State = Reference;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Reference> {
        Just(Reference::new()).boxed()
    }

    fn transitions(state: &Reference) -> BoxedStrategy<Op> {
        // Mostly operate on slots that were granted a session (registered
        // or pending), so steps exercise policies rather than "not
        // registered"; still sometimes any slot.
        let granted: Vec<usize> = (0..SLOTS)
            .filter(|s| state.model.sessions.contains_key(&Reference::key(*s)) || state.pending[*s].is_some())
            .collect();
        // Before any grant every session operation is "not registered":
        // grant first, mostly.
        let grant_weight = if granted.is_empty() { 40 } else { 6 };
        let slot: BoxedStrategy<usize> = if granted.is_empty() {
            (0..SLOTS).boxed()
        } else {
            prop_oneof![6 => proptest::sample::select(granted), 1 => 0..SLOTS].boxed()
        };
        prop_oneof![
            // Any slot: granting a granted slot only shows already-registered.
            grant_weight => (0..SLOTS, policy_choice(), grant()).prop_map(|(slot, policy, how)| Op::Grant { slot, policy, how }),
            12 => (slot.clone(), metered(), amount(), prop_oneof![1 => Just(0usize), 12 => 1usize..4], path())
                .prop_map(|(slot, selector, amount, count, path)| Op::Transfer { slot, selector, amount, count, path }),
            1 => (slot.clone(), path()).prop_map(|(slot, path)| Op::CallStranger { slot, path }),
            2 => (slot.clone(), admin_entrypoint(), path()).prop_map(|(slot, entrypoint, path)| Op::AdminSelfCall { slot, entrypoint, path }),
            4 => (slot.clone(), path()).prop_map(|(slot, path)| Op::Renew { slot, path }),
            2 => (slot.clone(), path()).prop_map(|(slot, path)| Op::RevokeSelf { slot, path }),
            1 => (slot.clone(), signing(), path()).prop_map(|(slot, signing, path)| Op::Forged { slot, signing, path }),
            1 => slot.clone().prop_map(|slot| Op::OverFeeCap { slot }),
            1 => Just(Op::ReplayTransaction),
            1 => Just(Op::ReplayOutside),
            2 => slot.clone().prop_map(|slot| Op::OwnerRevoke { slot }),
            1 => Just(Op::RevokeAll),
            1 => Just(Op::RotateOwner),
            6 => (slot, any::<bool>(), any::<bool>()).prop_map(|(slot, grace, after)| Op::TimeToDeadline { slot, grace, after }),
            2 => prop_oneof![Just(600u64), Just(HOUR), Just(3 * HOUR)].prop_map(|seconds| Op::TimeForward { seconds }),
        ]
        .boxed()
    }

    fn apply(mut state: Reference, op: &Op) -> Reference {
        let now = state.now;
        let verdict = match op {
            Op::Grant { slot, policy, how } => {
                let policy = policy_for(*slot, *policy, now);
                if *how == Grant::ByTransaction {
                    let verdict = state.model.register(&policy);
                    state.nonce += 1;
                    verdict
                } else {
                    state.pending[*slot] = Some(state.authorization(policy, *how));
                    Verdict::Accepted
                }
            }
            Op::OwnerRevoke { slot } => {
                state.nonce += 1;
                state.model.revoke(Reference::key(*slot))
            }
            Op::RevokeAll => {
                state.nonce += 1;
                state.model.revoke_all()
            }
            Op::RotateOwner => {
                state.nonce += 1;
                state.rotations += 1;
                state.model.set_owner(owner_key(state.rotations).verifying_key().scalar())
            }
            Op::TimeToDeadline { slot, grace, after } => {
                state.now = state.deadline_time(*slot, *grace, *after);
                Verdict::Accepted
            }
            Op::TimeForward { seconds } => {
                state.now = keep_off_boundaries(now + seconds);
                Verdict::Accepted
            }
            // The node refuses a spent nonce before the account sees it.
            Op::ReplayTransaction => match state.last_transaction {
                Some(_) => Verdict::Rejected(None),
                None => Verdict::Accepted,
            },
            Op::ReplayOutside => match state.last_outside.clone() {
                Some(sent) => {
                    let route = Route::Gasless(sent.terms);
                    let verdict = state.model.submit(&Submission {
                        key: Reference::key(sent.slot),
                        authorization: sent.authorization.as_ref(),
                        calls: &sent.calls,
                        now,
                        signature: model_signature(sent.signing),
                        route,
                    });
                    // The replay registered the session its authorization
                    // grants: that authorization is spent.
                    if verdict == Verdict::Accepted && sent.authorization.is_some() && state.pending[sent.slot] == sent.authorization {
                        state.pending[sent.slot] = None;
                    }
                    verdict
                }
                None => Verdict::Accepted,
            },
            session => {
                let (slot, path, signing) = session_op(session).expect("a session op");
                let calls = op_calls(&state, session);
                let authorization = state.pending[slot].clone();
                let route = match (path, session) {
                    (Path::Direct, Op::OverFeeCap { .. }) => Route::Direct { max_fee: fee_of(OVER_CAP) },
                    (Path::Direct, _) => Route::Direct { max_fee: fee_of(FeeBounds::DEVNET) },
                    (Path::Gasless, _) => Route::Gasless(state.outside_terms()),
                };
                let verdict = state.model.submit(&Submission {
                    key: Reference::key(slot),
                    authorization: authorization.as_ref(),
                    calls: &calls,
                    now,
                    signature: model_signature(signing),
                    route,
                });
                // A used authorization is spent; a refused one is dropped,
                // as a wallet would (it can never verify again).
                if verdict == Verdict::Accepted || (authorization.is_some() && refuses_authorization(verdict)) {
                    state.pending[slot] = None;
                }
                match route {
                    Route::Direct { .. } => {
                        if included(verdict) {
                            state.last_transaction = Some(SentTransaction { slot, calls, nonce: state.nonce });
                            state.nonce += 1;
                        }
                    }
                    Route::Gasless(terms) => {
                        state.last_outside = Some(SentOutside { slot, calls, terms, signing, authorization })
                    }
                }
                verdict
            }
        };
        state.expected = Some(verdict);
        state.steps += 1;
        state
    }
}

impl Op {
    /// A short name, for coverage counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Grant { how: Grant::ByTransaction, .. } => "grant by transaction",
            Op::Grant { how: Grant::ByAuthorization, .. } => "grant by authorization",
            Op::Grant { .. } => "grant by a flawed authorization",
            Op::Transfer { path: Path::Direct, .. } => "metered calls (direct)",
            Op::Transfer { .. } => "metered calls (gasless)",
            Op::CallStranger { .. } => "call outside the policy",
            Op::AdminSelfCall { .. } => "admin self-call",
            Op::Renew { .. } => "renew",
            Op::RevokeSelf { .. } => "self-revoke",
            Op::Forged { .. } => "forged signature",
            Op::OverFeeCap { .. } => "fee above the cap",
            Op::ReplayTransaction => "replayed transaction",
            Op::ReplayOutside => "replayed outside execution",
            Op::OwnerRevoke { .. } => "owner revoke",
            Op::RevokeAll => "revoke-all",
            Op::RotateOwner => "owner rotation",
            Op::TimeToDeadline { .. } => "time to a deadline",
            Op::TimeForward { .. } => "time forward",
        }
    }
}
