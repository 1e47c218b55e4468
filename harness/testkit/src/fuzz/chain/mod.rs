//! The system under test: the session account on a long-lived embedded
//! devnet, next to the test token, the router and a view batcher, driven
//! through the library exactly as a wallet, a dapp and a relayer would
//! drive it. Each case starts on a fresh account (deployed and funded by
//! the third party in one transaction, far cheaper than reverting devnet to
//! a snapshot). Devnet copies its whole state at every block, so every
//! account left behind slows every later block down (a devnet with 700
//! cases behind it ran at under half the speed); every
//! [`CASES_PER_RESET`] cases the chain goes back to the snapshot taken
//! after start-up. It also keeps what the account paid in fees, from the
//! receipts, to check the account's STRK against it and each session's
//! payments against its fee budget.

mod check;

pub use check::Scope;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use session_account::account::owner::{calls, owner_account, OwnerAccount};
use session_account::account::SessionAccount;
use session_account::contract::{selectors, ContractArtifact};
use session_account::outside::{AccountRelayer, OutsideExecution, Relayer};
use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::token::STRK;
use session_account::tx::{
    execute_at_nonce, execute_with_bounds, from_provider_error, wait_for_receipt, Confirmed,
    FeeBounds, TxError, DEFAULT_RECEIPT_TIMEOUT,
};
use starknet_rust::contract::UdcSelector;
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::reference::{approve_router, direct_bounds, op_calls, session_op, SentOutside};
use super::{
    account_address, hooked_token_address, owner_key, router_address, session_key, token_address,
    view_batch_address, Grant, HookSigner, Op, Reference, SessionSignature, TxField, CHAIN_ID,
    START, STRK_FUNDS, THIRD_PARTY, THIRD_PARTY_ALLOWANCE, THIRD_PARTY_INDEX, TOKEN_FUNDS,
};
use crate::devnet::sandbox::{FundedAccount, Rpc, Sandbox};
use crate::devnet::{DevnetOptions, TokenUnit};
use crate::model::{Path, SignedAuthorization, Verdict};
use check::ensure_eq;

/// The predeployed account that relays outside executions.
const RELAYER_INDEX: usize = 3;
/// STRK minted to the third party once, for every case's account.
const THIRD_PARTY_STRK: u128 = 1_000_000_000 * super::STRK_UNIT;
/// Cases a devnet runs between two resets to its start-up snapshot. A
/// reset costs about as much as ten case set-ups (~120 ms) and each case
/// left behind slows the next ones; over 500 cases on one devnet, resetting
/// every 10 / 25 / 50 / 100 / never ran 121 / 127 / 127 / 116 / 87 steps/s.
pub const CASES_PER_RESET: u64 = 25;

/// A long-lived devnet, and the account of the case running on it.
pub struct Chain {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    relayer: AccountRelayer<FundedAccount>,
    /// The account of the current case.
    account: Cell<Felt>,
    /// Salt of the next case's account (never reused, resets or not).
    next_salt: Cell<u64>,
    /// The snapshot taken after start-up, to reset to.
    base: RefCell<String>,
    /// Cases run since start-up or the last reset.
    cases_since_reset: Cell<u64>,
    times: Cell<ChainTimes>,
    fees: RefCell<Fees>,
}

/// What the account paid in fees since its case began, from the receipts.
#[derive(Debug, Clone, Default)]
struct Fees {
    total: u128,
    /// Per session key, for its own transactions.
    by_session: BTreeMap<Felt, u128>,
}

/// Where a chain's time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChainTimes {
    /// Setting up each case's account.
    pub cases: Duration,
    /// Going back to the start-up snapshot every [`CASES_PER_RESET`] cases.
    pub resets: Duration,
    /// `devnet_setTime` before transactions.
    pub set_time: Duration,
    /// Signing, submitting and executing transactions, and their receipts.
    pub transactions: Duration,
    /// Reading the chain's state after a step.
    pub checks: Duration,
    /// Transactions (and outside executions) submitted.
    pub sent: u64,
    /// Cases set up.
    pub case_count: u64,
}

impl ChainTimes {
    pub fn add(&mut self, other: ChainTimes) {
        self.cases += other.cases;
        self.resets += other.resets;
        self.set_time += other.set_time;
        self.transactions += other.transactions;
        self.checks += other.checks;
        self.sent += other.sent;
        self.case_count += other.case_count;
    }
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
    /// Starts a devnet with the account class, the test token, the router,
    /// the view batcher and the hooked token, and funds the third party for
    /// every case.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let sandbox = runtime.block_on(async {
            let options =
                DevnetOptions { start_time: Some(START), lite: true, ..DevnetOptions::default() };
            let sandbox = Sandbox::start(options).await.expect("devnet");
            for (artifact, expected) in [
                (crate::classes::test_token(), token_address()),
                (crate::classes::test_router(), router_address()),
                (crate::classes::view_batch(), view_batch_address()),
                (crate::classes::hooked_token(), hooked_token_address()),
            ] {
                let address =
                    sandbox.deploy_contract(&artifact, Felt::ONE, vec![]).await.expect("deploy");
                assert_eq!(address, expected, "{} where the model expects it", artifact.name);
            }
            let third = sandbox.predeployed[THIRD_PARTY_INDEX].address;
            assert_eq!(
                third, THIRD_PARTY,
                "devnet's predeployed account {THIRD_PARTY_INDEX} moved"
            );
            sandbox
                .devnet_client
                .mint(third, THIRD_PARTY_STRK, TokenUnit::Fri)
                .await
                .expect("mint");
            let base = sandbox.devnet_client.snapshot().await.expect("devnet_snapshot");
            (sandbox, base)
        });
        let (sandbox, base) = sandbox;
        assert_eq!(sandbox.chain_id, CHAIN_ID);
        let relayer = AccountRelayer::with_fee_bounds(
            sandbox.funded_account(RELAYER_INDEX),
            FeeBounds::DEVNET,
        );
        Self {
            runtime,
            sandbox,
            relayer,
            account: Cell::new(Felt::ZERO),
            next_salt: Cell::new(1),
            base: RefCell::new(base),
            cases_since_reset: Cell::new(0),
            times: Cell::new(ChainTimes::default()),
            fees: RefCell::new(Fees::default()),
        }
    }

    /// Starts a case on a fresh account: the third party deploys it
    /// (through the universal deployer, owner key 0), sends it
    /// [`STRK_FUNDS`], mints it [`TOKEN_FUNDS`] test tokens, allows it
    /// [`THIRD_PARTY_ALLOWANCE`] of its own and disarms the hooked token,
    /// in one transaction. Returns the
    /// model's state for it.
    pub fn new_case(&self) -> Reference {
        if self.cases_since_reset.get() >= CASES_PER_RESET {
            self.reset();
        }
        self.cases_since_reset.set(self.cases_since_reset.get() + 1);
        let started = Instant::now();
        let salt = Felt::from(self.next_salt.get());
        self.next_salt.set(self.next_salt.get() + 1);
        let account = account_address(salt);
        let third_party_tokens = self.runtime.block_on(async {
            let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
            let class_hash = ContractArtifact::session_account().class_hash().expect("class hash");
            let owner = owner_key(0).verifying_key().scalar();
            // Not unique: the address depends only on the class, the salt
            // and the owner key, as a counterfactual deployment's does.
            let deploy = Call {
                to: UdcSelector::New.address(),
                selector: starknet_rust::macros::selector!("deployContract"),
                calldata: vec![class_hash, salt, Felt::ZERO, Felt::ONE, owner],
            };
            let token = |selector: Felt, to: Felt, amount: u128| Call {
                to: token_address(),
                selector,
                calldata: vec![to, Felt::from(amount), Felt::ZERO],
            };
            let mut set_up = vec![deploy];
            set_up.push(Call {
                to: STRK,
                selector: selectors::TRANSFER,
                calldata: vec![account, Felt::from(STRK_FUNDS), Felt::ZERO],
            });
            set_up.push(token(selectors::MINT, account, TOKEN_FUNDS));
            set_up.push(token(selectors::MINT, THIRD_PARTY, THIRD_PARTY_ALLOWANCE));
            set_up.push(token(selectors::APPROVE, account, THIRD_PARTY_ALLOWANCE));
            // The hooked token is shared by every case: no hook armed for
            // an earlier case's account fires in this one.
            set_up.push(Call {
                to: hooked_token_address(),
                selector: super::DISARM,
                calldata: vec![],
            });
            execute_with_bounds(&third, set_up, FeeBounds::DEVNET).await.expect("case set-up");
            self.token_balance(THIRD_PARTY).await
        });
        self.account.set(account);
        *self.fees.borrow_mut() = Fees::default();
        self.add_time(|t| {
            t.cases += started.elapsed();
            t.case_count += 1;
        });
        Reference::new(account, third_party_tokens)
    }

    /// Takes devnet back to its state after start-up (a revert consumes
    /// the snapshot: take it again).
    fn reset(&self) {
        let started = Instant::now();
        let client = &self.sandbox.devnet_client;
        let base = self.base.borrow().clone();
        let next = self.runtime.block_on(async {
            client.revert(&base).await.expect("devnet_revert");
            client.snapshot().await.expect("devnet_snapshot")
        });
        *self.base.borrow_mut() = next;
        self.cases_since_reset.set(0);
        self.add_time(|t| t.resets += started.elapsed());
    }

    /// The account of the current case.
    pub fn account(&self) -> Felt {
        self.account.get()
    }

    pub fn times(&self) -> ChainTimes {
        self.times.get()
    }

    fn add_time(&self, f: impl FnOnce(&mut ChainTimes)) {
        let mut times = self.times.get();
        f(&mut times);
        self.times.set(times);
    }

    async fn token_balance(&self, holder: Felt) -> U256 {
        let balance_of = selectors::BALANCE_OF;
        session_account::token::read_u256(
            &self.sandbox.provider,
            token_address(),
            balance_of,
            vec![holder],
        )
        .await
        .expect("token balance")
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
    /// spent nonce, and the test token or router panicking; anything else
    /// is an infrastructure failure, not a verdict.
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
        owner_account(self.sandbox.devnet.provider(), owner_key(key_id), self.account(), CHAIN_ID)
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

    /// A session transaction at the nonce the model expects (no nonce
    /// query, no fee estimation).
    async fn send_direct(
        &self,
        before: &Reference,
        slot: usize,
        signing: SessionSignature,
        calls: Vec<Call>,
        bounds: FeeBounds,
    ) -> Verdict {
        let provider = self.sandbox.devnet.provider();
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let nonce = Felt::from(before.nonce);
        let outcome = match signing {
            SessionSignature::OwnerLayout => {
                let account = owner_account(provider, key, self.account(), CHAIN_ID);
                execute_at_nonce(&account, calls, bounds, nonce).await
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
                    self.account(),
                    CHAIN_ID,
                );
                if let Some(signed) = before.pending[slot].as_ref() {
                    account = account.with_authorization(self.sign_authorization(before, signed));
                }
                execute_at_nonce(&account, calls, bounds, nonce).await
            }
        };
        self.paid(Some(public_key), &outcome);
        Self::verdict(outcome)
    }

    /// A session transaction built field by field, with `field` set to
    /// what the account does not support (§4.5); signed over its real hash.
    async fn send_unsupported(
        &self,
        before: &Reference,
        slot: usize,
        field: TxField,
        calls: Vec<Call>,
    ) -> Verdict {
        use session_account::invoke::InvokeV3;
        use starknet_rust::core::types::{BroadcastedInvokeTransaction, DataAvailabilityMode};
        use starknet_rust::providers::Provider;
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let calldata = session_account::account::encoding::encode_calls(&calls);
        let mut tx =
            InvokeV3::new(self.account(), calldata, Felt::from(before.nonce), FeeBounds::DEVNET);
        match field {
            TxField::PaymasterData => tx.paymaster_data = vec![Felt::ONE],
            TxField::AccountDeploymentData => {
                tx.account_deployment_data = vec![Felt::ONE, Felt::TWO]
            }
            TxField::NonceDataAvailability => {
                tx.nonce_data_availability_mode = DataAvailabilityMode::L2
            }
            TxField::FeeDataAvailability => {
                tx.fee_data_availability_mode = DataAvailabilityMode::L2
            }
        }
        let signed = key.sign(&tx.hash(CHAIN_ID, false)).expect("signs");
        let authorization =
            before.pending[slot].as_ref().map(|a| self.sign_authorization(before, a));
        let signature = session_account::signature::session_signature(
            public_key,
            &signed,
            authorization.as_ref(),
        );
        let broadcast = BroadcastedInvokeTransaction {
            broadcasted_invoke_txn_v3: tx.broadcast(signature),
            proof: None,
        };
        let provider = &self.sandbox.provider;
        let outcome = match provider.add_invoke_transaction(&broadcast).await {
            Ok(sent) => {
                wait_for_receipt(provider, sent.transaction_hash, DEFAULT_RECEIPT_TIMEOUT).await
            }
            Err(error) => Err(from_provider_error(error)),
        };
        self.paid(Some(public_key), &outcome);
        Self::verdict(outcome)
    }

    /// An outside execution, relayed without a simulation first: a refusal
    /// reverts the relayer's transaction.
    async fn send_outside(&self, before: &Reference, sent: &SentOutside) -> Verdict {
        let (account, relayer) = (self.account(), &self.relayer);
        let execution = OutsideExecution {
            caller: relayer.address(),
            nonce: sent.terms.nonce,
            execute_after: sent.terms.execute_after,
            execute_before: sent.terms.execute_before,
            calls: sent.calls.clone(),
        };
        let key = session_key(sent.slot);
        let authorization = sent.authorization.as_ref().map(|a| self.sign_authorization(before, a));
        let authorization = authorization.as_ref();
        let signature = match sent.signing {
            SessionSignature::Valid => {
                execution.sign_as_session(&key, account, CHAIN_ID, authorization)
            }
            // The session key's signature of another execution.
            SessionSignature::Forged => {
                OutsideExecution { nonce: execution.nonce + Felt::ONE, ..execution.clone() }
                    .sign_as_session(&key, account, CHAIN_ID, authorization)
            }
            SessionSignature::OwnerLayout => execution.sign_as_owner(&key, account, CHAIN_ID),
        }
        .expect("signs");
        Self::verdict(relayer.relay(account, &execution, signature).await)
    }

    /// Runs `op` on the devnet (at the model's time before it).
    pub fn run(&self, before: &Reference, op: &Op) -> Verdict {
        if !sends(before, op) {
            return Verdict::Accepted;
        }
        let started = Instant::now();
        // A block at exactly the model's time: the next transaction
        // executes in the block after it, with its timestamp.
        self.runtime
            .block_on(self.sandbox.devnet_client.set_time(before.now, true))
            .expect("devnet_setTime");
        let sent = Instant::now();
        let verdict = self.runtime.block_on(self.submit(before, op));
        self.add_time(|t| {
            t.set_time += sent - started;
            t.transactions += sent.elapsed();
            t.sent += 1;
        });
        verdict
    }

    async fn submit(&self, before: &Reference, op: &Op) -> Verdict {
        let owner = self.owner(before.owner_key_id());
        let account = self.account();
        let owner_sends = |call: Call| async {
            let nonce = Felt::from(before.nonce);
            let outcome = execute_at_nonce(&owner, vec![call], FeeBounds::DEVNET, nonce).await;
            self.paid(None, &outcome);
            Self::verdict(outcome)
        };
        match op {
            Op::Grant { slot, policy: choice, how: Grant::ByTransaction } => {
                // The policy exactly as the model granted it.
                let granted = super::ops::policy_for(account, *slot, *choice, before.now);
                owner_sends(calls::register_session(account, &granted)).await
            }
            Op::Grant { .. } | Op::TimeToDeadline { .. } | Op::TimeForward { .. } => {
                Verdict::Accepted
            }
            Op::OwnerRevoke { slot } => {
                owner_sends(calls::revoke_session(account, Reference::key(*slot))).await
            }
            Op::RevokeAll => owner_sends(calls::revoke_all_sessions(account)).await,
            Op::OwnerApproveRouter { amount } => owner_sends(approve_router(*amount)).await,
            Op::SpenderPulls { over } => {
                let amount = before.spender_pull_amount(*over);
                let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
                let pull = Call {
                    to: token_address(),
                    selector: selectors::TRANSFER_FROM,
                    calldata: vec![
                        account,
                        THIRD_PARTY,
                        Felt::from(amount.low()),
                        Felt::from(amount.high()),
                    ],
                };
                Self::verdict(execute_with_bounds(&third, vec![pull], FeeBounds::DEVNET).await)
            }
            Op::OwnerOutside { reuse } => {
                let terms = before.outside_terms();
                let execution = OutsideExecution {
                    caller: self.relayer.address(),
                    nonce: before.owner_outside_nonce(*reuse),
                    execute_after: terms.execute_after,
                    execute_before: terms.execute_before,
                    calls: op_calls(before, op),
                };
                let owner = owner_key(before.owner_key_id());
                let signature = execution.sign_as_owner(&owner, account, CHAIN_ID).expect("signs");
                Self::verdict(self.relayer.relay(account, &execution, signature).await)
            }
            Op::ArmHook { signer } => {
                let terms = before.hook_terms();
                let execution = OutsideExecution {
                    caller: session_account::outside::ANY_CALLER,
                    nonce: terms.nonce,
                    execute_after: terms.execute_after,
                    execute_before: terms.execute_before,
                    calls: op_calls(before, op),
                };
                let signature = match signer {
                    HookSigner::Session(slot) => {
                        execution.sign_as_session(&session_key(*slot), account, CHAIN_ID, None)
                    }
                    HookSigner::Owner => execution.sign_as_owner(
                        &owner_key(before.owner_key_id()),
                        account,
                        CHAIN_ID,
                    ),
                }
                .expect("signs");
                let nested = execution.to_call(account, signature);
                let mut calldata = vec![nested.to, nested.selector];
                calldata.push(Felt::from(nested.calldata.len()));
                calldata.extend(nested.calldata);
                let arm = Call { to: hooked_token_address(), selector: super::ARM, calldata };
                let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
                Self::verdict(execute_with_bounds(&third, vec![arm], FeeBounds::DEVNET).await)
            }
            Op::UnsupportedTxField { slot, field } => {
                self.send_unsupported(before, *slot, *field, op_calls(before, op)).await
            }
            Op::RotateOwner { back } => {
                let old = owner_key(before.owner_key_id()).verifying_key().scalar();
                let new = owner_key(before.rotation_target(*back));
                let call = calls::set_owner(account, CHAIN_ID, old, &new).expect("new key signs");
                owner_sends(call).await
            }
            Op::ReplayTransaction => match &before.last_transaction {
                Some(sent) => {
                    let session = self.session(sent.slot);
                    let nonce = Felt::from(sent.nonce);
                    let outcome =
                        execute_at_nonce(&session, sent.calls.clone(), FeeBounds::DEVNET, nonce)
                            .await;
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
                match path {
                    Path::Direct => {
                        self.send_direct(before, slot, signing, calls, direct_bounds(session)).await
                    }
                    Path::Gasless => {
                        let sent = SentOutside {
                            slot,
                            calls,
                            terms: before.outside_terms(),
                            signing,
                            authorization: before.pending[slot].clone(),
                        };
                        self.send_outside(before, &sent).await
                    }
                }
            }
        }
    }

    /// The current case's account, signed by slot's session key.
    fn session(&self, slot: usize) -> SessionAccount<Rpc, LocalWallet> {
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let signer = LocalWallet::from_signing_key(key);
        SessionAccount::new(
            self.sandbox.devnet.provider(),
            signer,
            public_key,
            self.account(),
            CHAIN_ID,
        )
    }

    /// Runs `op` and compares verdict and state with the model (`after`).
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
        self.check_scope(after, &check::Scope::of(before, op))
    }

    /// The sandbox, for tests and benchmarks that look further.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Runs `f` on the chain's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// What the account paid in fees since its case began: in all, and for
    /// each session key's own transactions.
    pub fn fees_paid(&self) -> (u128, BTreeMap<Felt, u128>) {
        let fees = self.fees.borrow();
        (fees.total, fees.by_session.clone())
    }
}
