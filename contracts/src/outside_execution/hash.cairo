//! The SNIP-12 revision 1 hash an owner or a session signs for an outside
//! execution (SNIP-9 v2, §11), built
//! from the shared SNIP-12 pieces of `snip12`.

use core::poseidon::poseidon_hash_span;
use starknet::ContractAddress;
use starknet::account::Call;
use crate::snip12::{array_hash, domain_hash, message_hash};
use super::OutsideExecution;

/// The SNIP-9 v2 domain.
pub const DOMAIN_NAME: felt252 = 'Account.execute_from_outside';
pub const DOMAIN_VERSION: felt252 = 2;
pub const OUTSIDE_EXECUTION_TYPE_HASH: felt252 = selector!(
    "\"OutsideExecution\"(\"Caller\":\"ContractAddress\",\"Nonce\":\"felt\",\"Execute After\":\"u128\",\"Execute Before\":\"u128\",\"Calls\":\"Call*\")\"Call\"(\"To\":\"ContractAddress\",\"Selector\":\"selector\",\"Calldata\":\"felt*\")",
);
pub const CALL_TYPE_HASH: felt252 = selector!(
    "\"Call\"(\"To\":\"ContractAddress\",\"Selector\":\"selector\",\"Calldata\":\"felt*\")",
);

/// The hash the signer of `execution` signs, for `account` on `chain_id`.
pub fn outside_execution_hash(
    execution: @OutsideExecution, account: ContractAddress, chain_id: felt252,
) -> felt252 {
    let message = poseidon_hash_span(
        array![
            OUTSIDE_EXECUTION_TYPE_HASH, (*execution.caller).into(), *execution.nonce,
            (*execution.execute_after).into(), (*execution.execute_before).into(),
            calls_hash(*execution.calls),
        ]
            .span(),
    );
    message_hash(domain_hash(DOMAIN_NAME, DOMAIN_VERSION, chain_id), account, message)
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
    array_hash(hashes.span())
}
