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
    AccountModel, Caller, ModelSession, Route, SessionSignature, Submission, Verdict,
    VALIDATE_GRANULARITY,
};
use session_account::contract::{selectors, ContractError};
use session_account::policy::calldata;
use session_account::policy::metering::metered_amount;
use session_account::token::checked_add_u256 as add;

type Check = Result<(), ContractError>;

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

/// What a session operation that passed every check of validate is, and
/// what validate records: the session, the calls' kind, how many calls they
/// count and the fee (0 for an outside execution).
struct Validated {
    session: ModelSession,
    kind: Kind,
    counted: u64,
    fee: u128,
}

/// §4.5, §4.7: the fee a direct transaction may commit the account to,
/// within the session's fee cap, then its fee budget; nothing for an
/// outside execution.
fn fee_to_record(session: &ModelSession, route: Route) -> Result<u128, ContractError> {
    match route {
        Route::Direct { max_fee, unsupported_fields } => {
            // §4.5: what the account does not understand, it refuses.
            if unsupported_fields {
                return Err(ContractError::SessionUnsupportedTxField);
            }
            let fee = match max_fee {
                Some(fee) if fee <= session.policy.max_fee_per_tx => fee,
                _ => return Err(ContractError::SessionFeeAboveCap),
            };
            if fee > session.fee_remaining() {
                return Err(ContractError::SessionFeeBudget);
            }
            Ok(fee)
        }
        Route::Gasless(_) => Ok(0),
    }
}

impl AccountModel {
    /// Judges one session operation and applies what it records.
    pub fn submit(&mut self, op: &Submission) -> Verdict {
        let Submission { key, calls, now, .. } = *op;
        let gasless = matches!(op.route, Route::Gasless(_));
        let mut trial = self.clone();
        let Validated { session, kind, counted, fee } = match trial.validate(op) {
            Ok(validated) => validated,
            // A refusal before anything is recorded: rejected in validate,
            // or the relayer's transaction reverts.
            Err(e) if gasless => return Verdict::Reverted(Some(e)),
            Err(e) => return Verdict::Rejected(Some(e)),
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

    /// Every check before anything is recorded, in order: an outside
    /// execution's own (§11), the signature's layout, a carried
    /// authorization (§3.2, which it registers), the signature (§4.1d),
    /// the session (§4.1a–c), the rules of §4's table, and the fee (§4.5,
    /// §4.7). What validate goes on to record.
    fn validate(&mut self, op: &Submission) -> Result<Validated, ContractError> {
        let Submission { key, calls, now, .. } = *op;
        // §11: the outside execution's own checks come first.
        if let Route::Gasless(terms) = op.route {
            if terms.caller == Caller::Other {
                return Err(ContractError::OutsideInvalidCaller);
            }
            if now <= terms.execute_after {
                return Err(ContractError::OutsideTooEarly);
            }
            if now >= terms.execute_before {
                return Err(ContractError::OutsideExpired);
            }
            // Each signer has its own nonces: the owner's, and each
            // session key's (the key the signature names).
            let space =
                if op.signature == SessionSignature::OwnerLayout { Felt::ZERO } else { key };
            if !self.outside_nonces.insert((space, terms.nonce)) {
                return Err(ContractError::OutsideNonceUsed);
            }
        }
        // §2.2: nothing may follow the session layout.
        if op.signature == SessionSignature::TrailingFelt {
            return Err(ContractError::MalformedSignature);
        }
        // An owner-layout signature by a session key is an owner signature
        // that does not verify (§2.1, §7.2).
        if op.signature == SessionSignature::OwnerLayout {
            return Err(ContractError::InvalidSignature);
        }
        self.register_authorization(op)?;
        // §4.1d.
        if op.signature == SessionSignature::Forged {
            return Err(ContractError::InvalidSignature);
        }
        let session = self.usable(key)?.clone();
        let gasless = matches!(op.route, Route::Gasless(_));
        let (kind, counted) = self.check_rules(&session, calls, now, gasless)?;
        let fee = fee_to_record(&session, op.route)?;
        Ok(Validated { session, kind, counted, fee })
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
pub(super) fn metered_per_token(
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
