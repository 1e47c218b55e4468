//! The session hash (docs/spec.md §1.2): a SNIP-12 revision 1 typed-data
//! hash of a policy, bound to an account, a chain and a revocation epoch.
//! Mirrors `contracts/src/sessions/authorization.cairo`; a fixed vector
//! shared with the contract's snforge tests, and the e2e tests (through the
//! contract's `session_hash` view), check both agree.

use starknet_rust::core::types::Felt;
use starknet_rust::core::utils::starknet_keccak;
use starknet_rust::macros::short_string;
use starknet_rust_crypto::poseidon_hash_many;

use super::SessionPolicy;

pub const DOMAIN_TYPE: &str = r#""StarknetDomain"("name":"shortstring","version":"shortstring","chainId":"shortstring","revision":"shortstring")"#;
pub const SESSION_TYPE: &str = concat!(
    r#""Session"("Session Key":"felt","Valid After":"timestamp","Valid Until":"timestamp","Grace Period":"u128","Max Valid Until":"timestamp","Allowed Contracts":"Allowed Contract*","Max Calls Per Tx":"u128","Max Calls":"u128","Spending Limits":"Spending Limit*","Max Fee Per Tx":"u128","Revocation Epoch":"u128")"#,
    r#""Allowed Contract"("Contract":"ContractAddress","Entrypoints":"felt*")"#,
    r#""Spending Limit"("Token":"ContractAddress","Limit":"u256")"#,
    r#""u256"("low":"u128","high":"u128")"#
);
pub const ALLOWED_CONTRACT_TYPE: &str = r#""Allowed Contract"("Contract":"ContractAddress","Entrypoints":"felt*")"#;
pub const SPENDING_LIMIT_TYPE: &str =
    concat!(r#""Spending Limit"("Token":"ContractAddress","Limit":"u256")"#, r#""u256"("low":"u128","high":"u128")"#);
pub const U256_TYPE: &str = r#""u256"("low":"u128","high":"u128")"#;

const STARKNET_MESSAGE: Felt = short_string!("StarkNet Message");
const DOMAIN_NAME: Felt = short_string!("session-account");
const DOMAIN_VERSION: Felt = Felt::ONE;
const SNIP12_REVISION: Felt = Felt::ONE;

fn type_hash(encoded_type: &str) -> Felt {
    starknet_keccak(encoded_type.as_bytes())
}

/// The hash the owner signs to authorize `policy` on `account`, on chain
/// `chain_id`, while the account's revocation epoch is `epoch`.
pub fn session_hash(policy: &SessionPolicy, epoch: u64, account: Felt, chain_id: Felt) -> Felt {
    poseidon_hash_many(&[STARKNET_MESSAGE, domain_hash(chain_id), account, session_struct_hash(policy, epoch)])
}

pub fn domain_hash(chain_id: Felt) -> Felt {
    poseidon_hash_many(&[type_hash(DOMAIN_TYPE), DOMAIN_NAME, DOMAIN_VERSION, chain_id, SNIP12_REVISION])
}

fn session_struct_hash(policy: &SessionPolicy, epoch: u64) -> Felt {
    let allowed: Vec<Felt> = policy
        .allowed_calls
        .iter()
        .map(|a| poseidon_hash_many(&[type_hash(ALLOWED_CONTRACT_TYPE), a.contract, poseidon_hash_many(&a.entrypoints)]))
        .collect();
    let limits: Vec<Felt> = policy
        .spending_limits
        .iter()
        .map(|l| {
            let amount = poseidon_hash_many(&[type_hash(U256_TYPE), Felt::from(l.limit.low()), Felt::from(l.limit.high())]);
            poseidon_hash_many(&[type_hash(SPENDING_LIMIT_TYPE), l.token, amount])
        })
        .collect();
    poseidon_hash_many(&[
        type_hash(SESSION_TYPE),
        policy.session_key,
        Felt::from(policy.valid_after),
        Felt::from(policy.valid_until),
        Felt::from(policy.renewal.grace_period),
        Felt::from(policy.renewal.max_valid_until),
        poseidon_hash_many(&allowed),
        Felt::from(policy.max_calls_per_tx),
        Felt::from(policy.max_calls),
        poseidon_hash_many(&limits),
        Felt::from(policy.max_fee_per_tx),
        Felt::from(epoch),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use starknet_rust::macros::felt;

    /// The constants hard-coded in contracts/src/sessions/authorization.cairo.
    #[test]
    fn type_hashes_match_the_contract() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/src/sessions/authorization.cairo");
        let source = std::fs::read_to_string(path).unwrap();
        let constant = |name: &str| -> Felt {
            let start = source.find(&format!("const {name}: felt252 =")).expect(name);
            let hex: String = source[start..]
                .split('=')
                .nth(1)
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            Felt::from_hex(&hex).unwrap()
        };
        assert_eq!(type_hash(DOMAIN_TYPE), constant("DOMAIN_TYPE_HASH"));
        assert_eq!(type_hash(SESSION_TYPE), constant("SESSION_TYPE_HASH"));
        assert_eq!(type_hash(ALLOWED_CONTRACT_TYPE), constant("ALLOWED_CONTRACT_TYPE_HASH"));
        assert_eq!(type_hash(SPENDING_LIMIT_TYPE), constant("SPENDING_LIMIT_TYPE_HASH"));
        assert_eq!(type_hash(U256_TYPE), constant("U256_TYPE_HASH"));
        // The well-known SNIP-12 revision 1 values.
        assert_eq!(type_hash(DOMAIN_TYPE), felt!("0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210"));
        assert_eq!(type_hash(U256_TYPE), felt!("0x3b143be38b811560b45593fb2a071ec4ddd0a020e10782be62ffe6f39e0e82c"));
    }

    /// The vector of contracts/tests/test_authorization.cairo
    /// (`hash_matches_the_rust_library`): the policy of its `sample_policy()`
    /// on account 0xacc, chain 'SN_SEPOLIA', epoch 0.
    #[test]
    fn hash_matches_the_contracts_vector() {
        use crate::policy::{AllowedContract, RenewalPolicy, SpendingLimit};
        let policy = SessionPolicy {
            session_key: felt!("0x5e55"),
            valid_after: 1000,
            valid_until: 5000,
            renewal: RenewalPolicy { grace_period: 600, max_valid_until: 20000 },
            allowed_calls: vec![
                AllowedContract::any(felt!("0x7070")),
                AllowedContract::any(felt!("0x6a3e")),
                AllowedContract { contract: felt!("0xde7"), entrypoints: vec![short_string!("swap"), short_string!("quote")] },
            ],
            max_calls_per_tx: 3,
            max_calls: 10,
            spending_limits: vec![SpendingLimit { token: felt!("0x7070"), limit: 100u8.into() }],
            max_fee_per_tx: 1_000_000,
        };
        assert_eq!(
            session_hash(&policy, 0, felt!("0xacc"), short_string!("SN_SEPOLIA")),
            felt!("0x427c725d09a4dbd8d40d7bdd3290578f9b444738a1549ecefa154ed0016582f")
        );
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base_policy = crate::policy::tests::sample();
        let base = session_hash(&base_policy, 0, Felt::ONE, Felt::TWO);
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
        push(&|p| p.allowed_calls[1].entrypoints.pop().map(|_| ()).unwrap_or(()));
        push(&|p| p.max_calls_per_tx += 1);
        push(&|p| p.max_calls += 1);
        push(&|p| p.spending_limits[0].limit = starknet_rust::core::types::U256::from(101u8));
        push(&|p| p.max_fee_per_tx += 1);
        for v in &variants {
            assert_ne!(session_hash(v, 0, Felt::ONE, Felt::TWO), base, "{v:?}");
        }
        assert_ne!(session_hash(&base_policy, 1, Felt::ONE, Felt::TWO), base);
        assert_ne!(session_hash(&base_policy, 0, Felt::THREE, Felt::TWO), base);
        assert_ne!(session_hash(&base_policy, 0, Felt::ONE, Felt::THREE), base);
    }
}
