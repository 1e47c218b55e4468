//! starknet-devnet: a typed client for its `devnet_*` methods (works with any
//! devnet URL) and, behind the `devnet` feature, an embedded in-process
//! devnet.

pub mod client;
#[cfg(feature = "devnet")]
pub mod embedded;
#[cfg(feature = "devnet")]
pub mod sandbox;

pub use client::{DevnetClient, DevnetError, PredeployedAccount};
#[cfg(feature = "devnet")]
pub use embedded::{DevnetOptions, EmbeddedDevnet};
#[cfg(feature = "devnet")]
pub use sandbox::{DeployedAccount, Sandbox};

use starknet_rust::core::types::Felt;
use starknet_rust::macros::felt;

/// STRK fee token on devnet (same address as on Starknet networks).
pub const STRK: Felt = felt!("0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d");
/// A fixed first block time for reproducible runs (fuzzing, benchmarks):
/// ten minutes past a whole hour, so hour-floored validate clocks are
/// predictable.
pub const FIXED_START: u64 = 1_900_000_000 - 1_900_000_000 % 3600 + 600;
/// ETH token on devnet (same address as on Starknet networks).
pub const ETH: Felt = felt!("0x049d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7");
