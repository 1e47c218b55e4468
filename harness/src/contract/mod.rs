//! The Cairo side, as seen from Rust: the compiled classes, the contract's
//! error strings, and the calldata layouts of its entrypoints.

pub mod artifacts;
#[cfg(feature = "devnet")]
pub mod declare;
pub mod errors;
pub mod selectors;

pub use artifacts::ContractArtifact;
pub use errors::ContractError;
