//! The session hash (docs/spec.md §1.2): a SNIP-12 revision 1 typed-data
//! hash of a policy, bound to an account, a chain, a revocation epoch and
//! the owner's key rotations.
//! Mirrors `contracts/src/sessions/authorization.cairo`; a fixed vector
//! shared with the contract's snforge tests, and the e2e tests (through the
//! contract's `session_hash` view), check both agree.

use starknet_rust::core::types::Felt;
use starknet_rust::core::utils::starknet_keccak;
use starknet_rust::macros::short_string;
use starknet_rust_crypto::poseidon_hash_many;

use super::SessionPolicy;

/// The SNIP-12 revision 1 domain type (also the outside execution's).
pub const DOMAIN_TYPE: &str = concat!(
    r#""StarknetDomain"("name":"shortstring","version":"shortstring","#,
    r#""chainId":"shortstring","revision":"shortstring")"#
);
/// The encoded `Session` type with the types it references (§1.2); its
/// `starknet_keccak` is `SESSION_TYPE_HASH`.
pub const SESSION_TYPE: &str = concat!(
    r#""Session"("Session Key":"felt","Valid After":"timestamp","Valid Until":"timestamp","#,
    r#""Grace Period":"u128","Max Valid Until":"timestamp","Renewal Period":"u128","#,
    r#""Allowed Contracts":"Allowed Contract*","Calldata Rules":"Calldata Rule*","#,
    r#""Max Calls Per Tx":"u128","Max Calls":"u128","#,
    r#""Spending Limits":"Spending Limit*","Max Fee Per Tx":"u128","Fee Budget":"u128","#,
    r#""Revocation Epoch":"u128","Owner Rotations":"u128")"#,
    r#""Allowed Contract"("Contract":"ContractAddress","Entrypoints":"felt*")"#,
    r#""Calldata Rule"("Contract":"ContractAddress","Entrypoint":"felt","Offset":"u128","#,
    r#""Kind":"u128","Operator":"u128","Values":"u256*")"#,
    r#""Spending Limit"("Token":"ContractAddress","Limit":"u256","Period":"u128","#,
    r#""Period Limit":"u128")"#,
    r#""u256"("low":"u128","high":"u128")"#
);
/// The encoded `Allowed Contract` type (§1.2).
pub const ALLOWED_CONTRACT_TYPE: &str =
    r#""Allowed Contract"("Contract":"ContractAddress","Entrypoints":"felt*")"#;
/// The encoded `Calldata Rule` type, with the `u256` it references (§1.2).
pub const CALLDATA_RULE_TYPE: &str = concat!(
    r#""Calldata Rule"("Contract":"ContractAddress","Entrypoint":"felt","Offset":"u128","#,
    r#""Kind":"u128","Operator":"u128","Values":"u256*")"#,
    r#""u256"("low":"u128","high":"u128")"#
);
/// The encoded `Spending Limit` type, with the `u256` it references (§1.2).
pub const SPENDING_LIMIT_TYPE: &str = concat!(
    r#""Spending Limit"("Token":"ContractAddress","Limit":"u256","Period":"u128","#,
    r#""Period Limit":"u128")"#,
    r#""u256"("low":"u128","high":"u128")"#
);
/// The encoded `u256` type of SNIP-12 revision 1.
pub const U256_TYPE: &str = r#""u256"("low":"u128","high":"u128")"#;

const STARKNET_MESSAGE: Felt = short_string!("StarkNet Message");
const DOMAIN_NAME: Felt = short_string!("session-account");
const DOMAIN_VERSION: Felt = Felt::ONE;
const SNIP12_REVISION: Felt = Felt::ONE;

fn type_hash(encoded_type: &str) -> Felt {
    starknet_keccak(encoded_type.as_bytes())
}

/// What a session hash binds besides the policy: where and when the
/// authorization may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The account the session is for.
    pub account: Felt,
    /// The chain id, e.g. the short string `SN_SEPOLIA`: the domain's
    /// `chainId`.
    pub chain_id: Felt,
    /// The account's revocation epoch (`get_revocation_epoch`): revoke-all
    /// voids the authorization.
    pub epoch: u64,
    /// The owner's key rotations so far (`get_owner_rotations`): any
    /// rotation voids it, even back to an earlier key.
    pub owner_rotations: u64,
}

impl Binding {
    /// A new account: epoch 0, no rotation yet.
    pub fn new_account(account: Felt, chain_id: Felt) -> Self {
        Self { account, chain_id, epoch: 0, owner_rotations: 0 }
    }
}

/// The hash the owner signs to authorize `policy` under `binding`.
pub fn session_hash(policy: &SessionPolicy, binding: &Binding) -> Felt {
    poseidon_hash_many(&[
        STARKNET_MESSAGE,
        domain_hash(binding.chain_id),
        binding.account,
        session_struct_hash(policy, binding.epoch, binding.owner_rotations),
    ])
}

/// The SNIP-12 revision 1 domain hash of `session-account`, version 1, on
/// `chain_id` (§1.2).
pub fn domain_hash(chain_id: Felt) -> Felt {
    poseidon_hash_many(&[
        type_hash(DOMAIN_TYPE),
        DOMAIN_NAME,
        DOMAIN_VERSION,
        chain_id,
        SNIP12_REVISION,
    ])
}

fn session_struct_hash(policy: &SessionPolicy, epoch: u64, owner_rotations: u64) -> Felt {
    let allowed: Vec<Felt> = policy
        .allowed_calls
        .iter()
        .map(|a| {
            poseidon_hash_many(&[
                type_hash(ALLOWED_CONTRACT_TYPE),
                a.contract,
                poseidon_hash_many(&a.entrypoints),
            ])
        })
        .collect();
    let limits: Vec<Felt> = policy
        .spending_limits
        .iter()
        .map(|l| {
            poseidon_hash_many(&[
                type_hash(SPENDING_LIMIT_TYPE),
                l.token,
                u256_hash(l.limit),
                Felt::from(l.period),
                Felt::from(l.period_limit),
            ])
        })
        .collect();
    let rules: Vec<Felt> = policy
        .calldata_rules
        .iter()
        .map(|r| {
            let values: Vec<Felt> = r.values.iter().map(|v| u256_hash(*v)).collect();
            poseidon_hash_many(&[
                type_hash(CALLDATA_RULE_TYPE),
                r.contract,
                r.selector,
                Felt::from(r.offset),
                Felt::from(r.kind.index()),
                Felt::from(r.operator.index()),
                poseidon_hash_many(&values),
            ])
        })
        .collect();
    poseidon_hash_many(&[
        type_hash(SESSION_TYPE),
        policy.session_key,
        Felt::from(policy.valid_after),
        Felt::from(policy.valid_until),
        Felt::from(policy.renewal.grace_period),
        Felt::from(policy.renewal.max_valid_until),
        Felt::from(policy.renewal.period),
        poseidon_hash_many(&allowed),
        poseidon_hash_many(&rules),
        Felt::from(policy.max_calls_per_tx),
        Felt::from(policy.max_calls),
        poseidon_hash_many(&limits),
        Felt::from(policy.max_fee_per_tx),
        Felt::from(policy.fee_budget),
        Felt::from(epoch),
        Felt::from(owner_rotations),
    ])
}

fn u256_hash(value: starknet_rust::core::types::U256) -> Felt {
    poseidon_hash_many(&[type_hash(U256_TYPE), Felt::from(value.low()), Felt::from(value.high())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{CalldataRule, Operator, ValueKind};
    use starknet_rust::macros::felt;

    /// SNIP-12 revision 1 publishes these for its preset types; ours are
    /// checked against the contract's type strings by tests/sources.rs of
    /// the repository.
    #[test]
    fn preset_type_hashes_are_snip12_revision_1() {
        assert_eq!(
            type_hash(DOMAIN_TYPE),
            felt!("0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210")
        );
        assert_eq!(
            type_hash(U256_TYPE),
            felt!("0x3b143be38b811560b45593fb2a071ec4ddd0a020e10782be62ffe6f39e0e82c")
        );
    }

    /// The vector of contracts/tests/unit/authorization.cairo
    /// (`SAMPLE_SESSION_HASH`): the policy of its `sample_policy()`
    /// (contracts/tests/fixtures/policies.cairo: a periodic limit and two
    /// calldata rules) on account 0xacc, chain 'SN_SEPOLIA', epoch 0, no
    /// owner rotation.
    #[test]
    fn hash_matches_the_contracts_vector() {
        let policy = SessionPolicy::builder(felt!("0x5e55"))
            .valid_between(1000, 5000)
            .renewable(600, 4000, 20000)
            .allow(felt!("0x7070"))
            .allow(felt!("0x6a3e"))
            .allow_entrypoints(felt!("0xde7"), [short_string!("swap"), short_string!("quote")])
            .max_calls_per_tx(3)
            .max_calls(10)
            .spending_limit(felt!("0x7070"), 100u8.into())
            .periodic_limit(felt!("0x7070"), 50, 86_400)
            .calldata_rule(CalldataRule {
                contract: felt!("0xde7"),
                selector: short_string!("quote"),
                offset: 0,
                kind: ValueKind::Felt,
                operator: Operator::OneOf,
                values: vec![0x111u16.into(), 0x222u16.into()],
            })
            .calldata_rule(CalldataRule {
                contract: felt!("0xde7"),
                selector: short_string!("quote"),
                offset: 1,
                kind: ValueKind::U256,
                operator: Operator::AtMost,
                values: vec![500u16.into()],
            })
            .max_fee_per_tx(1_000_000)
            .fee_budget(50_000_000)
            .build()
            .unwrap();
        // SAMPLE_SESSION_HASH of the contract's test (tests/sources.rs of the
        // repository checks both files pin the same value).
        let vector = felt!("0x5c3f378f7caa3d3a5e779f7796d61226a0e804015f735c86ba43234d48fc7c9");
        assert_eq!(
            session_hash(
                &policy,
                &Binding::new_account(felt!("0xacc"), short_string!("SN_SEPOLIA"))
            ),
            vector
        );
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base_policy = crate::policy::tests::sample();
        let binding = Binding::new_account(Felt::ONE, Felt::TWO);
        let base = session_hash(&base_policy, &binding);
        let mut variants: Vec<SessionPolicy> = Vec::new();
        let mut push = |f: &dyn Fn(&mut SessionPolicy)| {
            let mut p = base_policy.clone();
            f(&mut p);
            variants.push(p);
        };
        push(&|p| p.session_key += Felt::ONE);
        push(&|p| p.valid_after += 1);
        push(&|p| p.valid_until += 1);
        push(&|p| p.renewal.grace_period += 1);
        push(&|p| p.renewal.max_valid_until += 1);
        push(&|p| p.renewal.period += 1);
        push(&|p| p.allowed_calls[1].entrypoints.pop().map(|_| ()).unwrap_or(()));
        push(&|p| p.max_calls_per_tx += 1);
        push(&|p| p.max_calls += 1);
        push(&|p| p.spending_limits[0].limit = starknet_rust::core::types::U256::from(101u8));
        push(&|p| p.spending_limits[0].period += 1);
        push(&|p| p.spending_limits[0].period_limit += 1);
        push(&|p| {
            p.calldata_rules.push(CalldataRule {
                contract: Felt::from(0xde7u16),
                selector: Felt::ONE,
                offset: 0,
                kind: ValueKind::Felt,
                operator: Operator::Equal,
                values: vec![1u8.into()],
            })
        });
        push(&|p| p.max_fee_per_tx += 1);
        push(&|p| p.fee_budget += 1);
        for v in &variants {
            assert_ne!(session_hash(v, &binding), base, "{v:?}");
        }
        assert_ne!(session_hash(&base_policy, &Binding { epoch: 1, ..binding }), base);
        assert_ne!(session_hash(&base_policy, &Binding { owner_rotations: 1, ..binding }), base);
        assert_ne!(session_hash(&base_policy, &Binding { account: Felt::THREE, ..binding }), base);
        assert_ne!(session_hash(&base_policy, &Binding { chain_id: Felt::THREE, ..binding }), base);
    }
}
