//! Shared test helpers: assertions on `Result<T, felt252>` (Cairo 2.1 has
//! no `PartialEq` for `Result`) and sample policies.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use starknet::{ContractAddress, contract_address_const};
use session_account::session::policy::{
    SessionPolicy, RenewalPolicy, AllowedContract, SpendingLimit
};

/// The value of `result`; panics with `message` if it is an error.
fn assert_ok<T, impl TDrop: Drop<T>>(result: Result<T, felt252>, message: felt252) -> T {
    match result {
        Result::Ok(value) => value,
        Result::Err(_) => panic_with_felt252(message),
    }
}

/// Panics with `message` unless `result` is exactly the error `expected`.
fn assert_err<T, impl TDrop: Drop<T>>(
    result: Result<T, felt252>, expected: felt252, message: felt252
) {
    match result {
        Result::Ok(_) => panic_with_felt252(message),
        Result::Err(error) => assert(error == expected, message),
    }
}

const SESSION_KEY: felt252 = 0x5e55;

fn account() -> ContractAddress {
    contract_address_const::<0xacc>()
}

/// A token with a spending limit of 100.
fn token() -> ContractAddress {
    contract_address_const::<0x7070>()
}

/// A game contract, any entrypoint.
fn game() -> ContractAddress {
    contract_address_const::<0x6a3e>()
}

/// A DEX, only `swap` and `quote`.
fn dex() -> ContractAddress {
    contract_address_const::<0xde7>()
}

fn stranger() -> ContractAddress {
    contract_address_const::<0x0bad>()
}

/// A policy exercising every field.
fn sample_policy() -> SessionPolicy {
    SessionPolicy {
        session_key: SESSION_KEY,
        valid_after: 1000,
        valid_until: 5000,
        renewal: RenewalPolicy { grace_period: 600, max_valid_until: 20000 },
        allowed_calls: array![
            AllowedContract { contract: token(), entrypoints: array![] },
            AllowedContract { contract: game(), entrypoints: array![] },
            AllowedContract { contract: dex(), entrypoints: array!['swap', 'quote'] }
        ],
        max_calls_per_tx: 3,
        max_calls: 10,
        spending_limits: array![SpendingLimit { token: token(), limit: 100 }],
        max_fee_per_tx: 1000000,
    }
}

/// Panics with `message` unless the spans hold the same felts.
fn assert_felts_eq(a: Span<felt252>, b: Span<felt252>, message: felt252) {
    assert(a.len() == b.len(), message);
    let mut a = a;
    let mut b = b;
    loop {
        match a.pop_front() {
            Option::Some(x) => {
                assert(*x == *b.pop_front().unwrap(), message);
            },
            Option::None => {
                break;
            },
        };
    };
}
