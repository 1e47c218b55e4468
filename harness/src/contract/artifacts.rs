//! Compiled contract classes, embedded at build time by `harness/build.rs`
//! (Cairo 2.1.0 `starknet-compile`, Sierra 1.3.0).
//!
//! The Sierra class hash is computed with starknet-rust; the compiled (CASM)
//! class hash that a declare transaction must carry is the Blake2s (v2) hash
//! of the CASM produced by `cairo-lang-starknet-classes` 2.19.4, the same
//! compiler and version starknet-devnet 0.10.1 uses to check it.

use starknet_rust::core::types::contract::SierraClass;
use starknet_rust::core::types::{Felt, FlattenedSierraClass};

mod generated {
    use super::CairoTestContract;
    include!(concat!(env!("OUT_DIR"), "/contracts.rs"));
}

/// A Cairo test contract from `contracts/tests` (see `crate::cairo_test`).
#[derive(Debug, Clone, Copy)]
pub struct CairoTestContract {
    /// Contract module name, e.g. `TestWindow`.
    pub name: &'static str,
    /// Source file, relative to the repository root.
    pub source: &'static str,
    /// Sierra contract class JSON.
    pub sierra: &'static str,
    /// `(test entrypoint, expected panic message)` for tests marked
    /// `#[should_panic(expected: ('message',))]`.
    pub expected_panics: &'static [(&'static str, &'static str)],
}

impl CairoTestContract {
    /// The panic message this test is declared to fail with, if any.
    pub fn expected_panic(&self, test: &str) -> Option<&'static str> {
        self.expected_panics.iter().find(|(name, _)| *name == test).map(|(_, m)| *m)
    }

    pub fn artifact(&self) -> ContractArtifact {
        ContractArtifact { name: self.name, sierra_json: self.sierra }
    }
}

/// All Cairo test contracts, in file order.
pub fn cairo_test_contracts() -> &'static [CairoTestContract] {
    generated::CAIRO_TEST_CONTRACTS
}

/// Errors turning an embedded class into what the network needs.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    #[error("contract class {name} is not valid Sierra JSON: {reason}")]
    InvalidClass { name: &'static str, reason: String },
    #[error("contract class {name} does not compile to CASM: {reason}")]
    CasmCompilation { name: &'static str, reason: String },
}

/// What compiling a class to CASM produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CasmInfo {
    /// Blake2s (v2) compiled class hash, as `DECLARE` must carry it.
    pub compiled_class_hash: Felt,
    /// Length of the CASM bytecode, in felts.
    pub bytecode_felts: usize,
    /// Size of the CASM class as JSON.
    pub json_bytes: usize,
}

/// One compiled contract class.
#[derive(Debug, Clone, Copy)]
pub struct ContractArtifact {
    pub name: &'static str,
    sierra_json: &'static str,
}

impl ContractArtifact {
    /// The session account contract.
    pub fn session_account() -> Self {
        Self { name: "SessionAccount", sierra_json: generated::SESSION_ACCOUNT_SIERRA }
    }

    /// The Sierra contract class as `starknet-compile` wrote it.
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

    /// Compiles the class to CASM and returns its Blake2s (v2) compiled
    /// class hash, as checked by the network on `DECLARE`.
    ///
    /// Compiling takes a moment, so the result is cached per process.
    #[cfg(feature = "devnet")]
    pub fn compiled_class_hash(&self) -> Result<Felt, ArtifactError> {
        static CACHE: HashCache = HashCache::new();
        CACHE.get_or_compute(self.sierra_json, || Ok(self.casm()?.compiled_class_hash))
    }

    /// Compiles the class to CASM with the compiler devnet uses (2.19.4).
    #[cfg(feature = "devnet")]
    pub fn casm(&self) -> Result<CasmInfo, ArtifactError> {
        use cairo_lang_starknet_classes::casm_contract_class::CasmContractClass;
        use cairo_lang_starknet_classes::contract_class::ContractClass;

        let casm_error =
            |reason: String| ArtifactError::CasmCompilation { name: self.name, reason };
        // The ABI and debug info play no part in CASM; drop them so the
        // Cairo 2.1 ABI format never has to parse with the newer compiler.
        let mut value: serde_json::Value = serde_json::from_str(self.sierra_json)
            .map_err(|e| ArtifactError::InvalidClass { name: self.name, reason: e.to_string() })?;
        if let Some(object) = value.as_object_mut() {
            object.remove("abi");
            object.remove("sierra_program_debug_info");
        }
        let class: ContractClass =
            serde_json::from_value(value).map_err(|e| casm_error(e.to_string()))?;
        let program = class.extract_sierra_program(false).map_err(|e| casm_error(e.to_string()))?;
        let casm = CasmContractClass::from_contract_class(class, program, true, usize::MAX)
            .map_err(|e| casm_error(e.to_string()))?;
        let hash = casm.compiled_class_hash();
        let json = serde_json::to_string(&casm).map_err(|e| casm_error(e.to_string()))?;
        Ok(CasmInfo {
            compiled_class_hash: Felt::from_bytes_be(&hash.to_bytes_be()),
            bytecode_felts: casm.bytecode.len(),
            json_bytes: json.len(),
        })
    }
}

#[cfg(all(test, feature = "devnet"))]
mod tests {
    use super::*;

    /// Cairo 2.1 Sierra must also compile with the compiler devnet uses
    /// (2.19.4): some 2.1 code generation is rejected by it, and that only
    /// shows at declare time otherwise.
    #[test]
    fn every_embedded_class_compiles_to_casm() {
        let mut artifacts = vec![ContractArtifact::session_account()];
        artifacts.extend(cairo_test_contracts().iter().map(|t| t.artifact()));
        for artifact in artifacts {
            artifact.compiled_class_hash().unwrap_or_else(|e| panic!("{e}"));
            artifact.class_hash().unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Hashes of embedded classes, computed once per process. Embedded classes
/// are `'static` strings: their address identifies them.
struct HashCache(std::sync::Mutex<Vec<(usize, Felt)>>);

impl HashCache {
    const fn new() -> Self {
        Self(std::sync::Mutex::new(Vec::new()))
    }

    fn get_or_compute(&self, class: &'static str, compute: impl FnOnce() -> Result<Felt, ArtifactError>) -> Result<Felt, ArtifactError> {
        let key = class.as_ptr() as usize;
        if let Some((_, hash)) = self.0.lock().expect("cache lock").iter().find(|(k, _)| *k == key) {
            return Ok(*hash);
        }
        let hash = compute()?;
        self.0.lock().expect("cache lock").push((key, hash));
        Ok(hash)
    }
}
