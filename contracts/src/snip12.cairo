//! SNIP-12 revision 1 typed-data hashing, shared by the two messages this
//! account verifies: the session authorization an owner signs (§1.2, in
//! `sessions::authorization`) and the outside execution an owner or a
//! session signs (§11, in `outside_execution::hash`).
//!
//! Every type hash is `selector!` (starknet_keccak) of its SNIP-12 type
//! string, written out here or next to the struct it hashes: the Rust
//! library recomputes each from the same string, and both sides check one
//! fixed vector per message.

use core::poseidon::poseidon_hash_span;
use starknet::ContractAddress;

/// The prefix of every SNIP-12 message hash.
pub const STARKNET_MESSAGE: felt252 = 'StarkNet Message';
/// The SNIP-12 revision both messages use.
pub const REVISION: felt252 = 1;

/// The revision 1 domain type.
pub const DOMAIN_TYPE_HASH: felt252 = selector!(
    "\"StarknetDomain\"(\"name\":\"shortstring\",\"version\":\"shortstring\",\"chainId\":\"shortstring\",\"revision\":\"shortstring\")",
);
/// The preset `u256` type.
pub const U256_TYPE_HASH: felt252 = selector!("\"u256\"(\"low\":\"u128\",\"high\":\"u128\")");

/// The hash of the domain `name`, `version` on `chain_id`.
pub fn domain_hash(name: felt252, version: felt252, chain_id: felt252) -> felt252 {
    poseidon_hash_span(array![DOMAIN_TYPE_HASH, name, version, chain_id, REVISION].span())
}

/// The message hash a signer signs: `message` (a struct hash) in `domain`
/// (a domain hash), for `account`.
pub fn message_hash(domain: felt252, account: ContractAddress, message: felt252) -> felt252 {
    poseidon_hash_span(array![STARKNET_MESSAGE, domain, account.into(), message].span())
}

/// The struct hash of a `u256`.
pub fn u256_hash(value: u256) -> felt252 {
    poseidon_hash_span(array![U256_TYPE_HASH, value.low.into(), value.high.into()].span())
}

/// The hash of an array of struct hashes (a `T*` member).
pub fn array_hash(hashes: Span<felt252>) -> felt252 {
    poseidon_hash_span(hashes)
}
