//! policy::periods: fixed windows from `valid_after` and their tallies
//! (§4.9), at every boundary.

use session_account::policy::check_well_formed;
use session_account::policy::periods::{
    Errors, PeriodicLimit, WindowTally, charge, check_period_well_formed, spent_in, window_index,
    window_remaining, window_start,
};
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{account, sample_policy};

const DAY: u64 = 86400;

#[test]
fn windows_start_at_valid_after() {
    assert_eq!(window_index(1000, DAY, 1000), 0);
    assert_eq!(window_index(1000, DAY, 1000 + DAY - 1), 0);
    assert_eq!(window_index(1000, DAY, 1000 + DAY), 1);
    assert_eq!(window_index(1000, DAY, 1000 + 3 * DAY + 5), 3);
    // Before the session starts (no execution runs then): window 0.
    assert_eq!(window_index(1000, DAY, 10), 0);
    assert_eq!(window_start(1000, DAY, 2), 1000 + 2 * DAY.into());
    // A start past the u64 range is still a number.
    assert_eq!(window_start(0, 0xffffffffffffffff, 2), 2 * 0xffffffffffffffff);
}

#[test]
fn a_window_holds_exactly_its_limit() {
    let limit = PeriodicLimit { period: DAY, limit: 100 };
    let tally = charge(limit, Default::default(), 0, 60).unwrap();
    assert_eq!(tally, WindowTally { index: 0, spent: 60 });
    assert_err(charge(limit, tally, 0, 41), Errors::PERIOD_LIMIT);
    let tally = charge(limit, tally, 0, 40).unwrap();
    assert_eq!(window_remaining(limit, tally, 0), 0);
    assert_err(charge(limit, tally, 0, 1), Errors::PERIOD_LIMIT);
    assert_eq!(charge(limit, tally, 0, 0), Ok(tally));
}

#[test]
fn a_new_window_starts_with_nothing_spent() {
    let limit = PeriodicLimit { period: DAY, limit: 100 };
    let full = WindowTally { index: 4, spent: 100 };
    assert_eq!(spent_in(full, 5), 0);
    assert_eq!(window_remaining(limit, full, 5), 100);
    assert_eq!(charge(limit, full, 5, 100), Ok(WindowTally { index: 5, spent: 100 }));
    // Windows skipped entirely reset too.
    assert_eq!(charge(limit, full, 9, 30), Ok(WindowTally { index: 9, spent: 30 }));
}

#[test]
fn amounts_beyond_u128_never_fit() {
    let limit = PeriodicLimit { period: DAY, limit: 0xffffffffffffffffffffffffffffffff };
    assert_err(
        charge(limit, Default::default(), 0, u256 { low: 0, high: 1 }), Errors::PERIOD_LIMIT,
    );
}

#[test]
fn a_corrupted_tally_fails_closed() {
    let limit = PeriodicLimit { period: DAY, limit: 10 };
    let over = WindowTally { index: 0, spent: 11 };
    assert_eq!(window_remaining(limit, over, 0), 0);
    assert_err(charge(limit, over, 0, 1), Errors::PERIOD_LIMIT);
}

#[test]
fn a_period_limit_needs_a_period() {
    assert_eq!(check_period_well_formed(0, 0), Ok(()));
    assert_eq!(check_period_well_formed(DAY, 0), Ok(()));
    assert_err(check_period_well_formed(0, 5), Errors::INVALID_PERIOD);
    let mut p = sample_policy();
    let mut limit = *p.spending_limits[0];
    limit.period = 0;
    p.spending_limits = array![limit];
    assert_err(check_well_formed(@p, account()), Errors::INVALID_PERIOD);
}

#[test]
#[fuzzer(runs: 256, seed: 91)]
fn fuzz_the_window_holds_now(valid_after: u32, period: u32, elapsed: u32) {
    let period: u64 = period.into() + 1;
    let now: u64 = valid_after.into() + elapsed.into();
    let index = window_index(valid_after.into(), period, now);
    let start = window_start(valid_after.into(), period, index);
    assert!(start <= now.into());
    assert!(now.into() < start + period.into());
}
