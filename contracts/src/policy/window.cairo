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

pub mod Errors {
    pub const EXPIRED: felt252 = 'session/expired';
    pub const NOT_YET_VALID: felt252 = 'session/not-yet-valid';
    pub const NOT_RENEWABLE: felt252 = 'session/not-renewable';
    pub const NOT_EXPIRED: felt252 = 'session/not-expired';
    pub const RENEWAL_LIMIT: felt252 = 'session/renewal-limit';
}

/// Granularity of the timestamp that `__validate__` sees.
pub const VALIDATE_TIME_GRANULARITY: u64 = 3600;

/// Exact rule, used in `__execute__` and outside executions.
pub fn check_window_exact(valid_after: u64, valid_until: u64, now: u64) -> Result<(), felt252> {
    if now < valid_after {
        return Err(Errors::NOT_YET_VALID);
    }
    if now >= valid_until {
        return Err(Errors::EXPIRED);
    }
    Ok(())
}

/// Lenient rule, used in `__validate__`, where `floored_now` is the block
/// timestamp floored to `VALIDATE_TIME_GRANULARITY`.
pub fn check_window_lenient(
    valid_after: u64, valid_until: u64, floored_now: u64,
) -> Result<(), felt252> {
    if latest_in_hour(floored_now) < valid_after.into() {
        return Err(Errors::NOT_YET_VALID);
    }
    if floored_now >= valid_until {
        return Err(Errors::EXPIRED);
    }
    Ok(())
}

/// The latest real time the floored timestamp `floored_now` can stand for.
fn latest_in_hour(floored_now: u64) -> u128 {
    floored_now.into() + (VALIDATE_TIME_GRANULARITY - 1).into()
}

/// End of the grace period (exclusive): `valid_until + grace_period`.
pub fn grace_deadline(valid_until: u64, grace_period: u64) -> u128 {
    valid_until.into() + grace_period.into()
}

/// Lenient renewal rule (§5), used in `__validate__`: reject a renewal that
/// would certainly revert, for every time in the floored hour: the session
/// is not renewable, not yet expired, or past its grace period.
pub fn check_renewal_lenient(
    valid_until: u64, grace_period: u64, floored_now: u64,
) -> Result<(), felt252> {
    if grace_period == 0 {
        return Err(Errors::NOT_RENEWABLE);
    }
    if latest_in_hour(floored_now) < valid_until.into() {
        return Err(Errors::NOT_EXPIRED);
    }
    if floored_now.into() >= grace_deadline(valid_until, grace_period) {
        return Err(Errors::EXPIRED);
    }
    Ok(())
}

/// Exact renewal rule (§5), used in `__execute__`: the new `valid_until`,
/// `min(now + period, max_valid_until)`, which must lie after `now`. One
/// renewal extends by one period, whatever `valid_after` was.
pub fn renewed_valid_until(
    valid_until: u64, grace_period: u64, period: u64, max_valid_until: u64, now: u64,
) -> Result<u64, felt252> {
    if grace_period == 0 {
        return Err(Errors::NOT_RENEWABLE);
    }
    if now < valid_until {
        return Err(Errors::NOT_EXPIRED);
    }
    if now.into() >= grace_deadline(valid_until, grace_period) {
        return Err(Errors::EXPIRED);
    }
    let extended: u128 = now.into() + period.into();
    if extended < max_valid_until.into() {
        // extended < max_valid_until <= u64::MAX
        return Ok(extended.try_into().unwrap());
    }
    if max_valid_until <= now {
        return Err(Errors::RENEWAL_LIMIT);
    }
    Ok(max_valid_until)
}
