//! Cairo tests of the pure policy logic. Each module holds one test
//! contract; the Rust runner (harness/src/cairo_test.rs) deploys it on a
//! devnet and calls every `test_*` entrypoint. Tests mirror the modules of
//! `session_account`: `test_<module>` tests `<module>`.

mod helpers;

mod test_signature;
mod test_window;
mod test_calls;
