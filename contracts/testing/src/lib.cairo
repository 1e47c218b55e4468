//! Contracts the session account's tests (snforge, and the Rust end-to-end
//! tests and fuzzer on devnet) deploy next to it: `TestToken`, a plain ERC-20
//! with every selector the account meters (and one it does not), and
//! `TestRouter`, which moves tokens through allowances it was given, the way
//! a DEX router or a bridge does, without the account calling the token;
//! `HookedToken`, whose `balance_of` calls out (the hostile token of §4.4 and
//! §11); and `ViewBatch`, which reads many views in one call (for the
//! fuzzer).

pub mod hooked_token;
pub mod router;
pub mod token;
pub mod view_batch;
