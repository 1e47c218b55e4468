//! The model's side of a case: [`Reference`] (the model plus what a wallet,
//! an owner and a relayer remember between operations) and
//! [`SessionFlows`], the proptest reference state machine that draws
//! operations and applies the model's predictions.

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use starknet_rust::core::chain_id;
use starknet_rust::core::types::{Call, Felt, U256};

use super::ops::{self, AdminEntrypoint, Amount, Grant, Op, RelayEdge, TimeEdge};
use super::{
    owner_id, router_address, session_key, token_address, OwnerKind, CHAIN_ID, HOUR,
    OUTSIDE_WINDOW, SLOTS, START, THIRD_PARTY, THIRD_PARTY_ALLOWANCE, TOKEN_FUNDS,
};
use crate::model::{
    AccountModel, Caller, OutsideTerms, SessionSignature, SignedAuthorization, Verdict,
};
use session_account::contract::ContractError;
use session_account::policy::periods::window_start;
use session_account::policy::Operator;
use session_account::token::STRK;

mod apply;

/// An outside execution as signed: what [`Op::ReplayOutside`] resubmits.
#[derive(Debug, Clone)]
pub struct SentOutside {
    pub slot: usize,
    pub calls: Vec<Call>,
    pub terms: OutsideTerms,
    pub signing: SessionSignature,
    pub authorization: Option<SignedAuthorization>,
}

impl SentOutside {
    /// The nonce space it claims (§11): the owner's ([`Felt::ZERO`]) for
    /// the owner layout, else its session key's.
    pub fn space(&self) -> Felt {
        match self.signing {
            SessionSignature::OwnerLayout => Felt::ZERO,
            _ => Reference::key(self.slot),
        }
    }
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
    /// The owner keys the account had, in order ([`owner_key`] numbers);
    /// the last is the current one.
    pub owner_keys: Vec<u64>,
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

impl Reference {
    /// A case's fresh account at `account`, deployed by owner key number
    /// `first_owner` (through the universal deployer: its nonce is 0): it
    /// holds [`TOKEN_FUNDS`] test tokens, and the third party, which holds
    /// `third_party_tokens`, allowed it to move [`THIRD_PARTY_ALLOWANCE`]
    /// of them.
    pub fn new(account: Felt, third_party_tokens: U256, first_owner: u64) -> Self {
        let mut model = AccountModel::new(account, owner_id(first_owner), CHAIN_ID);
        let (token, ledger) = (token_address(), &mut model.ledger);
        ledger.tokens.insert(token);
        ledger.routers.insert(router_address());
        ledger.mint(token, account, U256::from(TOKEN_FUNDS));
        ledger.mint(token, THIRD_PARTY, third_party_tokens);
        ledger.allowances.insert((token, THIRD_PARTY, account), U256::from(THIRD_PARTY_ALLOWANCE));
        Reference {
            model,
            now: START + 120,
            owner_keys: vec![first_owner],
            nonce: 0,
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

    /// The current owner key's number.
    pub fn owner_key_id(&self) -> u64 {
        *self.owner_keys.last().expect("the account always has an owner")
    }

    /// Test tokens left of slot's limit (0 when unlimited or unknown).
    fn remaining(&self, slot: usize) -> u128 {
        let (key, token) = (Self::key(slot), token_address());
        if let Some(session) = self.model.sessions.get(&key) {
            return session.remaining_of(token).low();
        }
        let pending = self.pending[slot].as_ref().and_then(|a| a.policy.limit_for(token));
        pending.map(|l| l.low()).unwrap_or(0)
    }

    /// Test tokens left of slot's current window (§4.9), or of its limit
    /// when it has no periodic limit.
    fn window_remaining(&self, slot: usize) -> u128 {
        let (key, token) = (Self::key(slot), token_address());
        let window = self.model.sessions.get(&key).and_then(|s| {
            s.window_of(token, self.now).and_then(|index| s.window_remaining(token, index))
        });
        window.unwrap_or_else(|| self.remaining(slot))
    }

    /// Slot's per-call bound on the test token's `transfer` (§4.8): the
    /// first `at most`, `equal` or `at least` rule's operand, or 1.
    fn bound(&self, slot: usize) -> u128 {
        let policy = match self.model.sessions.get(&Self::key(slot)) {
            Some(session) => Some(&session.policy),
            None => self.pending[slot].as_ref().map(|a| &a.policy),
        };
        let rules = policy.map(|p| p.calldata_rules.iter()).into_iter().flatten();
        let bound = rules
            .filter(|r| {
                matches!(r.operator, Operator::AtMost | Operator::Equal | Operator::AtLeast)
            })
            .find_map(|r| r.values.first());
        bound.map(|v| v.low()).unwrap_or(1)
    }

    /// The calldata words of an amount: `[low, high]`.
    pub(crate) fn amount_words(&self, slot: usize, amount: Amount) -> [Felt; 2] {
        let low = |v: u128| [Felt::from(v), Felt::ZERO];
        match amount {
            Amount::Zero => low(0),
            Amount::One => low(1),
            Amount::Remaining => low(self.remaining(slot)),
            Amount::OverByOne => low(self.remaining(slot) + 1),
            Amount::MoreThanBalance => {
                low(self.model.ledger.balance(token_address(), self.model.account).low() + 1)
            }
            Amount::HighWord => [Felt::ZERO, Felt::ONE],
            Amount::NotU128 => [Felt::from(u128::MAX) + Felt::ONE, Felt::ZERO],
            Amount::WindowRemaining => low(self.window_remaining(slot)),
            Amount::WindowOverByOne => low(self.window_remaining(slot).saturating_add(1)),
            Amount::Bound => low(self.bound(slot)),
            Amount::BoundOverByOne => low(self.bound(slot).saturating_add(1)),
            Amount::HalfRangePlusOne => [Felt::ONE, Felt::from(1u128 << 127)],
            Amount::WrapsPastSpent => {
                let spent = self.model.sessions.get(&Self::key(slot));
                let spent = spent.map(|s| s.spent_of(token_address()).low()).unwrap_or(0);
                match spent.checked_sub(2) {
                    Some(less) => [Felt::from(u128::MAX - less), Felt::from(u128::MAX)],
                    None => [Felt::from(u128::MAX), Felt::from(u128::MAX)],
                }
            }
        }
    }

    /// The time a `TimeToDeadline` lands on (never backwards).
    fn deadline_time(&self, slot: usize, grace: bool, after: bool) -> u64 {
        let target = match self.model.sessions.get(&Self::key(slot)) {
            Some(s) => {
                let base = s.valid_until + if grace { s.policy.renewal.grace_period } else { 0 };
                if after {
                    base + 30
                } else {
                    base.saturating_sub(30)
                }
            }
            None => self.now + 60,
        };
        ops::keep_off_boundaries(target.max(self.now + 1))
    }

    /// Where a [`Op::TimeOnEdge`] lands: exactly on slot's `edge` (or the
    /// second before it, `early`), when that is ahead of now.
    fn edge_time(&self, slot: usize, edge: TimeEdge, early: bool) -> Option<u64> {
        let session = self.model.sessions.get(&Self::key(slot));
        let at = match edge {
            TimeEdge::ValidAfter => session?.policy.valid_after,
            TimeEdge::ValidUntil => session?.valid_until,
            TimeEdge::GraceDeadline => {
                let s = session?;
                s.valid_until.checked_add(s.policy.renewal.grace_period)?
            }
            TimeEdge::WindowEnd => {
                let s = session?;
                let (period, _) = s.policy.periodic_limit_for(token_address())?;
                let index = s.window_of(token_address(), self.now)?;
                u64::try_from(window_start(s.policy.valid_after, period, index + 1)).ok()?
            }
            TimeEdge::Hour => (self.now / HOUR + 1) * HOUR,
        };
        let t = at.checked_sub(u64::from(early))?;
        (t > self.now).then_some(t)
    }

    /// `t`, kept off whole hours and off the window boundaries of every
    /// periodic limit (§4.9).
    fn clock(&self, t: u64) -> u64 {
        let windows: Vec<(u64, u64)> = (self.model.sessions.values())
            .flat_map(|s| s.policy.spending_limits.iter().map(|l| (s.policy.valid_after, l.period)))
            .filter(|(_, period)| *period > 0)
            .collect();
        super::policies::keep_off_windows(t, &windows)
    }

    /// 30 s before or after the end of slot's current window of the test
    /// token (a minute on when it has none); never backwards.
    fn window_end_time(&self, slot: usize, after: bool) -> u64 {
        let session = self.model.sessions.get(&Self::key(slot));
        let token = token_address();
        let end = session.and_then(|s| {
            let (period, _) = s.policy.periodic_limit_for(token)?;
            let index = s.window_of(token, self.now)?;
            Some(window_start(s.policy.valid_after, period, index + 1) as u64)
        });
        let target = match (end, after) {
            (Some(end), true) => end + 30,
            (Some(end), false) => end.saturating_sub(30),
            (None, _) => self.now + 60,
        };
        target.max(self.now + 1)
    }

    /// The authorization a grant produces now.
    fn authorization(
        &self,
        policy: session_account::policy::SessionPolicy,
        how: Grant,
    ) -> SignedAuthorization {
        let mut signed = SignedAuthorization::genuine(&self.model, &policy);
        if how == Grant::ForAnotherKey {
            let mut other = policy;
            // A key no slot holds.
            other.session_key = session_key(SLOTS).verifying_key().scalar();
            signed = SignedAuthorization::genuine(&self.model, &other);
        }
        match how {
            Grant::ForOtherChain => signed.chain_id = chain_id::MAINNET,
            Grant::ForOtherAccount => signed.account = STRK,
            Grant::Tampered => signed.policy.max_calls += 10,
            Grant::ByAuthorization | Grant::ByTransaction | Grant::ForAnotherKey => {}
        }
        signed
    }

    /// The terms of the outside execution sent at this step.
    pub(crate) fn outside_terms(&self) -> OutsideTerms {
        OutsideTerms {
            nonce: Felt::from(0x0075_0000_0000_u64 + self.steps),
            execute_after: self.now - OUTSIDE_WINDOW,
            execute_before: self.now + OUTSIDE_WINDOW,
            caller: Caller::Named,
        }
    }

    /// The terms of session operation `op`'s outside execution: this
    /// step's, or on the edge an [`Op::RelayedOnEdge`] names.
    pub(crate) fn terms_of(&self, op: &Op) -> OutsideTerms {
        let usual = self.outside_terms();
        let Op::RelayedOnEdge { edge, .. } = op else {
            return usual;
        };
        match edge {
            RelayEdge::AfterIsNow => OutsideTerms { execute_after: self.now, ..usual },
            RelayEdge::AfterIsOneSecondAgo => OutsideTerms { execute_after: self.now - 1, ..usual },
            RelayEdge::BeforeIsNow => OutsideTerms { execute_before: self.now, ..usual },
            RelayEdge::BeforeIsOneSecondAhead => {
                OutsideTerms { execute_before: self.now + 1, ..usual }
            }
            RelayEdge::OtherCaller => OutsideTerms { caller: Caller::Other, ..usual },
            RelayEdge::AnyCaller => OutsideTerms { caller: Caller::Anyone, ..usual },
        }
    }

    /// The terms of the outside execution an [`Op::ArmHook`] arms: a nonce
    /// of its own, usable for 30 days (whenever the hook fires, only the
    /// account's guard can refuse it).
    pub(crate) fn hook_terms(&self) -> OutsideTerms {
        OutsideTerms {
            nonce: Felt::from(0x00a4_0000_0000_u64 + self.steps),
            execute_after: 1,
            execute_before: self.now + 30 * 24 * 3600,
            caller: Caller::Anyone,
        }
    }

    /// What [`Op::SpenderPulls`] takes: the third party's whole allowance
    /// from the account, at least one unit (`over`: one more).
    pub(crate) fn spender_pull_amount(&self, over: bool) -> U256 {
        let allowed = self.model.ledger.allowance(token_address(), self.model.account, THIRD_PARTY);
        let allowed = allowed.max(U256::from(1u8));
        if over {
            session_account::token::checked_add_u256(allowed, U256::from(1u8)).unwrap_or(allowed)
        } else {
            allowed
        }
    }

    /// The nonce of [`Op::OwnerOutside`]: the last session outside
    /// execution's when `reuse` and there is one, else this step's.
    pub(crate) fn owner_outside_nonce(&self, reuse: bool) -> Felt {
        match &self.last_outside {
            Some(sent) if reuse => sent.terms.nonce,
            _ => self.outside_terms().nonce,
        }
    }

    /// The key a rotation moves the owner to: a new one of kind `to`, or
    /// `back` to the one before the current one.
    pub(crate) fn rotation_target(&self, back: bool, to: OwnerKind) -> u64 {
        match self.owner_keys.len() {
            n if back && n >= 2 => self.owner_keys[n - 2],
            _ => to.next_after(*self.owner_keys.iter().max().expect("an owner")),
        }
    }

    /// The number of the past or present owner key whose id is `id`.
    pub(crate) fn owner_number(&self, id: Felt) -> u64 {
        *self
            .owner_keys
            .iter()
            .find(|n| owner_id(**n) == id)
            .expect("signed by a past or present owner key")
    }
}

impl Default for Reference {
    /// What proptest generates operations from: an account at a placeholder
    /// address (operations do not depend on it; a case replays them on its
    /// real account).
    fn default() -> Self {
        Self::new(Felt::ONE, U256::from(0u8), 0)
    }
}

/// The reference state machine: operations and the model's predictions.
pub struct SessionFlows;

impl ReferenceStateMachine for SessionFlows {
    type State = Reference;
    type Transition = Op;

    /// A case draws the kind of its first owner: owner key number 0, 1 or
    /// 2 (a Stark key, a P-256 key, a passkey).
    fn init_state() -> BoxedStrategy<Reference> {
        (0..3u64).prop_map(|first| Reference::new(Felt::ONE, U256::from(0u8), first)).boxed()
    }

    fn transitions(state: &Reference) -> BoxedStrategy<Op> {
        // Mostly operate on slots that were granted a session (registered
        // or pending), so steps exercise policies rather than "not
        // registered"; still sometimes any slot.
        let granted: Vec<usize> = (0..SLOTS)
            .filter(|s| {
                state.model.sessions.contains_key(&Reference::key(*s))
                    || state.pending[*s].is_some()
            })
            .collect();
        // Before any grant every session operation is "not registered":
        // grant first, mostly.
        let grant_weight = if granted.is_empty() { 40 } else { 6 };
        let slot: BoxedStrategy<usize> = if granted.is_empty() {
            (0..SLOTS).boxed()
        } else {
            prop_oneof![6 => proptest::sample::select(granted), 1 => 0..SLOTS].boxed()
        };
        super::strategies::operation(slot, grant_weight)
    }

    /// Applies `op` to the model (each operation's method is in
    /// `reference/apply.rs`) and records the verdict it predicts.
    fn apply(mut state: Reference, op: &Op) -> Reference {
        let verdict = match op {
            Op::Grant { slot, policy, how } => state.apply_grant(*slot, *policy, *how),
            Op::OwnerRevoke { slot, clear } => state.apply_owner_revoke(*slot, *clear),
            Op::RevokeAll => state.apply_revoke_all(),
            Op::RotateOwner { back, to } => state.apply_rotation(*back, *to),
            Op::TamperedOwner { tamper } => state.apply_tampered_owner(*tamper),
            Op::UnprovenRotation { .. } => state.apply_unproven_rotation(),
            Op::SignatureQuery { signer, .. } => Reference::judge_signature_query(*signer),
            // §7.1: `__validate_declare__` takes owner signatures only, so
            // the node refuses the DECLARE and nothing is paid or spent.
            Op::SessionDeclare { .. } => Verdict::Rejected(Some(ContractError::OnlyOwner)),
            Op::SpenderPulls { over } => state.apply_spender_pull(*over),
            // §7.1: only the protocol calls `__validate__`; §6: only the
            // account's owner, in its own transaction, the rest.
            Op::StrangerCallsAdmin { entrypoint: AdminEntrypoint::Validate, .. } => {
                Verdict::Reverted(Some(ContractError::InvalidCaller))
            }
            Op::StrangerCallsAdmin { .. } => Verdict::Reverted(Some(ContractError::OnlyOwner)),
            Op::OwnerOutside { reuse } => state.apply_owner_outside(op, *reuse),
            Op::OwnerApproveRouter { amount } => state.apply_owner_approve_router(*amount),
            Op::ArmHook { .. } => state.apply_arm_hook(),
            Op::TimeToDeadline { slot, grace, after } => {
                state.move_clock(state.deadline_time(*slot, *grace, *after))
            }
            Op::TimeToWindowEnd { slot, after } => {
                state.move_clock(state.window_end_time(*slot, *after))
            }
            Op::TimeForward { seconds } => state.move_clock(state.now + seconds),
            Op::TimeOnEdge { slot, edge, early } => match state.edge_time(*slot, *edge, *early) {
                Some(t) => state.move_clock_exactly(t),
                None => state.move_clock(state.now + 60),
            },
            Op::ReplayTransaction => state.apply_replay_transaction(),
            Op::ReplayOutside => state.apply_replay_outside(),
            session => state.apply_session(session),
        };
        state.expected = Some(verdict);
        state.steps += 1;
        state
    }
}
