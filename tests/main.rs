//! End-to-end tests: the session account on embedded devnets, driven through
//! the library and the CLI. One binary (linking devnet is slow); one module per area.
//! Every test starts its own devnet, so tests run in parallel.

mod account;
mod cli;
mod corpus;
mod demo;
mod fees;
mod fuzz;
mod gas;
mod gasless;
mod lifecycle;
mod registration;
mod session_calls;
mod session_expiry;
mod signatures;
mod spending;
