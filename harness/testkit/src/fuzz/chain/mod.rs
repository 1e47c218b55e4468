//! The system under test: the session account on a long-lived embedded
//! devnet, next to the test token, the router and a view batcher, driven
//! through the library exactly as a wallet, a dapp and a relayer would
//! drive it. Each case starts on a fresh account (deployed and funded by
//! the third party in one transaction, far cheaper than reverting devnet to
//! a snapshot). Devnet copies its whole state at every block, and again at
//! every transaction, so every account left behind slows every later one
//! down (a devnet with 700 cases behind it ran at under half the speed);
//! every [`CASES_PER_RESET`] cases the chain goes back to the snapshot
//! taken after start-up. Blocks close on demand ([`Blocks`]): only when
//! the model's clock moves, or after [`TXS_PER_BLOCK`] transactions. It
//! also keeps what the account paid in fees, from the receipts, to check
//! the account's STRK against it and each session's payments against its
//! fee budget.

mod check;
mod declare;
mod queries;
mod send;

pub use check::Scope;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use session_account::contract::selectors;
use session_account::outside::AccountRelayer;
use session_account::signers::OwnerSigner;
use session_account::token::STRK;
use session_account::tx::{execute_with_bounds, Confirmed, FeeBounds, TxError};
use starknet_rust::contract::UdcSelector;
use starknet_rust::core::types::{Call, Felt, U256};

use super::{
    account_address, hooked_token_address, owner_key, router_address, token_address,
    view_batch_address, Grant, Op, Reference, CHAIN_ID, START, STRK_FUNDS, THIRD_PARTY,
    THIRD_PARTY_ALLOWANCE, THIRD_PARTY_INDEX, TOKEN_FUNDS,
};
use crate::devnet::sandbox::{FundedAccount, Sandbox};
use crate::devnet::{DevnetOptions, TokenUnit};
use crate::model::Verdict;
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
/// Most transactions in one block with [`Blocks::OnDemand`]: devnet's
/// work per transaction grows with the transactions of the pre-confirmed
/// block (it gathers their events for subscribers), so a block is closed
/// after this many even when the clock stands still.
pub const TXS_PER_BLOCK: u32 = 16;

/// How the chain's devnet makes blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blocks {
    /// A block per transaction (devnet's default), and one more at each
    /// step, at the model's time, before the step's transaction.
    PerTransaction,
    /// Devnet's on-demand blocks
    /// ([`DevnetOptions::on_demand_blocks`]): a block closes, at the
    /// model's time, only when the model's clock moved since the last one
    /// or [`TXS_PER_BLOCK`] transactions joined it; transactions run at
    /// exactly that time.
    #[default]
    OnDemand,
}

impl std::str::FromStr for Blocks {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "per-transaction" => Ok(Blocks::PerTransaction),
            "on-demand" => Ok(Blocks::OnDemand),
            other => Err(format!("{other:?}: write per-transaction or on-demand")),
        }
    }
}

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
    blocks: Blocks,
    /// The time of the last block closed, while transactions run at it
    /// (on-demand blocks); `None` when unknown (after start-up or a reset).
    block_time: Cell<Option<u64>>,
    /// Transactions since the last block closed (on-demand blocks).
    txs_in_block: Cell<u32>,
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
        Op::TimeToDeadline { .. }
        | Op::TimeForward { .. }
        | Op::TimeToWindowEnd { .. }
        | Op::TimeOnEdge { .. } => false,
        Op::ReplayTransaction => before.last_transaction.is_some(),
        Op::ReplayOutside => before.last_outside.is_some(),
        _ => true,
    }
}

impl Chain {
    /// Starts a devnet with the account class, the test token, the router,
    /// the view batcher and the hooked token, and funds the third party for
    /// every case; blocks on demand.
    pub fn start() -> Self {
        Self::start_with(Blocks::default())
    }

    /// [`Self::start`], with devnet making blocks as `blocks` says.
    pub fn start_with(blocks: Blocks) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let sandbox = runtime.block_on(async {
            let options = DevnetOptions {
                start_time: Some(START),
                lite: true,
                on_demand_blocks: blocks == Blocks::OnDemand,
                ..DevnetOptions::default()
            };
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
        // Room for a P-256 or passkey verification inside the execution.
        let relayer =
            AccountRelayer::with_fee_bounds(sandbox.funded_account(RELAYER_INDEX), super::HEAVY);
        Self {
            runtime,
            sandbox,
            relayer,
            account: Cell::new(Felt::ZERO),
            next_salt: Cell::new(1),
            base: RefCell::new(base),
            cases_since_reset: Cell::new(0),
            blocks,
            block_time: Cell::new(None),
            txs_in_block: Cell::new(0),
            times: Cell::new(ChainTimes::default()),
            fees: RefCell::new(Fees::default()),
        }
    }

    /// Starts a case on a fresh account owned by owner key number
    /// `first_owner` (its kind: [`OwnerKind::of`](super::OwnerKind::of)):
    /// the third party deploys it (through the universal deployer), sends it
    /// [`STRK_FUNDS`], mints it [`TOKEN_FUNDS`] test tokens, allows it
    /// [`THIRD_PARTY_ALLOWANCE`] of its own and disarms the hooked token,
    /// in one transaction. Returns the
    /// model's state for it.
    pub fn new_case(&self, first_owner: u64) -> Reference {
        if self.cases_since_reset.get() >= CASES_PER_RESET {
            self.reset();
        }
        self.cases_since_reset.set(self.cases_since_reset.get() + 1);
        let started = Instant::now();
        let salt = Felt::from(self.next_salt.get());
        self.next_salt.set(self.next_salt.get() + 1);
        let account = account_address(salt, first_owner);
        let third_party_tokens = self.runtime.block_on(async {
            let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
            let class_hash = crate::classes::account_class().class_hash().expect("class hash");
            let owner = owner_key(first_owner).owner_key().to_felts();
            // Not unique: the address depends only on the class, the salt
            // and the owner key, as a counterfactual deployment's does.
            let mut calldata = vec![class_hash, salt, Felt::ZERO, Felt::from(owner.len())];
            calldata.extend(owner);
            let deploy = Call {
                to: UdcSelector::New.address(),
                selector: starknet_rust::macros::selector!("deployContract"),
                calldata,
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
        Reference::new(account, third_party_tokens, first_owner)
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
        self.block_time.set(None);
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

    /// Runs `op` on the devnet (at the model's time before it).
    pub fn run(&self, before: &Reference, op: &Op) -> Verdict {
        if !sends(before, op) {
            return Verdict::Accepted;
        }
        let started = Instant::now();
        // A block at exactly the model's time: the next transaction
        // executes after it, with its timestamp.
        if self.needs_block(before.now) {
            self.runtime
                .block_on(self.sandbox.devnet_client.set_time(before.now, true))
                .expect("devnet_setTime");
            self.block_time.set(Some(before.now));
            self.txs_in_block.set(0);
        }
        self.txs_in_block.set(self.txs_in_block.get() + 1);
        let sent = Instant::now();
        let verdict = self.runtime.block_on(self.submit(before, op));
        self.add_time(|t| {
            t.set_time += sent - started;
            t.transactions += sent.elapsed();
            t.sent += 1;
        });
        verdict
    }

    /// Whether a block must close at `now` before the next transaction:
    /// always with a block per transaction (each moved the clock on with
    /// the wall clock); on demand, when the clock moved or the block is
    /// full.
    fn needs_block(&self, now: u64) -> bool {
        match self.blocks {
            Blocks::PerTransaction => true,
            Blocks::OnDemand => {
                self.block_time.get() != Some(now) || self.txs_in_block.get() >= TXS_PER_BLOCK
            }
        }
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
}
