//! Judging one session operation: the authorization it carries (§3.2),
//! the rules of §4 in the order of its table, renewal (§5), outside
//! executions (§11), and what each records: `__validate__` registers a
//! carried authorization and counts the calls and the worst-case fee, so
//! those survive a revert in `__execute__`; `__execute__` records spending
//! (what the calls were metered for, then what else left the account) and
//! runs the calls. An outside execution has no validate step: it is all or
//! nothing.

use starknet_rust::core::types::{Call, Felt, U256};

use super::{
    AccountModel, ModelSession, Route, SessionSignature, Submission, Verdict, VALIDATE_GRANULARITY,
};
use session_account::contract::{selectors, ContractError};
use session_account::policy::calldata;
use session_account::policy::metering as approval;
use session_account::policy::metering::{meter, metered_amount, Movement};
use session_account::token::checked_add_u256 as add;

type Check = Result<(), ContractError>;

const SPENDING_LIMIT: ContractError = ContractError::SessionSpendingLimit;

/// What a session's calls are: one of its own lifecycle calls (§4.6), or
/// `n` regular calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Renew,
    Revoke,
    Regular(usize),
}

/// The hour-floored clock `__validate__` sees (§4.2).
fn floored(now: u64) -> u64 {
    now - now % VALIDATE_GRANULARITY
}

/// The latest time the floored clock `floor` can stand for.
fn latest_in_hour(floor: u64) -> u128 {
    floor as u128 + VALIDATE_GRANULARITY as u128 - 1
}

impl AccountModel {
    /// Judges one session operation and applies what it records.
    pub fn submit(&mut self, op: &Submission) -> Verdict {
        let Submission { key, calls, now, .. } = *op;
        let gasless = matches!(op.route, Route::Gasless(_));
        // A refusal before anything is recorded: rejected in validate, or
        // the relayer's transaction reverts.
        let refuse = |e: ContractError| {
            if gasless {
                Verdict::Reverted(Some(e))
            } else {
                Verdict::Rejected(Some(e))
            }
        };
        let mut trial = self.clone();

        // §11: the outside execution's own checks come first.
        if let Route::Gasless(terms) = op.route {
            if now <= terms.execute_after {
                return refuse(ContractError::OutsideTooEarly);
            }
            if now >= terms.execute_before {
                return refuse(ContractError::OutsideExpired);
            }
            // Each signer has its own nonces: the owner's, and each
            // session key's (the key the signature names).
            let space =
                if op.signature == SessionSignature::OwnerLayout { Felt::ZERO } else { key };
            if !trial.outside_nonces.insert((space, terms.nonce)) {
                return refuse(ContractError::OutsideNonceUsed);
            }
        }
        // An owner-layout signature by a session key is an owner signature
        // that does not verify (§2.1, §7.2).
        if op.signature == SessionSignature::OwnerLayout {
            return refuse(ContractError::InvalidSignature);
        }
        if let Err(e) = trial.register_authorization(op) {
            return refuse(e);
        }
        // §4.1d.
        if op.signature == SessionSignature::Forged {
            return refuse(ContractError::InvalidSignature);
        }
        let session = match trial.usable(key) {
            Ok(s) => s.clone(),
            Err(e) => return refuse(e),
        };
        let (kind, counted) = match trial.check_rules(&session, calls, now, gasless) {
            Ok(checked) => checked,
            Err(e) => return refuse(e),
        };
        // §4.5, §4.7: the fee cap, then the fee budget (direct only).
        let fee = match op.route {
            Route::Direct { max_fee, unsupported_fields } => {
                // §4.5: what the account does not understand, it refuses.
                if unsupported_fields {
                    return refuse(ContractError::SessionUnsupportedTxField);
                }
                let fee = match max_fee {
                    Some(fee) if fee <= session.policy.max_fee_per_tx => fee,
                    _ => return refuse(ContractError::SessionFeeAboveCap),
                };
                if fee > session.fee_remaining() {
                    return refuse(ContractError::SessionFeeBudget);
                }
                fee
            }
            Route::Gasless(_) => 0,
        };
        // What validate records (§4.3f, §4.7).
        let stored = trial.sessions.get_mut(&key).expect("usable");
        stored.calls_used += counted;
        stored.fee_used += fee;
        // A direct transaction is now included: if execute reverts, what
        // validate recorded stays. An outside execution reverts entirely.
        let validated = if gasless { self.clone() } else { trial.clone() };

        match trial.execute(&session, kind, calls, now) {
            Ok(()) => {
                *self = trial;
                Verdict::Accepted
            }
            Err(verdict) => {
                *self = validated;
                verdict
            }
        }
    }

    /// §3.2: checks a carried authorization and registers its session if
    /// it is not registered yet.
    fn register_authorization(&mut self, op: &Submission) -> Check {
        let Some(authorization) = op.authorization else { return Ok(()) };
        if authorization.policy.session_key != op.key || !authorization.verifies(self) {
            return Err(ContractError::SessionInvalidAuthorization);
        }
        let policy = &authorization.policy;
        match self.sessions.get(&op.key) {
            // The same session hash: the authorization is redundant.
            Some(s)
                if s.policy == *policy
                    && s.epoch == self.epoch
                    && s.owner_rotations == self.owner_rotations =>
            {
                Ok(())
            }
            Some(_) => Err(ContractError::SessionAlreadyRegistered),
            // Revoked by the owner before it was ever registered (§6).
            None if self.revoked_keys.contains(&op.key) => Err(ContractError::SessionRevoked),
            None => {
                policy.check_well_formed(self.account)?;
                self.insert(policy);
                Ok(())
            }
        }
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

    /// §4.3a–b.
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

    /// The rules of §4's table after §4.1, with the lenient clock in
    /// validate and the exact one in an outside execution: the calls' kind
    /// and how many calls they count (a lifecycle call counts one).
    fn check_rules(
        &self,
        session: &ModelSession,
        calls: &[Call],
        now: u64,
        exact: bool,
    ) -> Result<(Kind, u64), ContractError> {
        let kind = self.classify(session.policy.session_key, calls)?;
        let counted = match kind {
            Kind::Renew | Kind::Revoke => {
                if kind == Kind::Revoke {
                    window(session, now, exact)?;
                } else if !exact {
                    renewal_lenient(session, now)?;
                }
                if session.calls_remaining() == 0 {
                    return Err(ContractError::SessionCallLimit);
                }
                1
            }
            Kind::Regular(count) => {
                window(session, now, exact)?;
                // The caps before the per-call lookups (§4: 4.3e-f, then c-d).
                if count as u64 > session.policy.max_calls_per_tx as u64 {
                    return Err(ContractError::SessionTooManyCalls);
                }
                if count as u64 > session.calls_remaining() {
                    return Err(ContractError::SessionCallLimit);
                }
                targets(session, calls)?;
                metered_per_token(session, calls)?;
                count as u64
            }
        };
        Ok((kind, counted))
    }

    /// `__execute__` (or the rest of an outside execution): the exact
    /// clock, the spending tally recorded before the calls, the calls, and
    /// what actually left the account (§4.4); renewal and revocation (§5,
    /// §4.6). The failing verdict otherwise.
    fn execute(
        &mut self,
        session: &ModelSession,
        kind: Kind,
        calls: &[Call],
        now: u64,
    ) -> Result<(), Verdict> {
        let key = session.policy.session_key;
        let revert = |e: ContractError| Verdict::Reverted(Some(e));
        match kind {
            Kind::Renew => {
                let until = renewed_valid_until(session, now).map_err(revert)?;
                self.sessions.get_mut(&key).expect("usable").valid_until = until;
            }
            Kind::Revoke => {
                window(session, now, true).map_err(revert)?;
                self.sessions.get_mut(&key).expect("usable").revoked = true;
            }
            Kind::Regular(_) => {
                window(session, now, true).map_err(revert)?;
                self.execute_regular(session, calls, now)?;
            }
        }
        Ok(())
    }
}

impl AccountModel {
    /// A session's regular calls in `__execute__` (§4.4): records what they
    /// were metered for, runs them, then counts per limited token what they
    /// moved: the decrease of the account's balance, plus what each spender
    /// they approved may still take of what they granted it, plus what they
    /// moved of someone else's tokens. What exceeds the metered amount
    /// counts on top, within what remains. A token with a periodic limit
    /// counts the same amounts in the window of the exact clock `now`
    /// (§4.9).
    fn execute_regular(
        &mut self,
        session: &ModelSession,
        calls: &[Call],
        now: u64,
    ) -> Result<(), Verdict> {
        let key = session.policy.session_key;
        let (account, revert) = (self.account, |e| Verdict::Reverted(Some(e)));
        let metered = metered_per_token(session, calls).map_err(revert)?;
        let stored = self.sessions.get_mut(&key).expect("usable");
        for (token, amount) in &metered {
            let spent = add(stored.spent_of(*token), *amount).expect("checked against the limit");
            stored.spent.insert(*token, spent);
        }
        // The windows, in the order of the session's limited tokens.
        for limit in &session.policy.spending_limits {
            if let Some((_, amount)) = metered.iter().find(|(t, _)| *t == limit.token) {
                stored.charge_window(limit.token, now, *amount).map_err(revert)?;
            }
        }
        // Per limited token: third parties' tokens moved, and the spenders
        // granted an allowance (with the sum granted to each).
        let zero = U256::from(0u8);
        let mut third_party: Vec<(Felt, U256)> = vec![];
        let mut granted: Vec<((Felt, Felt), U256)> = vec![];
        for call in calls.iter().filter(|c| session.policy.limit_for(c.to).is_some()) {
            let (amount, movement) = meter(call, account).map_err(revert)?;
            match movement {
                Movement::Out => {}
                Movement::ThirdParty => add_entry(&mut third_party, call.to, amount),
                Movement::Allowance(spender) => add_entry(&mut granted, (call.to, spender), amount),
            }
        }
        let limited: Vec<Felt> = session.policy.spending_limits.iter().map(|l| l.token).collect();
        // A hooked token's `balance_of` starts an execution of the account
        // while this one runs.
        for token in &limited {
            if self.ledger.fire_hook(*token) {
                let refused = self.nested_execution().felt();
                self.ledger.record_hook(*token, refused);
            }
        }
        let before: Vec<U256> = limited.iter().map(|t| self.ledger.balance(*t, account)).collect();
        for call in calls {
            self.ledger.call(account, call).map_err(|failure| failure.verdict())?;
        }
        let sum_of = |entries: &[(Felt, U256)], token: Felt| {
            entries.iter().find(|(t, _)| *t == token).map(|(_, a)| *a).unwrap_or(zero)
        };
        for (token, before) in limited.iter().copied().zip(before) {
            let after = self.ledger.balance(token, account);
            let decrease = if after < before { before - after } else { zero };
            let mut exposure = zero;
            for ((t, spender), amount) in granted.iter().filter(|((t, _), _)| *t == token) {
                let left = self.ledger.allowance(*t, account, *spender);
                exposure = add(exposure, left.min(*amount)).ok_or(revert(SPENDING_LIMIT))?;
            }
            let moved = add(decrease, exposure)
                .and_then(|m| add(m, sum_of(&third_party, token)))
                .ok_or(revert(SPENDING_LIMIT))?;
            let counted = sum_of(&metered, token);
            if moved > counted {
                let extra = moved - counted;
                let stored = self.sessions.get_mut(&key).expect("usable");
                if extra > stored.remaining_of(token) {
                    return Err(revert(SPENDING_LIMIT));
                }
                let spent = stored.spent_of(token) + extra;
                stored.spent.insert(token, spent);
                stored.charge_window(token, now, extra).map_err(revert)?;
            }
            // The life tally: what actually left, and who may take more.
            let taken = add(decrease, sum_of(&third_party, token)).expect("bounded by supply");
            let life = self.moved.entry((key, token)).or_insert(zero);
            *life = add(*life, taken).expect("bounded by supply");
            for ((t, spender), amount) in granted.iter().filter(|((t, _), _)| *t == token) {
                let left = self.ledger.allowance(*t, account, *spender);
                self.session_allowances.insert((*t, *spender), (key, left.min(*amount)));
            }
        }
        // §4.10: the spenders approved, those of limited tokens first (as
        // the tally lists them), then those of other contracts.
        let stored = self.sessions.get_mut(&key).expect("usable");
        let approving = calls.iter().filter(|c| approval::is_approval(c.selector));
        let (watched, unwatched): (Vec<&Call>, Vec<&Call>) =
            approving.partition(|c| session.policy.limit_for(c.to).is_some());
        for call in watched.into_iter().chain(unwatched) {
            if let Some(spender) = call.calldata.first() {
                if !stored.approvals.contains(&(call.to, *spender)) {
                    stored.approvals.push((call.to, *spender));
                }
            }
        }
        Ok(())
    }
}

/// Adds `amount` to the entry for `at` (the metered sum bounds it).
fn add_entry<K: PartialEq>(entries: &mut Vec<(K, U256)>, at: K, amount: U256) {
    match entries.iter_mut().find(|(k, _)| *k == at) {
        Some((_, sum)) => *sum = add(*sum, amount).expect("within the metered sum"),
        None => entries.push((at, amount)),
    }
}

/// §4.2: the exact rule, or the lenient one on the hour-floored clock.
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
        let floor = floored(now);
        if latest_in_hour(floor) < after as u128 {
            return Err(ContractError::SessionNotYetValid);
        }
        if floor >= session.valid_until {
            return Err(ContractError::SessionExpired);
        }
    }
    Ok(())
}

fn grace_deadline(session: &ModelSession) -> u128 {
    session.valid_until as u128 + session.policy.renewal.grace_period as u128
}

/// §5, validate: refuse a renewal that certainly reverts.
fn renewal_lenient(session: &ModelSession, now: u64) -> Check {
    let floor = floored(now);
    if !session.policy.is_renewable() {
        return Err(ContractError::SessionNotRenewable);
    }
    if latest_in_hour(floor) < session.valid_until as u128 {
        return Err(ContractError::SessionNotExpired);
    }
    if floor as u128 >= grace_deadline(session) {
        return Err(ContractError::SessionExpired);
    }
    Ok(())
}

/// §5, exact: the new `valid_until`, one period from now at most.
fn renewed_valid_until(session: &ModelSession, now: u64) -> Result<u64, ContractError> {
    let renewal = session.policy.renewal;
    if !session.policy.is_renewable() {
        return Err(ContractError::SessionNotRenewable);
    }
    if now < session.valid_until {
        return Err(ContractError::SessionNotExpired);
    }
    if now as u128 >= grace_deadline(session) {
        return Err(ContractError::SessionExpired);
    }
    let until = (now as u128 + renewal.period as u128).min(renewal.max_valid_until as u128) as u64;
    if until <= now {
        return Err(ContractError::SessionRenewalLimit);
    }
    Ok(until)
}

/// §4.3c–d, and the calldata rules of a listed entrypoint (§4.8), call by
/// call.
fn targets(session: &ModelSession, calls: &[Call]) -> Check {
    for call in calls {
        match session.policy.allowed_calls.iter().find(|a| a.contract == call.to) {
            None => return Err(ContractError::SessionContractNotAllowed),
            Some(a) if a.entrypoints.is_empty() => {}
            Some(a) if !a.entrypoints.contains(&call.selector) => {
                return Err(ContractError::SessionEntrypointNotAllowed)
            }
            Some(_) => calldata::check_call(
                &session.policy.calldata_rules,
                call.to,
                call.selector,
                &call.calldata,
            )?,
        }
    }
    Ok(())
}

/// §4.4: what the calls are metered for, per limited token, each sum
/// checked against what the session may still spend.
fn metered_per_token(
    session: &ModelSession,
    calls: &[Call],
) -> Result<Vec<(Felt, U256)>, ContractError> {
    let mut sums: Vec<(Felt, U256)> = Vec::new();
    for call in calls.iter().filter(|c| session.policy.limit_for(c.to).is_some()) {
        let amount = metered_amount(call)?;
        match sums.iter_mut().find(|(t, _)| *t == call.to) {
            Some((_, sum)) => {
                *sum = add(*sum, amount).ok_or(ContractError::SessionSpendingLimit)?
            }
            None => sums.push((call.to, amount)),
        }
    }
    for (token, amount) in &sums {
        if *amount > session.remaining_of(*token) {
            return Err(ContractError::SessionSpendingLimit);
        }
    }
    Ok(sums)
}
