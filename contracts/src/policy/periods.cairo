//! Periodic spending limits (§4.9): on top of its lifetime limit, a limited
//! token may have a limit per period. Windows are fixed: window `k` of a
//! session is `[valid_after + k × period, valid_after + (k + 1) × period)`,
//! found from the exact clock of `__execute__` (or of the outside
//! execution), never from `__validate__`'s floored one. What a window
//! counts is what the lifetime limit counts (§4.4): metered, then watched.
//! A new window starts with nothing spent.
//!
//! Pure: the window's tally comes in as a value, one storage slot in the
//! session's node (`sessions/node.cairo`).

use starknet::storage_access::StorePacking;
use crate::packing::{join, low_half, split};


pub mod Errors {
    pub const PERIOD_LIMIT: felt252 = 'session/period-limit';
    pub const INVALID_PERIOD: felt252 = 'session/invalid-period';
}

/// At most `limit` of a token per `period` seconds.
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct PeriodicLimit {
    /// Seconds; 0 = no periodic limit.
    pub period: u64,
    pub limit: u128,
}

/// What was spent of a token in window `index`.
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct WindowTally {
    pub index: u64,
    pub spent: u128,
}

/// §1.1: a periodic limit needs a period (`period_limit` is 0 when
/// `period` is).
pub fn check_period_well_formed(period: u64, period_limit: u128) -> Result<(), felt252> {
    if period == 0 && period_limit != 0 {
        return Err(Errors::INVALID_PERIOD);
    }
    Ok(())
}

/// The index of the window holding `now` (window 0 before `valid_after`,
/// when no execution can run). `period` is at least 1.
pub fn window_index(valid_after: u64, period: u64, now: u64) -> u64 {
    if now <= valid_after {
        return 0;
    }
    (now - valid_after) / period
}

/// The first second of window `index` (a u128: it may lie past the u64
/// range).
pub fn window_start(valid_after: u64, period: u64, index: u64) -> u128 {
    valid_after.into() + period.into() * index.into()
}

/// What `tally` says was spent in window `index`: nothing if it is of an
/// earlier window.
pub fn spent_in(tally: WindowTally, index: u64) -> u128 {
    if tally.index == index {
        tally.spent
    } else {
        0
    }
}

/// What remains of `limit` in window `index` (0 if a corrupted tally says
/// more was spent than the limit).
pub fn window_remaining(limit: PeriodicLimit, tally: WindowTally, index: u64) -> u128 {
    let spent = spent_in(tally, index);
    if spent >= limit.limit {
        0
    } else {
        limit.limit - spent
    }
}

/// The tally once `amount` more is spent in window `index`, or
/// `session/period-limit` if it does not fit what remains of the window.
pub fn charge(
    limit: PeriodicLimit, tally: WindowTally, index: u64, amount: u256,
) -> Result<WindowTally, felt252> {
    let remaining = window_remaining(limit, tally, index);
    if amount > remaining.into() {
        return Err(Errors::PERIOD_LIMIT);
    }
    Ok(WindowTally { index, spent: spent_in(tally, index) + amount.low })
}

/// Storage layouts (`sessions/node.cairo` holds both): the amount in the
/// low 128 bits, the period (or window index) above it.
pub impl PeriodicLimitPacking of StorePacking<PeriodicLimit, felt252> {
    fn pack(value: PeriodicLimit) -> felt252 {
        join(value.limit, value.period.into())
    }

    fn unpack(value: felt252) -> PeriodicLimit {
        // Bits above the u64 (never written) are dropped.
        let (limit, high) = split(value);
        PeriodicLimit { period: low_half(high), limit }
    }
}

pub impl WindowTallyPacking of StorePacking<WindowTally, felt252> {
    fn pack(value: WindowTally) -> felt252 {
        join(value.spent, value.index.into())
    }

    fn unpack(value: felt252) -> WindowTally {
        let (spent, high) = split(value);
        WindowTally { index: low_half(high), spent }
    }
}
