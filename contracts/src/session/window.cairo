//! Where expiry is enforced: the time-window rules (docs/spec.md, "Time").
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
    let latest = floored_now + (VALIDATE_TIME_GRANULARITY - 1);
    if latest < valid_after {
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
