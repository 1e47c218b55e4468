//! policy::window: where expiry is enforced (§4.2) and renewal's grace
//! rules (§5).

use core::num::traits::SaturatingAdd;
use session_account::policy::window::{
    Errors, VALIDATE_TIME_GRANULARITY, check_renewal_lenient, check_window_exact,
    check_window_lenient, grace_deadline, renewed_valid_until,
};
use crate::fixtures::account::{HOUR, assert_err};

#[test]
fn granularity_is_one_hour() {
    assert_eq!(VALIDATE_TIME_GRANULARITY, HOUR);
}

#[test]
fn exact_accepts_inside_the_window() {
    assert!(check_window_exact(100, 200, 100).is_ok());
    assert!(check_window_exact(100, 200, 199).is_ok());
}

#[test]
fn exact_rejects_at_and_after_valid_until() {
    assert_err(check_window_exact(100, 200, 200), Errors::EXPIRED);
    assert_err(check_window_exact(100, 200, 5000), Errors::EXPIRED);
}

#[test]
fn exact_rejects_before_valid_after() {
    assert_err(check_window_exact(100, 200, 99), Errors::NOT_YET_VALID);
    assert_err(check_window_exact(100, 200, 0), Errors::NOT_YET_VALID);
}

/// Expiry inside the rounded hour: validate sees the hour's floor, still
/// before valid_until, so it lets the transaction through; execute's exact
/// clock then refuses it.
#[test]
fn lenient_accepts_expiry_inside_the_floored_hour() {
    let floor = 10 * HOUR;
    let until = floor + 1800;
    assert!(check_window_lenient(0, until, floor).is_ok());
    assert_err(check_window_exact(0, until, floor + 1800), Errors::EXPIRED);
}

#[test]
fn lenient_rejects_once_the_floor_reaches_valid_until() {
    let floor = 10 * HOUR;
    assert_err(check_window_lenient(0, floor, floor), Errors::EXPIRED);
    assert_err(check_window_lenient(0, floor - 1, floor), Errors::EXPIRED);
}

#[test]
fn lenient_not_yet_valid_uses_the_hours_last_second() {
    let floor = 10 * HOUR;
    assert!(check_window_lenient(floor + HOUR - 1, floor + 2 * HOUR, floor).is_ok());
    assert_err(check_window_lenient(floor + HOUR, floor + 2 * HOUR, floor), Errors::NOT_YET_VALID);
}

/// Whatever the exact rule accepts at t, the lenient rule accepts at
/// floor(t); whatever the lenient rule rejects at f, the exact rule rejects
/// for every t in [f, f + 3600).
#[test]
fn lenient_is_the_hour_projection_of_exact() {
    let mut after: u64 = 0;
    while after <= 3 * HOUR {
        let until = after + 1;
        let mut t: u64 = 0;
        while t <= 5 * HOUR {
            let floor = t - t % HOUR;
            if check_window_exact(after, until, t).is_ok() {
                assert!(check_window_lenient(after, until, floor).is_ok());
            }
            if check_window_lenient(after, until, floor).is_err() {
                assert!(check_window_exact(after, until, t).is_err());
            }
            t += 900;
        }
        after += 1700;
    }
}

#[test]
fn window_rules_never_overflow() {
    let max: u64 = core::num::traits::Bounded::MAX;
    assert!(check_window_lenient(max - 1, max, max - 3599).is_ok());
    assert!(check_window_lenient(max - 1, max, max).is_err());
    assert!(check_renewal_lenient(max, max, max).is_ok());
    assert_eq!(grace_deadline(max, max), 0x1fffffffffffffffe);
    assert!(renewed_valid_until(max - 1, max, max, max, max - 1).is_ok());
}

// valid_until 5000, grace 600, period 4000, bound 20000.

#[test]
fn renewal_inside_grace_extends_by_the_period_from_now() {
    assert_eq!(renewed_valid_until(5000, 600, 4000, 20000, 5000), Ok(9000));
    assert_eq!(renewed_valid_until(5000, 600, 4000, 20000, 5599), Ok(9599));
}

#[test]
fn renewal_is_bounded_by_max_valid_until() {
    assert_eq!(renewed_valid_until(5000, 600, 4000, 6000, 5100), Ok(6000));
    assert_err(renewed_valid_until(5000, 600, 4000, 5000, 5100), Errors::RENEWAL_LIMIT);
    assert_err(renewed_valid_until(5000, 600, 4000, 5100, 5100), Errors::RENEWAL_LIMIT);
    assert_eq!(renewed_valid_until(5000, 600, 4000, 5101, 5100), Ok(5101));
}

#[test]
fn renewal_only_after_expiry_and_within_grace() {
    assert_err(renewed_valid_until(5000, 600, 4000, 20000, 4999), Errors::NOT_EXPIRED);
    assert_err(renewed_valid_until(5000, 600, 4000, 20000, 5600), Errors::EXPIRED);
    assert_err(renewed_valid_until(5000, 0, 4000, 20000, 5000), Errors::NOT_RENEWABLE);
}

#[test]
fn lenient_renewal_rejects_only_certain_lateness() {
    let floor = 10 * HOUR;
    assert!(check_renewal_lenient(floor - 100, 200, floor).is_ok());
    assert_err(check_renewal_lenient(floor - 200, 200, floor), Errors::EXPIRED);
    assert_err(check_renewal_lenient(floor, 0, floor), Errors::NOT_RENEWABLE);
}

/// Monotone in time: once expired, a session stays expired; before it was
/// valid, it was not yet valid or valid, never expired.
#[test]
#[fuzzer(runs: 256, seed: 11)]
fn fuzz_the_exact_window_is_monotone(valid_after: u64, length: u32, t1: u64, step: u32) {
    let valid_until = valid_after.saturating_add(length.into() + 1);
    let t2 = t1.saturating_add(step.into());
    match check_window_exact(valid_after, valid_until, t1) {
        Ok(()) => assert!(
            check_window_exact(valid_after, valid_until, t2) != Err(Errors::NOT_YET_VALID),
        ),
        Err(e) => if e == Errors::EXPIRED {
            assert_err(check_window_exact(valid_after, valid_until, t2), Errors::EXPIRED);
        },
    }
    if check_window_exact(valid_after, valid_until, t2) == Err(Errors::NOT_YET_VALID) {
        assert_err(check_window_exact(valid_after, valid_until, t1), Errors::NOT_YET_VALID);
    }
}

/// The lenient rule never rejects a time the exact rule accepts.
#[test]
#[fuzzer(runs: 256, seed: 12)]
fn fuzz_lenient_never_rejects_what_exact_accepts(valid_after: u64, length: u16, t: u64) {
    let valid_until = valid_after.saturating_add(length.into() + 1);
    if check_window_exact(valid_after, valid_until, t).is_ok() {
        assert!(check_window_lenient(valid_after, valid_until, t - t % HOUR).is_ok());
    }
}

/// A renewal never sets `valid_until` past `max_valid_until` or at or
/// before now.
#[test]
#[fuzzer(runs: 256, seed: 13)]
fn fuzz_renewal_stays_within_its_bounds(
    valid_until: u64, grace: u32, period: u32, extra: u32, late: u32,
) {
    let max_valid_until = valid_until.saturating_add(extra.into());
    let now = valid_until.saturating_add(late.into());
    if let Ok(new_until) =
        renewed_valid_until(valid_until, grace.into(), period.into(), max_valid_until, now) {
        assert!(new_until > now);
        assert!(new_until <= max_valid_until);
        assert!(new_until.into() <= now.into() + Into::<u32, u128>::into(period));
    }
}
