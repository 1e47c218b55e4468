//! Fixed addresses and a sample policy for the tests of pure modules.

use session_account::policy::calldata::{CalldataRule, Operator, ValueKind};
use session_account::policy::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use starknet::ContractAddress;

pub const SESSION_KEY: felt252 = 0x5e55;

pub fn account() -> ContractAddress {
    0xacc.try_into().unwrap()
}

/// A token with a spending limit of 100.
pub fn token() -> ContractAddress {
    0x7070.try_into().unwrap()
}

/// A game contract, any entrypoint.
pub fn game() -> ContractAddress {
    0x6a3e.try_into().unwrap()
}

/// A DEX, only `swap` and `quote`; `quote`'s first word is 0x111 or
/// 0x222, and its u256 at offset 1 at most 500.
pub fn dex() -> ContractAddress {
    0xde7.try_into().unwrap()
}

pub fn stranger() -> ContractAddress {
    0x0bad.try_into().unwrap()
}

/// A policy exercising every field: a periodic limit of 50 per day on
/// `token`, and two calldata rules on `quote`.
pub fn sample_policy() -> SessionPolicy {
    SessionPolicy {
        session_key: SESSION_KEY,
        valid_after: 1000,
        valid_until: 5000,
        renewal: RenewalPolicy { grace_period: 600, max_valid_until: 20000, period: 4000 },
        allowed_calls: array![
            AllowedContract { contract: token(), entrypoints: array![] },
            AllowedContract { contract: game(), entrypoints: array![] },
            AllowedContract { contract: dex(), entrypoints: array!['swap', 'quote'] },
        ],
        calldata_rules: array![
            CalldataRule {
                contract: dex(),
                selector: 'quote',
                offset: 0,
                kind: ValueKind::Felt,
                operator: Operator::OneOf,
                values: array![0x111, 0x222],
            },
            CalldataRule {
                contract: dex(),
                selector: 'quote',
                offset: 1,
                kind: ValueKind::U256,
                operator: Operator::AtMost,
                values: array![500],
            },
        ],
        max_calls_per_tx: 3,
        max_calls: 10,
        spending_limits: array![
            SpendingLimit { token: token(), limit: 100, period: 86400, period_limit: 50 },
        ],
        max_fee_per_tx: 1000000,
        fee_budget: 50000000,
    }
}
