//! The reference model: docs/spec.md as an executable, pure Rust function
//! (no I/O). Given the account's state and an operation, it predicts
//! whether the account accepts it, rejects it in `__validate__` or reverts
//! it in `__execute__`, with which error, and the state afterwards,
//! including what the session used (calls, fee budget, spending) and the
//! tokens and allowances its calls move ([`ledger`]).
//!
//! It is deliberately written from the spec, not from the contract: the
//! fuzzer runs the same operations on a devnet and fails on any divergence.
//! It shares with the library only what the library itself must get right
//! for dapps: a policy's well-formedness and the metering of §4.4.
//! Section numbers (§) refer to docs/spec.md.
//!
//! - this module: the state, the owner's operations, and the terms of a
//!   session operation;
//! - [`session`]: judging a session operation (§3.2, §4, §5, §11);
//! - `spending`: what a session's regular calls spend in `__execute__`
//!   (§4.4, §4.10);
//! - `windows`: a session's periodic limits (§4.9);
//! - [`ledger`]: the test token and router the calls run on.

pub mod ledger;
mod session;
mod spending;
mod windows;

use std::collections::{BTreeMap, BTreeSet};

use starknet_rust::core::types::{Call, Felt, U256};

pub use ledger::{CallFailure, Ledger};

use session_account::contract::ContractError;
use session_account::policy::SessionPolicy;

/// Granularity of the clock `__validate__` sees (§4.2).
pub const VALIDATE_GRANULARITY: u64 = 3600;

/// What happened to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused in `__validate__`: no fee, nonce unchanged, no state change.
    Rejected(Option<ContractError>),
    /// Included but reverted in `__execute__` (or, for an outside execution,
    /// in the relayer's transaction): only `__validate__`'s records (and
    /// the nonce) remain.
    Reverted(Option<ContractError>),
}

impl Verdict {
    pub fn error(&self) -> Option<ContractError> {
        match self {
            Verdict::Accepted => None,
            Verdict::Rejected(e) | Verdict::Reverted(e) => *e,
        }
    }

    /// Whether the transaction was included (the account's nonce moved and,
    /// for a transaction the account sent, it paid the fee).
    pub fn included(&self) -> bool {
        !matches!(self, Verdict::Rejected(_))
    }
}

/// How a session operation reaches the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// A session transaction: the account pays.
    Direct,
    /// A session-signed outside execution submitted by a relayer (§11).
    Gasless,
}

/// One session as the account stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSession {
    pub policy: SessionPolicy,
    pub revoked: bool,
    pub epoch: u64,
    /// The owner's key rotations when it was registered (part of its
    /// stored session hash).
    pub owner_rotations: u64,
    /// Current expiry (renewal moves it).
    pub valid_until: u64,
    /// Calls counted, reverted transactions included (§4.3f).
    pub calls_used: u64,
    /// Worst-case fees of its transactions, reverted ones included (§4.7).
    pub fee_used: u128,
    /// Spent per limited token (§4.4).
    pub spent: BTreeMap<Felt, U256>,
    /// Per token with a periodic limit (§4.9): the window last charged and
    /// what was spent in it.
    pub windows: BTreeMap<Felt, (u64, u128)>,
    /// The (token, spender) pairs its calls approved, once each, in the
    /// order the account records them (§4.10).
    pub approvals: Vec<(Felt, Felt)>,
}

impl ModelSession {
    pub fn calls_remaining(&self) -> u64 {
        self.policy.max_calls - self.calls_used
    }

    pub fn fee_remaining(&self) -> u128 {
        self.policy.fee_budget - self.fee_used
    }

    pub fn spent_of(&self, token: Felt) -> U256 {
        self.spent.get(&token).copied().unwrap_or(U256::from(0u8))
    }

    /// What the session may still spend of `token` (0 without a limit).
    pub fn remaining_of(&self, token: Felt) -> U256 {
        match self.policy.limit_for(token) {
            Some(limit) => limit - self.spent_of(token),
            None => U256::from(0u8),
        }
    }
}

/// The account's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountModel {
    pub account: Felt,
    pub chain_id: Felt,
    /// The owner public key (§7.3 rotates it).
    pub owner: Felt,
    /// Key rotations so far (§7.3).
    pub owner_rotations: u64,
    pub epoch: u64,
    pub sessions: BTreeMap<Felt, ModelSession>,
    /// The tokens the account's calls move.
    pub ledger: Ledger,
    /// Outside-execution nonces used (§11), in their signer's space: the
    /// owner's ([`Felt::ZERO`]) or a session key's.
    pub outside_nonces: BTreeSet<(Felt, Felt)>,
    /// Keys the owner revoked before they were ever registered (§6): no
    /// authorization can register them.
    pub revoked_keys: BTreeSet<Felt>,
    /// What each session moved of each limited token over its life, counted
    /// independently of §4.4's rule: what its executions took from the
    /// account's balance or from third parties, plus what spenders it
    /// approved later took through those allowances. It must never exceed
    /// the limit ([`AccountModel::overspent`]).
    pub moved: BTreeMap<(Felt, Felt), U256>,
    /// The part of each allowance `(token, spender)` a session granted
    /// (and which session), not yet taken.
    pub session_allowances: BTreeMap<(Felt, Felt), (Felt, U256)>,
}

/// An authorization as a session operation carries it (§3.2): the policy
/// it carries, and what the owner's signature covers. It verifies only
/// when the signature covers exactly the carried policy, by the current
/// owner key, for this account, this chain, the current epoch and the
/// current owner rotation count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAuthorization {
    pub policy: SessionPolicy,
    pub signed_policy: SessionPolicy,
    pub signer: Felt,
    pub epoch: u64,
    pub owner_rotations: u64,
    pub account: Felt,
    pub chain_id: Felt,
}

impl SignedAuthorization {
    /// What the account's current owner signs for `policy` now.
    pub fn genuine(model: &AccountModel, policy: &SessionPolicy) -> Self {
        Self {
            policy: policy.clone(),
            signed_policy: policy.clone(),
            signer: model.owner,
            epoch: model.epoch,
            owner_rotations: model.owner_rotations,
            account: model.account,
            chain_id: model.chain_id,
        }
    }

    fn verifies(&self, model: &AccountModel) -> bool {
        self.policy == self.signed_policy
            && self.signer == model.owner
            && self.epoch == model.epoch
            && self.owner_rotations == model.owner_rotations
            && self.account == model.account
            && self.chain_id == model.chain_id
    }
}

/// The signature a session operation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSignature {
    /// The session layout, signed by the session key.
    Valid,
    /// The session layout naming the session key, but `(r, s)` do not
    /// verify (another key signed, or another hash was signed).
    Forged,
    /// The owner layout `[r, s]`, signed by the session key: a session key
    /// trying to pass as the owner (the `is_valid_signature` hole, §7.2).
    OwnerLayout,
    /// The session layout, valid, with one felt after it (after the
    /// carried authorization, if any): a layout the account does not
    /// parse (§2.2).
    TrailingFelt,
}

/// An outside execution's own terms (§11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideTerms {
    pub nonce: Felt,
    pub execute_after: u64,
    pub execute_before: u64,
    pub caller: Caller,
}

/// Who an outside execution names as its caller, against who submits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Caller {
    /// The caller it names submits it.
    #[default]
    Named,
    /// It names `ANY_CALLER`.
    Anyone,
    /// It names another caller than the one submitting it.
    Other,
}

/// One session operation: `calls` under `key`, as submitted.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub key: Felt,
    pub authorization: Option<&'a SignedAuthorization>,
    pub calls: &'a [Call],
    /// Block time of the transaction.
    pub now: u64,
    pub signature: SessionSignature,
    pub route: Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A session transaction whose bounds allow at most `max_fee` fri
    /// (§4.5; `None`: 2^128 or more), with `paymaster_data`,
    /// `account_deployment_data` or a data-availability mode the account
    /// does not support when `unsupported_fields` (§4.5).
    Direct { max_fee: Option<u128>, unsupported_fields: bool },
    /// An outside execution with these terms.
    Gasless(OutsideTerms),
}

impl AccountModel {
    pub fn new(account: Felt, owner: Felt, chain_id: Felt) -> Self {
        Self { account, owner, chain_id, ..Self::default() }
    }

    /// The owner's transaction running `calls` on the ledger (e.g. an
    /// allowance granted long ago). Owner transactions always pass
    /// validation; a failing call reverts.
    pub fn owner_calls(&mut self, calls: &[Call]) -> Verdict {
        self.run_owner_calls(calls)
    }

    /// The owner's outside execution (§11) with `nonce`, relayed: all or
    /// nothing, its nonce in the owner's space.
    pub fn owner_outside(&mut self, nonce: Felt, calls: &[Call]) -> Verdict {
        if self.outside_nonces.contains(&(Felt::ZERO, nonce)) {
            return Verdict::Reverted(Some(ContractError::OutsideNonceUsed));
        }
        let verdict = self.run_owner_calls(calls);
        if verdict == Verdict::Accepted {
            self.outside_nonces.insert((Felt::ZERO, nonce));
        }
        verdict
    }

    /// §11: an outside execution that a contract starts while a session
    /// execution of the account runs (from its authorization to its
    /// settlement: a limited token's `balance_of` in the watch of §4.4),
    /// whoever signed it, meets the reentrancy guard first.
    pub fn nested_execution(&self) -> ContractError {
        ContractError::OutsideReentrant
    }

    fn run_owner_calls(&mut self, calls: &[Call]) -> Verdict {
        let mut ledger = self.ledger.clone();
        for call in calls {
            if let Err(failure) = ledger.call(self.account, call) {
                return failure.verdict();
            }
        }
        self.ledger = ledger;
        Verdict::Accepted
    }

    /// The owner rotates its key (§7.3); sessions are unaffected, unused
    /// authorizations die.
    pub fn set_owner(&mut self, new_owner: Felt) -> Verdict {
        if new_owner == Felt::ZERO {
            return Verdict::Reverted(Some(ContractError::InvalidOwnerKey));
        }
        self.owner = new_owner;
        self.owner_rotations += 1;
        Verdict::Accepted
    }

    /// The owner registers `policy` (§3.1).
    pub fn register(&mut self, policy: &SessionPolicy) -> Verdict {
        if let Err(e) = policy.check_well_formed(self.account) {
            return Verdict::Reverted(Some(e));
        }
        if self.sessions.contains_key(&policy.session_key) {
            return Verdict::Reverted(Some(ContractError::SessionAlreadyRegistered));
        }
        if self.revoked_keys.contains(&policy.session_key) {
            return Verdict::Reverted(Some(ContractError::SessionRevoked));
        }
        self.insert(policy);
        Verdict::Accepted
    }

    /// Someone other than the account (`spender`) moves `amount` of the
    /// account's `token` to itself through an allowance the account gave it,
    /// outside any session execution. What it takes of an allowance a
    /// session granted counts as moved by that session.
    pub fn spender_pulls(&mut self, token: Felt, spender: Felt, amount: U256) -> Verdict {
        let call = Call {
            to: token,
            selector: session_account::contract::selectors::TRANSFER_FROM,
            calldata: vec![
                self.account,
                spender,
                Felt::from(amount.low()),
                Felt::from(amount.high()),
            ],
        };
        // On a copy: a failing call may leave the ledger half updated.
        let mut ledger = self.ledger.clone();
        if let Err(failure) = ledger.call(spender, &call) {
            return failure.verdict();
        }
        self.ledger = ledger;
        if let Some((key, granted)) = self.session_allowances.get(&(token, spender)).copied() {
            let taken = granted.min(amount);
            self.session_allowances.insert((token, spender), (key, granted - taken));
            let moved = self.moved.entry((key, token)).or_insert(U256::from(0u8));
            *moved = session_account::token::checked_add_u256(*moved, taken).expect("bounded");
        }
        Verdict::Accepted
    }

    /// A session that moved more of a limited token over its life than its
    /// limit allows: the promise of §4.4 broken, whatever the account
    /// recorded.
    pub fn overspent(&self) -> Option<String> {
        self.moved.iter().find_map(|((key, token), moved)| {
            let limit = self.sessions.get(key)?.policy.limit_for(*token)?;
            (*moved > limit).then(|| {
                format!("session {key:#x} moved {moved} of {token:#x} under a limit of {limit}")
            })
        })
    }

    fn insert(&mut self, policy: &SessionPolicy) {
        self.sessions.insert(
            policy.session_key,
            ModelSession {
                policy: policy.clone(),
                revoked: false,
                epoch: self.epoch,
                owner_rotations: self.owner_rotations,
                valid_until: policy.valid_until,
                calls_used: 0,
                fee_used: 0,
                spent: BTreeMap::new(),
                windows: BTreeMap::new(),
                approvals: vec![],
            },
        );
    }

    /// The owner revokes one session (§6), or a key never registered, so
    /// that no authorization can register it.
    pub fn revoke(&mut self, key: Felt) -> Verdict {
        match self.sessions.get_mut(&key) {
            None if self.revoked_keys.insert(key) => Verdict::Accepted,
            None => Verdict::Reverted(Some(ContractError::SessionRevoked)),
            Some(s) if s.revoked => Verdict::Reverted(Some(ContractError::SessionRevoked)),
            Some(s) => {
                s.revoked = true;
                Verdict::Accepted
            }
        }
    }

    /// The owner sets every allowance the session under `key` granted back
    /// to zero (§4.10): `approve(spender, 0)` on each recorded token, all
    /// or nothing.
    pub fn clear_allowances(&mut self, key: Felt) -> Verdict {
        let approvals = self.sessions.get(&key).map(|s| s.approvals.clone()).unwrap_or_default();
        let calls: Vec<Call> = approvals
            .iter()
            .map(|(token, spender)| Call {
                to: *token,
                selector: session_account::contract::selectors::APPROVE,
                calldata: vec![*spender, Felt::ZERO, Felt::ZERO],
            })
            .collect();
        let verdict = self.run_owner_calls(&calls);
        if verdict == Verdict::Accepted {
            for pair in &approvals {
                if let Some((owner, _)) = self.session_allowances.get(pair).copied() {
                    self.session_allowances.insert(*pair, (owner, U256::from(0u8)));
                }
            }
        }
        verdict
    }

    /// The owner revokes the session under `key` and clears the allowances
    /// it granted, in one transaction (§4.10).
    pub fn revoke_clearing_allowances(&mut self, key: Felt) -> Verdict {
        let mut trial = self.clone();
        let verdict = match trial.revoke(key) {
            Verdict::Accepted => trial.clear_allowances(key),
            refused => refused,
        };
        if verdict == Verdict::Accepted {
            *self = trial;
        }
        verdict
    }

    /// The owner ends every session (§6).
    pub fn revoke_all(&mut self) -> Verdict {
        self.epoch += 1;
        Verdict::Accepted
    }

    /// A session operation with a genuine signature, fee bounds of
    /// `max_fee` (direct) and, when `authorization` is given, a genuine
    /// authorization of it.
    pub fn session_calls(
        &mut self,
        key: Felt,
        authorization: Option<&SessionPolicy>,
        calls: &[Call],
        now: u64,
        path: Path,
        max_fee: u128,
    ) -> Verdict {
        let authorization = authorization.map(|p| SignedAuthorization::genuine(self, p));
        let route = match path {
            Path::Direct => Route::Direct { max_fee: Some(max_fee), unsupported_fields: false },
            Path::Gasless => Route::Gasless(OutsideTerms {
                nonce: Felt::from(now) + Felt::from(self.outside_nonces.len()),
                execute_after: 0,
                execute_before: u64::MAX,
                caller: Caller::Named,
            }),
        };
        self.submit(&Submission {
            key,
            authorization: authorization.as_ref(),
            calls,
            now,
            signature: SessionSignature::Valid,
            route,
        })
    }
}

impl CallFailure {
    /// What a failing call does to its transaction: it reverts, with no
    /// error of the account. The model cannot judge unmodelled calls.
    pub fn verdict(&self) -> Verdict {
        match self {
            CallFailure::Panicked => Verdict::Reverted(None),
            CallFailure::Unmodelled(to, selector) => {
                panic!("the model does not know what {selector:#x} on {to:#x} does")
            }
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod agent_tests;
