//! SNIP-9 v2 outside execution (§11): the typed-data hash an owner or a
//! session signs, and the caller and time-window rules. The account runs a
//! session-signed outside execution through the same policy code as a
//! session transaction.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use poseidon::poseidon_hash_span;
use starknet::ContractAddress;
use starknet::account::Call;
use traits::Into;
use session_account::errors;

/// SRC-5 interface id of SNIP-9 v2.
const ISRC5_OUTSIDE_EXECUTION_V2_ID: felt252 =
    0x1d1144bb2138366ff28d8e9ab57456b1d332ac42196230c3a602003c89872;
/// `caller` value that lets anyone submit the outside execution.
const ANY_CALLER: felt252 = 'ANY_CALLER';

const STARKNET_MESSAGE: felt252 = 'StarkNet Message';
const DOMAIN_NAME: felt252 = 'Account.execute_from_outside';
const DOMAIN_VERSION: felt252 = 2;
const SNIP12_REVISION: felt252 = 1;
const DOMAIN_TYPE_HASH: felt252 =
    0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210;
const OUTSIDE_EXECUTION_TYPE_HASH: felt252 =
    0x312b56c05a7965066ddbda31c016d8d05afc305071c0ca3cdc2192c3c2f1f0f;
const CALL_TYPE_HASH: felt252 = 0x3635c7f2a7ba93844c0d064e18e487f35ab90f7c39d00f186a781fc3f0c2ca9;

#[derive(Drop, Serde)]
struct OutsideExecution {
    caller: ContractAddress,
    nonce: felt252,
    execute_after: u64,
    execute_before: u64,
    calls: Array<Call>,
}

/// The SNIP-12 rev 1 hash the signer signs.
fn outside_execution_hash(
    execution: @OutsideExecution, account: ContractAddress, chain_id: felt252
) -> felt252 {
    let domain = poseidon_hash_span(
        array![DOMAIN_TYPE_HASH, DOMAIN_NAME, DOMAIN_VERSION, chain_id, SNIP12_REVISION].span()
    );
    let mut call_hashes: Array<felt252> = ArrayTrait::new();
    let mut calls = execution.calls.span();
    loop {
        match calls.pop_front() {
            Option::Some(call) => {
                call_hashes
                    .append(
                        poseidon_hash_span(
                            array![
                                CALL_TYPE_HASH,
                                (*call.to).into(),
                                *call.selector,
                                poseidon_hash_span(call.calldata.span())
                            ]
                                .span()
                        )
                    );
            },
            Option::None => {
                break;
            },
        };
    };
    let message = poseidon_hash_span(
        array![
            OUTSIDE_EXECUTION_TYPE_HASH,
            (*execution.caller).into(),
            *execution.nonce,
            (*execution.execute_after).into(),
            (*execution.execute_before).into(),
            poseidon_hash_span(call_hashes.span())
        ]
            .span()
    );
    poseidon_hash_span(array![STARKNET_MESSAGE, domain, account.into(), message].span())
}

/// §11: the submitter is the named caller (or anyone, for ANY_CALLER), and
/// `execute_after < now < execute_before`, with the exact clock.
fn check_caller_and_window(
    execution: @OutsideExecution, caller: ContractAddress, now: u64
) -> Result<(), felt252> {
    let named: felt252 = (*execution.caller).into();
    if named != ANY_CALLER && *execution.caller != caller {
        return Result::Err(errors::OUTSIDE_INVALID_CALLER);
    }
    if now <= *execution.execute_after {
        return Result::Err(errors::OUTSIDE_TOO_EARLY);
    }
    if now >= *execution.execute_before {
        return Result::Err(errors::OUTSIDE_EXPIRED);
    }
    Result::Ok(())
}
