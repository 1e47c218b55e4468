//! Where expiry is enforced: the time-window rules (§4.2) and the grace
//! rules of renewal (§5).
//!
//! A session is usable at time `t` iff `valid_after <= t < valid_until`.
//!
//! `__validate__` only sees the block timestamp floored to a multiple of
//! 3600 s, `tf <= t < tf + 3600`, so it applies the *lenient* rule: reject
//! only what is certainly outside the window for every `t` in that hour.
//! `__execute__` sees the exact timestamp and applies the *exact* rule,
//! reverting the transaction. Together: no call of an expired session ever
//! executes, and a transaction rejected in validate would also have failed
//! in execute.
//!
//! Sums are computed in u128, so no input can overflow.

use traits::{Into, TryInto};
use option::OptionTrait;
use session_account::errors;

/// Granularity of the timestamp that `__validate__` sees.
const VALIDATE_TIME_GRANULARITY: u64 = 3600;

/// Exact rule, used in `__execute__`.
fn check_window_exact(valid_after: u64, valid_until: u64, now: u64) -> Result<(), felt252> {
    if now < valid_after {
        return Result::Err(errors::SESSION_NOT_YET_VALID);
    }
    if now >= valid_until {
        return Result::Err(errors::SESSION_EXPIRED);
    }
    Result::Ok(())
}

/// Lenient rule, used in `__validate__`, where `floored_now` is the block
/// timestamp floored to `VALIDATE_TIME_GRANULARITY`.
fn check_window_lenient(
    valid_after: u64, valid_until: u64, floored_now: u64
) -> Result<(), felt252> {
    // The latest real time this hour can stand for.
    let latest: u128 = floored_now.into() + (VALIDATE_TIME_GRANULARITY - 1).into();
    if latest < valid_after.into() {
        return Result::Err(errors::SESSION_NOT_YET_VALID);
    }
    if floored_now >= valid_until {
        return Result::Err(errors::SESSION_EXPIRED);
    }
    Result::Ok(())
}

/// A window is well formed when it is non-empty.
fn check_window_well_formed(valid_after: u64, valid_until: u64) -> Result<(), felt252> {
    if valid_after >= valid_until {
        return Result::Err(errors::SESSION_INVALID_WINDOW);
    }
    Result::Ok(())
}

/// End of the grace period (exclusive): `valid_until + grace_period`.
fn grace_deadline(valid_until: u64, grace_period: u64) -> u128 {
    valid_until.into() + grace_period.into()
}

/// Lenient renewal rule (§5), used in `__validate__`: reject a renewal that
/// is certainly past the grace period for every time in the floored hour.
fn check_renewal_lenient(
    valid_until: u64, grace_period: u64, floored_now: u64
) -> Result<(), felt252> {
    if grace_period == 0 {
        return Result::Err(errors::SESSION_NOT_RENEWABLE);
    }
    if floored_now.into() >= grace_deadline(valid_until, grace_period) {
        return Result::Err(errors::SESSION_EXPIRED);
    }
    Result::Ok(())
}

/// Exact renewal rule (§5), used in `__execute__`: the new `valid_until`,
/// `min(now + period, max_valid_until)`, which must lie after `now`.
fn renewed_valid_until(
    valid_until: u64, grace_period: u64, period: u64, max_valid_until: u64, now: u64
) -> Result<u64, felt252> {
    if grace_period == 0 {
        return Result::Err(errors::SESSION_NOT_RENEWABLE);
    }
    if now < valid_until {
        return Result::Err(errors::SESSION_NOT_EXPIRED);
    }
    if now.into() >= grace_deadline(valid_until, grace_period) {
        return Result::Err(errors::SESSION_EXPIRED);
    }
    let extended: u128 = now.into() + period.into();
    if extended < max_valid_until.into() {
        // extended < max_valid_until <= u64::MAX
        return Result::Ok(extended.try_into().unwrap());
    }
    if max_valid_until <= now {
        return Result::Err(errors::SESSION_RENEWAL_LIMIT);
    }
    Result::Ok(max_valid_until)
}
