//! The operations a fuzz case is made of (the policies a grant gives:
//! [`super::policies`]; the strategies that draw both:
//! [`super::strategies`]).

use starknet_rust::core::types::Felt;

use super::policies::PolicyChoice;
use super::{OwnerKind, Tamper, HOUR};
use crate::model::{Path, SessionSignature};
use session_account::contract::selectors;

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
    /// Exactly what is left of the current window of the periodic limit
    /// (§4.9; what is left of the limit when there is none).
    WindowRemaining,
    /// One more than that.
    WindowOverByOne,
    /// Exactly the per-call bound (§4.8; one when there is none).
    Bound,
    /// One more than the per-call bound.
    BoundOverByOne,
    /// `2^255 + 1`: two of them sum to 2 in a `u256` that wraps (§4.4).
    HalfRangePlusOne,
    /// `2^256 - spent + 1`: added to what the session spent, a `u256`
    /// that wraps reads 1 (§4.4).
    WrapsPastSpent,
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
    /// A genuine authorization of a policy for another session key,
    /// carried by slot's key (§3.2).
    ForAnotherKey,
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
    /// The third party calls an owner-only entrypoint of the account
    /// directly, from its own transaction (§6; the arguments slot's
    /// [`Op::AdminSelfCall`] would use).
    StrangerCallsAdmin {
        slot: usize,
        entrypoint: AdminEntrypoint,
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
    /// A one-unit session transfer relayed as an outside execution whose
    /// terms sit on an edge of §11: its window ending or starting exactly
    /// now (or a second away), or a caller other than the relayer named.
    RelayedOnEdge {
        slot: usize,
        edge: RelayEdge,
    },
    /// A one-unit transfer whose fee bounds exceed the session's cap (by
    /// one fri when `by_one`).
    OverFeeCap {
        slot: usize,
        by_one: bool,
    },
    /// The session revokes itself in a multicall beside a one-unit
    /// transfer: a lifecycle self-call must be alone (§4.6).
    LifecycleBesideTransfer {
        slot: usize,
        path: Path,
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
    /// The third party takes what the account allows it (at least one
    /// unit, `over`: one more), outside any session transaction: what a
    /// session's approval let through later, or would after the owner
    /// cleared it (§4.10).
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
    /// The owner revokes slot's session and, with `clear`, sets every
    /// allowance it granted back to zero in the same transaction (§4.10).
    OwnerRevoke {
        slot: usize,
        clear: bool,
    },
    RevokeAll,
    /// The owner rotates its key (§7.3): to a new key of kind `to`, or
    /// `back` to the key before the current one (A→B→A; `to` unused).
    RotateOwner {
        back: bool,
        to: OwnerKind,
    },
    /// The owner's revoke-all, its signature tampered with (§2.3).
    TamperedOwner {
        tamper: Tamper,
    },
    /// The owner rotates to a new key of kind `to`, the proof of
    /// possession signed by its current key instead of the new one (§7.3).
    UnprovenRotation {
        to: OwnerKind,
    },
    /// A dapp asks the account (SRC-6 `is_valid_signature`, §7.2) whether
    /// `signer`'s signature of a message is valid: the owner's in its
    /// layout, or a session key's in the session layout (in the owner's
    /// Stark layout `[r, s]` when `owner_layout`).
    SignatureQuery {
        signer: HookSigner,
        owner_layout: bool,
    },
    /// Slot's session key signs a DECLARE, in the session layout, of a
    /// class the network has never seen: declaring is the owner's alone
    /// (§7.1), whatever the session may do.
    SessionDeclare {
        slot: usize,
    },
    /// The owner allows the router to move `amount` of the account's
    /// tokens (an allowance granted long ago).
    OwnerApproveRouter {
        amount: u128,
    },
    /// The third party arms the hooked token: its next `balance_of` submits
    /// to the account an outside execution signed by `signer` (a one-unit
    /// transfer). A session execution watching the token (§4.4) sets it
    /// off while it runs, and the account must refuse it (§11).
    ArmHook {
        signer: HookSigner,
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
    /// Time exactly onto one of slot's edges (`early`: the second before
    /// it), where a boundary off by one second would show: the rules that
    /// run on the exact clock (`__execute__`, outside executions) change
    /// verdict there.
    TimeOnEdge {
        slot: usize,
        edge: TimeEdge,
        early: bool,
    },
    /// Time to 30 s before or after the end of slot's current window of
    /// its periodic limit (§4.9).
    TimeToWindowEnd {
        slot: usize,
        after: bool,
    },
}

/// The terms of an outside execution on an edge of §11
/// (`execute_after < now < execute_before`, the named caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayEdge {
    /// `execute_after == now`: too early.
    AfterIsNow,
    /// `execute_after == now - 1`: usable.
    AfterIsOneSecondAgo,
    /// `execute_before == now`: expired.
    BeforeIsNow,
    /// `execute_before == now + 1`: usable.
    BeforeIsOneSecondAhead,
    /// Names the third party as its caller, and the relayer submits it.
    OtherCaller,
    /// Names `ANY_CALLER`: anyone may submit it.
    AnyCaller,
}

impl RelayEdge {
    pub const ALL: [RelayEdge; 6] = [
        RelayEdge::AfterIsNow,
        RelayEdge::AfterIsOneSecondAgo,
        RelayEdge::BeforeIsNow,
        RelayEdge::BeforeIsOneSecondAhead,
        RelayEdge::OtherCaller,
        RelayEdge::AnyCaller,
    ];
}

/// A time where a rule changes its verdict (§4.2, §4.9, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeEdge {
    /// The session's `valid_after`: usable from this second on.
    ValidAfter,
    /// The session's `valid_until`: expired from this second on.
    ValidUntil,
    /// `valid_until + grace_period`: no renewal from this second on.
    GraceDeadline,
    /// The first second of the next window of the periodic limit.
    WindowEnd,
    /// The first second of the next hour, where `__validate__`'s floored
    /// clock moves.
    Hour,
}

impl TimeEdge {
    pub const ALL: [TimeEdge; 5] = [
        TimeEdge::ValidAfter,
        TimeEdge::ValidUntil,
        TimeEdge::GraceDeadline,
        TimeEdge::WindowEnd,
        TimeEdge::Hour,
    ];
}

/// Who signed the outside execution a hooked token submits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookSigner {
    /// Slot's session key.
    Session(usize),
    /// The current owner key.
    Owner,
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
    /// `__validate__` itself, for a one-unit transfer: only the protocol
    /// may call it (§7.1; the protocol itself refuses a contract calling
    /// `__execute__`).
    Validate,
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
            Op::StrangerCallsAdmin { .. } => "admin entrypoint called by a stranger",
            Op::Renew { .. } => "renew",
            Op::RevokeSelf { .. } => "self-revoke",
            Op::Forged { .. } => "forged signature",
            Op::OverFeeCap { by_one: false, .. } => "fee above the cap",
            Op::OverFeeCap { by_one: true, .. } => "fee one fri above the cap",
            Op::LifecycleBesideTransfer { .. } => "self-revocation beside a transfer",
            Op::RelayedOnEdge { edge: RelayEdge::OtherCaller, .. } => {
                "outside execution relayed by another caller"
            }
            Op::RelayedOnEdge { edge: RelayEdge::AnyCaller, .. } => {
                "outside execution for any caller"
            }
            Op::RelayedOnEdge { .. } => "outside execution on its window's edge",
            Op::ApproveThenPull { spender: Spender::Router, .. } => "approve + swap",
            Op::ApproveThenPull { .. } => "approve a third party + unrelated pull",
            Op::ThirdPartyThenPull { .. } => "third-party transfer_from + pull",
            Op::SpenderPulls { .. } => "approved spender pulls later",
            Op::OwnerOutside { reuse: true } => "owner outside execution (session's nonce)",
            Op::OwnerOutside { reuse: false } => "owner outside execution",
            Op::UnsupportedTxField { .. } => "unsupported transaction field",
            Op::ReplayTransaction => "replayed transaction",
            Op::ReplayOutside => "replayed outside execution",
            Op::OwnerRevoke { clear: false, .. } => "owner revoke",
            Op::OwnerRevoke { clear: true, .. } => "owner revoke clearing allowances",
            Op::RevokeAll => "revoke-all",
            Op::RotateOwner { back: true, .. } => "owner rotation back (A→B→A)",
            Op::RotateOwner { to: OwnerKind::Stark, .. } => "owner rotation to a Stark key",
            Op::RotateOwner { to: OwnerKind::P256, .. } => "owner rotation to a P-256 key",
            Op::RotateOwner { to: OwnerKind::Passkey, .. } => "owner rotation to a passkey",
            Op::TamperedOwner { tamper: Tamper::HighS } => "owner signature with a high s",
            Op::TamperedOwner { .. } => "tampered owner signature",
            Op::UnprovenRotation { .. } => "owner rotation without the new key's proof",
            Op::SignatureQuery { signer: HookSigner::Owner, .. } => "is_valid_signature (owner)",
            Op::SignatureQuery { owner_layout: false, .. } => "is_valid_signature (session key)",
            Op::SignatureQuery { .. } => "is_valid_signature (session key as owner)",
            Op::SessionDeclare { .. } => "declare signed by a session key",
            Op::OwnerApproveRouter { .. } => "owner approves the router",
            Op::ArmHook { signer: HookSigner::Session(_) } => "hooked token armed (session)",
            Op::ArmHook { signer: HookSigner::Owner } => "hooked token armed (owner)",
            Op::TimeToDeadline { .. } => "time to a deadline",
            Op::TimeForward { .. } => "time forward",
            Op::TimeOnEdge { early: false, .. } => "time onto an edge",
            Op::TimeOnEdge { early: true, .. } => "time to the second before an edge",
            Op::TimeToWindowEnd { after: false, .. } => "time to a window's last seconds",
            Op::TimeToWindowEnd { after: true, .. } => "time past a window's end",
        }
    }
}
