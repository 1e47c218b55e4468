//! What the account stores for a session, and what the status view shows.

/// Stored per session key. A zeroed record means "never registered".
#[derive(Copy, Drop, Serde, starknet::Store, PartialEq)]
struct SessionRecord {
    registered: bool,
    revoked: bool,
    valid_after: u64,
    valid_until: u64,
}

/// The status view of one session at a given time.
#[derive(Copy, Drop, Serde, PartialEq)]
struct SessionStatus {
    registered: bool,
    revoked: bool,
    valid_after: u64,
    valid_until: u64,
    /// Whether the session could be used right now (block timestamp).
    active: bool,
}
