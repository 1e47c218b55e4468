//! outside_execution: the SNIP-9 v2 hash and the caller and window rules
//! (§11).

use session_account::outside_execution::hash::{CALL_TYPE_HASH, OUTSIDE_EXECUTION_TYPE_HASH};
use session_account::outside_execution::{
    ANY_CALLER, Errors, OutsideExecution, check_caller_and_window, outside_execution_hash,
};
use session_account::snip12::DOMAIN_TYPE_HASH;
use starknet::account::Call;
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{account, game, token};

const CHAIN: felt252 = 'SN_SEPOLIA';

fn sample() -> OutsideExecution {
    OutsideExecution {
        caller: ANY_CALLER.try_into().unwrap(),
        nonce: 0x4e,
        execute_after: 100,
        execute_before: 200,
        calls: array![
            Call { to: token(), selector: selector!("transfer"), calldata: array![1, 5, 0].span() },
            Call { to: game(), selector: selector!("play"), calldata: array![].span() },
        ]
            .span(),
    }
}

fn hash_of(execution: OutsideExecution) -> felt252 {
    outside_execution_hash(@execution, account(), CHAIN)
}

/// The same value the Rust library computes (harness/src/outside.rs has
/// the same vector): relayers and the account agree on what is signed.
#[test]
fn hash_matches_the_rust_library() {
    assert_eq!(hash_of(sample()), SAMPLE_OUTSIDE_HASH);
}

pub const SAMPLE_OUTSIDE_HASH: felt252 =
    0x1627b1afcd6df0352bd1f5ea475f29b05afd31e36026d4174509138e112f0ca;

/// The type strings in `snip12` and `outside_execution::hash` hash to the
/// values SNIP-9 v2 and SNIP-12 publish: a typo in a string is caught here.
#[test]
fn type_hashes_are_snip9_v2() {
    assert_eq!(DOMAIN_TYPE_HASH, 0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210);
    assert_eq!(CALL_TYPE_HASH, 0x3635c7f2a7ba93844c0d064e18e487f35ab90f7c39d00f186a781fc3f0c2ca9);
    assert_eq!(
        OUTSIDE_EXECUTION_TYPE_HASH,
        0x312b56c05a7965066ddbda31c016d8d05afc305071c0ca3cdc2192c3c2f1f0f,
    );
}

#[test]
fn every_field_account_and_chain_are_bound() {
    let base = hash_of(sample());
    let mut e = sample();
    e.caller = 0x1.try_into().unwrap();
    assert_ne!(hash_of(e), base);
    let mut e = sample();
    e.nonce = 0x4f;
    assert_ne!(hash_of(e), base);
    let mut e = sample();
    e.execute_after = 101;
    assert_ne!(hash_of(e), base);
    let mut e = sample();
    e.execute_before = 201;
    assert_ne!(hash_of(e), base);
    let mut e = sample();
    e
        .calls =
            array![
                Call {
                    to: token(), selector: selector!("transfer"), calldata: array![1, 6, 0].span(),
                },
            ]
        .span();
    assert_ne!(hash_of(e), base);
    let mut e = sample();
    e.calls = array![].span();
    assert_ne!(hash_of(e), base);
    assert_ne!(outside_execution_hash(@sample(), 0xacd.try_into().unwrap(), CHAIN), base);
    assert_ne!(outside_execution_hash(@sample(), account(), 'SN_MAIN'), base);
}

#[test]
fn caller_must_be_named_or_any() {
    let anyone = sample();
    assert!(check_caller_and_window(@anyone, 0x999.try_into().unwrap(), 150).is_ok());
    let mut named = sample();
    named.caller = 0x555.try_into().unwrap();
    assert!(check_caller_and_window(@named, 0x555.try_into().unwrap(), 150).is_ok());
    assert_err(
        check_caller_and_window(@named, 0x999.try_into().unwrap(), 150), Errors::INVALID_CALLER,
    );
}

#[test]
fn window_is_open_at_both_ends() {
    let e = sample(); // (100, 200)
    assert_err(check_caller_and_window(@e, account(), 100), Errors::TOO_EARLY);
    assert!(check_caller_and_window(@e, account(), 101).is_ok());
    assert!(check_caller_and_window(@e, account(), 199).is_ok());
    assert_err(check_caller_and_window(@e, account(), 200), Errors::EXPIRED);
}

#[test]
fn the_caller_is_checked_before_the_window() {
    let mut named = sample();
    named.caller = 0x555.try_into().unwrap();
    assert_err(
        check_caller_and_window(@named, 0x999.try_into().unwrap(), 5), Errors::INVALID_CALLER,
    );
}
