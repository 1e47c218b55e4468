//! Gas of indirect spending (§4.4): a router pulls the account's tokens
//! through an allowance given long ago, from the baseline, an unlimited
//! session and a session whose limit must see the pull.

use session_account::contract::selectors;
use session_account::policy::SessionPolicy;
use session_account::token::STRK_UNIT;
use session_account::tx::{execute_with_bounds, FeeBounds};
use starknet_rust::accounts::Account;
use starknet_rust::core::types::{Call, Felt, U256};

use super::{calls, failed, key, AccountKind, Bench, BenchError, HOUR, ROUTER_PULL};
use crate::devnet::sandbox::{DeployedAccount, FundedAccount, Rpc};
use session_account::account::owner::OwnerAccount;

impl Bench {
    /// A router pull of 10 test tokens to `recipient` from the baseline, an
    /// unlimited session and a limited one, registered at `now`; each
    /// warmed up by one unmeasured pull.
    pub(super) async fn measure_router_pull(
        &mut self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
        recipient: Felt,
        now: u64,
    ) -> Result<(), BenchError> {
        let baseline = self.sandbox.funded_account(0);
        let (token, router) = self.deploy_token_and_router(account, owner, &baseline).await?;
        self.register_pulling_sessions(account, owner, token, router, now).await?;
        let pull = |from: Felt| Call {
            to: router,
            selector: selectors::PULL,
            calldata: vec![token, from, recipient, Felt::from(10u8), Felt::ZERO],
        };
        let (pulling, pulling_limited) =
            (self.sandbox.session(account, key(5)), self.sandbox.session(account, key(6)));
        for (what, outcome) in [
            (
                "warm-up pull (baseline)",
                execute_with_bounds(&baseline, vec![pull(baseline.address())], FeeBounds::DEVNET)
                    .await,
            ),
            (
                "warm-up pull (session)",
                execute_with_bounds(&pulling, vec![pull(account.address)], FeeBounds::DEVNET).await,
            ),
            (
                "warm-up pull (limited)",
                execute_with_bounds(
                    &pulling_limited,
                    vec![pull(account.address)],
                    FeeBounds::DEVNET,
                )
                .await,
            ),
        ] {
            outcome.map_err(failed(what))?;
        }
        self.send(ROUTER_PULL, AccountKind::Baseline, &baseline, vec![pull(baseline.address())])
            .await?;
        self.send(ROUTER_PULL, AccountKind::Session, &pulling, vec![pull(account.address)]).await?;
        self.send(
            ROUTER_PULL,
            AccountKind::SessionLimited,
            &pulling_limited,
            vec![pull(account.address)],
        )
        .await
    }

    /// Deploys the test token and router, mints tokens to the baseline and
    /// `account`, and has both approve the router; returns the token's and
    /// the router's addresses.
    async fn deploy_token_and_router(
        &self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
        baseline: &FundedAccount,
    ) -> Result<(Felt, Felt), BenchError> {
        let token = self
            .sandbox
            .deploy_contract(&crate::classes::test_token(), Felt::ONE, vec![])
            .await
            .map_err(failed("token"))?;
        let router = self
            .sandbox
            .deploy_contract(&crate::classes::test_router(), Felt::ONE, vec![])
            .await
            .map_err(failed("router"))?;
        let holders = [baseline.address(), account.address];
        let mints = holders.iter().map(|h| Call {
            to: token,
            selector: selectors::MINT,
            calldata: vec![*h, Felt::from(1_000_000u32), Felt::ZERO],
        });
        self.sandbox.execute_funded(0, mints.collect()).await.map_err(failed("minting"))?;
        let approve = Call {
            to: token,
            selector: selectors::APPROVE,
            calldata: vec![router, Felt::from(1_000_000u32), Felt::ZERO],
        };
        for (what, outcome) in [
            (
                "baseline approves the router",
                execute_with_bounds(baseline, vec![approve.clone()], FeeBounds::DEVNET).await,
            ),
            (
                "the owner approves the router",
                execute_with_bounds(owner, vec![approve], FeeBounds::DEVNET).await,
            ),
        ] {
            outcome.map_err(failed(what))?;
        }
        Ok((token, router))
    }

    /// Registers the sessions of keys 5 (unlimited) and 6 (limited on
    /// `token`), both allowed to call `router`, valid for 30 days from
    /// `now`.
    async fn register_pulling_sessions(
        &self,
        account: &DeployedAccount,
        owner: &OwnerAccount<Rpc>,
        token: Felt,
        router: Felt,
        now: u64,
    ) -> Result<(), BenchError> {
        let pull_policy = |k: u64, limited: bool| {
            let builder = SessionPolicy::builder(key(k).verifying_key().scalar())
                .valid_between(now, now + 30 * 24 * HOUR)
                .allow(router)
                .max_calls(100)
                .max_fee_per_tx(10 * STRK_UNIT)
                .fee_budget(u128::MAX);
            let builder = if limited {
                builder.spending_limit(token, U256::from(1_000_000u32))
            } else {
                builder
            };
            builder.build().expect("well formed")
        };
        let registrations = vec![
            calls::register_session(account.address, &pull_policy(5, false)),
            calls::register_session(account.address, &pull_policy(6, true)),
        ];
        execute_with_bounds(owner, registrations, FeeBounds::DEVNET)
            .await
            .map_err(failed("registering"))?;
        Ok(())
    }
}
