//! What a session's regular calls spend in `__execute__` (§4.4): what they
//! were metered for, then what actually left the account (the decrease of
//! its balance, what spenders it approved may still take, third parties'
//! tokens it moved), per limited token and per window of a periodic limit
//! (§4.9); and the spenders it approved (§4.10).

use starknet_rust::core::types::{Call, Felt, U256};

use super::session::metered_per_token;
use super::{AccountModel, ModelSession, Verdict};
use session_account::contract::ContractError;
use session_account::policy::metering as approval;
use session_account::policy::metering::{meter, Movement};
use session_account::token::checked_add_u256 as add;

const SPENDING_LIMIT: ContractError = ContractError::SessionSpendingLimit;

/// A reverted verdict with error `e`.
fn revert(e: ContractError) -> Verdict {
    Verdict::Reverted(Some(e))
}

/// What a session's regular calls may move per limited token besides the
/// account's own balance, as metered before they run.
struct Movements {
    /// What the calls were metered for, per limited token.
    metered: Vec<(Felt, U256)>,
    /// Third parties' tokens moved, per limited token.
    third_party: Vec<(Felt, U256)>,
    /// The spenders granted an allowance, per limited token (with the sum
    /// granted to each).
    granted: Vec<((Felt, Felt), U256)>,
}

impl Movements {
    /// Meters the calls to limited tokens that `account` makes: their
    /// third parties' tokens moved and allowances granted, beside what they
    /// were `metered` for.
    fn of(
        session: &ModelSession,
        calls: &[Call],
        account: Felt,
        metered: Vec<(Felt, U256)>,
    ) -> Result<Self, Verdict> {
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
        Ok(Self { metered, third_party, granted })
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
    pub(super) fn execute_regular(
        &mut self,
        session: &ModelSession,
        calls: &[Call],
        now: u64,
    ) -> Result<(), Verdict> {
        let account = self.account;
        let metered = metered_per_token(session, calls).map_err(revert)?;
        self.record_metered(session, &metered, now)?;
        let movements = Movements::of(session, calls, account, metered)?;
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
        for (token, before) in limited.iter().copied().zip(before) {
            self.count_moved(session, token, before, &movements, now)?;
        }
        self.record_approvals(session, calls);
        Ok(())
    }

    /// Records what the calls were metered for (`metered`) as spent, and
    /// charges it to the current windows, in the order of the session's
    /// limited tokens (§4.4, §4.9).
    fn record_metered(
        &mut self,
        session: &ModelSession,
        metered: &[(Felt, U256)],
        now: u64,
    ) -> Result<(), Verdict> {
        let key = session.policy.session_key;
        let stored = self.sessions.get_mut(&key).expect("usable");
        for (token, amount) in metered {
            let spent = add(stored.spent_of(*token), *amount).expect("checked against the limit");
            stored.spent.insert(*token, spent);
        }
        // The windows, in the order of the session's limited tokens.
        for limit in &session.policy.spending_limits {
            if let Some((_, amount)) = metered.iter().find(|(t, _)| *t == limit.token) {
                stored.charge_window(limit.token, now, *amount).map_err(revert)?;
            }
        }
        Ok(())
    }

    /// What left the account of limited `token` (its balance was `before`
    /// the calls): what exceeds the metered amount counts on top, within
    /// what remains (§4.4); the life tally, and the allowances the session
    /// granted, are updated.
    fn count_moved(
        &mut self,
        session: &ModelSession,
        token: Felt,
        before: U256,
        movements: &Movements,
        now: u64,
    ) -> Result<(), Verdict> {
        let (key, account, zero) = (session.policy.session_key, self.account, U256::from(0u8));
        let Movements { metered, third_party, granted } = movements;
        let after = self.ledger.balance(token, account);
        let decrease = if after < before { before - after } else { zero };
        let mut exposure = zero;
        for ((t, spender), amount) in granted.iter().filter(|((t, _), _)| *t == token) {
            let left = self.ledger.allowance(*t, account, *spender);
            exposure = add(exposure, left.min(*amount)).ok_or(revert(SPENDING_LIMIT))?;
        }
        let moved = add(decrease, exposure)
            .and_then(|m| add(m, sum_of(third_party, token)))
            .ok_or(revert(SPENDING_LIMIT))?;
        let counted = sum_of(metered, token);
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
        let taken = add(decrease, sum_of(third_party, token)).expect("bounded by supply");
        let life = self.moved.entry((key, token)).or_insert(zero);
        *life = add(*life, taken).expect("bounded by supply");
        for ((t, spender), amount) in granted.iter().filter(|((t, _), _)| *t == token) {
            let left = self.ledger.allowance(*t, account, *spender);
            self.session_allowances.insert((*t, *spender), (key, left.min(*amount)));
        }
        Ok(())
    }

    /// §4.10: records the spenders the calls approved, those of limited
    /// tokens first (as the tally lists them), then those of other
    /// contracts.
    fn record_approvals(&mut self, session: &ModelSession, calls: &[Call]) {
        let stored = self.sessions.get_mut(&session.policy.session_key).expect("usable");
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
    }
}

/// The sum for `token` in `entries` (zero if none).
fn sum_of(entries: &[(Felt, U256)], token: Felt) -> U256 {
    entries.iter().find(|(t, _)| *t == token).map(|(_, a)| *a).unwrap_or(U256::from(0u8))
}

/// Adds `amount` to the entry for `at` (the metered sum bounds it).
fn add_entry<K: PartialEq>(entries: &mut Vec<(K, U256)>, at: K, amount: U256) {
    match entries.iter_mut().find(|(k, _)| *k == at) {
        Some((_, sum)) => *sum = add(*sum, amount).expect("within the metered sum"),
        None => entries.push((at, amount)),
    }
}
