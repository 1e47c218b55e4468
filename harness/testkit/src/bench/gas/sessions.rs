//! Gas of a Stark-owned account's session lifecycle: registering a session
//! by owner transaction, transfers from the baseline, the owner and
//! sessions, a session's first transaction carrying the owner's
//! authorization (§3.2), renewal (§5) and revocation, and revoke-all at
//! several session counts.

use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::tx::{execute_with_bounds, FeeBounds};
use starknet_rust::core::types::Felt;

use super::{
    calls, failed, key, policy, revoke_all_operation, transfers, AccountKind, Bench, BenchError,
    FIRST_WITH_AUTHORIZATION, HOUR, REGISTER, RENEW, REVOKE, START, TRANSFER_1, TRANSFER_5,
};
use crate::devnet::sandbox::{DeployedAccount, Rpc};
use session_account::account::owner::OwnerAccount;

impl Bench {
    /// Registers two 30-day sessions on `account` by owner transaction:
    /// key 1's, unlimited, measured; key 2's, limited, not measured.
    pub(super) async fn measure_registration(
        &mut self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
    ) -> Result<(), BenchError> {
        let plain = policy(&key(1), false, START, 30 * 24 * HOUR);
        let limited = policy(&key(2), true, START, 30 * 24 * HOUR);
        self.send(
            REGISTER,
            AccountKind::Owner,
            owner,
            vec![calls::register_session(account.address, &plain)],
        )
        .await?;
        let register = calls::register_session(account.address, &limited);
        execute_with_bounds(owner, vec![register], FeeBounds::DEVNET)
            .await
            .map_err(failed("registering"))?;
        Ok(())
    }

    /// One and five transfers to `recipient` from the baseline, the owner,
    /// the unlimited session and the limited one (after
    /// [`Self::measure_registration`]), each warmed up by one unmeasured
    /// transfer.
    pub(super) async fn measure_transfers(
        &mut self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
        recipient: Felt,
    ) -> Result<(), BenchError> {
        let baseline = self.sandbox.funded_account(0);
        let session = self.sandbox.session(account, key(1));
        let session_limited = self.sandbox.session(account, key(2));
        // One unmeasured transfer each first: the figures are for a session in
        // use (its counters already written), like the baseline's nonce.
        for (what, outcome) in [
            (
                "warm-up (baseline)",
                execute_with_bounds(&baseline, transfers(recipient, 1), FeeBounds::DEVNET).await,
            ),
            (
                "warm-up (owner)",
                execute_with_bounds(owner, transfers(recipient, 1), FeeBounds::DEVNET).await,
            ),
            (
                "warm-up (session)",
                execute_with_bounds(&session, transfers(recipient, 1), FeeBounds::DEVNET).await,
            ),
            (
                "warm-up (limited session)",
                execute_with_bounds(&session_limited, transfers(recipient, 1), FeeBounds::DEVNET)
                    .await,
            ),
        ] {
            outcome.map_err(failed(what))?;
        }
        for (operation, n) in [(TRANSFER_1, 1), (TRANSFER_5, 5)] {
            let limited = AccountKind::SessionLimited;
            self.send(operation, AccountKind::Baseline, &baseline, transfers(recipient, n)).await?;
            self.send(operation, AccountKind::Owner, owner, transfers(recipient, n)).await?;
            self.send(operation, AccountKind::Session, &session, transfers(recipient, n)).await?;
            self.send(operation, limited, &session_limited, transfers(recipient, n)).await?;
        }
        Ok(())
    }

    /// A transfer by a session registered by the authorization its first
    /// transaction carries (§3.2).
    pub(super) async fn measure_first_with_authorization(
        &mut self,
        account: &DeployedAccount,
        recipient: Felt,
    ) -> Result<(), BenchError> {
        let authorized = policy(&key(3), true, START, 30 * 24 * HOUR);
        let binding = Binding::new_account(account.address, self.sandbox.chain_id);
        let authorization = Authorization::sign(authorized, &account.owner_key, &binding)
            .map_err(failed("signing an authorization"))?;
        let first = self.sandbox.session(account, key(3)).with_authorization(authorization);
        let transfer = transfers(recipient, 1);
        self.send(FIRST_WITH_AUTHORIZATION, AccountKind::SessionLimited, &first, transfer).await
    }

    /// Renewal (§5): a one-hour session, renewed 60 s after it expired,
    /// then revoked by the owner. Returns the time it expired at, which the
    /// later measurements count from.
    pub(super) async fn measure_renewal(
        &mut self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
    ) -> Result<u64, BenchError> {
        let short = policy(&key(4), true, START, HOUR);
        execute_with_bounds(
            owner,
            vec![calls::register_session(account.address, &short)],
            FeeBounds::DEVNET,
        )
        .await
        .map_err(failed("registering"))?;
        self.sandbox
            .devnet_client
            .set_time(short.valid_until + 60, true)
            .await
            .map_err(failed("devnet_setTime"))?;
        let renewing = self.sandbox.session(account, key(4));
        self.send(
            RENEW,
            AccountKind::SessionLimited,
            &renewing,
            vec![calls::renew_session(account.address)],
        )
        .await?;
        self.send(
            REVOKE,
            AccountKind::Owner,
            owner,
            vec![calls::revoke_session(account.address, short.session_key)],
        )
        .await?;
        Ok(short.valid_until)
    }

    /// Revoke-all on a fresh account per entry of `session_counts`, holding
    /// that many day-long sessions registered at `now`.
    pub(super) async fn measure_revoke_all(
        &mut self,
        session_counts: &[usize],
        now: u64,
    ) -> Result<(), BenchError> {
        for (i, &count) in session_counts.iter().enumerate() {
            let account = self.deploy(10 + i as u64).await?;
            let owner = self.sandbox.owner(&account);
            let keys: Vec<u64> = (0..count as u64).map(|k| 10_000 * (i as u64 + 1) + k).collect();
            for chunk in keys.chunks(10) {
                let registrations = chunk
                    .iter()
                    .map(|k| {
                        calls::register_session(
                            account.address,
                            &policy(&key(*k), true, now, 24 * HOUR),
                        )
                    })
                    .collect();
                let bounds = FeeBounds {
                    l2_gas: (400_000_000, 2_000_000_000),
                    l1_data_gas: (40_000, 2_000_000_000),
                    ..FeeBounds::DEVNET
                };
                execute_with_bounds(&owner, registrations, bounds)
                    .await
                    .map_err(failed("registering sessions"))?;
            }
            self.send(
                &revoke_all_operation(count),
                AccountKind::Owner,
                &owner,
                vec![calls::revoke_all_sessions(account.address)],
            )
            .await?;
        }
        Ok(())
    }
}
