//! The operations a fuzz case is made of, the policies a grant gives, and
//! the proptest strategies that draw them.

use proptest::prelude::*;
use starknet_rust::core::types::{Felt, U256};

use super::{router_address, session_key, token_address, FEE_CAP, HOUR, SLOTS};
use crate::model::{Path, SessionSignature};
use session_account::contract::selectors;
use session_account::policy::SessionPolicy;
use session_account::tx::FeeBounds;

/// How much a token call asks for, relative to the session's limit.
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

/// The token selectors a session call may use (§4.4).
#[derive(Debug, Clone, Copy)]
pub enum Metered {
    Transfer,
    Approve,
    IncreaseAllowance,
    IncreaseAllowanceCamel,
    /// `transfer_from` with the account as sender (the token then refuses
    /// for want of an allowance).
    TransferFromSelf,
    /// `transferFrom` of the third party's tokens, which it allowed the
    /// account to move: counted in full (§4.4).
    TransferFromThirdParty,
    /// `balance_of`: a selector that cannot be metered.
    Unmetered,
}

impl Metered {
    pub(crate) fn selector(self) -> Felt {
        match self {
            Metered::Transfer => selectors::TRANSFER,
            Metered::Approve => selectors::APPROVE,
            Metered::IncreaseAllowance => selectors::INCREASE_ALLOWANCE,
            Metered::IncreaseAllowanceCamel => selectors::INCREASE_ALLOWANCE_CAMEL,
            Metered::TransferFromSelf => selectors::TRANSFER_FROM,
            Metered::TransferFromThirdParty => selectors::TRANSFER_FROM_CAMEL,
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

#[derive(Debug, Clone)]
pub enum Op {
    /// The owner grants `policy` to slot's key.
    Grant {
        slot: usize,
        policy: PolicyChoice,
        how: Grant,
    },
    /// Test-token calls moving `amount` each, `count` of them in one multicall.
    Transfer {
        slot: usize,
        selector: Metered,
        amount: Amount,
        count: usize,
        path: Path,
    },
    /// The session makes the router pull `amount` of the account's tokens
    /// through the allowance the owner gave the router (indirect spending).
    RouterPull {
        slot: usize,
        amount: Amount,
        path: Path,
    },
    /// A call that reverts in the token (`transfer_from` of a stranger's
    /// tokens), with fee bounds at the session's cap or the usual ones: the
    /// fee burn a leaked key could try.
    FeeBurn {
        slot: usize,
        at_cap: bool,
    },
    /// A call to a contract no policy grants (STRK).
    CallStranger {
        slot: usize,
        path: Path,
    },
    /// The session tries an owner-only entrypoint of its account.
    AdminSelfCall {
        slot: usize,
        entrypoint: AdminEntrypoint,
        path: Path,
    },
    Renew {
        slot: usize,
        path: Path,
    },
    RevokeSelf {
        slot: usize,
        path: Path,
    },
    /// A one-unit transfer, signed wrongly (`Forged` or `OwnerLayout`).
    Forged {
        slot: usize,
        signing: SessionSignature,
        path: Path,
    },
    /// A one-unit transfer whose fee bounds exceed the session's cap.
    OverFeeCap {
        slot: usize,
    },
    /// `[token.approve(spender, approved)]` (or `increase_allowance`), then
    /// the router pulling `pulled` of the account's tokens: approve + swap
    /// when the router is the spender, an approval hidden behind an
    /// unrelated pull when it is the third party (§4.4).
    ApproveThenPull {
        slot: usize,
        spender: Spender,
        increase: bool,
        approved: Amount,
        pulled: Amount,
        path: Path,
    },
    /// `[token.transferFrom(third party → recipient, amount)]`, then the
    /// router pulling as much of the account's tokens (§4.4).
    ThirdPartyThenPull {
        slot: usize,
        amount: Amount,
        path: Path,
    },
    /// The third party takes what the account allows it, outside any
    /// session transaction (`over`: one more): what a session's approval
    /// let through later.
    SpenderPulls {
        over: bool,
    },
    /// The owner's outside execution (a one-unit transfer), relayed: with
    /// the nonce of the last session outside execution when `reuse` (its
    /// own nonce space, §11), else a fresh one.
    OwnerOutside {
        reuse: bool,
    },
    /// A one-unit session transfer sent with a transaction field the
    /// account does not support (§4.5).
    UnsupportedTxField {
        slot: usize,
        field: TxField,
    },
    /// The last included session transaction, sent again (same nonce).
    ReplayTransaction,
    /// The last outside execution, submitted again (same nonce, signature).
    ReplayOutside,
    OwnerRevoke {
        slot: usize,
    },
    RevokeAll,
    /// The owner rotates its key (§7.3): to a new key, or `back` to the
    /// key before the current one (A→B→A).
    RotateOwner {
        back: bool,
    },
    /// The owner allows the router to move `amount` of the account's
    /// tokens (an allowance granted long ago).
    OwnerApproveRouter {
        amount: u128,
    },
    /// Moves time to a session deadline plus an offset, or forward by a delta.
    TimeToDeadline {
        slot: usize,
        grace: bool,
        after: bool,
    },
    TimeForward {
        seconds: u64,
    },
}

/// Who a session approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spender {
    /// The router, which the same transaction then makes pull.
    Router,
    /// The third party, which can pull later ([`Op::SpenderPulls`]).
    ThirdParty,
}

/// A transaction field the account refuses for sessions (§4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxField {
    /// `paymaster_data = [1]`.
    PaymasterData,
    /// `account_deployment_data = [1, 2]`.
    AccountDeploymentData,
    /// Nonce data availability on L2.
    NonceDataAvailability,
    /// Fee data availability on L2.
    FeeDataAvailability,
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

/// What a grant gives: lifetime, renewal, caps, limit and fee budget.
#[derive(Debug, Clone, Copy)]
pub struct PolicyChoice {
    pub(crate) lifetime: u64,
    pub(crate) grace: u64,
    /// What one renewal extends by; 0 = the lifetime.
    pub(crate) period: u64,
    pub(crate) limit: Option<u128>,
    pub(crate) max_calls: u64,
    pub(crate) max_calls_per_tx: u32,
    pub(crate) transfer_only: bool,
    /// The router is among the allowed contracts.
    pub(crate) router: bool,
    pub(crate) fee_budget: u128,
    pub(crate) flaw: Option<PolicyFlaw>,
}

/// Policies an owner should not be able to grant, or that bind oddly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyFlaw {
    /// `valid_after == valid_until` (§1.1).
    EmptyWindow,
    /// Renewable, with `max_valid_until < valid_until` (§1.1).
    BadRenewal,
    /// Renewable with a renewal period of 0 (§1.1).
    ZeroPeriod,
    /// Renewable, but `max_valid_until == valid_until`: every renewal hits
    /// the limit (well formed).
    NoRoomToRenew,
    /// `max_calls_per_tx == 0` (§1.1).
    ZeroCallCap,
    /// The account itself among the allowed contracts (§1.1).
    AllowsTheAccount,
    /// The token listed twice (§1.1).
    DuplicateContract,
    /// A spending limit on the account itself (§1.1).
    LimitsTheAccount,
    /// Starts two hours from now (well formed, not yet valid).
    StartsLater,
    /// `valid_after = 0`: a renewal must still extend by one period only.
    StartedAtZero,
}

impl PolicyChoice {
    /// A 2-hour, renewable policy with a 100-unit limit on the test token,
    /// the router allowed, and no fee budget beyond the cap.
    pub fn limited() -> Self {
        Self {
            lifetime: 2 * HOUR,
            grace: HOUR,
            period: 0,
            limit: Some(100),
            max_calls: 5,
            max_calls_per_tx: 2,
            transfer_only: false,
            router: true,
            fee_budget: u128::MAX,
            flaw: None,
        }
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

    pub fn max_calls(self, max_calls: u64) -> Self {
        Self { max_calls, ..self }
    }

    pub fn fee_budget(self, fee_budget: u128) -> Self {
        Self { fee_budget, ..self }
    }

    pub fn flawed(self, flaw: PolicyFlaw) -> Self {
        Self { flaw: Some(flaw), ..self }
    }
}

/// The policy a grant at time `now` gives slot's key on `account`.
pub(crate) fn policy_for(
    account: Felt,
    slot: usize,
    choice: PolicyChoice,
    now: u64,
) -> SessionPolicy {
    let starts = match choice.flaw {
        Some(PolicyFlaw::StartsLater) => keep_off_boundaries(now + 2 * HOUR),
        _ => now - 60,
    };
    let valid_after = if choice.flaw == Some(PolicyFlaw::StartedAtZero) { 0 } else { starts };
    let valid_until = keep_off_boundaries(starts + 60 + choice.lifetime);
    let period = if choice.period == 0 { choice.lifetime } else { choice.period };
    let token = token_address();
    let entrypoints = if choice.transfer_only { vec![selectors::TRANSFER] } else { vec![] };
    let mut builder = SessionPolicy::builder(session_key(slot).verifying_key().scalar())
        .valid_between(valid_after, valid_until)
        .allow_entrypoints(token, entrypoints.clone())
        .max_calls_per_tx(choice.max_calls_per_tx)
        .max_calls(choice.max_calls)
        .max_fee_per_tx(FEE_CAP)
        .fee_budget(choice.fee_budget);
    if choice.grace > 0 {
        builder = builder.renewable(choice.grace, period, valid_until + 3 * HOUR);
    }
    if choice.router {
        builder = builder.allow(router_address());
    }
    if let Some(limit) = choice.limit {
        builder = builder.spending_limit(token, U256::from(limit));
    }
    let mut policy = builder.build_unchecked();
    match choice.flaw {
        None | Some(PolicyFlaw::StartsLater) | Some(PolicyFlaw::StartedAtZero) => {}
        Some(PolicyFlaw::EmptyWindow) => policy.valid_after = policy.valid_until,
        Some(PolicyFlaw::BadRenewal) => {
            policy.renewal = session_account::policy::RenewalPolicy {
                grace_period: HOUR,
                max_valid_until: valid_until - 1,
                period,
            }
        }
        Some(PolicyFlaw::ZeroPeriod) => {
            policy.renewal = session_account::policy::RenewalPolicy {
                grace_period: HOUR,
                max_valid_until: valid_until + HOUR,
                period: 0,
            }
        }
        Some(PolicyFlaw::NoRoomToRenew) => {
            policy.renewal = session_account::policy::RenewalPolicy {
                grace_period: HOUR,
                max_valid_until: valid_until,
                period,
            }
        }
        Some(PolicyFlaw::ZeroCallCap) => policy.max_calls_per_tx = 0,
        Some(PolicyFlaw::AllowsTheAccount) => {
            policy.allowed_calls.push(session_account::policy::AllowedContract::any(account))
        }
        Some(PolicyFlaw::DuplicateContract) => policy
            .allowed_calls
            .push(session_account::policy::AllowedContract { contract: token, entrypoints }),
        Some(PolicyFlaw::LimitsTheAccount) => {
            policy.spending_limits.push(session_account::policy::SpendingLimit {
                token: account,
                limit: U256::from(1u8),
            })
        }
    }
    policy
}

/// Times used as clocks or deadlines keep 20 s away from whole hours, where
/// the validate clock changes.
pub(crate) fn keep_off_boundaries(t: u64) -> u64 {
    let r = t % HOUR;
    if r < 20 {
        t + (20 - r)
    } else if r > HOUR - 20 {
        t + (HOUR - r) + 20
    } else {
        t
    }
}

pub(crate) fn path() -> impl Strategy<Value = Path> {
    prop_oneof![Just(Path::Direct), Just(Path::Gasless)]
}

pub(crate) fn metered() -> impl Strategy<Value = Metered> {
    prop_oneof![
        6 => Just(Metered::Transfer),
        2 => Just(Metered::Approve),
        2 => Just(Metered::IncreaseAllowance),
        2 => Just(Metered::IncreaseAllowanceCamel),
        1 => Just(Metered::TransferFromSelf),
        2 => Just(Metered::TransferFromThirdParty),
        1 => Just(Metered::Unmetered),
    ]
}

pub(crate) fn amount() -> impl Strategy<Value = Amount> {
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

pub(crate) fn spender() -> impl Strategy<Value = Spender> {
    prop_oneof![Just(Spender::Router), Just(Spender::ThirdParty)]
}

pub(crate) fn tx_field() -> impl Strategy<Value = TxField> {
    prop_oneof![
        Just(TxField::PaymasterData),
        Just(TxField::AccountDeploymentData),
        Just(TxField::NonceDataAvailability),
        Just(TxField::FeeDataAvailability),
    ]
}

pub(crate) fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![
        8 => Just(Grant::ByTransaction),
        8 => Just(Grant::ByAuthorization),
        1 => Just(Grant::ForOtherChain),
        1 => Just(Grant::ForOtherAccount),
        1 => Just(Grant::Tampered),
    ]
}

pub(crate) fn admin_entrypoint() -> impl Strategy<Value = AdminEntrypoint> {
    prop_oneof![
        Just(AdminEntrypoint::RevokeAll),
        Just(AdminEntrypoint::Upgrade),
        Just(AdminEntrypoint::SetOwner),
        Just(AdminEntrypoint::RegisterSession),
        Just(AdminEntrypoint::RevokeOther),
    ]
}

pub(crate) fn signing() -> impl Strategy<Value = SessionSignature> {
    prop_oneof![Just(SessionSignature::Forged), Just(SessionSignature::OwnerLayout)]
}

fn policy_flaw() -> impl Strategy<Value = Option<PolicyFlaw>> {
    prop_oneof![
        30 => Just(None),
        1 => Just(Some(PolicyFlaw::EmptyWindow)),
        1 => Just(Some(PolicyFlaw::BadRenewal)),
        1 => Just(Some(PolicyFlaw::ZeroPeriod)),
        1 => Just(Some(PolicyFlaw::NoRoomToRenew)),
        1 => Just(Some(PolicyFlaw::ZeroCallCap)),
        1 => Just(Some(PolicyFlaw::AllowsTheAccount)),
        1 => Just(Some(PolicyFlaw::DuplicateContract)),
        1 => Just(Some(PolicyFlaw::LimitsTheAccount)),
        1 => Just(Some(PolicyFlaw::StartsLater)),
        1 => Just(Some(PolicyFlaw::StartedAtZero)),
    ]
}

/// Fee budgets: none beyond the cap, gasless only, a few transactions'
/// worth of the usual bounds, or two at the cap.
fn fee_budget() -> impl Strategy<Value = u128> {
    let usual = FeeBounds::DEVNET.max_fee().expect("fits");
    prop_oneof![
        4 => Just(u128::MAX),
        1 => Just(0u128),
        2 => Just(2 * usual),
        2 => Just(6 * usual),
        1 => Just(2 * FEE_CAP),
    ]
}

pub(crate) fn policy_choice() -> impl Strategy<Value = PolicyChoice> {
    (
        (
            prop_oneof![Just(HOUR / 2), Just(2 * HOUR), Just(5 * HOUR)],
            prop_oneof![Just(0u64), Just(HOUR)],
            prop_oneof![2 => Just(0u64), 1 => Just(HOUR / 2)],
            prop_oneof![Just(None), Just(Some(0u128)), Just(Some(100u128)), Just(Some(400u128))],
        ),
        (
            1u64..6,
            1u32..3,
            any::<bool>(),
            prop_oneof![3 => Just(true), 1 => Just(false)],
            fee_budget(),
            policy_flaw(),
        ),
    )
        .prop_map(
            |(
                (lifetime, grace, period, limit),
                (max_calls, max_calls_per_tx, transfer_only, router, fee_budget, flaw),
            )| {
                PolicyChoice {
                    lifetime,
                    grace,
                    period,
                    limit,
                    max_calls,
                    max_calls_per_tx,
                    transfer_only,
                    router,
                    fee_budget,
                    flaw,
                }
            },
        )
}

/// Any operation; session operations on a slot drawn from `slot`, grants
/// `grant_weight` times as likely as in a steady state of 6.
pub(crate) fn operation(slot: BoxedStrategy<usize>, grant_weight: u32) -> BoxedStrategy<Op> {
    prop_oneof![
        // Any slot: granting a granted slot only shows already-registered.
        grant_weight => grant_op(),
        12 => transfer_op(slot.clone()),
        3 => (slot.clone(), amount(), path()).prop_map(|(slot, amount, path)| Op::RouterPull {
            slot,
            amount,
            path
        }),
        2 => (slot.clone(), any::<bool>()).prop_map(|(slot, at_cap)| Op::FeeBurn { slot, at_cap }),
        1 => (slot.clone(), path()).prop_map(|(slot, path)| Op::CallStranger { slot, path }),
        2 => admin_op(slot.clone()),
        4 => (slot.clone(), path()).prop_map(|(slot, path)| Op::Renew { slot, path }),
        2 => (slot.clone(), path()).prop_map(|(slot, path)| Op::RevokeSelf { slot, path }),
        1 => (slot.clone(), signing(), path()).prop_map(|(slot, signing, path)| Op::Forged {
            slot,
            signing,
            path
        }),
        1 => slot.clone().prop_map(|slot| Op::OverFeeCap { slot }),
        3 => (slot.clone(), spender(), any::<bool>(), amount(), amount(), path()).prop_map(
            |(slot, spender, increase, approved, pulled, path)| Op::ApproveThenPull {
                slot,
                spender,
                increase,
                approved,
                pulled,
                path
            }
        ),
        1 => (slot.clone(), amount(), path()).prop_map(|(slot, amount, path)| {
            Op::ThirdPartyThenPull { slot, amount, path }
        }),
        2 => any::<bool>().prop_map(|over| Op::SpenderPulls { over }),
        1 => any::<bool>().prop_map(|reuse| Op::OwnerOutside { reuse }),
        1 => (slot.clone(), tx_field()).prop_map(|(slot, field)| Op::UnsupportedTxField {
            slot,
            field
        }),
        1 => Just(Op::ReplayTransaction),
        1 => Just(Op::ReplayOutside),
        2 => slot.clone().prop_map(|slot| Op::OwnerRevoke { slot }),
        1 => Just(Op::RevokeAll),
        2 => any::<bool>().prop_map(|back| Op::RotateOwner { back }),
        2 => prop_oneof![Just(50u128), Just(1_000_000u128)]
            .prop_map(|amount| Op::OwnerApproveRouter { amount }),
        6 => time_to_deadline_op(slot),
        2 => prop_oneof![Just(600u64), Just(HOUR), Just(3 * HOUR)]
            .prop_map(|seconds| Op::TimeForward { seconds }),
    ]
    .boxed()
}

fn grant_op() -> impl Strategy<Value = Op> {
    (0..SLOTS, policy_choice(), grant()).prop_map(|(slot, policy, how)| Op::Grant {
        slot,
        policy,
        how,
    })
}

fn transfer_op(slot: BoxedStrategy<usize>) -> impl Strategy<Value = Op> {
    let count = prop_oneof![1 => Just(0usize), 12 => 1usize..4];
    (slot, metered(), amount(), count, path()).prop_map(|(slot, selector, amount, count, path)| {
        Op::Transfer { slot, selector, amount, count, path }
    })
}

fn admin_op(slot: BoxedStrategy<usize>) -> impl Strategy<Value = Op> {
    (slot, admin_entrypoint(), path()).prop_map(|(slot, entrypoint, path)| Op::AdminSelfCall {
        slot,
        entrypoint,
        path,
    })
}

fn time_to_deadline_op(slot: BoxedStrategy<usize>) -> impl Strategy<Value = Op> {
    (slot, any::<bool>(), any::<bool>()).prop_map(|(slot, grace, after)| Op::TimeToDeadline {
        slot,
        grace,
        after,
    })
}

impl Op {
    /// A short name, for coverage counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Grant { how: Grant::ByTransaction, .. } => "grant by transaction",
            Op::Grant { how: Grant::ByAuthorization, .. } => "grant by authorization",
            Op::Grant { .. } => "grant by a flawed authorization",
            Op::Transfer { path: Path::Direct, .. } => "token calls (direct)",
            Op::Transfer { .. } => "token calls (gasless)",
            Op::RouterPull { .. } => "router pull (indirect spending)",
            Op::FeeBurn { .. } => "reverting call (fee burn)",
            Op::CallStranger { .. } => "call outside the policy",
            Op::AdminSelfCall { .. } => "admin self-call",
            Op::Renew { .. } => "renew",
            Op::RevokeSelf { .. } => "self-revoke",
            Op::Forged { .. } => "forged signature",
            Op::OverFeeCap { .. } => "fee above the cap",
            Op::ApproveThenPull { spender: Spender::Router, .. } => "approve + swap",
            Op::ApproveThenPull { .. } => "approve a third party + unrelated pull",
            Op::ThirdPartyThenPull { .. } => "third-party transfer_from + pull",
            Op::SpenderPulls { .. } => "approved spender pulls later",
            Op::OwnerOutside { reuse: true } => "owner outside execution (session's nonce)",
            Op::OwnerOutside { reuse: false } => "owner outside execution",
            Op::UnsupportedTxField { .. } => "unsupported transaction field",
            Op::ReplayTransaction => "replayed transaction",
            Op::ReplayOutside => "replayed outside execution",
            Op::OwnerRevoke { .. } => "owner revoke",
            Op::RevokeAll => "revoke-all",
            Op::RotateOwner { back: false } => "owner rotation",
            Op::RotateOwner { back: true } => "owner rotation back (A→B→A)",
            Op::OwnerApproveRouter { .. } => "owner approves the router",
            Op::TimeToDeadline { .. } => "time to a deadline",
            Op::TimeForward { .. } => "time forward",
        }
    }
}
