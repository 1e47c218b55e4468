//! Cairo tests of the pure policy logic. Each `test_<module>.cairo` holds
//! one test contract testing `session_account::<module>`; the Rust runner
//! (harness/src/cairo_test.rs) deploys it on a devnet and calls every
//! `test_*` entrypoint. Section numbers refer to docs/spec.md.

mod helpers;

mod test_signature;
mod test_tx;
mod test_policy;
mod test_hash;
mod test_window;
mod test_calls;
mod test_spending;
