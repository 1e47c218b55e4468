//! The Cairo side, as seen from Rust: the compiled class, the contract's
//! error strings, and the selectors of its entrypoints.

pub mod artifacts;
pub mod errors;
pub mod reader;
pub mod selectors;

pub use artifacts::ContractArtifact;
pub use errors::ContractError;
