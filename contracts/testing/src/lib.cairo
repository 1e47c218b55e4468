//! Contracts the session account's tests (snforge, and the Rust end-to-end
//! tests and fuzzer on devnet) deploy next to it: `TestToken`, a plain ERC-20
//! with every selector the account meters (and one it does not), and
//! `TestRouter`, which moves tokens through allowances it was given, the way
//! a DEX router or a bridge does, without the account calling the token;
//! and `ViewBatch`, which reads many views in one call (for the fuzzer).

pub mod router;
pub mod token;
pub mod view_batch;
