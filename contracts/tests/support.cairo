//! What the contract-level tests share: keys, a deployed account with a
//! token and a target next to it, sample policies, and [`submit`], which
//! presents a transaction to the account the way the protocol does:
//! `__validate__` (caller 0, hour-floored clock), then, if it passed,
//! `__execute__` (exact clock). As on chain, validate's writes stay when
//! execute reverts.

use core::num::traits::Zero;
use session_account::interface::{
    ISRC6SafeDispatcher, ISRC6SafeDispatcherTrait, ISessionViewsDispatcher,
};
use session_account::policy::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use session_account::sessions::authorization::{Binding, session_hash};
use session_account::signature::{Authorization, OwnerSignature, SESSION_MAGIC, StarkSignature};
use session_account::signers::owner_key::OwnerKey;
use session_account_testing::token::{ITestTokenDispatcher, ITestTokenDispatcherTrait};
use snforge_std::signature::stark_curve::{StarkCurveKeyPairImpl, StarkCurveSignerImpl};
use snforge_std::{
    CheatSpan, ContractClassTrait, DeclareResultTrait, cheat_caller_address, declare,
    start_cheat_account_contract_address, start_cheat_block_timestamp, start_cheat_chain_id,
    start_cheat_resource_bounds, start_cheat_signature, start_cheat_tip,
    start_cheat_transaction_hash, start_cheat_transaction_version,
    stop_cheat_account_contract_address, stop_cheat_block_timestamp, stop_cheat_chain_id,
    stop_cheat_resource_bounds, stop_cheat_signature, stop_cheat_tip, stop_cheat_transaction_hash,
    stop_cheat_transaction_version,
};
use starknet::account::Call;
use starknet::{ContractAddress, ResourcesBounds, VALIDATED};

pub const OWNER_SECRET: felt252 = 0x0123456789abcdef;
pub const SESSION_SECRET: felt252 = 0x5e55;
pub const OTHER_SECRET: felt252 = 0x0777;
pub const CHAIN: felt252 = 'SN_SEPOLIA';
pub const HOUR: u64 = 3600;
/// Tests start at a whole hour, so validate's floored clock equals it.
pub const T0: u64 = 1700002800;
/// The transaction hash the tests' signatures sign.
pub const TX_HASH: felt252 = 0x7a5_0001;
pub const TX_V3: felt252 = 3;
pub const TX_V3_QUERY: felt252 = 0x100000000000000000000000000000003;
/// The sample policy's fee budget: a thousand transactions at the default
/// bounds.
pub const FEE_BUDGET: u128 = 1000 * DEFAULT_MAX_FEE;
/// What the default fee bounds may cost: 1,000,000 L2 gas at 10 fri, 100
/// L1 data gas at 10 fri.
pub const DEFAULT_MAX_FEE: u128 = 10_001_000;

pub fn public_key(secret: felt252) -> felt252 {
    StarkCurveKeyPairImpl::from_secret_key(secret).public_key
}

pub fn owner_key() -> felt252 {
    public_key(OWNER_SECRET)
}

pub fn session_key() -> felt252 {
    public_key(SESSION_SECRET)
}

pub fn other_key() -> felt252 {
    public_key(OTHER_SECRET)
}

/// A Stark owner signature `(r, s)`.
pub fn stark(r: felt252, s: felt252) -> OwnerSignature {
    OwnerSignature::Stark(StarkSignature { r, s })
}

pub fn sign(secret: felt252, hash: felt252) -> (felt252, felt252) {
    StarkCurveKeyPairImpl::from_secret_key(secret).sign(hash).unwrap()
}

/// A deployed account (owned by `owner_key()`), a token of which it holds
/// 1,000 and a second one, and a target contract.
#[derive(Copy, Drop)]
pub struct Env {
    pub account: ContractAddress,
    pub token: ContractAddress,
    pub other_token: ContractAddress,
    pub target: ContractAddress,
    /// Moves tokens through allowances given to it (`TestRouter`).
    pub router: ContractAddress,
}

pub fn deploy_account(owner: felt252) -> ContractAddress {
    deploy_account_owned_by(@OwnerKey::Stark(owner))
}

/// The account, deployed with `owner` (of any kind) as its constructor's
/// calldata.
pub fn deploy_account_owned_by(owner: @OwnerKey) -> ContractAddress {
    let class = declare("SessionAccount").unwrap().contract_class();
    let mut calldata = array![];
    owner.serialize(ref calldata);
    let (address, _) = class.deploy(@calldata).unwrap();
    address
}

pub fn setup() -> Env {
    setup_owned_by(@OwnerKey::Stark(owner_key()))
}

/// `setup` with an owner of any kind.
pub fn setup_owned_by(owner: @OwnerKey) -> Env {
    let account = deploy_account_owned_by(owner);
    let token_class = declare("TestToken").unwrap().contract_class();
    let (token, _) = token_class.deploy(@array![]).unwrap();
    let (other_token, _) = token_class.deploy(@array![]).unwrap();
    let (target, _) = declare("MockTarget").unwrap().contract_class().deploy(@array![]).unwrap();
    let (router, _) = declare("TestRouter").unwrap().contract_class().deploy(@array![]).unwrap();
    ITestTokenDispatcher { contract_address: token }.mint(account, 1000);
    ITestTokenDispatcher { contract_address: other_token }.mint(account, 1000);
    Env { account, token, other_token, target, router }
}

/// Valid for two hours from T0, renewable (by two hours) for an hour up to
/// T0 + 10 h; any entrypoint of the token (limit 100), `play` of the
/// target; 3 calls a transaction, 10 in all; a fee budget of `FEE_BUDGET`.
pub fn policy(env: Env) -> SessionPolicy {
    SessionPolicy {
        session_key: session_key(),
        valid_after: T0,
        valid_until: T0 + 2 * HOUR,
        renewal: RenewalPolicy {
            grace_period: HOUR, max_valid_until: T0 + 10 * HOUR, period: 2 * HOUR,
        },
        allowed_calls: array![
            AllowedContract { contract: env.token, entrypoints: array![] },
            AllowedContract { contract: env.target, entrypoints: array![selector!("play")] },
        ],
        calldata_rules: array![],
        max_calls_per_tx: 3,
        max_calls: 10,
        spending_limits: array![
            SpendingLimit { token: env.token, limit: 100, period: 0, period_limit: 0 },
        ],
        max_fee_per_tx: 1_000_000_000_000,
        fee_budget: FEE_BUDGET,
    }
}

/// How an execution ended (the first felt of the panic data is the error).
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum Outcome {
    Accepted,
    /// Refused by `__validate__`: not included.
    Rejected: felt252,
    /// Refused by `__execute__`: included, fee paid.
    Reverted: felt252,
}

/// A transaction as the protocol presents it to the account.
#[derive(Drop, Clone)]
pub struct Tx {
    pub calls: Array<Call>,
    pub signature: Array<felt252>,
    pub hash: felt252,
    /// Exact block time; validate sees it floored to the hour.
    pub time: u64,
    pub version: felt252,
    pub resource_bounds: Array<ResourcesBounds>,
    pub tip: u128,
}

pub fn bounds(
    l2_amount: u64, l2_price: u128, data_amount: u64, data_price: u128,
) -> Array<ResourcesBounds> {
    array![
        ResourcesBounds { resource: 'L1_GAS', max_amount: 0, max_price_per_unit: 0 },
        ResourcesBounds { resource: 'L2_GAS', max_amount: l2_amount, max_price_per_unit: l2_price },
        ResourcesBounds {
            resource: 'L1_DATA', max_amount: data_amount, max_price_per_unit: data_price,
        },
    ]
}

fn tx(calls: Array<Call>, signature: Array<felt252>, time: u64) -> Tx {
    Tx {
        calls,
        signature,
        hash: TX_HASH,
        time,
        version: TX_V3,
        resource_bounds: bounds(1_000_000, 10, 100, 10),
        tip: 0,
    }
}

/// `['session-v2', key, r, s, authorization...]` over `hash`.
pub fn session_signature(
    secret: felt252, hash: felt252, authorization: Option<@Authorization>,
) -> Array<felt252> {
    let (r, s) = sign(secret, hash);
    let mut signature = array![SESSION_MAGIC, public_key(secret), r, s];
    if let Some(authorization) = authorization {
        authorization.serialize(ref signature);
    }
    signature
}

pub fn owner_signature(hash: felt252) -> Array<felt252> {
    let (r, s) = sign(OWNER_SECRET, hash);
    array![r, s]
}

/// A session transaction signed by the key of `secret`.
pub fn session_tx_by(secret: felt252, calls: Array<Call>, time: u64) -> Tx {
    tx(calls, session_signature(secret, TX_HASH, None), time)
}

/// A transaction with an arbitrary signature.
pub fn raw_tx(calls: Array<Call>, signature: Array<felt252>, time: u64) -> Tx {
    tx(calls, signature, time)
}

/// A transaction signed by the sample session key.
pub fn session_tx(calls: Array<Call>, time: u64) -> Tx {
    tx(calls, session_signature(SESSION_SECRET, TX_HASH, None), time)
}

/// A session transaction carrying `authorization` (§3.2).
pub fn authorized_tx(calls: Array<Call>, time: u64, authorization: @Authorization) -> Tx {
    authorized_tx_by(SESSION_SECRET, calls, time, authorization)
}

/// A transaction of the key of `secret` carrying `authorization` (§3.2).
pub fn authorized_tx_by(
    secret: felt252, calls: Array<Call>, time: u64, authorization: @Authorization,
) -> Tx {
    tx(calls, session_signature(secret, TX_HASH, Some(authorization)), time)
}

pub fn owner_tx(calls: Array<Call>, time: u64) -> Tx {
    tx(calls, owner_signature(TX_HASH), time)
}

/// What an authorization for `account` binds, at `epoch`, before any owner
/// key rotation.
pub fn binding(account: ContractAddress, epoch: u64) -> Binding {
    Binding { account, chain_id: CHAIN, epoch, owner_rotations: 0 }
}

/// The owner's authorization of `policy` for `account`, at `epoch`.
pub fn authorize(account: ContractAddress, policy: SessionPolicy, epoch: u64) -> Authorization {
    let (owner_r, owner_s) = sign(OWNER_SECRET, session_hash(@policy, binding(account, epoch)));
    Authorization { policy, owner_signature: stark(owner_r, owner_s) }
}

pub fn floor_hour(time: u64) -> u64 {
    time - time % HOUR
}

/// Runs `__validate__` then, if it passed, `__execute__`, as the protocol does.
pub fn submit(account: ContractAddress, tx: @Tx) -> Outcome {
    let validated = validate(account, tx);
    if validated != Outcome::Accepted {
        return validated;
    }
    execute(account, tx)
}

/// `__validate__` only, with the hour-floored clock.
#[feature("safe_dispatcher")]
pub fn validate(account: ContractAddress, tx: @Tx) -> Outcome {
    cheat_tx(account, tx, floor_hour(*tx.time));
    let result = ISRC6SafeDispatcher { contract_address: account }.__validate__(tx.calls.clone());
    stop_cheat_tx(account);
    match result {
        Ok(value) => {
            assert(value == VALIDATED, 'validate returned not VALID');
            Outcome::Accepted
        },
        Err(panic_data) => Outcome::Rejected(*panic_data[0]),
    }
}

/// `__execute__` only, with the exact clock.
#[feature("safe_dispatcher")]
pub fn execute(account: ContractAddress, tx: @Tx) -> Outcome {
    cheat_tx(account, tx, *tx.time);
    let result = ISRC6SafeDispatcher { contract_address: account }.__execute__(tx.calls.clone());
    stop_cheat_tx(account);
    match result {
        Ok(_) => Outcome::Accepted,
        Err(panic_data) => Outcome::Reverted(*panic_data[0]),
    }
}

/// The execution info of `tx` as `account` sees it: its own transaction;
/// the caller is the protocol (0) for the next call only, so the account's
/// calls to itself see itself as the caller.
fn cheat_tx(account: ContractAddress, tx: @Tx, time: u64) {
    start_cheat_account_contract_address(account, account);
    start_cheat_signature(account, tx.signature.span());
    start_cheat_transaction_hash(account, *tx.hash);
    start_cheat_transaction_version(account, *tx.version);
    start_cheat_chain_id(account, CHAIN);
    start_cheat_block_timestamp(account, time);
    start_cheat_resource_bounds(account, tx.resource_bounds.span());
    start_cheat_tip(account, *tx.tip);
    cheat_caller_address(account, Zero::zero(), CheatSpan::TargetCalls(1));
}

fn stop_cheat_tx(account: ContractAddress) {
    stop_cheat_account_contract_address(account);
    stop_cheat_signature(account);
    stop_cheat_transaction_hash(account);
    stop_cheat_transaction_version(account);
    stop_cheat_chain_id(account);
    stop_cheat_block_timestamp(account);
    stop_cheat_resource_bounds(account);
    stop_cheat_tip(account);
}

/// Registers `policy` by an owner transaction at `time`; panics unless accepted.
pub fn register(env: Env, policy: SessionPolicy, time: u64) {
    let mut calldata = array![];
    policy.serialize(ref calldata);
    let outcome = submit(
        env.account,
        @owner_tx(
            array![crate::mocks::call(env.account, selector!("register_session"), calldata)], time,
        ),
    );
    assert(outcome == Outcome::Accepted, 'registration failed');
}

/// Deploys the environment and registers the sample policy at T0.
pub fn setup_with_session() -> Env {
    let env = setup();
    register(env, policy(env), T0);
    env
}

/// `transfer(recipient, amount)` on `token`.
pub fn transfer(token: ContractAddress, amount: u256) -> Call {
    crate::mocks::call(
        token, selector!("transfer"), array![0x1234, amount.low.into(), amount.high.into()],
    )
}

pub fn balance(token: ContractAddress, owner: ContractAddress) -> u256 {
    ITestTokenDispatcher { contract_address: token }.balance_of(owner)
}

/// A call from the account to one of its own entrypoints.
pub fn self_call(env: Env, selector: felt252, calldata: Array<felt252>) -> Call {
    crate::mocks::call(env.account, selector, calldata)
}

/// The account's session views.
pub fn views(env: Env) -> ISessionViewsDispatcher {
    ISessionViewsDispatcher { contract_address: env.account }
}

/// Submits an owner transaction of `calls` at `time`.
pub fn as_owner(env: Env, calls: Array<Call>, time: u64) -> Outcome {
    submit(env.account, @owner_tx(calls, time))
}

/// Submits a session transaction of `calls` at `time`.
pub fn as_session(env: Env, calls: Array<Call>, time: u64) -> Outcome {
    submit(env.account, @session_tx(calls, time))
}

/// `pull(token, from, to, amount)` on the router.
pub fn pull(env: Env, from: ContractAddress, amount: u256) -> Call {
    crate::mocks::call(
        env.router,
        selector!("pull"),
        array![env.token.into(), from.into(), 0x1234, amount.low.into(), amount.high.into()],
    )
}

/// `play(move)` on the target.
pub fn play(target: ContractAddress) -> Call {
    crate::mocks::call(target, selector!("play"), array![7])
}

/// Panics with `message` unless `result` is exactly the error `expected`.
pub fn assert_err<T, +Drop<T>>(result: Result<T, felt252>, expected: felt252) {
    match result {
        Ok(_) => core::panic_with_felt252('expected an error'),
        Err(error) => assert_eq!(error, expected),
    }
}
