//! The SNIP-12 revision 1 hash an owner or a session signs for an outside
//! execution (SNIP-9 v2, §11).

use core::poseidon::poseidon_hash_span;
use starknet::ContractAddress;
use starknet::account::Call;
use super::OutsideExecution;

pub const STARKNET_MESSAGE: felt252 = 'StarkNet Message';
pub const DOMAIN_NAME: felt252 = 'Account.execute_from_outside';
pub const DOMAIN_VERSION: felt252 = 2;
pub const SNIP12_REVISION: felt252 = 1;
pub const DOMAIN_TYPE_HASH: felt252 =
    0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210;
pub const OUTSIDE_EXECUTION_TYPE_HASH: felt252 =
    0x312b56c05a7965066ddbda31c016d8d05afc305071c0ca3cdc2192c3c2f1f0f;
pub const CALL_TYPE_HASH: felt252 =
    0x3635c7f2a7ba93844c0d064e18e487f35ab90f7c39d00f186a781fc3f0c2ca9;

/// The hash the signer of `execution` signs, for `account` on `chain_id`.
pub fn outside_execution_hash(
    execution: @OutsideExecution, account: ContractAddress, chain_id: felt252,
) -> felt252 {
    let domain = poseidon_hash_span(
        array![DOMAIN_TYPE_HASH, DOMAIN_NAME, DOMAIN_VERSION, chain_id, SNIP12_REVISION].span(),
    );
    let message = poseidon_hash_span(
        array![
            OUTSIDE_EXECUTION_TYPE_HASH, (*execution.caller).into(), *execution.nonce,
            (*execution.execute_after).into(), (*execution.execute_before).into(),
            calls_hash(*execution.calls),
        ]
            .span(),
    );
    poseidon_hash_span(array![STARKNET_MESSAGE, domain, account.into(), message].span())
}

fn calls_hash(calls: Span<Call>) -> felt252 {
    let mut hashes: Array<felt252> = array![];
    for call in calls {
        hashes
            .append(
                poseidon_hash_span(
                    array![
                        CALL_TYPE_HASH, (*call.to).into(), *call.selector,
                        poseidon_hash_span(*call.calldata),
                    ]
                        .span(),
                ),
            );
    }
    poseidon_hash_span(hashes.span())
}
