//! End-to-end tests: the session account on embedded devnets, driven through
//! the library and the CLI. One binary (linking devnet is slow); one module per area.
//! Every test starts its own devnet, so tests run in parallel.

// The contract, by module (contracts/src) or spec section (docs/spec.md).
mod account;
mod agent_policies;
mod approvals;
mod browser;
mod calls;
mod fees;
mod outside_execution;
mod owner;
mod owner_kinds;
mod registration;
mod renewal;
mod revocation;
mod signature;
mod sources;
mod spending;
mod window;
// The named attacks, the fuzzer, the mutation campaign, the gas figures, the
// CLI and the demo.
mod cli;
mod cli_owners;
mod cli_snapshots;
mod corpus;
mod demo;
mod examples;
mod fuzz;
mod fuzz_shards;
mod gas;
mod mutants;
