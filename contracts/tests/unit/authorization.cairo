//! sessions::authorization: the session hash binds every policy field, the
//! account, the chain and the epoch (§1.2).

use session_account::policy::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use session_account::sessions::authorization::{
    ALLOWED_CONTRACT_TYPE_HASH, Binding, CALLDATA_RULE_TYPE_HASH, SESSION_TYPE_HASH,
    SPENDING_LIMIT_TYPE_HASH, domain_hash, session_hash,
};
use session_account::snip12::{DOMAIN_TYPE_HASH, U256_TYPE_HASH};
use crate::fixtures::policies::{account, game, sample_policy, token};

const CHAIN: felt252 = 'SN_SEPOLIA';

fn bound(epoch: u64) -> Binding {
    Binding { account: account(), chain_id: CHAIN, epoch, owner_rotations: 0 }
}

fn hash_of(policy: SessionPolicy) -> felt252 {
    session_hash(@policy, bound(0))
}

#[test]
fn hash_is_deterministic() {
    assert_eq!(hash_of(sample_policy()), hash_of(sample_policy()));
}

/// The same value the Rust library computes (harness/src/policy/hash.rs
/// has the same vector), so both sides agree on what the owner signs.
#[test]
fn hash_matches_the_rust_library() {
    assert_eq!(hash_of(sample_policy()), SAMPLE_SESSION_HASH);
}

pub const SAMPLE_SESSION_HASH: felt252 =
    0x5c3f378f7caa3d3a5e779f7796d61226a0e804015f735c86ba43234d48fc7c9;

#[test]
fn account_chain_and_epoch_are_bound() {
    let base = hash_of(sample_policy());
    assert_ne!(
        session_hash(@sample_policy(), Binding { account: 0xacd.try_into().unwrap(), ..bound(0) }),
        base,
    );
    assert_ne!(session_hash(@sample_policy(), Binding { chain_id: 'SN_MAIN', ..bound(0) }), base);
    assert_ne!(session_hash(@sample_policy(), bound(1)), base);
    assert_ne!(session_hash(@sample_policy(), Binding { owner_rotations: 1, ..bound(0) }), base);
    assert_ne!(domain_hash(CHAIN), domain_hash('SN_MAIN'));
}

#[test]
fn every_policy_field_is_bound() {
    let base = hash_of(sample_policy());
    let mut p = sample_policy();
    p.session_key = 0x5e56;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.valid_after = 1001;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.valid_until = 5001;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 601, max_valid_until: 20000, period: 4000 };
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 600, max_valid_until: 20001, period: 4000 };
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 600, max_valid_until: 20000, period: 4001 };
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.max_calls_per_tx = 4;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.max_calls = 11;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.max_fee_per_tx = 1000001;
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.fee_budget = 50000001;
    assert_ne!(hash_of(p), base);
}

#[test]
fn every_grant_is_bound() {
    let base = hash_of(sample_policy());
    let mut p = sample_policy();
    p
        .spending_limits =
            array![SpendingLimit { token: token(), limit: 101, period: 0, period_limit: 0 }];
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p
        .spending_limits =
            array![
                SpendingLimit {
                    token: token(), limit: u256 { low: 100, high: 1 }, period: 0, period_limit: 0,
                },
            ];
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p
        .spending_limits =
            array![SpendingLimit { token: game(), limit: 100, period: 0, period_limit: 0 }];
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p.spending_limits = array![];
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p
        .allowed_calls
        .append(AllowedContract { contract: 0x1.try_into().unwrap(), entrypoints: array![] });
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p
        .allowed_calls =
            array![
                AllowedContract { contract: token(), entrypoints: array![] },
                AllowedContract { contract: game(), entrypoints: array!['play'] },
                AllowedContract {
                    contract: 0xde7.try_into().unwrap(), entrypoints: array!['swap', 'quote'],
                },
            ];
    assert_ne!(hash_of(p), base);
}

#[test]
fn order_of_grants_is_bound() {
    let base = hash_of(sample_policy());
    let mut p = sample_policy();
    p
        .allowed_calls =
            array![
                AllowedContract { contract: game(), entrypoints: array![] },
                AllowedContract { contract: token(), entrypoints: array![] },
                AllowedContract {
                    contract: 0xde7.try_into().unwrap(), entrypoints: array!['swap', 'quote'],
                },
            ];
    assert_ne!(hash_of(p), base);
    let mut p = sample_policy();
    p
        .allowed_calls =
            array![
                AllowedContract { contract: token(), entrypoints: array![] },
                AllowedContract { contract: game(), entrypoints: array![] },
                AllowedContract {
                    contract: 0xde7.try_into().unwrap(), entrypoints: array!['quote', 'swap'],
                },
            ];
    assert_ne!(hash_of(p), base);
}

/// The type strings hash to the values SNIP-12 revision 1 publishes for its
/// preset types, and to the values the Rust library computes for ours.
#[test]
fn type_hashes_are_snip12_revision_1() {
    assert_eq!(DOMAIN_TYPE_HASH, 0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210);
    assert_eq!(U256_TYPE_HASH, 0x3b143be38b811560b45593fb2a071ec4ddd0a020e10782be62ffe6f39e0e82c);
    assert_eq!(
        ALLOWED_CONTRACT_TYPE_HASH,
        0x296c4853cd6b3d9884de02ba3898e33e9d466710e2a4b87fb92ac7c5aa973c1,
    );
    // The structs that reference `u256` encode it after themselves; the
    // session hash vector above checks them against the Rust library.
    assert_ne!(SPENDING_LIMIT_TYPE_HASH, CALLDATA_RULE_TYPE_HASH);
    assert_ne!(SESSION_TYPE_HASH, 0);
}

/// Changing any one scalar field by any non-zero amount changes the hash.
#[test]
#[fuzzer(runs: 256, seed: 41)]
fn fuzz_hash_changes_when_any_field_changes(field: u8, delta: u32, epoch: u64) {
    let delta: u64 = delta.into() + 1;
    let base = session_hash(@sample_policy(), bound(epoch));
    let mut p = sample_policy();
    let mut other_epoch = epoch;
    match field % 11 {
        0 => p.session_key += delta.into(),
        1 => p.valid_after += delta,
        2 => p.valid_until += delta,
        3 => p.renewal.grace_period += delta,
        4 => p.renewal.max_valid_until += delta,
        5 => p.max_calls_per_tx += (delta % 1000).try_into().unwrap() + 1,
        6 => p.max_calls += delta,
        7 => p.max_fee_per_tx += delta.into(),
        8 => p
            .spending_limits =
                array![
                    SpendingLimit {
                        token: token(), limit: 100 + delta.into(), period: 0, period_limit: 0,
                    },
                ],
        9 => p
            .allowed_calls
            .append(
                AllowedContract {
                    contract: Into::<u64, felt252>::into(delta).try_into().unwrap(),
                    entrypoints: array![],
                },
            ),
        _ => other_epoch = epoch ^ delta,
    }
    assert_ne!(session_hash(@p, bound(other_epoch)), base);
}
