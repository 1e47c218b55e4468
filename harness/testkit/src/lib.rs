//! # session-account-testkit
//!
//! Everything that tests the session account rather than uses it:
//!
//! - [`devnet`]: starknet-devnet 0.10.1 embedded in the process, a client
//!   for its `devnet_*` methods, and a [`Sandbox`](devnet::Sandbox) with the
//!   account class declared and funded accounts to pay for set-up;
//! - [`classes`]: the test token and router, compiling classes to CASM, and
//!   declaring them;
//! - [`model`]: the reference model, docs/spec.md as a pure function;
//! - [`fuzz`]: the fuzzer that holds the contract to the model, and the
//!   named attack corpus;
//! - [`mutants`]: the mutation campaign, which checks that those tests
//!   notice when a rule of the contract is wrong;
//! - [`bench`]: gas per operation and the fuzzer's throughput;
//! - [`demo`]: the main job, an end-to-end session demo on a devnet.

pub mod bench;
pub mod classes;
pub mod demo;
pub mod devnet;
pub mod fuzz;
pub mod model;
pub mod mutants;
