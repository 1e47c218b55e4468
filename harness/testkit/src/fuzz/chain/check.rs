//! What the fuzzer compares with the model: every session's whole state
//! (`get_session_details`: stored policy, status, fee budget, allowed calls,
//! spending), the owner, its rotations, the epoch, the last outside nonce,
//! the test token's balances and allowances, how the hooked token's last
//! nested call ended, the account's STRK against the fees the receipts say
//! it paid, and the account's nonce.
//!
//! After every step that can change state it reads the account's nonce and
//! what the step's operation may change by the spec: its session's state,
//! the outside nonce of a gasless step, the test token's balances and
//! allowances when its calls reach the token or the router, the hooked
//! token's result after a session execution or an arming, the owner and
//! its rotations after a rotation, everything but STRK after revoke-all.
//! At the end of a case it reads everything, STRK included (STRK only ever
//! leaves the account as fees, so a difference shows there as surely as
//! after the step that caused it). A node runs each view as its own call,
//! loading the called contract's whole program each time (30,000 felts for
//! the account), so the reads go through the view batcher, in one call, and
//! read what a step can change rather than everything each time.

use std::time::Instant;

use session_account::contract::reader::FeltReader;
use session_account::contract::selectors;
use session_account::outside::{IS_VALID_OUTSIDE_EXECUTION_NONCE, IS_VALID_SESSION_OUTSIDE_NONCE};
use session_account::policy::views::SessionDetails;
use session_account::token::STRK;
use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, FunctionCall, U256};
use starknet_rust::providers::{Provider, ProviderError};

use super::super::reference::SentOutside;
use super::super::sends::{op_calls, session_op};
use super::super::{
    hooked_token_address, router_address, token_address, view_batch_address, Op, Reference,
    HOOK_RESULT, SLOTS,
};
use super::super::{STRK_FUNDS, THIRD_PARTY};
use super::Chain;
use crate::model::{ModelSession, Path};

/// `call_views` of the view batcher.
const CALL_VIEWS: Felt = starknet_rust::macros::selector!("call_views");

/// What to read besides the account's nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The owner, its rotations and the revocation epoch.
    pub account: bool,
    /// The sessions of these slots.
    pub slots: Vec<usize>,
    /// Whether the last outside execution's nonce is used.
    pub outside_nonce: bool,
    /// The test token's balances and allowances.
    pub tokens: bool,
    /// How the hooked token's armed call ended.
    pub hook: bool,
    /// The account's STRK.
    pub strk: bool,
}

impl Scope {
    /// Everything.
    pub fn all() -> Self {
        Self {
            account: true,
            slots: (0..SLOTS).collect(),
            outside_nonce: true,
            tokens: true,
            hook: true,
            strk: true,
        }
    }

    /// What `op` may change, by the spec.
    pub fn of(before: &Reference, op: &Op) -> Self {
        let none = Self {
            account: false,
            slots: vec![],
            outside_nonce: false,
            tokens: false,
            hook: false,
            strk: false,
        };
        match op {
            Op::Grant { slot, .. } | Op::OwnerRevoke { slot, clear: false } => {
                Self { slots: vec![*slot], ..none }
            }
            Op::OwnerRevoke { slot, clear: true } => {
                Self { slots: vec![*slot], tokens: true, ..none }
            }
            Op::RevokeAll | Op::StrangerCallsAdmin { .. } => Self { strk: false, ..Self::all() },
            Op::RotateOwner { .. } | Op::UnprovenRotation { .. } => Self { account: true, ..none },
            Op::OwnerApproveRouter { .. } | Op::SpenderPulls { .. } | Op::OwnerOutside { .. } => {
                Self { tokens: true, ..none }
            }
            Op::ArmHook { .. } => Self { hook: true, ..none },
            Op::ReplayOutside => match &before.last_outside {
                Some(sent) => {
                    let tokens = reaches_the_token(&sent.calls);
                    Self { slots: vec![sent.slot], outside_nonce: true, tokens, hook: true, ..none }
                }
                None => none,
            },
            Op::ReplayTransaction
            | Op::SignatureQuery { .. }
            | Op::SessionDeclare { .. }
            | Op::TimeToDeadline { .. }
            | Op::TimeForward { .. }
            | Op::TimeToWindowEnd { .. } => none,
            other => match session_op(other) {
                Some((slot, path, _)) => Self {
                    slots: vec![slot],
                    outside_nonce: path == Path::Gasless,
                    tokens: reaches_the_token(&op_calls(before, other)),
                    hook: true,
                    ..none
                },
                None => Self::all(),
            },
        }
    }
}

/// Whether `calls` reach the test token, directly or through the router.
fn reaches_the_token(calls: &[Call]) -> bool {
    calls.iter().any(|c| c.to == token_address() || c.to == router_address())
}

/// What one read of the chain returns (what the scope left out is `None`
/// or empty).
struct ChainState {
    owner: Option<Felt>,
    owner_rotations: Option<u64>,
    epoch: Option<u64>,
    /// Whether the last outside execution's nonce is used, if read.
    outside_nonce_used: Option<bool>,
    sessions: Vec<(usize, SessionDetails)>,
    /// Test token: the account's and the third party's balances, the
    /// router's allowance from the account, the account's from the third
    /// party and the third party's from the account.
    tokens: Option<([U256; 2], [U256; 3])>,
    /// The hooked token's `hook_result`.
    hook: Option<Felt>,
    strk: Option<U256>,
    nonce: Felt,
}

impl Chain {
    /// Everything on the chain equals the model; the first difference
    /// otherwise.
    pub fn check(&self, reference: &Reference) -> Result<(), String> {
        self.check_scope(reference, &Scope::all())
    }

    /// What `scope` names, the nonce and the money equal the model.
    pub fn check_scope(&self, reference: &Reference, scope: &Scope) -> Result<(), String> {
        let started = Instant::now();
        let state = self.runtime.block_on(self.read(reference, scope));
        let result = self.compare(reference, &state);
        self.add_time(|t| t.checks += started.elapsed());
        result
    }

    /// Reads what `scope` names, the nonce and the money, in one view call
    /// and a nonce query.
    async fn read(&self, reference: &Reference, scope: &Scope) -> ChainState {
        let account = self.account();
        let last_outside = reference.last_outside.as_ref().filter(|_| scope.outside_nonce);
        let views = self.views(scope, last_outside);
        let mut calldata = vec![Felt::from(views.len())];
        for v in &views {
            calldata.extend([v.to, v.selector, Felt::from(v.calldata.len())]);
            calldata.extend_from_slice(&v.calldata);
        }
        let provider = &self.sandbox.provider;
        let batch = FunctionCall {
            contract_address: view_batch_address(),
            entry_point_selector: CALL_VIEWS,
            calldata,
        };
        let block = BlockId::Tag(BlockTag::PreConfirmed);
        let (results, nonce) =
            tokio::join!(provider.call(batch, block), provider.get_nonce(block, account));
        let results = results.expect("the batched views");
        let mut r = FeltReader::new(&results);
        let results = r.array(|r| r.array(FeltReader::felt)).expect("Array<Span<felt252>>");
        assert!(r.finish(()).is_some() && results.len() == views.len(), "one result per view");
        decode(scope, last_outside.is_some(), results, nonce)
    }

    /// The views that read what `scope` names, in the order [`decode`]
    /// takes their results: the owner, its rotations and the epoch, the
    /// sessions, the test token's balances and allowances, the hook's
    /// result, STRK, and whether `last_outside`'s nonce is used.
    fn views(&self, scope: &Scope, last_outside: Option<&SentOutside>) -> Vec<Call> {
        let (account, token) = (self.account(), token_address());
        let mut views = vec![];
        if scope.account {
            views.extend([
                view(account, selectors::GET_OWNER, vec![]),
                view(account, selectors::GET_OWNER_ROTATIONS, vec![]),
                view(account, selectors::GET_REVOCATION_EPOCH, vec![]),
            ]);
        }
        views.extend(scope.slots.iter().map(|slot| {
            view(account, selectors::GET_SESSION_DETAILS, vec![Reference::key(*slot)])
        }));
        if scope.tokens {
            views.extend([
                view(token, selectors::BALANCE_OF, vec![account]),
                view(token, selectors::BALANCE_OF, vec![THIRD_PARTY]),
                view(token, selectors::ALLOWANCE, vec![account, router_address()]),
                view(token, selectors::ALLOWANCE, vec![THIRD_PARTY, account]),
                view(token, selectors::ALLOWANCE, vec![account, THIRD_PARTY]),
            ]);
        }
        if scope.hook {
            views.push(view(hooked_token_address(), HOOK_RESULT, vec![]));
        }
        if scope.strk {
            views.push(view(STRK, selectors::BALANCE_OF, vec![account]));
        }
        if let Some(sent) = last_outside {
            // In the space of the signer it claims (§11).
            let (space, nonce) = (sent.space(), sent.terms.nonce);
            views.push(if space == Felt::ZERO {
                view(account, IS_VALID_OUTSIDE_EXECUTION_NONCE, vec![nonce])
            } else {
                view(account, IS_VALID_SESSION_OUTSIDE_NONCE, vec![space, nonce])
            });
        }
        views
    }

    fn compare(&self, reference: &Reference, chain: &ChainState) -> Result<(), String> {
        let model = &reference.model;
        let (account, token) = (self.account(), token_address());
        if let (Some(owner), Some(rotations), Some(epoch)) =
            (chain.owner, chain.owner_rotations, chain.epoch)
        {
            ensure_eq(owner, model.owner, || "owner key".to_string())?;
            ensure_eq(rotations, model.owner_rotations, || "owner rotations".into())?;
            ensure_eq(epoch, model.epoch, || "revocation epoch".to_string())?;
        }
        ensure_eq(chain.nonce, Felt::from(reference.nonce), || "account nonce".to_string())?;
        if let Some(broken) = model.overspent() {
            return Err(broken);
        }
        if let (Some(used), Some(sent)) = (chain.outside_nonce_used, &reference.last_outside) {
            let expected = model.outside_nonces.contains(&(sent.space(), sent.terms.nonce));
            ensure_eq(used, expected, || "last outside nonce used".to_string())?;
        }
        let fees = self.fees.borrow().clone();
        for (slot, details) in &chain.sessions {
            let (slot, key) = (*slot, Reference::key(*slot));
            match model.sessions.get(&key) {
                None => ensure(!details.status.registered, || {
                    format!("slot {slot}: registered on chain, not in the model")
                })?,
                Some(session) => {
                    let paid = fees.by_session.get(&key).copied().unwrap_or(0);
                    compare_session(slot, details, session, model.epoch, paid)?;
                }
            }
        }
        // Money: the test token's balances and allowances, and STRK.
        if let Some((balances, allowances)) = chain.tokens {
            let ledger = &model.ledger;
            let expected = [ledger.balance(token, account), ledger.balance(token, THIRD_PARTY)];
            ensure_eq(balances, expected, || "token balances (account, third party)".into())?;
            let expected = [
                ledger.allowance(token, account, router_address()),
                ledger.allowance(token, THIRD_PARTY, account),
                ledger.allowance(token, account, THIRD_PARTY),
            ];
            ensure_eq(allowances, expected, || {
                "token allowances (account to router, third party to account, account to third \
                 party)"
                    .into()
            })?;
        }
        if let Some(result) = chain.hook {
            let expected = model.ledger.hook_result(hooked_token_address());
            ensure_eq(result, expected, || {
                "how the hooked token's nested call ended (hook_result)".to_string()
            })?;
        }
        if let Some(strk) = chain.strk {
            ensure_eq(strk, U256::from(STRK_FUNDS - fees.total), || {
                "account STRK: what it was funded with minus the fees it paid".to_string()
            })?;
        }
        Ok(())
    }
}

/// A view call of `selector` on `to`.
fn view(to: Felt, selector: Felt, calldata: Vec<Felt>) -> Call {
    Call { to, selector, calldata }
}

/// The chain's state from the results of [`Chain::views`], one per view in
/// their order, and the account's `nonce`; `outside_nonce`: the last one
/// says whether the last outside execution's nonce is used.
fn decode(
    scope: &Scope,
    outside_nonce: bool,
    mut results: Vec<Vec<Felt>>,
    nonce: Result<Felt, ProviderError>,
) -> ChainState {
    let mut next = results.drain(..);
    let mut one = |what: &str| -> Vec<Felt> { next.next().unwrap_or_else(|| panic!("{what}")) };
    let single = |data: Vec<Felt>| -> Felt { data[0] };
    let int = |data: Vec<Felt>| -> u64 { u64::try_from(data[0]).expect("a u64") };
    let u256 = |data: Vec<Felt>| -> U256 {
        let mut r = FeltReader::new(&data);
        let value = r.u256().expect("a u256");
        r.finish(value).expect("a u256 alone")
    };
    let (owner, owner_rotations, epoch) = if scope.account {
        (Some(single(one("owner"))), Some(int(one("rotations"))), Some(int(one("epoch"))))
    } else {
        (None, None, None)
    };
    ChainState {
        owner,
        owner_rotations,
        epoch,
        sessions: scope
            .slots
            .iter()
            .map(|slot| {
                let details = SessionDetails::from_felts(&one("session"));
                (*slot, details.expect("session details"))
            })
            .collect(),
        tokens: scope.tokens.then(|| {
            let balances = [u256(one("balance")), u256(one("balance"))];
            let allowances =
                [u256(one("allowance")), u256(one("allowance")), u256(one("allowance"))];
            (balances, allowances)
        }),
        hook: scope.hook.then(|| single(one("hook result"))),
        strk: scope.strk.then(|| u256(one("STRK"))),
        outside_nonce_used: outside_nonce.then(|| single(one("outside nonce")) == Felt::ZERO),
        nonce: nonce.expect("the account's nonce"),
    }
}

/// One session's whole state against the model's: the stored policy (the
/// renewal fields read 0 for a session that is not renewable), the status,
/// the fee budget, the allowed calls and the spending; and what the account
/// paid for its transactions, which stays within what the account recorded,
/// and so within its budget.
fn compare_session(
    slot: usize,
    chain: &SessionDetails,
    model: &ModelSession,
    epoch: u64,
    paid: u128,
) -> Result<(), String> {
    let what = |field: &'static str| move || format!("slot {slot}: {field}");
    let (status, p) = (&chain.status, &model.policy);
    ensure(status.registered, what("registered"))?;
    ensure_eq(status.revoked, model.revoked, what("revoked"))?;
    ensure_eq(status.epoch_valid, model.epoch == epoch, what("epoch"))?;
    ensure_eq(status.valid_until, model.valid_until, what("valid_until"))?;
    let calls = (status.calls_used, status.calls_remaining);
    ensure_eq(calls, (model.calls_used, model.calls_remaining()), what("calls used, remaining"))?;
    let fee = (status.fee_budget, status.fee_used, status.fee_remaining);
    let expected = (p.fee_budget, model.fee_used, model.fee_remaining());
    ensure_eq(fee, expected, what("fee budget, used, remaining"))?;
    ensure(paid <= model.fee_used && model.fee_used <= p.fee_budget, || {
        format!(
            "slot {slot}: paid {paid} fri in fees, recorded {} of a {} budget",
            model.fee_used, p.fee_budget
        )
    })?;
    let renewable = p.is_renewable();
    let stored =
        (status.valid_after, status.max_calls_per_tx, status.max_fee_per_tx, status.renewable);
    let granted = (p.valid_after, p.max_calls_per_tx, p.max_fee_per_tx, renewable);
    ensure_eq(stored, granted, what("policy"))?;
    let renewal = if renewable { (p.renewal.max_valid_until, p.renewal.period) } else { (0, 0) };
    let stored = (status.max_valid_until, status.renewal_period);
    ensure_eq(stored, renewal, what("max_valid_until, renewal period"))?;
    let deadline =
        if renewable { model.valid_until as u128 + p.renewal.grace_period as u128 } else { 0 };
    ensure_eq(status.grace_deadline, deadline, what("grace deadline"))?;
    ensure_eq(&chain.allowed_calls, &p.allowed_calls, what("allowed calls"))?;
    let spending: Vec<(Felt, U256, U256)> =
        chain.spending.iter().map(|e| (e.token, e.limit, e.spent)).collect();
    let expected: Vec<(Felt, U256, U256)> =
        p.spending_limits.iter().map(|l| (l.token, l.limit, model.spent_of(l.token))).collect();
    ensure_eq(spending, expected, what("spending (token, limit, spent)"))
}

pub(crate) fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

pub(crate) fn ensure_eq<T: PartialEq + std::fmt::Debug>(
    got: T,
    expected: T,
    what: impl FnOnce() -> String,
) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{}: chain has {got:?}, model says {expected:?}", what()))
    }
}
