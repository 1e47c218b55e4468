//! The session account's compiled class, committed in `classes/` by
//! `scripts/refresh-class` (scarb 2.16.1, `scarb --release build`, Sierra
//! 1.7.0) and embedded here, so the SDK builds without a Cairo toolchain.
//! `scripts/test` checks that it matches a fresh build of `contracts/`
//! whenever scarb is installed.
//!
//! The Sierra class hash, which the account is deployed from, is computed
//! with starknet-rust. Declaring a class also needs its compiled (CASM)
//! class hash, which takes a Sierra-to-CASM compiler: the test kit
//! (`session-account-testkit`) computes it; a dapp never declares.

use starknet_rust::core::types::contract::SierraClass;
use starknet_rust::core::types::{Felt, FlattenedSierraClass};

/// `session_account::account::SessionAccount`, as scarb wrote it.
const SESSION_ACCOUNT_SIERRA: &str =
    include_str!("../../classes/SessionAccount.contract_class.json");

/// Errors reading an embedded class.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    /// The embedded JSON is not a Sierra contract class.
    #[error("contract class {name} is not valid Sierra JSON: {reason}")]
    InvalidClass {
        /// The class's [`ContractArtifact::name`].
        name: &'static str,
        /// What the JSON parser or the flattening reported.
        reason: String,
    },
    /// The Sierra-to-CASM compiler refused the class (the test kit's
    /// compiled class hash).
    #[error("contract class {name} does not compile to CASM: {reason}")]
    CasmCompilation {
        /// The class's [`ContractArtifact::name`].
        name: &'static str,
        /// What the compiler reported.
        reason: String,
    },
}

/// One compiled contract class, embedded in the binary.
#[derive(Debug, Clone, Copy)]
pub struct ContractArtifact {
    /// The contract's name, e.g. `SessionAccount`, for error messages.
    pub name: &'static str,
    sierra_json: &'static str,
}

impl ContractArtifact {
    /// A class given as the Sierra JSON scarb writes.
    pub const fn new(name: &'static str, sierra_json: &'static str) -> Self {
        Self { name, sierra_json }
    }

    /// The session account contract.
    pub const fn session_account() -> Self {
        Self::new("SessionAccount", SESSION_ACCOUNT_SIERRA)
    }

    /// The Sierra contract class as scarb wrote it.
    pub fn sierra_json(&self) -> &'static str {
        self.sierra_json
    }

    /// The class in the flattened form used by `DECLARE` and class hashing.
    pub fn flattened(&self) -> Result<FlattenedSierraClass, ArtifactError> {
        let class: SierraClass = serde_json::from_str(self.sierra_json)
            .map_err(|e| ArtifactError::InvalidClass { name: self.name, reason: e.to_string() })?;
        class
            .flatten()
            .map_err(|e| ArtifactError::InvalidClass { name: self.name, reason: e.to_string() })
    }

    /// The Sierra class hash (what the account is deployed from).
    ///
    /// Hashing the whole program takes a moment, so the result is cached
    /// per process.
    pub fn class_hash(&self) -> Result<Felt, ArtifactError> {
        static CACHE: HashCache = HashCache::new();
        CACHE.get_or_compute(self.sierra_json, || Ok(self.flattened()?.class_hash()))
    }
}

/// Hashes of embedded classes, computed once per process. Embedded classes
/// are `'static` strings: their address identifies them.
pub struct HashCache(std::sync::Mutex<Vec<(usize, Felt)>>);

impl HashCache {
    /// An empty cache, usable as a `static`.
    pub const fn new() -> Self {
        Self(std::sync::Mutex::new(Vec::new()))
    }

    /// The hash cached for `class`, or `compute()`'s, then cached.
    pub fn get_or_compute(
        &self,
        class: &'static str,
        compute: impl FnOnce() -> Result<Felt, ArtifactError>,
    ) -> Result<Felt, ArtifactError> {
        let key = class.as_ptr() as usize;
        let cached = |cache: &Self| {
            let entries = cache.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            entries.iter().find(|(k, _)| *k == key).map(|(_, hash)| *hash)
        };
        if let Some(hash) = cached(self) {
            return Ok(hash);
        }
        let hash = compute()?;
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((key, hash));
        Ok(hash)
    }
}

impl Default for HashCache {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_class_is_sierra_1_7() {
        let artifact = ContractArtifact::session_account();
        artifact.class_hash().unwrap_or_else(|e| panic!("{e}"));
        let sierra: serde_json::Value = serde_json::from_str(artifact.sierra_json()).unwrap();
        assert_eq!(sierra["contract_class_version"], "0.1.0");
        assert_eq!(sierra["sierra_program"][0], "0x1", "Sierra major version");
        assert_eq!(sierra["sierra_program"][1], "0x7", "Sierra minor version");
    }
}
