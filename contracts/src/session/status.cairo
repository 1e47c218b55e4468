//! The views built from a session's storage (§8). How sessions are
//! stored is `storage.cairo`.

use starknet::ContractAddress;

/// The status view of one session (§8).
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionStatus {
    registered: bool,
    revoked: bool,
    /// The session's epoch is the current revocation epoch.
    epoch_valid: bool,
    valid_after: u64,
    valid_until: u64,
    renewable: bool,
    /// `valid_until + grace_period`, or 0 when not renewable.
    grace_deadline: u128,
    max_valid_until: u64,
    calls_used: u64,
    calls_remaining: u64,
    max_calls_per_tx: u32,
    max_fee_per_tx: u128,
    /// Usable now (exact rule, block timestamp).
    active: bool,
}

/// One token's budget, for the spending view (§8).
#[derive(Copy, Drop, Serde, PartialEq)]
struct TokenSpending {
    token: ContractAddress,
    limit: u256,
    spent: u256,
}
