//! The reference model: docs/spec.md as an executable, pure Rust function
//! (no I/O). Given the account's state and an operation, it predicts
//! whether the account accepts it, rejects it in `__validate__` or reverts
//! it in `__execute__`, with which error, and the state afterwards.
//!
//! It is deliberately written from the spec, not from the contract: the
//! fuzzer (tests/fuzz.rs) runs the same operations on a devnet and fails on
//! any divergence. Section numbers (§) refer to docs/spec.md.

use std::collections::{BTreeMap, BTreeSet};

use starknet_rust::core::types::{Call, Felt, U256};

use crate::contract::{selectors, ContractError};
use crate::policy::SessionPolicy;
use crate::token::checked_add_u256 as add;

/// Granularity of the clock `__validate__` sees (§4.2).
pub const VALIDATE_GRANULARITY: u64 = 3600;

/// What happened to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused in `__validate__`: no fee, nonce unchanged, no state change.
    Rejected(Option<ContractError>),
    /// Included but reverted in `__execute__` (or, for an outside execution,
    /// in the relayer's transaction): no state change but the nonce.
    Reverted(Option<ContractError>),
}

impl Verdict {
    pub fn error(&self) -> Option<ContractError> {
        match self {
            Verdict::Accepted => None,
            Verdict::Rejected(e) | Verdict::Reverted(e) => *e,
        }
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
    /// Current expiry (renewal moves it).
    pub valid_until: u64,
    pub calls_used: u64,
    /// Spent per limited token.
    pub spent: BTreeMap<Felt, U256>,
}

/// The account's session state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountModel {
    pub account: Felt,
    pub chain_id: Felt,
    /// The owner public key (§7.3 rotates it).
    pub owner: Felt,
    pub epoch: u64,
    pub sessions: BTreeMap<Felt, ModelSession>,
    /// Balances the model tracks, per token (what session calls move).
    pub balances: BTreeMap<Felt, U256>,
    /// Outside-execution nonces used (§11).
    pub outside_nonces: BTreeSet<Felt>,
}

/// An authorization as a session operation carries it (§3.2): the policy
/// it carries, and what the owner's signature covers. It verifies only
/// when the signature covers exactly the carried policy, by the current
/// owner key, for this account, this chain and the current epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAuthorization {
    pub policy: SessionPolicy,
    pub signed_policy: SessionPolicy,
    pub signer: Felt,
    pub epoch: u64,
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
            account: model.account,
            chain_id: model.chain_id,
        }
    }

    fn verifies(&self, model: &AccountModel) -> bool {
        self.policy == self.signed_policy
            && self.signer == model.owner
            && self.epoch == model.epoch
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
}

/// An outside execution's own terms (§11); the caller is always right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideTerms {
    pub nonce: Felt,
    pub execute_after: u64,
    pub execute_before: u64,
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
    /// Direct: a session transaction with this most fee (§4.5).
    /// Gasless: an outside execution with these terms.
    pub route: Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Direct { max_fee: u128 },
    Gasless(OutsideTerms),
}

type Check = Result<(), ContractError>;

/// The metered amount of one call to a limited token (§4.4).
pub fn metered_amount(account: Felt, call: &Call) -> Result<U256, ContractError> {
    let word = |f: &Felt| u128::try_from(*f).map_err(|_| ContractError::SessionMalformedCalldata);
    let s = call.selector;
    if s == selectors::TRANSFER || s == selectors::APPROVE || s == selectors::INCREASE_ALLOWANCE || s == selectors::INCREASE_ALLOWANCE_CAMEL {
        return match call.calldata.as_slice() {
            [_, low, high] => Ok(U256::from_words(word(low)?, word(high)?)),
            _ => Err(ContractError::SessionMalformedCalldata),
        };
    }
    if s == selectors::TRANSFER_FROM || s == selectors::TRANSFER_FROM_CAMEL {
        return match call.calldata.as_slice() {
            [sender, _, low, high] => {
                let amount = U256::from_words(word(low)?, word(high)?);
                Ok(if *sender == account { amount } else { U256::from(0u8) })
            }
            _ => Err(ContractError::SessionMalformedCalldata),
        };
    }
    Err(ContractError::SessionUnmeteredSelector)
}

/// What a session's calls are: one of its own lifecycle calls (§4.6), or
/// `n` regular calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Renew,
    Revoke,
    Regular(usize),
}

impl AccountModel {
    pub fn new(account: Felt, owner: Felt, chain_id: Felt) -> Self {
        Self { account, owner, chain_id, ..Self::default() }
    }

    /// What an ERC20 token the model tracks does with a call from the
    /// account: moves balances on `transfer`, panics on amounts that are
    /// not `u256`, on transfers beyond the balance and on `transfer_from`
    /// without allowance (the account never approves itself).
    fn token_call(&mut self, call: &Call) -> Result<(), ()> {
        let Some(balance) = self.balances.get(&call.to).copied() else { return Ok(()) };
        let word = |f: &Felt| u128::try_from(*f).map_err(|_| ());
        let amount = |words: &[Felt]| -> Result<U256, ()> {
            match words {
                [low, high] => Ok(U256::from_words(word(low)?, word(high)?)),
                _ => Err(()),
            }
        };
        let s = call.selector;
        if s == selectors::TRANSFER {
            let value = amount(call.calldata.get(1..).ok_or(())?)?;
            if value > balance {
                return Err(());
            }
            self.balances.insert(call.to, balance - value);
        } else if s == selectors::TRANSFER_FROM || s == selectors::TRANSFER_FROM_CAMEL {
            if amount(call.calldata.get(2..).ok_or(())?)? != U256::from(0u8) {
                return Err(());
            }
        } else if s == selectors::APPROVE || s == selectors::INCREASE_ALLOWANCE || s == selectors::INCREASE_ALLOWANCE_CAMEL {
            amount(call.calldata.get(1..).ok_or(())?)?;
        }
        Ok(())
    }

    /// The owner rotates its key (§7.3); sessions are unaffected.
    pub fn set_owner(&mut self, new_owner: Felt) -> Verdict {
        if new_owner == Felt::ZERO {
            return Verdict::Reverted(Some(ContractError::InvalidOwnerKey));
        }
        self.owner = new_owner;
        Verdict::Accepted
    }

    fn classify(&self, key: Felt, calls: &[Call]) -> Result<Kind, ContractError> {
        if calls.is_empty() {
            return Err(ContractError::SessionNoCalls);
        }
        if let Some(call) = calls.iter().find(|c| c.to == self.account) {
            if calls.len() != 1 {
                return Err(ContractError::SessionSelfCall);
            }
            if call.selector == selectors::RENEW_SESSION && call.calldata.is_empty() {
                return Ok(Kind::Renew);
            }
            if call.selector == selectors::REVOKE_SESSION && call.calldata == [key] {
                return Ok(Kind::Revoke);
            }
            return Err(ContractError::SessionSelfCall);
        }
        Ok(Kind::Regular(calls.len()))
    }

    /// §4.1a–c.
    fn usable(&self, key: Felt) -> Result<&ModelSession, ContractError> {
        let session = self.sessions.get(&key).ok_or(ContractError::SessionNotRegistered)?;
        if session.revoked {
            return Err(ContractError::SessionRevoked);
        }
        if session.epoch != self.epoch {
            return Err(ContractError::SessionEpochRevoked);
        }
        Ok(session)
    }

    fn window(session: &ModelSession, now: u64, exact: bool) -> Check {
        let after = session.policy.valid_after;
        if exact {
            if now < after {
                return Err(ContractError::SessionNotYetValid);
            }
            if now >= session.valid_until {
                return Err(ContractError::SessionExpired);
            }
        } else {
            let floor = now - now % VALIDATE_GRANULARITY;
            if (floor as u128) + (VALIDATE_GRANULARITY as u128 - 1) < after as u128 {
                return Err(ContractError::SessionNotYetValid);
            }
            if floor >= session.valid_until {
                return Err(ContractError::SessionExpired);
            }
        }
        Ok(())
    }

    fn targets(session: &ModelSession, calls: &[Call]) -> Check {
        for call in calls {
            let allowed = session.policy.allowed_calls.iter().find(|a| a.contract == call.to);
            match allowed {
                None => return Err(ContractError::SessionContractNotAllowed),
                Some(a) if !a.entrypoints.is_empty() && !a.entrypoints.contains(&call.selector) => {
                    return Err(ContractError::SessionEntrypointNotAllowed)
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn caps(session: &ModelSession, count: usize) -> Check {
        if count as u64 > session.policy.max_calls_per_tx as u64 {
            return Err(ContractError::SessionTooManyCalls);
        }
        if session.calls_used + count as u64 > session.policy.max_calls {
            return Err(ContractError::SessionCallLimit);
        }
        Ok(())
    }

    /// §4.4: the new `spent` per limited token the calls touch.
    fn spending(&self, session: &ModelSession, calls: &[Call]) -> Result<Vec<(Felt, U256)>, ContractError> {
        let mut sums: Vec<(Felt, U256)> = Vec::new();
        for call in calls {
            if session.policy.limit_for(call.to).is_none() {
                continue;
            }
            let amount = metered_amount(self.account, call)?;
            match sums.iter_mut().find(|(t, _)| *t == call.to) {
                Some((_, sum)) => *sum = add(*sum, amount).ok_or(ContractError::SessionSpendingLimit)?,
                None => sums.push((call.to, amount)),
            }
        }
        sums.into_iter()
            .map(|(token, amount)| {
                let limit = session.policy.limit_for(token).expect("limited");
                let spent = session.spent.get(&token).copied().unwrap_or(U256::from(0u8));
                match add(spent, amount) {
                    Some(total) if total <= limit => Ok((token, total)),
                    _ => Err(ContractError::SessionSpendingLimit),
                }
            })
            .collect()
    }

    /// The owner registers `policy` (§3.1). Owner transactions always pass
    /// validation; a refusal reverts.
    pub fn register(&mut self, policy: &SessionPolicy) -> Verdict {
        if let Err(e) = self.well_formed(policy) {
            return Verdict::Reverted(Some(e));
        }
        if self.sessions.contains_key(&policy.session_key) {
            return Verdict::Reverted(Some(ContractError::SessionAlreadyRegistered));
        }
        self.insert(policy);
        Verdict::Accepted
    }

    fn insert(&mut self, policy: &SessionPolicy) {
        self.sessions.insert(
            policy.session_key,
            ModelSession {
                policy: policy.clone(),
                revoked: false,
                epoch: self.epoch,
                valid_until: policy.valid_until,
                calls_used: 0,
                spent: BTreeMap::new(),
            },
        );
    }

    /// §1.1.
    pub fn well_formed(&self, policy: &SessionPolicy) -> Check {
        if policy.session_key == Felt::ZERO {
            return Err(ContractError::SessionInvalidKey);
        }
        if policy.valid_after >= policy.valid_until {
            return Err(ContractError::SessionInvalidWindow);
        }
        if policy.renewal.grace_period != 0 && policy.renewal.max_valid_until < policy.valid_until {
            return Err(ContractError::SessionInvalidRenewal);
        }
        if policy.max_calls_per_tx == 0 || policy.max_calls == 0 {
            return Err(ContractError::SessionInvalidCallCaps);
        }
        let mut seen = Vec::new();
        for a in &policy.allowed_calls {
            if a.contract == self.account {
                return Err(ContractError::SessionSelfCall);
            }
            let mut entrypoints = a.entrypoints.clone();
            entrypoints.sort();
            entrypoints.dedup();
            if seen.contains(&a.contract) || entrypoints.len() != a.entrypoints.len() {
                return Err(ContractError::SessionDuplicateEntry);
            }
            seen.push(a.contract);
        }
        let mut tokens: Vec<Felt> = policy.spending_limits.iter().map(|l| l.token).collect();
        tokens.sort();
        tokens.dedup();
        if tokens.len() != policy.spending_limits.len() {
            return Err(ContractError::SessionDuplicateEntry);
        }
        Ok(())
    }

    /// The owner revokes one session (§6).
    pub fn revoke(&mut self, key: Felt) -> Verdict {
        match self.sessions.get_mut(&key) {
            None => Verdict::Reverted(Some(ContractError::SessionNotRegistered)),
            Some(s) if s.revoked => Verdict::Reverted(Some(ContractError::SessionRevoked)),
            Some(s) => {
                s.revoked = true;
                Verdict::Accepted
            }
        }
    }

    /// The owner ends every session (§6).
    pub fn revoke_all(&mut self) -> Verdict {
        self.epoch += 1;
        Verdict::Accepted
    }

    /// A session operation with a genuine signature, a fee within the cap
    /// and, when `authorization` is given, a genuine authorization of it.
    pub fn session_calls(&mut self, key: Felt, authorization: Option<&SessionPolicy>, calls: &[Call], now: u64, path: Path) -> Verdict {
        let authorization = authorization.map(|p| SignedAuthorization::genuine(self, p));
        let route = match path {
            Path::Direct => Route::Direct { max_fee: 0 },
            Path::Gasless => Route::Gasless(OutsideTerms { nonce: Felt::from(now), execute_after: 0, execute_before: u64::MAX }),
        };
        self.submit(&Submission { key, authorization: authorization.as_ref(), calls, now, signature: SessionSignature::Valid, route })
    }

    /// Judges one session operation (§3.2, §4, §5, §11) and applies it when
    /// accepted.
    pub fn submit(&mut self, op: &Submission) -> Verdict {
        let Submission { key, calls, now, .. } = *op;
        let path = match op.route {
            Route::Direct { .. } => Path::Direct,
            Route::Gasless(_) => Path::Gasless,
        };
        let refuse = |e: ContractError| match path {
            Path::Direct => Verdict::Rejected(Some(e)),
            Path::Gasless => Verdict::Reverted(Some(e)),
        };
        let revert = |e: Option<ContractError>| Verdict::Reverted(e);
        let exact_checks = path == Path::Gasless;
        let mut trial = self.clone();

        // §11: the outside execution's own checks come first.
        if let Route::Gasless(terms) = op.route {
            if now <= terms.execute_after {
                return refuse(ContractError::OutsideTooEarly);
            }
            if now >= terms.execute_before {
                return refuse(ContractError::OutsideExpired);
            }
            if !trial.outside_nonces.insert(terms.nonce) {
                return refuse(ContractError::OutsideNonceUsed);
            }
        }
        // An owner-layout signature by a session key is an owner signature
        // that does not verify (§2.1, §7.2).
        if op.signature == SessionSignature::OwnerLayout {
            return refuse(ContractError::InvalidSignature);
        }

        // §3.2: an authorization registers the session (in execute).
        let pending = match op.authorization {
            Some(authorization) => {
                if authorization.policy.session_key != key || !authorization.verifies(self) {
                    return refuse(ContractError::SessionInvalidAuthorization);
                }
                let policy = &authorization.policy;
                match self.sessions.get(&key) {
                    Some(existing) if existing.policy == *policy && existing.epoch == self.epoch => None,
                    Some(_) => return refuse(ContractError::SessionAlreadyRegistered),
                    None => {
                        if let Err(e) = self.well_formed(policy) {
                            return refuse(e);
                        }
                        Some(policy.clone())
                    }
                }
            }
            None => None,
        };
        // §4.1d.
        if op.signature == SessionSignature::Forged {
            return refuse(ContractError::InvalidSignature);
        }
        if let Some(policy) = &pending {
            trial.insert(policy);
        }

        // Validate (or, gasless, the same checks with the exact clock).
        let session = match trial.usable(key) {
            Ok(s) => s.clone(),
            Err(e) => return refuse(e),
        };
        let kind = match trial.classify(key, calls) {
            Ok(k) => k,
            Err(e) => return refuse(e),
        };
        match kind {
            Kind::Renew => {
                if !exact_checks {
                    let grace = session.policy.renewal.grace_period;
                    if grace == 0 {
                        return refuse(ContractError::SessionNotRenewable);
                    }
                    let floor = now - now % VALIDATE_GRANULARITY;
                    if floor as u128 >= session.valid_until as u128 + grace as u128 {
                        return refuse(ContractError::SessionExpired);
                    }
                }
            }
            Kind::Revoke => {
                if let Err(e) = Self::window(&session, now, exact_checks) {
                    return refuse(e);
                }
            }
            Kind::Regular(count) => {
                let checks = Self::window(&session, now, exact_checks)
                    .and_then(|_| Self::targets(&session, calls))
                    .and_then(|_| Self::caps(&session, count))
                    .and_then(|_| trial.spending(&session, calls).map(|_| ()));
                if let Err(e) = checks {
                    return refuse(e);
                }
            }
        }

        // §4.5: the fee cap, last in validate (direct only).
        if let Route::Direct { max_fee } = op.route {
            if max_fee > session.policy.max_fee_per_tx {
                return refuse(ContractError::SessionFeeAboveCap);
            }
        }

        // Execute: the exact clock; record; run the calls.
        match kind {
            Kind::Renew => {
                let renewal = session.policy.renewal;
                let result = if renewal.grace_period == 0 {
                    Err(ContractError::SessionNotRenewable)
                } else if now < session.valid_until {
                    Err(ContractError::SessionNotExpired)
                } else if now as u128 >= session.valid_until as u128 + renewal.grace_period as u128 {
                    Err(ContractError::SessionExpired)
                } else {
                    let period = session.policy.valid_until - session.policy.valid_after;
                    let new_until = (now as u128 + period as u128).min(renewal.max_valid_until as u128) as u64;
                    if new_until <= now { Err(ContractError::SessionRenewalLimit) } else { Ok(new_until) }
                };
                match result {
                    Ok(until) => trial.sessions.get_mut(&key).expect("registered").valid_until = until,
                    Err(e) => return revert(Some(e)),
                }
            }
            Kind::Revoke => {
                if let Err(e) = Self::window(&session, now, true) {
                    return revert(Some(e));
                }
                trial.sessions.get_mut(&key).expect("registered").revoked = true;
            }
            Kind::Regular(count) => {
                if let Err(e) = Self::window(&session, now, true) {
                    return revert(Some(e));
                }
                let spends = match trial.spending(&session, calls) {
                    Ok(s) => s,
                    Err(e) => return revert(Some(e)),
                };
                let stored = trial.sessions.get_mut(&key).expect("registered");
                stored.calls_used += count as u64;
                for (token, total) in spends {
                    stored.spent.insert(token, total);
                }
                // The calls themselves, on the tokens the model tracks.
                for call in calls {
                    if let Err(()) = trial.token_call(call) {
                        return revert(None); // the token panics: not the account's error
                    }
                }
            }
        }
        *self = trial;
        Verdict::Accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AllowedContract, RenewalPolicy, SpendingLimit};

    const ACCOUNT: Felt = Felt::from_hex_unchecked("0xacc");
    const TOKEN: Felt = Felt::from_hex_unchecked("0x7070");
    const KEY: Felt = Felt::from_hex_unchecked("0x5e55");
    const OWNER: Felt = Felt::from_hex_unchecked("0x0a11ce");
    const CHAIN: Felt = Felt::from_hex_unchecked("0xc4a1");

    fn policy() -> SessionPolicy {
        SessionPolicy {
            session_key: KEY,
            valid_after: 7200,
            valid_until: 7200 + 5400,
            renewal: RenewalPolicy { grace_period: 600, max_valid_until: 100_000 },
            allowed_calls: vec![AllowedContract::any(TOKEN)],
            max_calls_per_tx: 2,
            max_calls: 3,
            spending_limits: vec![SpendingLimit { token: TOKEN, limit: U256::from(100u8) }],
            max_fee_per_tx: u128::MAX,
        }
    }

    fn transfer(amount: u128) -> Call {
        Call { to: TOKEN, selector: selectors::TRANSFER, calldata: vec![Felt::ONE, Felt::from(amount), Felt::ZERO] }
    }

    fn model() -> AccountModel {
        let mut m = AccountModel::new(ACCOUNT, OWNER, CHAIN);
        m.balances.insert(TOKEN, U256::from(1000u16));
        m
    }

    #[test]
    fn spends_up_to_the_limit_and_records() {
        let mut m = model();
        assert_eq!(m.register(&policy()), Verdict::Accepted);
        assert_eq!(m.session_calls(KEY, None, &[transfer(60)], 8000, Path::Direct), Verdict::Accepted);
        assert_eq!(m.session_calls(KEY, None, &[transfer(41)], 8000, Path::Direct), Verdict::Rejected(Some(ContractError::SessionSpendingLimit)));
        assert_eq!(m.session_calls(KEY, None, &[transfer(41)], 8000, Path::Gasless), Verdict::Reverted(Some(ContractError::SessionSpendingLimit)));
        assert_eq!(m.session_calls(KEY, None, &[transfer(40)], 8000, Path::Gasless), Verdict::Accepted);
        let s = &m.sessions[&KEY];
        assert_eq!((s.calls_used, s.spent[&TOKEN]), (2, U256::from(100u8)));
        assert_eq!(m.balances[&TOKEN], U256::from(900u16));
    }

    #[test]
    fn expiry_inside_the_floored_hour_reverts_in_execute_only() {
        let mut m = model();
        m.register(&policy());
        // valid_until = 12600 = 3.5 h; at 12700 validate sees 10800.
        assert_eq!(m.session_calls(KEY, None, &[transfer(1)], 12_700, Path::Direct), Verdict::Reverted(Some(ContractError::SessionExpired)));
        assert_eq!(m.session_calls(KEY, None, &[transfer(1)], 12_700, Path::Gasless), Verdict::Reverted(Some(ContractError::SessionExpired)));
        assert_eq!(m.session_calls(KEY, None, &[transfer(1)], 14_500, Path::Direct), Verdict::Rejected(Some(ContractError::SessionExpired)));
        assert_eq!(m.sessions[&KEY].calls_used, 0);
    }

    #[test]
    fn renewal_and_revoke_all() {
        let mut m = model();
        m.register(&policy());
        let renew = Call { to: ACCOUNT, selector: selectors::RENEW_SESSION, calldata: vec![] };
        assert_eq!(m.session_calls(KEY, None, &[renew.clone()], 9000, Path::Direct), Verdict::Reverted(Some(ContractError::SessionNotExpired)));
        assert_eq!(m.session_calls(KEY, None, &[renew.clone()], 12_700, Path::Direct), Verdict::Accepted);
        assert_eq!(m.sessions[&KEY].valid_until, 12_700 + 5400);
        m.revoke_all();
        assert_eq!(m.session_calls(KEY, None, &[renew], 18_200, Path::Direct), Verdict::Rejected(Some(ContractError::SessionEpochRevoked)));
    }

    #[test]
    fn authorizations_register_on_success_only() {
        let mut m = model();
        m.balances.insert(TOKEN, U256::from(50u8));
        let p = policy();
        // Within the limit, above the balance: the token reverts.
        assert_eq!(m.session_calls(KEY, Some(&p), &[transfer(80)], 8000, Path::Direct), Verdict::Reverted(None));
        assert!(m.sessions.is_empty(), "a reverted first transaction registers nothing");
        assert_eq!(m.session_calls(KEY, Some(&p), &[transfer(5)], 8000, Path::Direct), Verdict::Accepted);
        assert_eq!(m.session_calls(KEY, Some(&p), &[transfer(5)], 8000, Path::Direct), Verdict::Accepted, "redundant authorization");
        let mut other = p.clone();
        other.max_calls = 9;
        assert_eq!(m.session_calls(KEY, Some(&other), &[transfer(5)], 8000, Path::Direct), Verdict::Rejected(Some(ContractError::SessionAlreadyRegistered)));
    }

    #[test]
    fn self_calls() {
        let mut m = model();
        m.register(&policy());
        let revoke_all = Call { to: ACCOUNT, selector: selectors::REVOKE_ALL_SESSIONS, calldata: vec![] };
        assert_eq!(m.session_calls(KEY, None, &[revoke_all], 8000, Path::Direct), Verdict::Rejected(Some(ContractError::SessionSelfCall)));
        let revoke_self = Call { to: ACCOUNT, selector: selectors::REVOKE_SESSION, calldata: vec![KEY] };
        assert_eq!(m.session_calls(KEY, None, &[revoke_self], 8000, Path::Direct), Verdict::Accepted);
        assert_eq!(m.session_calls(KEY, None, &[transfer(1)], 8000, Path::Direct), Verdict::Rejected(Some(ContractError::SessionRevoked)));
    }

    fn direct<'a>(calls: &'a [Call], authorization: Option<&'a SignedAuthorization>, now: u64) -> Submission<'a> {
        Submission { key: KEY, authorization, calls, now, signature: SessionSignature::Valid, route: Route::Direct { max_fee: 1 } }
    }

    #[test]
    fn authorizations_die_with_the_epoch_and_the_owner_key() {
        let calls = [transfer(1)];
        let mut m = model();
        let signed = SignedAuthorization::genuine(&m, &policy());
        m.revoke_all();
        assert_eq!(m.submit(&direct(&calls, Some(&signed), 8000)), Verdict::Rejected(Some(ContractError::SessionInvalidAuthorization)));
        let signed = SignedAuthorization::genuine(&m, &policy());
        assert_eq!(m.set_owner(Felt::from(7u8)), Verdict::Accepted);
        assert_eq!(m.submit(&direct(&calls, Some(&signed), 8000)), Verdict::Rejected(Some(ContractError::SessionInvalidAuthorization)));
        let mut tampered = SignedAuthorization::genuine(&m, &policy());
        tampered.policy.max_calls = 1000;
        assert_eq!(m.submit(&direct(&calls, Some(&tampered), 8000)), Verdict::Rejected(Some(ContractError::SessionInvalidAuthorization)));
        assert!(m.sessions.is_empty());
    }

    #[test]
    fn signature_and_fee_checks_come_in_spec_order() {
        let calls = [transfer(1000)];
        let mut m = model();
        m.register(&policy());
        let mut forged = direct(&calls, None, 8000);
        forged.signature = SessionSignature::Forged;
        assert_eq!(m.submit(&forged), Verdict::Rejected(Some(ContractError::InvalidSignature)), "before the spending check");
        let small = [transfer(1)];
        let over_cap = Submission { route: Route::Direct { max_fee: u128::MAX }, ..direct(&small, None, 8000) };
        assert_eq!(m.submit(&over_cap), Verdict::Accepted, "the policy's cap is u128::MAX");
        let mut capped = policy();
        capped.session_key = Felt::from(0x5e56u16);
        capped.max_fee_per_tx = 10;
        m.register(&capped);
        let over = Submission { key: capped.session_key, route: Route::Direct { max_fee: 11 }, ..direct(&small, None, 8000) };
        assert_eq!(m.submit(&over), Verdict::Rejected(Some(ContractError::SessionFeeAboveCap)));
    }

    #[test]
    fn outside_nonces_work_once_and_windows_are_exact() {
        let calls = [transfer(1)];
        let mut m = model();
        m.register(&policy());
        let terms = OutsideTerms { nonce: Felt::ONE, execute_after: 7900, execute_before: 8100 };
        let gasless = |now| Submission { route: Route::Gasless(terms), ..direct(&calls, None, now) };
        assert_eq!(m.submit(&gasless(7900)), Verdict::Reverted(Some(ContractError::OutsideTooEarly)));
        assert_eq!(m.submit(&gasless(8100)), Verdict::Reverted(Some(ContractError::OutsideExpired)));
        assert_eq!(m.submit(&gasless(8000)), Verdict::Accepted);
        assert_eq!(m.submit(&gasless(8001)), Verdict::Reverted(Some(ContractError::OutsideNonceUsed)));
        let owner_layout = Submission { signature: SessionSignature::OwnerLayout, route: Route::Gasless(OutsideTerms { nonce: Felt::TWO, ..terms }), ..direct(&calls, None, 8000) };
        assert_eq!(m.submit(&owner_layout), Verdict::Reverted(Some(ContractError::InvalidSignature)));
        assert_eq!(m.sessions[&KEY].calls_used, 1);
    }
}
