//! The proptest strategies that draw a case's operations and the policies
//! its grants give ([`super::ops`] says what each operation is).

use proptest::prelude::*;

use super::ops::{
    AdminEntrypoint, Amount, Grant, HookSigner, Metered, Op, RelayEdge, Spender, TimeEdge, TxField,
};
use super::policies::{AllowList, PerCall, PolicyChoice, PolicyFlaw, RuleChoice};
use super::{OwnerKind, Tamper, FEE_CAP, HOUR, SLOTS};
use crate::model::{Path, SessionSignature};
use session_account::tx::FeeBounds;

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
        2 => Just(Amount::WindowRemaining),
        2 => Just(Amount::WindowOverByOne),
        1 => Just(Amount::Bound),
        1 => Just(Amount::BoundOverByOne),
        1 => Just(Amount::HalfRangePlusOne),
        1 => Just(Amount::WrapsPastSpent),
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
        1 => Just(Grant::ForAnotherKey),
    ]
}

pub(crate) fn admin_entrypoint() -> impl Strategy<Value = AdminEntrypoint> {
    prop_oneof![
        Just(AdminEntrypoint::RevokeAll),
        Just(AdminEntrypoint::Upgrade),
        Just(AdminEntrypoint::SetOwner),
        Just(AdminEntrypoint::RegisterSession),
        Just(AdminEntrypoint::RevokeOther),
        Just(AdminEntrypoint::Validate),
    ]
}

pub(crate) fn hook_signer() -> impl Strategy<Value = HookSigner> {
    prop_oneof![3 => (0..SLOTS).prop_map(HookSigner::Session), 1 => Just(HookSigner::Owner)]
}

pub(crate) fn signing() -> impl Strategy<Value = SessionSignature> {
    prop_oneof![
        Just(SessionSignature::Forged),
        Just(SessionSignature::OwnerLayout),
        Just(SessionSignature::TrailingFelt),
    ]
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
        1 => Just(Some(PolicyFlaw::RuleOnUnlistedEntrypoint)),
        1 => Just(Some(PolicyFlaw::OversizedSet)),
        1 => Just(Some(PolicyFlaw::PeriodWithoutLength)),
        1 => Just(Some(PolicyFlaw::TooManyRules)),
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

/// Calldata rules on `transfer` (§4.8), with boundary values: allow-lists
/// of 1, 8 and 32 addresses with the recipient in or out; per-call bounds
/// of 0, 1, 30 and the largest u128 (at most, now and then exactly or at
/// least); now and then a rule past the calldata.
fn rule_choice() -> impl Strategy<Value = RuleChoice> {
    let allowlist = prop_oneof![
        2 => Just(None),
        1 => (prop_oneof![Just(1usize), Just(8), Just(32)], prop_oneof![3 => Just(true), 1 => Just(false)])
            .prop_map(|(size, includes_recipient)| Some(AllowList { size, includes_recipient })),
    ];
    let kind = prop_oneof![
        4 => Just(PerCall::AtMost),
        1 => Just(PerCall::Exactly),
        1 => Just(PerCall::AtLeast),
    ];
    let per_call = prop_oneof![
        2 => Just(None),
        1 => (kind, prop_oneof![Just(0u128), Just(1), Just(30), Just(u128::MAX)]).prop_map(Some),
    ];
    let past_calldata = prop_oneof![12 => Just(false), 1 => Just(true)];
    (allowlist, per_call, past_calldata).prop_map(|(allowlist, per_call, past_calldata)| {
        RuleChoice { allowlist, per_call, past_calldata }
    })
}

/// Periodic limits (§4.9): windows of half an hour, an hour and 90 minutes
/// (whose boundaries straddle the hours `__validate__` floors to), with
/// limits of 0, 1 and 40.
fn window_choice() -> impl Strategy<Value = Option<(u64, u128)>> {
    prop_oneof![
        2 => Just(None),
        1 => (
            prop_oneof![Just(HOUR / 2), Just(HOUR), Just(3 * HOUR / 2)],
            prop_oneof![Just(0u128), Just(1), Just(40)],
        )
            .prop_map(Some),
    ]
}

pub(crate) fn policy_choice() -> impl Strategy<Value = PolicyChoice> {
    (
        (rule_choice(), window_choice(), prop_oneof![4 => Just(false), 1 => Just(true)]),
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
            any::<bool>(),
            fee_budget(),
            policy_flaw(),
        ),
    )
        .prop_map(
            |(
                (rules, window, until_on_the_hour),
                (lifetime, grace, period, limit),
                (max_calls, max_calls_per_tx, transfer_only, router, hooked, fee_budget, flaw),
            )| {
                // Rules name `transfer`, so it is listed when they are drawn.
                let ruled = rules != RuleChoice::default();
                PolicyChoice {
                    transfer_only: transfer_only || ruled,
                    rules,
                    window,
                    lifetime,
                    grace,
                    period,
                    limit,
                    max_calls,
                    max_calls_per_tx,
                    router,
                    hooked,
                    fee_budget,
                    until_on_the_hour,
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
        2 => (slot.clone(), admin_entrypoint())
            .prop_map(|(slot, entrypoint)| Op::StrangerCallsAdmin { slot, entrypoint }),
        3 => (slot.clone(), proptest::sample::select(RelayEdge::ALL.to_vec()))
            .prop_map(|(slot, edge)| Op::RelayedOnEdge { slot, edge }),
        1 => (slot.clone(), signing(), path()).prop_map(|(slot, signing, path)| Op::Forged {
            slot,
            signing,
            path
        }),
        1 => (slot.clone(), any::<bool>())
            .prop_map(|(slot, by_one)| Op::OverFeeCap { slot, by_one }),
        1 => (slot.clone(), path())
            .prop_map(|(slot, path)| Op::LifecycleBesideTransfer { slot, path }),
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
        2 => (slot.clone(), any::<bool>()).prop_map(|(slot, clear)| Op::OwnerRevoke { slot, clear }),
        1 => Just(Op::RevokeAll),
        3 => (any::<bool>(), owner_kind()).prop_map(|(back, to)| Op::RotateOwner { back, to }),
        2 => proptest::sample::select(Tamper::ALL.to_vec())
            .prop_map(|tamper| Op::TamperedOwner { tamper }),
        1 => owner_kind().prop_map(|to| Op::UnprovenRotation { to }),
        1 => (hook_signer(), any::<bool>())
            .prop_map(|(signer, owner_layout)| Op::SignatureQuery { signer, owner_layout }),
        1 => slot.clone().prop_map(|slot| Op::SessionDeclare { slot }),
        4 => hook_signer().prop_map(|signer| Op::ArmHook { signer }),
        2 => prop_oneof![Just(50u128), Just(1_000_000u128)]
            .prop_map(|amount| Op::OwnerApproveRouter { amount }),
        6 => time_to_deadline_op(slot.clone()),
        2 => prop_oneof![Just(600u64), Just(HOUR), Just(3 * HOUR)]
            .prop_map(|seconds| Op::TimeForward { seconds }),
        2 => (slot.clone(), any::<bool>())
            .prop_map(|(slot, after)| Op::TimeToWindowEnd { slot, after }),
        4 => (slot, proptest::sample::select(TimeEdge::ALL.to_vec()), any::<bool>())
            .prop_map(|(slot, edge, early)| Op::TimeOnEdge { slot, edge, early }),
    ]
    .boxed()
}

fn owner_kind() -> impl Strategy<Value = OwnerKind> {
    proptest::sample::select(OwnerKind::ALL.to_vec())
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
