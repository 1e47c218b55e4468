//! Relaying outside executions (§11) in tests: a relayer (the test
//! contract) submits what the owner or a session signed.

use session_account::interface::{
    IOutsideExecutionSafeDispatcher, IOutsideExecutionSafeDispatcherTrait,
};
use session_account::outside_execution::{ANY_CALLER, OutsideExecution, outside_execution_hash};
use snforge_std::{start_cheat_block_timestamp, start_cheat_chain_id, start_cheat_signature};
use starknet::account::Call;
use crate::support::{CHAIN, Env, HOUR, OWNER_SECRET, SESSION_SECRET, T0, session_signature, sign};

/// How a relayed execution ended (the relayer's transaction reverts on
/// failure).
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum Relayed {
    Done,
    Failed: felt252,
}

pub fn execution(calls: Array<Call>, nonce: felt252) -> OutsideExecution {
    OutsideExecution {
        caller: ANY_CALLER.try_into().unwrap(),
        nonce,
        execute_after: T0 - 1,
        execute_before: T0 + 10 * HOUR,
        calls: calls.span(),
    }
}

pub fn hash(env: Env, e: @OutsideExecution) -> felt252 {
    outside_execution_hash(e, env.account, CHAIN)
}

pub fn signed_by_owner(env: Env, e: @OutsideExecution) -> Array<felt252> {
    let (r, s) = sign(OWNER_SECRET, hash(env, e));
    array![r, s]
}

pub fn signed_by_session(env: Env, e: @OutsideExecution) -> Array<felt252> {
    session_signature(SESSION_SECRET, hash(env, e), None)
}

/// Submits `e` as a relayer (this test contract) whose own transaction is
/// signed `[1, 2]`, at `time`.
#[feature("safe_dispatcher")]
pub fn relay(env: Env, e: OutsideExecution, signature: Array<felt252>, time: u64) -> Relayed {
    start_cheat_block_timestamp(env.account, time);
    start_cheat_chain_id(env.account, CHAIN);
    start_cheat_signature(env.account, array![1, 2].span());
    let outside = IOutsideExecutionSafeDispatcher { contract_address: env.account };
    match IOutsideExecutionSafeDispatcherTrait::execute_from_outside_v2(
        outside, e, signature.span(),
    ) {
        Ok(_) => Relayed::Done,
        Err(panic_data) => Relayed::Failed(*panic_data[0]),
    }
}

