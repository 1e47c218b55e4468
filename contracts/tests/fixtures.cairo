//! What the tests share.
//!
//! - `policies`   fixed addresses and a sample policy, for the unit tests
//! - `account`    keys, a deployed account with a token and a target next to
//!                it, sample policies, and `submit`, which presents a
//!                transaction as the protocol does; its `Outcome`
//! - `relaying`   outside executions relayed by the test contract
//! - `mocks`      a target contract that records calls and calls back
//! - `p256`       P-256 and WebAuthn vectors from an independent library

pub mod account;
pub mod mocks;
pub mod p256;
pub mod policies;
pub mod relaying;
