//! Gas of the agent policies (spec §4.8, §4.9): a transfer under a
//! recipient allow-list of 1, 8 and 32 addresses, under a per-call bound,
//! under a periodic limit, and the first transfer of a new window (the
//! rollover). Each session is warmed up by one unmeasured transfer, like
//! the other session rows; all have the lifetime limit of the `session +
//! limit` rows, so the difference is the rule or the window.

use session_account::policy::SessionPolicy;
use session_account::token::{transfer_call, STRK, STRK_UNIT};
use session_account::tx::{execute_with_bounds, FeeBounds};
use starknet_rust::core::types::{Felt, U256};

use super::{calls, failed, key, AccountKind, Bench, BenchError, HOUR};
use crate::devnet::sandbox::DeployedAccount;

/// A transfer whose recipient is checked against an allow-list of `n`.
pub fn allowlist_operation(n: usize) -> String {
    format!("transfer x1, {n}-address allow-list")
}
pub const PER_CALL_BOUND: &str = "transfer x1, per-call bound";
pub const PERIODIC: &str = "transfer x1, periodic limit";
pub const ROLLOVER: &str = "transfer x1, first of a new window";

/// Bounds for registering the policies in one owner transaction (a
/// 32-address set is 32 storage writes more).
const REGISTER_BOUNDS: FeeBounds = FeeBounds {
    l2_gas: (400_000_000, 2_000_000_000),
    l1_data_gas: (40_000, 2_000_000_000),
    ..FeeBounds::DEVNET
};

impl Bench {
    /// Registers one session per agent policy on `account` at `now` and
    /// measures a transfer to `recipient` under each; then moves the clock
    /// one period on and measures the periodic session's first transfer of
    /// the new window.
    pub(super) async fn measure_agent_policies(
        &mut self,
        account: &DeployedAccount,
        recipient: Felt,
        now: u64,
    ) -> Result<(), BenchError> {
        let base = |k: u64| {
            SessionPolicy::builder(key(k).verifying_key().scalar())
                .valid_between(now - 60, now + 30 * 24 * HOUR)
                .allow_entrypoints(STRK, [session_account::contract::selectors::TRANSFER])
                .max_calls_per_tx(5)
                .max_calls(100)
                .max_fee_per_tx(10 * STRK_UNIT)
                .fee_budget(u128::MAX)
                .spending_limit(STRK, U256::from(1000 * STRK_UNIT))
        };
        let allowlist = |n: usize| {
            let others = (1..n as u64).map(|i| Felt::from(0xa110_0000_u64 + i));
            others.chain([recipient]).collect::<Vec<_>>()
        };
        let mut measured: Vec<(String, u64, SessionPolicy)> = vec![];
        for (i, n) in [1usize, 8, 32].into_iter().enumerate() {
            let k = 60 + i as u64;
            let policy = base(k).recipient_allowlist(STRK, allowlist(n)).build();
            measured.push((allowlist_operation(n), k, policy.map_err(failed("allow-list"))?));
        }
        let bound = base(63).max_per_call(STRK, U256::from(STRK_UNIT)).build();
        measured.push((PER_CALL_BOUND.into(), 63, bound.map_err(failed("per-call bound"))?));
        let periodic = base(64).periodic_limit(STRK, 100 * STRK_UNIT, HOUR).build();
        measured.push((PERIODIC.into(), 64, periodic.map_err(failed("periodic limit"))?));

        let owner = self.sandbox.owner(account);
        let registrations =
            measured.iter().map(|(_, _, p)| calls::register_session(account.address, p)).collect();
        execute_with_bounds(&owner, registrations, REGISTER_BOUNDS)
            .await
            .map_err(failed("registering the agent policies"))?;
        let transfer = || vec![transfer_call(STRK, recipient, 1_000)];
        for (operation, k, _) in &measured {
            let session = self.sandbox.session(account, key(*k));
            execute_with_bounds(&session, transfer(), FeeBounds::DEVNET)
                .await
                .map_err(failed(format!("warm-up ({operation})")))?;
            self.send(operation, AccountKind::SessionLimited, &session, transfer()).await?;
        }
        // The next window: its first transfer replaces the window's tally.
        self.sandbox
            .devnet_client
            .set_time(now + HOUR, true)
            .await
            .map_err(failed("devnet_setTime"))?;
        let session = self.sandbox.session(account, key(64));
        self.send(ROLLOVER, AccountKind::SessionLimited, &session, transfer()).await
    }
}
