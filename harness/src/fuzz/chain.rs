//! The system under test: the session account deployed on a fresh embedded
//! devnet, driven through the library exactly as a wallet, a dapp and a
//! relayer would drive it.

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, U256};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::{
    account_address, op_calls, owner_key, session_key, session_op, Op, Reference, SentOutside, Signing, CHAIN_ID,
    ETH_FUNDS, OVER_CAP, SLOTS, START, STRK_UNIT,
};
use crate::account::owner::{calls, owner_account, OwnerAccount};
use crate::account::SessionAccount;
use crate::devnet::client::TokenUnit;
use crate::devnet::sandbox::{DeployedAccount, Rpc, Sandbox};
use crate::devnet::{DevnetOptions, ETH};
use crate::model::{Path, SignedAuthorization, Verdict};
use crate::outside::{OutsideExecution, Relayer};
use crate::policy::views::AccountViews;
use crate::signature::Authorization;
use crate::token::balance_of;
use crate::tx::{execute_at_nonce, execute_with_bounds, Confirmed, FeeBounds, TxError};

/// A fresh devnet with the account deployed by owner key 0 and funded.
pub struct Chain {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    account: DeployedAccount,
    /// devnet_snapshot of the state right after deployment.
    snapshot: RefCell<String>,
    times: Cell<ChainTimes>,
}

/// Where a chain's time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChainTimes {
    /// `devnet_setTime` before transactions.
    pub set_time: Duration,
    /// Signing, submitting and executing transactions, and their receipts.
    pub transactions: Duration,
    /// Reading every view after a step.
    pub checks: Duration,
    /// Transactions (and outside executions) submitted.
    pub sent: u64,
}

/// Whether `op` reaches the node at all (time moves and grants by
/// authorization do not; replays of nothing do not).
fn sends(before: &Reference, op: &Op) -> bool {
    match op {
        Op::Grant { how, .. } => *how == super::Grant::ByTransaction,
        Op::TimeToDeadline { .. } | Op::TimeForward { .. } => false,
        Op::ReplayTransaction => before.last_transaction.is_some(),
        Op::ReplayOutside => before.last_outside.is_some(),
        _ => true,
    }
}

impl Chain {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (sandbox, account) = runtime.block_on(async {
            let options = DevnetOptions { start_time: Some(START), ..DevnetOptions::default() };
            let sandbox = Sandbox::start(options).await.expect("devnet");
            let account = sandbox.deploy_account(owner_key(0), Felt::ONE, 1000 * STRK_UNIT).await.expect("deploy");
            sandbox.devnet_client.mint(account.address, ETH_FUNDS, TokenUnit::Wei).await.expect("mint ETH");
            (sandbox, account)
        });
        assert_eq!(account.address, account_address());
        assert_eq!(sandbox.chain_id, CHAIN_ID);
        let snapshot = runtime.block_on(sandbox.devnet_client.snapshot()).expect("devnet_snapshot");
        Self { runtime, sandbox, account, snapshot: RefCell::new(snapshot), times: Cell::new(ChainTimes::default()) }
    }

    /// Back to the state right after deployment (devnet_revert), for the
    /// next case: much cheaper than a fresh devnet.
    pub fn reset(&self) {
        self.runtime.block_on(async {
            let client = &self.sandbox.devnet_client;
            client.revert(&self.snapshot.borrow()).await.expect("devnet_revert");
            // A snapshot is consumed by the revert: take it again.
            *self.snapshot.borrow_mut() = client.snapshot().await.expect("devnet_snapshot");
            let nonce = self
                .sandbox
                .provider
                .get_nonce(BlockId::Tag(BlockTag::Latest), self.account.address)
                .await
                .expect("the account's nonce");
            assert_eq!(nonce, Felt::ONE, "devnet_revert restored the deployed account");
        })
    }

    pub fn times(&self) -> ChainTimes {
        self.times.get()
    }

    fn add_time(&self, f: impl FnOnce(&mut ChainTimes)) {
        let mut times = self.times.get();
        f(&mut times);
        self.times.set(times);
    }

    /// The verdict of an outcome. Failures that carry no account error are
    /// only accepted as what the model means by them: the node refusing a
    /// spent nonce, and the token (ETH) panicking; anything else is an
    /// infrastructure failure, not a verdict.
    fn verdict(outcome: Result<Confirmed, TxError>) -> Verdict {
        match outcome {
            Ok(_) => Verdict::Accepted,
            Err(TxError::Rejected { error: Some(e), .. }) => Verdict::Rejected(Some(e)),
            Err(TxError::Reverted { error: Some(e), .. }) => Verdict::Reverted(Some(e)),
            Err(TxError::Rejected { error: None, message }) if Self::spent_nonce(&message) || Self::token_failure(&message) => {
                Verdict::Rejected(None)
            }
            Err(TxError::Reverted { error: None, reason, .. }) if Self::token_failure(&reason) => Verdict::Reverted(None),
            Err(e) => panic!("infrastructure failure, not a verdict: {e}"),
        }
    }

    /// The node refused a transaction whose nonce is spent: as an invalid
    /// nonce, or, when it is byte for byte one it has seen, as a duplicate.
    fn spent_nonce(message: &str) -> bool {
        let message = message.to_ascii_lowercase();
        message.contains("invalid nonce") || message.contains("duplicatetx")
    }

    /// The failure passed through the ETH contract (its address, in any
    /// padding, names a frame of the node's text).
    fn token_failure(message: &str) -> bool {
        message.to_ascii_lowercase().contains(&format!("{:x}", ETH))
    }

    fn owner(&self, rotations: u64) -> OwnerAccount<Rpc> {
        owner_account(self.sandbox.devnet.provider(), owner_key(rotations), self.account.address, CHAIN_ID)
    }

    /// The authorization as the owner key that the model says signed it
    /// signed it, carrying the (possibly tampered) policy.
    fn sign_authorization(&self, before: &Reference, signed: &SignedAuthorization) -> Authorization {
        let signer = (0..=before.rotations)
            .map(owner_key)
            .find(|k| k.verifying_key().scalar() == signed.signer)
            .expect("signed by a past or present owner key");
        let mut authorization =
            Authorization::sign(signed.signed_policy.clone(), &signer, signed.epoch, signed.account, signed.chain_id)
                .expect("owner signs");
        authorization.policy = signed.policy.clone();
        authorization
    }

    async fn send_direct(&self, slot: usize, signing: Signing, authorization: Option<Authorization>, calls: Vec<Call>, bounds: FeeBounds) -> Verdict {
        let provider = self.sandbox.devnet.provider();
        let key = session_key(slot);
        match signing {
            Signing::OwnerLayout => {
                Self::verdict(execute_with_bounds(&owner_account(provider, key, self.account.address, CHAIN_ID), calls, bounds).await)
            }
            Signing::Genuine | Signing::Forged => {
                let signer = if signing == Signing::Forged { SigningKey::from_secret_scalar(Felt::from(0xbad_u64)) } else { key.clone() };
                let mut account = SessionAccount::new(
                    provider,
                    LocalWallet::from_signing_key(signer),
                    key.verifying_key().scalar(),
                    self.account.address,
                    CHAIN_ID,
                );
                if let Some(a) = authorization {
                    account = account.with_authorization(a);
                }
                Self::verdict(execute_with_bounds(&account, calls, bounds).await)
            }
        }
    }

    async fn send_outside(&self, before: &Reference, sent: &SentOutside) -> Verdict {
        let relayer = self.sandbox.relayer(3);
        let execution = OutsideExecution {
            caller: relayer.address(),
            nonce: sent.terms.nonce,
            execute_after: sent.terms.execute_after,
            execute_before: sent.terms.execute_before,
            calls: sent.calls.clone(),
        };
        let key = session_key(sent.slot);
        let authorization = sent.authorization.as_ref().map(|a| self.sign_authorization(before, a));
        let signature = match sent.signing {
            Signing::Genuine => execution.sign_as_session(&key, self.account.address, CHAIN_ID, authorization.as_ref()),
            // The session key's signature of another execution.
            Signing::Forged => OutsideExecution { nonce: execution.nonce + Felt::ONE, ..execution.clone() }
                .sign_as_session(&key, self.account.address, CHAIN_ID, authorization.as_ref()),
            Signing::OwnerLayout => execution.sign_as_owner(&key, self.account.address, CHAIN_ID),
        }
        .expect("signs");
        // A relayer simulates before submitting: a refusal shows in its
        // estimate (rejected) or its transaction (reverted); both are the
        // account refusing the outside execution.
        match Self::verdict(relayer.relay(self.account.address, &execution, signature).await) {
            Verdict::Rejected(e) => Verdict::Reverted(e),
            other => other,
        }
    }

    /// Runs `op` on the devnet (at the model's time before it).
    pub fn run(&self, before: &Reference, op: &Op) -> Verdict {
        if !sends(before, op) {
            return Verdict::Accepted;
        }
        let started = Instant::now();
        // A block at exactly the model's time: the next block (this
        // operation's) and the pre-confirmed state that fee estimation and
        // a relayer's simulation see both carry it.
        self.runtime.block_on(self.sandbox.devnet_client.set_time(before.now, true)).expect("devnet_setTime");
        let sent = Instant::now();
        let verdict = self.submit(before, op);
        self.add_time(|t| {
            t.set_time += sent - started;
            t.transactions += sent.elapsed();
            t.sent += 1;
        });
        verdict
    }

    fn submit(&self, before: &Reference, op: &Op) -> Verdict {
        self.runtime.block_on(async {
            let owner = self.owner(before.rotations);
            let address = self.account.address;
            let owner_sends = |call: Call| async { Self::verdict(execute_with_bounds(&owner, vec![call], FeeBounds::DEVNET).await) };
            match op {
                Op::Grant { slot, policy: choice, how: super::Grant::ByTransaction } => {
                    // The policy exactly as the model granted it.
                    let granted = super::policy_for(*slot, *choice, before.now);
                    owner_sends(calls::register_session(address, &granted)).await
                }
                Op::Grant { .. } | Op::TimeToDeadline { .. } | Op::TimeForward { .. } => Verdict::Accepted,
                Op::OwnerRevoke { slot } => owner_sends(calls::revoke_session(address, Reference::key(*slot))).await,
                Op::RevokeAll => owner_sends(calls::revoke_all_sessions(address)).await,
                Op::RotateOwner => {
                    let old = owner_key(before.rotations).verifying_key().scalar();
                    let call = calls::set_owner(address, CHAIN_ID, old, &owner_key(before.rotations + 1)).expect("new key signs");
                    owner_sends(call).await
                }
                Op::ReplayTransaction => match &before.last_transaction {
                    Some(sent) => {
                        let account = self.sandbox.session(&self.account, session_key(sent.slot));
                        let replay = execute_at_nonce(&account, sent.calls.clone(), FeeBounds::DEVNET, Felt::from(sent.nonce));
                        Self::verdict(replay.await)
                    }
                    None => Verdict::Accepted,
                },
                Op::ReplayOutside => match &before.last_outside {
                    Some(sent) => self.send_outside(before, sent).await,
                    None => Verdict::Accepted,
                },
                session => {
                    let (slot, path, signing) = session_op(session).expect("a session op");
                    let calls = op_calls(before, session);
                    let pending = before.pending[slot].as_ref();
                    match path {
                        Path::Direct => {
                            let bounds = if matches!(session, Op::OverFeeCap { .. }) { OVER_CAP } else { FeeBounds::DEVNET };
                            let authorization = pending.map(|a| self.sign_authorization(before, a));
                            self.send_direct(slot, signing, authorization, calls, bounds).await
                        }
                        Path::Gasless => {
                            let sent = SentOutside { slot, calls, terms: before.outside_terms(), signing, authorization: pending.cloned() };
                            self.send_outside(before, &sent).await
                        }
                    }
                }
            }
        })
    }

    /// Every view equals the model; the first difference otherwise.
    pub fn check(&self, reference: &Reference) -> Result<(), String> {
        let started = Instant::now();
        let result = self.read_and_compare(reference);
        self.add_time(|t| t.checks += started.elapsed());
        result
    }

    fn read_and_compare(&self, reference: &Reference) -> Result<(), String> {
        self.runtime.block_on(async {
            let views = AccountViews::new(&self.sandbox.provider, self.account.address);
            ensure_eq(views.owner().await.expect("owner"), reference.model.owner, || "owner key".to_string())?;
            ensure_eq(views.revocation_epoch().await.expect("epoch"), reference.model.epoch, || "revocation epoch".to_string())?;
            let nonce = self.sandbox.provider.get_nonce(BlockId::Tag(BlockTag::Latest), self.account.address).await.expect("nonce");
            ensure_eq(nonce, Felt::from(reference.nonce), || "account nonce".to_string())?;
            if let Some(sent) = &reference.last_outside {
                let unused = crate::outside::is_valid_outside_execution_nonce(&self.sandbox.provider, self.account.address, sent.terms.nonce)
                    .await
                    .expect("is_valid_outside_execution_nonce");
                ensure_eq(!unused, reference.model.outside_nonces.contains(&sent.terms.nonce), || "last outside nonce used".to_string())?;
            }
            for slot in 0..SLOTS {
                let key = Reference::key(slot);
                let status = views.status(key).await.expect("status");
                match reference.model.sessions.get(&key) {
                    None => ensure(!status.registered, || format!("slot {slot}: registered on chain, not in the model"))?,
                    Some(s) => {
                        ensure(status.registered, || format!("slot {slot}: not registered on chain"))?;
                        ensure_eq(status.revoked, s.revoked, || format!("slot {slot}: revoked"))?;
                        ensure_eq(status.epoch_valid, s.epoch == reference.model.epoch, || format!("slot {slot}: epoch"))?;
                        ensure_eq(status.valid_until, s.valid_until, || format!("slot {slot}: valid_until"))?;
                        ensure_eq(status.calls_used, s.calls_used, || format!("slot {slot}: calls used"))?;
                        // The stored policy is the one granted.
                        let p = &s.policy;
                        let grace = p.renewal.grace_period;
                        let stored = (status.valid_after, status.max_calls_per_tx, status.max_fee_per_tx, status.renewable, status.max_valid_until);
                        // Not renewable: the view reports max_valid_until as 0.
                        let max_valid_until = if grace == 0 { 0 } else { p.renewal.max_valid_until };
                        let granted = (p.valid_after, p.max_calls_per_tx, p.max_fee_per_tx, grace != 0, max_valid_until);
                        ensure_eq(stored, granted, || format!("slot {slot}: policy (valid_after, max_calls_per_tx, max_fee_per_tx, renewable, max_valid_until)"))?;
                        let deadline = if grace == 0 { 0 } else { s.valid_until as u128 + grace as u128 };
                        ensure_eq(status.grace_deadline, deadline, || format!("slot {slot}: grace deadline"))?;
                        ensure_eq(status.calls_remaining, p.max_calls - s.calls_used, || format!("slot {slot}: calls remaining"))?;
                        ensure_eq(views.allowed_calls(key).await.expect("allowed calls"), p.allowed_calls.clone(), || format!("slot {slot}: allowed calls"))?;
                        let spending: Vec<(Felt, U256, U256)> =
                            views.spending(key).await.expect("spending").into_iter().map(|e| (e.token, e.limit, e.spent)).collect();
                        let expected: Vec<(Felt, U256, U256)> = p
                            .spending_limits
                            .iter()
                            .map(|l| (l.token, l.limit, s.spent.get(&l.token).copied().unwrap_or(U256::from(0u8))))
                            .collect();
                        ensure_eq(spending, expected, || format!("slot {slot}: spending (token, limit, spent)"))?;
                    }
                }
            }
            let eth = balance_of(&self.sandbox.provider, ETH, self.account.address).await.expect("ETH balance");
            ensure_eq(U256::from(eth), reference.model.balances[&ETH], || "account ETH balance".to_string())?;
            Ok(())
        })
    }

    /// Runs `op` and compares verdict and views with the model (`after`).
    pub fn step(&self, before: &Reference, after: &Reference, op: &Op) -> Result<(), String> {
        let got = self.run(before, op);
        let expected = after.expected.expect("the model judged the step");
        ensure_eq(got, expected, || format!("verdict of {op:?} at t={} (epoch {})", before.now, before.model.epoch))?;
        // Nothing reached the chain, or validation refused it (as the model
        // said): the protocol guarantees no state changed.
        if !sends(before, op) || matches!(got, Verdict::Rejected(_)) {
            return Ok(());
        }
        self.check(after)
    }
}

fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(what()) }
}

fn ensure_eq<T: PartialEq + std::fmt::Debug>(got: T, expected: T, what: impl FnOnce() -> String) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{}: chain has {got:?}, model says {expected:?}", what()))
    }
}
