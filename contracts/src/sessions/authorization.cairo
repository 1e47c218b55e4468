//! The session hash (§1.2): a SNIP-12 revision 1 typed-data hash of a
//! policy, bound to an account, a chain, a revocation epoch and the owner's
//! key rotations. It is what the owner signs to authorize a session in its
//! first transaction (§3.2).
//!
//! The type hashes are `selector!` of the type strings in §1.2 (the
//! domain and `u256` ones are in `snip12`); the Rust library recomputes them
//! from the strings and both sides check one fixed vector.

use core::poseidon::poseidon_hash_span;
use starknet::ContractAddress;
use crate::policy::calldata::{CalldataRule, Operator, ValueKind};
use crate::policy::{AllowedContract, SessionPolicy, SpendingLimit};
use crate::snip12::{array_hash, message_hash, u256_hash};

/// The SNIP-12 domain of session authorizations.
pub const DOMAIN_NAME: felt252 = 'session-account';
pub const DOMAIN_VERSION: felt252 = 1;

pub const SESSION_TYPE_HASH: felt252 = selector!(
    "\"Session\"(\"Session Key\":\"felt\",\"Valid After\":\"timestamp\",\"Valid Until\":\"timestamp\",\"Grace Period\":\"u128\",\"Max Valid Until\":\"timestamp\",\"Renewal Period\":\"u128\",\"Allowed Contracts\":\"Allowed Contract*\",\"Calldata Rules\":\"Calldata Rule*\",\"Max Calls Per Tx\":\"u128\",\"Max Calls\":\"u128\",\"Spending Limits\":\"Spending Limit*\",\"Max Fee Per Tx\":\"u128\",\"Fee Budget\":\"u128\",\"Revocation Epoch\":\"u128\",\"Owner Rotations\":\"u128\")\"Allowed Contract\"(\"Contract\":\"ContractAddress\",\"Entrypoints\":\"felt*\")\"Calldata Rule\"(\"Contract\":\"ContractAddress\",\"Entrypoint\":\"felt\",\"Offset\":\"u128\",\"Kind\":\"u128\",\"Operator\":\"u128\",\"Values\":\"u256*\")\"Spending Limit\"(\"Token\":\"ContractAddress\",\"Limit\":\"u256\",\"Period\":\"u128\",\"Period Limit\":\"u128\")\"u256\"(\"low\":\"u128\",\"high\":\"u128\")",
);
pub const ALLOWED_CONTRACT_TYPE_HASH: felt252 = selector!(
    "\"Allowed Contract\"(\"Contract\":\"ContractAddress\",\"Entrypoints\":\"felt*\")",
);
pub const CALLDATA_RULE_TYPE_HASH: felt252 = selector!(
    "\"Calldata Rule\"(\"Contract\":\"ContractAddress\",\"Entrypoint\":\"felt\",\"Offset\":\"u128\",\"Kind\":\"u128\",\"Operator\":\"u128\",\"Values\":\"u256*\")\"u256\"(\"low\":\"u128\",\"high\":\"u128\")",
);
pub const SPENDING_LIMIT_TYPE_HASH: felt252 = selector!(
    "\"Spending Limit\"(\"Token\":\"ContractAddress\",\"Limit\":\"u256\",\"Period\":\"u128\",\"Period Limit\":\"u128\")\"u256\"(\"low\":\"u128\",\"high\":\"u128\")",
);

/// What a session hash binds besides the policy: where and when it may be
/// used.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct Binding {
    pub account: ContractAddress,
    pub chain_id: felt252,
    /// The account's revocation epoch (revoke-all voids the authorization).
    pub epoch: u64,
    /// How many times the owner key was rotated (a rotation voids it, even
    /// back to an earlier key).
    pub owner_rotations: u64,
}

/// The hash the owner signs to authorize `policy` under `binding`.
pub fn session_hash(policy: @SessionPolicy, binding: Binding) -> felt252 {
    message_hash(
        domain_hash(binding.chain_id),
        binding.account,
        session_struct_hash(policy, binding.epoch, binding.owner_rotations),
    )
}

/// The session authorization domain on `chain_id`.
pub fn domain_hash(chain_id: felt252) -> felt252 {
    crate::snip12::domain_hash(DOMAIN_NAME, DOMAIN_VERSION, chain_id)
}

/// The struct hash of `policy` with the epoch and rotations it is bound to.
pub fn session_struct_hash(policy: @SessionPolicy, epoch: u64, owner_rotations: u64) -> felt252 {
    let renewal = *policy.renewal;
    poseidon_hash_span(
        array![
            SESSION_TYPE_HASH, *policy.session_key, (*policy.valid_after).into(),
            (*policy.valid_until).into(), renewal.grace_period.into(),
            renewal.max_valid_until.into(), renewal.period.into(),
            allowed_calls_hash(policy.allowed_calls.span()),
            calldata_rules_hash(policy.calldata_rules.span()), (*policy.max_calls_per_tx).into(),
            (*policy.max_calls).into(), spending_limits_hash(policy.spending_limits.span()),
            (*policy.max_fee_per_tx).into(), (*policy.fee_budget).into(), epoch.into(),
            owner_rotations.into(),
        ]
            .span(),
    )
}

fn allowed_calls_hash(allowed: Span<AllowedContract>) -> felt252 {
    let mut hashes: Array<felt252> = array![];
    for entry in allowed {
        hashes
            .append(
                poseidon_hash_span(
                    array![
                        ALLOWED_CONTRACT_TYPE_HASH, (*entry.contract).into(),
                        poseidon_hash_span(entry.entrypoints.span()),
                    ]
                        .span(),
                ),
            );
    }
    array_hash(hashes.span())
}

fn spending_limits_hash(limits: Span<SpendingLimit>) -> felt252 {
    let mut hashes: Array<felt252> = array![];
    for limit in limits {
        hashes
            .append(
                poseidon_hash_span(
                    array![
                        SPENDING_LIMIT_TYPE_HASH, (*limit.token).into(), u256_hash(*limit.limit),
                        (*limit.period).into(), (*limit.period_limit).into(),
                    ]
                        .span(),
                ),
            );
    }
    array_hash(hashes.span())
}

fn calldata_rules_hash(rules: Span<CalldataRule>) -> felt252 {
    let mut hashes: Array<felt252> = array![];
    for rule in rules {
        let mut values: Array<felt252> = array![];
        for value in rule.values.span() {
            values.append(u256_hash(*value));
        }
        let kind: felt252 = match *rule.kind {
            ValueKind::Felt => 0,
            ValueKind::U256 => 1,
        };
        let operator: felt252 = match *rule.operator {
            Operator::Equal => 0,
            Operator::OneOf => 1,
            Operator::AtMost => 2,
            Operator::AtLeast => 3,
        };
        hashes
            .append(
                poseidon_hash_span(
                    array![
                        CALLDATA_RULE_TYPE_HASH, (*rule.contract).into(), *rule.selector,
                        (*rule.offset).into(), kind, operator, poseidon_hash_span(values.span()),
                    ]
                        .span(),
                ),
            );
    }
    array_hash(hashes.span())
}
