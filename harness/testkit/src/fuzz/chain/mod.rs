//! The system under test: the session account deployed on an embedded
//! devnet next to the test token and router, driven through the library
//! exactly as a wallet, a dapp and a relayer would drive it. It also keeps
//! what the account paid in fees, from the receipts, to check the account's
//! STRK against it and each session's payments against its fee budget.

mod check;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt};
use starknet_rust::providers::Provider;
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::reference::{approve_router, direct_bounds, op_calls, session_op, SentOutside};
use super::{
    account_address, owner_key, router_address, session_key, token_address, Grant, Op, Reference,
    SessionSignature, CHAIN_ID, START, STRK_FUNDS, THIRD_PARTY, THIRD_PARTY_ALLOWANCE,
    THIRD_PARTY_FUNDS, THIRD_PARTY_INDEX, TOKEN_FUNDS,
};
use crate::devnet::sandbox::{DeployedAccount, Rpc, Sandbox};
use crate::devnet::DevnetOptions;
use crate::model::{Path, SignedAuthorization, Verdict};
use check::ensure_eq;
use session_account::account::owner::{calls, owner_account, OwnerAccount};
use session_account::account::SessionAccount;
use session_account::contract::selectors;
use session_account::outside::{OutsideExecution, Relayer};
use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::token::balance_of;
use session_account::token::STRK;
use session_account::tx::{execute_at_nonce, execute_with_bounds, Confirmed, FeeBounds, TxError};

/// A devnet with the account deployed by owner key 0, funded, next to the
/// test token and router.
pub struct Chain {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    account: DeployedAccount,
    /// devnet_snapshot of the state right after set-up.
    snapshot: RefCell<String>,
    times: Cell<ChainTimes>,
    fees: RefCell<Fees>,
    /// The account's STRK after set-up (its deployment paid a fee).
    strk_at_setup: u128,
}

/// What the account paid in fees since set-up, from the receipts.
#[derive(Debug, Clone, Default)]
struct Fees {
    total: u128,
    /// Per session key, for its own transactions.
    by_session: BTreeMap<Felt, u128>,
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
        Op::Grant { how, .. } => *how == Grant::ByTransaction,
        Op::TimeToDeadline { .. } | Op::TimeForward { .. } => false,
        Op::ReplayTransaction => before.last_transaction.is_some(),
        Op::ReplayOutside => before.last_outside.is_some(),
        _ => true,
    }
}

impl Chain {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (sandbox, account) = runtime.block_on(async {
            let options = DevnetOptions { start_time: Some(START), ..DevnetOptions::default() };
            let sandbox = Sandbox::start(options).await.expect("devnet");
            let account =
                sandbox.deploy_account(owner_key(0), Felt::ONE, STRK_FUNDS).await.expect("deploy");
            let token = sandbox
                .deploy_contract(&crate::classes::test_token(), Felt::ONE, vec![])
                .await
                .expect("token");
            let router = sandbox
                .deploy_contract(&crate::classes::test_router(), Felt::ONE, vec![])
                .await
                .expect("router");
            assert_eq!(
                (token, router),
                (token_address(), router_address()),
                "test contracts where the model expects them"
            );
            let mint = |to: Felt, amount: u128| Call {
                to: token,
                selector: selectors::MINT,
                calldata: vec![to, Felt::from(amount), Felt::ZERO],
            };
            let funds =
                vec![mint(account.address, TOKEN_FUNDS), mint(THIRD_PARTY, THIRD_PARTY_FUNDS)];
            sandbox.execute_funded(0, funds).await.expect("mint test tokens");
            let third = sandbox.predeployed[THIRD_PARTY_INDEX].address;
            assert_eq!(
                third, THIRD_PARTY,
                "devnet's predeployed account {THIRD_PARTY_INDEX} moved"
            );
            let approve = Call {
                to: token,
                selector: selectors::APPROVE,
                calldata: vec![account.address, Felt::from(THIRD_PARTY_ALLOWANCE), Felt::ZERO],
            };
            sandbox
                .execute_funded(THIRD_PARTY_INDEX, vec![approve])
                .await
                .expect("third party approves");
            (sandbox, account)
        });
        assert_eq!(account.address, account_address());
        assert_eq!(sandbox.chain_id, CHAIN_ID);
        let snapshot = runtime.block_on(sandbox.devnet_client.snapshot()).expect("devnet_snapshot");
        let strk_at_setup = runtime
            .block_on(balance_of(&sandbox.provider, STRK, account.address))
            .expect("STRK balance");
        Self {
            runtime,
            sandbox,
            account,
            snapshot: RefCell::new(snapshot),
            times: Cell::new(ChainTimes::default()),
            fees: RefCell::new(Fees::default()),
            strk_at_setup,
        }
    }

    /// Back to the state right after set-up (devnet_revert), for the next
    /// case: much cheaper than a fresh devnet.
    pub fn reset(&self) {
        self.runtime.block_on(async {
            let client = &self.sandbox.devnet_client;
            let snapshot = self.snapshot.borrow().clone();
            client.revert(&snapshot).await.expect("devnet_revert");
            // A snapshot is consumed by the revert: take it again.
            *self.snapshot.borrow_mut() = client.snapshot().await.expect("devnet_snapshot");
            let nonce = self
                .sandbox
                .provider
                .get_nonce(BlockId::Tag(BlockTag::Latest), self.account.address)
                .await
                .expect("the account's nonce");
            assert_eq!(nonce, Felt::ONE, "devnet_revert restored the deployed account");
        });
        *self.fees.borrow_mut() = Fees::default();
    }

    pub fn times(&self) -> ChainTimes {
        self.times.get()
    }

    fn add_time(&self, f: impl FnOnce(&mut ChainTimes)) {
        let mut times = self.times.get();
        f(&mut times);
        self.times.set(times);
    }

    /// Records the fee the account paid for a transaction it sent (as
    /// `session`, or as the owner), whatever the outcome.
    fn paid(&self, session: Option<Felt>, outcome: &Result<Confirmed, TxError>) {
        let fee = match outcome {
            Ok(confirmed) => confirmed.actual_fee,
            Err(error) => error.fee_paid(),
        };
        let mut fees = self.fees.borrow_mut();
        fees.total += fee;
        if let Some(key) = session {
            *fees.by_session.entry(key).or_default() += fee;
        }
    }

    /// The verdict of an outcome. Failures that carry no account error are
    /// only accepted as what the model means by them: the node refusing a
    /// spent nonce, and the test token or router panicking; anything else is an
    /// infrastructure failure, not a verdict.
    fn verdict(outcome: Result<Confirmed, TxError>) -> Verdict {
        match outcome {
            Ok(_) => Verdict::Accepted,
            Err(TxError::Rejected { error: Some(e), .. }) => Verdict::Rejected(Some(e)),
            Err(TxError::Reverted { error: Some(e), .. }) => Verdict::Reverted(Some(e)),
            Err(TxError::Rejected { error: None, message })
                if Self::spent_nonce(&message) || Self::token_failure(&message) =>
            {
                Verdict::Rejected(None)
            }
            Err(TxError::Reverted { error: None, reason, .. }) if Self::token_failure(&reason) => {
                Verdict::Reverted(None)
            }
            Err(e) => panic!("infrastructure failure, not a verdict: {e}"),
        }
    }

    /// The node refused a transaction whose nonce is spent: as an invalid
    /// nonce, or, when it is byte for byte one it has seen, as a duplicate.
    fn spent_nonce(message: &str) -> bool {
        let message = message.to_ascii_lowercase();
        message.contains("invalid nonce") || message.contains("duplicatetx")
    }

    /// The failure passed through the test token or router (an address,
    /// in any padding, names a frame of the node's text).
    fn token_failure(message: &str) -> bool {
        let message = message.to_ascii_lowercase();
        [token_address(), router_address()].iter().any(|c| message.contains(&format!("{c:x}")))
    }

    fn owner(&self, key_id: u64) -> OwnerAccount<Rpc> {
        owner_account(
            self.sandbox.devnet.provider(),
            owner_key(key_id),
            self.account.address,
            CHAIN_ID,
        )
    }

    /// The authorization as the owner key that the model says signed it
    /// signed it, carrying the (possibly tampered) policy.
    fn sign_authorization(
        &self,
        before: &Reference,
        signed: &SignedAuthorization,
    ) -> Authorization {
        let signer = (0..=*before.owner_keys.iter().max().expect("an owner"))
            .map(owner_key)
            .find(|k| k.verifying_key().scalar() == signed.signer)
            .expect("signed by a past or present owner key");
        let binding = Binding {
            account: signed.account,
            chain_id: signed.chain_id,
            epoch: signed.epoch,
            owner_rotations: signed.owner_rotations,
        };
        let mut authorization =
            Authorization::sign(signed.signed_policy.clone(), &signer, &binding)
                .expect("owner signs");
        authorization.policy = signed.policy.clone();
        authorization
    }

    async fn send_direct(
        &self,
        slot: usize,
        signing: SessionSignature,
        authorization: Option<Authorization>,
        calls: Vec<Call>,
        bounds: FeeBounds,
    ) -> Verdict {
        let provider = self.sandbox.devnet.provider();
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let outcome = match signing {
            SessionSignature::OwnerLayout => {
                execute_with_bounds(
                    &owner_account(provider, key, self.account.address, CHAIN_ID),
                    calls,
                    bounds,
                )
                .await
            }
            SessionSignature::Valid | SessionSignature::Forged => {
                let signer = if signing == SessionSignature::Forged {
                    SigningKey::from_secret_scalar(Felt::from(0xbad_u64))
                } else {
                    key
                };
                let mut account = SessionAccount::new(
                    provider,
                    LocalWallet::from_signing_key(signer),
                    public_key,
                    self.account.address,
                    CHAIN_ID,
                );
                if let Some(a) = authorization {
                    account = account.with_authorization(a);
                }
                execute_with_bounds(&account, calls, bounds).await
            }
        };
        self.paid(Some(public_key), &outcome);
        Self::verdict(outcome)
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
            SessionSignature::Valid => execution.sign_as_session(
                &key,
                self.account.address,
                CHAIN_ID,
                authorization.as_ref(),
            ),
            // The session key's signature of another execution.
            SessionSignature::Forged => {
                OutsideExecution { nonce: execution.nonce + Felt::ONE, ..execution.clone() }
                    .sign_as_session(&key, self.account.address, CHAIN_ID, authorization.as_ref())
            }
            SessionSignature::OwnerLayout => {
                execution.sign_as_owner(&key, self.account.address, CHAIN_ID)
            }
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
        self.runtime
            .block_on(self.sandbox.devnet_client.set_time(before.now, true))
            .expect("devnet_setTime");
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
            let owner = self.owner(before.owner_key_id());
            let address = self.account.address;
            let owner_sends = |call: Call| async {
                let outcome = execute_with_bounds(&owner, vec![call], FeeBounds::DEVNET).await;
                self.paid(None, &outcome);
                Self::verdict(outcome)
            };
            match op {
                Op::Grant { slot, policy: choice, how: Grant::ByTransaction } => {
                    // The policy exactly as the model granted it.
                    let granted = super::ops::policy_for(*slot, *choice, before.now);
                    owner_sends(calls::register_session(address, &granted)).await
                }
                Op::Grant { .. } | Op::TimeToDeadline { .. } | Op::TimeForward { .. } => {
                    Verdict::Accepted
                }
                Op::OwnerRevoke { slot } => {
                    owner_sends(calls::revoke_session(address, Reference::key(*slot))).await
                }
                Op::RevokeAll => owner_sends(calls::revoke_all_sessions(address)).await,
                Op::OwnerApproveRouter { amount } => owner_sends(approve_router(*amount)).await,
                Op::RotateOwner { back } => {
                    let old = owner_key(before.owner_key_id()).verifying_key().scalar();
                    let new = owner_key(before.rotation_target(*back));
                    owner_sends(
                        calls::set_owner(address, CHAIN_ID, old, &new).expect("new key signs"),
                    )
                    .await
                }
                Op::ReplayTransaction => match &before.last_transaction {
                    Some(sent) => {
                        let account = self.sandbox.session(&self.account, session_key(sent.slot));
                        let replay = execute_at_nonce(
                            &account,
                            sent.calls.clone(),
                            FeeBounds::DEVNET,
                            Felt::from(sent.nonce),
                        );
                        let outcome = replay.await;
                        self.paid(Some(Reference::key(sent.slot)), &outcome);
                        Self::verdict(outcome)
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
                            let authorization = pending.map(|a| self.sign_authorization(before, a));
                            self.send_direct(
                                slot,
                                signing,
                                authorization,
                                calls,
                                direct_bounds(session),
                            )
                            .await
                        }
                        Path::Gasless => {
                            let sent = SentOutside {
                                slot,
                                calls,
                                terms: before.outside_terms(),
                                signing,
                                authorization: pending.cloned(),
                            };
                            self.send_outside(before, &sent).await
                        }
                    }
                }
            }
        })
    }

    /// Runs `op` and compares verdict and views with the model (`after`).
    pub fn step(&self, before: &Reference, after: &Reference, op: &Op) -> Result<(), String> {
        let got = self.run(before, op);
        let expected = after.expected.expect("the model judged the step");
        ensure_eq(got, expected, || {
            format!("verdict of {op:?} at t={} (epoch {})", before.now, before.model.epoch)
        })?;
        // Nothing reached the chain, or validation refused it (as the model
        // said): the protocol guarantees no state changed.
        if !sends(before, op) || matches!(got, Verdict::Rejected(_)) {
            return Ok(());
        }
        self.check(after)
    }

    /// The sandbox, for tests that look further.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Runs `f` on the chain's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// What the account paid in fees since set-up: in all, and for each
    /// session key's own transactions.
    pub fn fees_paid(&self) -> (u128, BTreeMap<Felt, u128>) {
        let fees = self.fees.borrow();
        (fees.total, fees.by_session.clone())
    }
}
