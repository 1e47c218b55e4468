//! What the owner grants a session key, fixed at registration.

use starknet::ContractAddress;

#[derive(Drop, Serde)]
struct SessionPolicy {
    /// Stark public key that signs the session's transactions.
    session_key: felt252,
    /// First second (inclusive) at which the session may be used.
    valid_after: u64,
    /// First second at which the session is expired (exclusive bound).
    valid_until: u64,
    /// Contracts the session may call; never the account itself.
    allowed_contracts: Array<ContractAddress>,
}
