//! A session's periodic limits in the model (§4.9): which window the exact
//! clock falls in, what is left of it, and charging it.

use starknet_rust::core::types::{Felt, U256};

use super::ModelSession;
use session_account::contract::ContractError;
use session_account::policy::periods::window_index;

impl ModelSession {
    /// What the session may still spend of `token` in window `index` of
    /// its periodic limit, if it has one (§4.9).
    pub fn window_remaining(&self, token: Felt, index: u64) -> Option<u128> {
        let (_, limit) = self.policy.periodic_limit_for(token)?;
        Some(limit.saturating_sub(self.spent_in_window(token, index)))
    }

    /// What was spent of `token` in window `index` (nothing if the tally is
    /// of an earlier window).
    fn spent_in_window(&self, token: Felt, index: u64) -> u128 {
        match self.windows.get(&token) {
            Some((at, spent)) if *at == index => *spent,
            _ => 0,
        }
    }

    /// The window of `token`'s periodic limit holding `now`, if it has one.
    pub fn window_of(&self, token: Felt, now: u64) -> Option<u64> {
        let (period, _) = self.policy.periodic_limit_for(token)?;
        Some(window_index(self.policy.valid_after, period, now))
    }

    /// Counts `amount` more of `token` in the window holding `now`:
    /// `session/period-limit` when the window has not that much left. A
    /// token without a periodic limit counts nothing.
    pub fn charge_window(
        &mut self,
        token: Felt,
        now: u64,
        amount: U256,
    ) -> Result<(), ContractError> {
        let Some(index) = self.window_of(token, now) else { return Ok(()) };
        let remaining = self.window_remaining(token, index).expect("periodic");
        if amount > U256::from(remaining) {
            return Err(ContractError::SessionPeriodLimit);
        }
        let spent = self.spent_in_window(token, index) + amount.low();
        self.windows.insert(token, (index, spent));
        Ok(())
    }
}
