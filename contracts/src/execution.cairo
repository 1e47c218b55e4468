//! What the running execution is: who signed it ([`Signer`]), what the
//! transaction and the block say about it ([`TxContext`]), and running its
//! calls.
//!
//! Owner-only entrypoints (§6) and the session lifecycle calls (§4.6) are
//! reached by the account calling itself; they ask the contract, through
//! [`SignerContext`], which key signed the execution that is running.

use core::num::traits::Zero;
use starknet::account::Call;
use starknet::syscalls::call_contract_syscall;
use starknet::{ContractAddress, ResourcesBounds, SyscallResultTrait};

pub mod Errors {
    pub const INVALID_CALLER: felt252 = 'account/invalid-caller';
    pub const INVALID_TX_VERSION: felt252 = 'account/invalid-tx-version';
}

/// INVOKE, DECLARE and DEPLOY_ACCOUNT v3: the only version accepted (§7.1).
pub const TX_V3: felt252 = 3;
/// v3 in query mode (fee estimation, simulation): 2^128 + 3.
pub const TX_V3_QUERY: felt252 = 0x100000000000000000000000000000003;

/// Which key signed the execution that is running now.
#[derive(Copy, Drop, Serde, PartialEq, Debug, Default, starknet::Store)]
pub enum Signer {
    /// No execution of this account is running, or an unknown signature.
    #[default]
    None,
    /// The owner key (§2.1).
    Owner,
    /// A session key (§2.2).
    Session: felt252,
}

/// Implemented by the contract: the signer of the running execution, from
/// the running outside execution if any (§11), else from the transaction's
/// signature layout.
pub trait SignerContext<TContractState> {
    fn running_signer(self: @TContractState) -> Signer;
    /// The running signer and the block's time when the account is calling
    /// itself (how owner-only entrypoints and lifecycle calls are reached);
    /// `None` when the caller is another contract. Reads the execution info
    /// once.
    fn self_call(self: @TContractState) -> Option<SelfCall>;
}

/// An entrypoint of the account called by the account itself: who signed
/// the running execution, and the block's (exact) time.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct SelfCall {
    pub signer: Signer,
    pub now: u64,
}

/// What `__validate__`, `__execute__` and outside executions need from the
/// execution info, read once (each read is a syscall).
#[derive(Copy, Drop)]
pub struct TxContext {
    pub account: ContractAddress,
    pub caller: ContractAddress,
    /// Block timestamp: floored to the hour in `__validate__` (§4.2).
    pub now: u64,
    pub version: felt252,
    pub tx_hash: felt252,
    pub signature: Span<felt252>,
    pub chain_id: felt252,
    pub resource_bounds: Span<ResourcesBounds>,
    pub tip: u128,
    /// Fields of an INVOKE v3 transaction a session transaction must leave
    /// empty, or at L1 (§4.5).
    pub paymaster_data: Span<felt252>,
    pub account_deployment_data: Span<felt252>,
    pub nonce_data_availability_mode: u32,
    pub fee_data_availability_mode: u32,
}

pub fn tx_context() -> TxContext {
    let info = starknet::get_execution_info().unbox();
    let tx = info.tx_info.unbox();
    TxContext {
        account: info.contract_address,
        caller: info.caller_address,
        now: info.block_info.unbox().block_timestamp,
        version: tx.version,
        tx_hash: tx.transaction_hash,
        signature: tx.signature,
        chain_id: tx.chain_id,
        resource_bounds: tx.resource_bounds,
        tip: tx.tip,
        paymaster_data: tx.paymaster_data,
        account_deployment_data: tx.account_deployment_data,
        nonce_data_availability_mode: tx.nonce_data_availability_mode,
        fee_data_availability_mode: tx.fee_data_availability_mode,
    }
}

/// §7.1: only the protocol calls `__validate__`/`__execute__` (caller 0),
/// in a transaction of a supported version.
pub fn assert_protocol_call(ctx: @TxContext) {
    assert((*ctx.caller).is_zero(), Errors::INVALID_CALLER);
    assert(is_supported_version(*ctx.version), Errors::INVALID_TX_VERSION);
}

/// Whether `version` is a transaction version this account accepts.
pub fn is_supported_version(version: felt252) -> bool {
    version == TX_V3 || version == TX_V3_QUERY
}

/// Runs `calls` in order; a failing call reverts everything.
pub fn execute_calls(calls: Span<Call>) -> Array<Span<felt252>> {
    let mut results = array![];
    for call in calls {
        results
            .append(
                call_contract_syscall(*call.to, *call.selector, *call.calldata).unwrap_syscall(),
            );
    }
    results
}
