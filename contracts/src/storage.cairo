//! How a session is stored: each group of fields read together is packed
//! into one storage slot, so a session transaction reads and writes as few
//! slots as possible (`account.cairo` holds the maps).
//!
//! | slot              | fields (bits)                                               | read by |
//! |-------------------|-------------------------------------------------------------|---------|
//! | `SessionState`    | valid_after (64), valid_until (64), epoch (64), flags (2)    | every session tx |
//! | `SessionCaps`     | max_fee_per_tx (128), max_calls (64), max_calls_per_tx (32)  | every session tx |
//! | `SessionRenewal`  | grace_period (64), max_valid_until (64), period (64)         | renewal, views |
//! | `SessionLists`    | contract_count (32), limit_count (32)                        | views |
//!
//! Calls used (u64), the session hash and, per limited token, the limit and
//! the amount spent (u256 each) have slots of their own.

use starknet::StorePacking;
use traits::{Into, TryInto};
use option::OptionTrait;

const SHIFT_32: u128 = 0x100000000;
const SHIFT_64: u128 = 0x10000000000000000;
const SHIFT_128: felt252 = 0x100000000000000000000000000000000;

/// Lifecycle and time window.
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionState {
    registered: bool,
    revoked: bool,
    /// Revocation epoch at registration; usable only while it is current.
    epoch: u64,
    valid_after: u64,
    valid_until: u64,
}

/// Caps fixed at registration.
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionCaps {
    max_calls_per_tx: u32,
    max_calls: u64,
    max_fee_per_tx: u128,
}

/// Renewal settings fixed at registration.
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionRenewal {
    grace_period: u64,
    max_valid_until: u64,
    /// Original `valid_until - valid_after`, by which renewal extends.
    period: u64,
}

/// Lengths of the session's allowed-contract and spending-limit lists.
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionLists {
    contract_count: u32,
    limit_count: u32,
}

fn join(low: u128, high: u128) -> felt252 {
    low.into() + high.into() * SHIFT_128
}

fn split(value: felt252) -> (u128, u128) {
    let value: u256 = value.into();
    (value.low, value.high)
}

fn lo64(value: u128) -> u64 {
    (value % SHIFT_64).try_into().unwrap()
}

fn hi64(value: u128) -> u64 {
    // value < 2^128, so value / 2^64 < 2^64.
    (value / SHIFT_64).try_into().unwrap()
}

fn u64_pair(low: u64, high: u64) -> u128 {
    low.into() + high.into() * SHIFT_64
}

impl SessionStatePacking of StorePacking<SessionState, felt252> {
    fn pack(value: SessionState) -> felt252 {
        let mut flags: u128 = 0;
        if value.registered {
            flags += 1;
        }
        if value.revoked {
            flags += 2;
        }
        join(
            u64_pair(value.valid_after, value.valid_until),
            value.epoch.into() + flags * SHIFT_64
        )
    }

    fn unpack(value: felt252) -> SessionState {
        let (low, high) = split(value);
        let flags = high / SHIFT_64;
        SessionState {
            registered: flags % 2 == 1,
            revoked: (flags / 2) % 2 == 1,
            epoch: lo64(high),
            valid_after: lo64(low),
            valid_until: hi64(low),
        }
    }
}

impl SessionCapsPacking of StorePacking<SessionCaps, felt252> {
    fn pack(value: SessionCaps) -> felt252 {
        join(value.max_fee_per_tx, value.max_calls.into() + value.max_calls_per_tx.into() * SHIFT_64)
    }

    fn unpack(value: felt252) -> SessionCaps {
        let (low, high) = split(value);
        SessionCaps {
            max_calls_per_tx: (high / SHIFT_64).try_into().unwrap(),
            max_calls: lo64(high),
            max_fee_per_tx: low,
        }
    }
}

impl SessionRenewalPacking of StorePacking<SessionRenewal, felt252> {
    fn pack(value: SessionRenewal) -> felt252 {
        join(u64_pair(value.grace_period, value.max_valid_until), value.period.into())
    }

    fn unpack(value: felt252) -> SessionRenewal {
        let (low, high) = split(value);
        SessionRenewal {
            grace_period: lo64(low), max_valid_until: hi64(low), period: lo64(high),
        }
    }
}

impl SessionListsPacking of StorePacking<SessionLists, felt252> {
    fn pack(value: SessionLists) -> felt252 {
        (value.contract_count.into() + value.limit_count.into() * SHIFT_32).into()
    }

    fn unpack(value: felt252) -> SessionLists {
        let (low, _) = split(value);
        SessionLists {
            contract_count: (low % SHIFT_32).try_into().unwrap(),
            limit_count: ((low / SHIFT_32) % SHIFT_32).try_into().unwrap(),
        }
    }
}
