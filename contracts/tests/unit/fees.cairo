//! policy::fees: the fee cap, read from the transaction (§4.5).

use core::num::traits::{Bounded, SaturatingAdd};
use session_account::policy::fees::{Errors, L2_GAS, check_fee_cap, max_fee};
use starknet::ResourcesBounds;
use crate::fixtures::account::{assert_err, bounds};

fn bound(resource: felt252, max_amount: u64, max_price_per_unit: u128) -> ResourcesBounds {
    ResourcesBounds { resource, max_amount, max_price_per_unit }
}

#[test]
fn max_fee_sums_resources_and_tip() {
    // 2*3 + 5*7 + 11*13 + tip 4 * L2 amount 5
    let b = array![bound('L1_GAS', 2, 3), bound('L2_GAS', 5, 7), bound('L1_DATA', 11, 13)];
    assert_eq!(max_fee(b.span(), 4), Some(6 + 35 + 143 + 20));
}

#[test]
fn zero_bounds_cost_nothing() {
    // Fee estimation sends zero bounds.
    assert_eq!(max_fee(bounds(0, 0, 0, 0).span(), 0), Some(0));
    assert_eq!(max_fee(array![].span(), 7), Some(0));
    assert!(check_fee_cap(bounds(0, 0, 0, 0).span(), 0, 0).is_ok());
}

#[test]
fn the_tip_is_paid_per_unit_of_l2_gas() {
    assert_eq!(L2_GAS, 'L2_GAS');
    let b = array![bound('L1_GAS', 1000, 0), bound('L2_GAS', 10, 0)];
    assert_eq!(max_fee(b.span(), 3), Some(30));
    assert!(check_fee_cap(b.span(), 3, 29).is_err());
}

#[test]
fn every_resource_counts_even_an_unknown_one() {
    let b = array![bound('L2_GAS', 10, 10), bound('FUTURE', 1, 1)];
    assert_eq!(max_fee(b.span(), 0), Some(101));
}

#[test]
fn huge_bounds_do_not_overflow() {
    let max64: u64 = Bounded::MAX;
    let max128: u128 = Bounded::MAX;
    let b = array![
        bound('L1_GAS', max64, max128), bound('L2_GAS', max64, max128),
        bound('L1_DATA', max64, max128),
    ];
    assert_eq!(max_fee(b.span(), max128), None);
    assert_err(check_fee_cap(b.span(), max128, max128), Errors::FEE_ABOVE_CAP);
    // Each way the sum can pass 2^128: a product, the sum, the tip.
    assert_eq!(max_fee(array![bound('L2_GAS', 2, max128)].span(), 0), None);
    assert_eq!(max_fee(array![bound('L1_GAS', 1, max128), bound('L2_GAS', 1, 1)].span(), 0), None);
    assert_eq!(max_fee(array![bound('L2_GAS', 2, 1)].span(), max128), None);
    assert_eq!(max_fee(array![bound('L1_GAS', 1, max128)].span(), 0), Some(max128));
    assert!(check_fee_cap(array![bound('L1_GAS', 1, max128)].span(), 0, max128).is_ok());
}

#[test]
fn fee_cap_boundary() {
    let b = bounds(10, 10, 1, 4); // 100 + 4
    assert!(check_fee_cap(b.span(), 0, 104).is_ok());
    assert_err(check_fee_cap(b.span(), 0, 103), Errors::FEE_ABOVE_CAP);
}

#[test]
fn the_tip_counts_against_the_cap() {
    let b = bounds(10, 10, 0, 0); // 100 + tip 1 * 10
    assert!(check_fee_cap(b.span(), 1, 110).is_ok());
    assert_err(check_fee_cap(b.span(), 1, 109), Errors::FEE_ABOVE_CAP);
}

/// What the cap compares is exactly the u256 sum of §4.5 (or more than any
/// cap when that sum is 2^128 or more), and it is monotone in every bound
/// and in the tip.
#[test]
#[fuzzer(runs: 256, seed: 31)]
fn fuzz_max_fee_is_the_exact_sum(amount: u64, price: u128, data: u64, tip: u64, step: u32) {
    let price = price / 0x10000000000;
    let exact: u256 = amount.into() * price.into()
        + data.into() * price.into()
        + tip.into() * amount.into();
    let computed = max_fee(bounds(amount, price, data, price).span(), tip.into());
    match computed {
        Some(fee) => assert_eq!(fee.into(), exact),
        None => assert!(exact > Bounded::<u128>::MAX.into()),
    }
    let at_least = |fee: Option<u128>| match (fee, computed) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(more), Some(base)) => more >= base,
    };
    let step: u64 = step.into();
    assert!(
        at_least(
            max_fee(bounds(amount.saturating_add(step), price, data, price).span(), tip.into()),
        ),
    );
    assert!(at_least(max_fee(bounds(amount, price + step.into(), data, price).span(), tip.into())));
    assert!(
        at_least(
            max_fee(bounds(amount, price, data.saturating_add(step), price).span(), tip.into()),
        ),
    );
    assert!(at_least(max_fee(bounds(amount, price, data, price).span(), tip.into() + step.into())));
}
