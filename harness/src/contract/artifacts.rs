//! The compiled contract classes, committed in `harness/classes/` by
//! `scripts/refresh-class` (scarb 2.16.1, `scarb --release build`, Sierra
//! 1.7.0) and embedded here, so the library builds without a Cairo
//! toolchain: the session account, and (feature `devnet`) the token and
//! router of `contracts/testing` that the tests and the fuzzer deploy next
//! to it. `scripts/test` checks that they match a fresh build of
//! `contracts/` whenever scarb is installed.
//!
//! The Sierra class hash is computed with starknet-rust; the compiled (CASM)
//! class hash that a declare transaction must carry is the Blake2s (v2) hash
//! of the CASM produced by `cairo-lang-starknet-classes` 2.19.4, the same
//! compiler and version starknet-devnet 0.10.1 uses to check it.

use starknet_rust::core::types::contract::SierraClass;
use starknet_rust::core::types::{Felt, FlattenedSierraClass};

/// `session_account::account::SessionAccount`, as scarb wrote it.
const SESSION_ACCOUNT_SIERRA: &str = include_str!("../../classes/SessionAccount.contract_class.json");
/// `session_account_testing::token::TestToken`.
#[cfg(feature = "devnet")]
const TEST_TOKEN_SIERRA: &str = include_str!("../../classes/TestToken.contract_class.json");
/// `session_account_testing::router::TestRouter`.
#[cfg(feature = "devnet")]
const TEST_ROUTER_SIERRA: &str = include_str!("../../classes/TestRouter.contract_class.json");

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
        Self { name: "SessionAccount", sierra_json: SESSION_ACCOUNT_SIERRA }
    }

    /// A plain ERC-20 anyone may mint, with every selector the account
    /// meters (tests only).
    #[cfg(feature = "devnet")]
    pub fn test_token() -> Self {
        Self { name: "TestToken", sierra_json: TEST_TOKEN_SIERRA }
    }

    /// A router that moves tokens through allowances given to it:
    /// `pull(token, from, to, amount)` (tests only).
    #[cfg(feature = "devnet")]
    pub fn test_router() -> Self {
        Self { name: "TestRouter", sierra_json: TEST_ROUTER_SIERRA }
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
        // The ABI and debug info play no part in CASM; drop them.
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

    /// The class scarb built must compile with the compiler devnet uses
    /// (2.19.4); otherwise that only shows at declare time.
    #[test]
    fn the_embedded_classes_compile_to_casm() {
        for artifact in [ContractArtifact::session_account(), ContractArtifact::test_token(), ContractArtifact::test_router()] {
            artifact.compiled_class_hash().unwrap_or_else(|e| panic!("{e}"));
            artifact.class_hash().unwrap_or_else(|e| panic!("{e}"));
            let sierra: serde_json::Value = serde_json::from_str(artifact.sierra_json()).unwrap();
            assert_eq!(sierra["contract_class_version"], "0.1.0", "{}", artifact.name);
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
