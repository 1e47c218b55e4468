//! session_account: a Starknet account owned by a Stark key, which can
//! delegate narrow, time-limited powers to session keys.
//!
//! Where things live:
//! - `account`    the contract: storage, entrypoints, events (thin: it wires
//!                 the pure modules below to storage and syscalls)
//! - `interface`  the public interfaces (SRC-6, SRC-5, session management)
//! - `errors`     every error string the contract can panic with
//! - `signature`  signature layouts (owner, session) and their parsing
//! - `session`    the session policy engine: policy, hash, time window,
//!                 calls, spending, views
//! - `storage`    how a session is packed into storage slots
//! - `tx`         transaction versions, the v3 hash, the fee cap
//! - `outside`    SNIP-9 v2 outside execution: hash, caller and window
//!
//! The normative description is docs/spec.md.

mod account;
mod errors;
mod interface;
mod outside;
mod signature;
mod session;
mod storage;
mod tx;
