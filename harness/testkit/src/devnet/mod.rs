//! starknet-devnet: a typed client for its `devnet_*` methods (works with
//! any devnet URL), an embedded in-process devnet, and a sandbox on it.

pub mod client;
pub mod embedded;
pub mod sandbox;

pub use client::{DevnetClient, DevnetError, PredeployedAccount, TokenUnit};
pub use embedded::{DevnetOptions, EmbeddedDevnet};
pub use sandbox::{DeployedAccount, Sandbox};

/// A fixed first block time for reproducible runs (fuzzing, benchmarks):
/// ten minutes past a whole hour, so hour-floored validate clocks are
/// predictable.
pub const FIXED_START: u64 = 1_900_000_000 - 1_900_000_000 % 3600 + 600;
