//! The classes the test kit declares: the session account's (from the SDK,
//! or another build of it: [`use_account_class`]),
//! and the test token and router of `contracts/testing` that the tests, the
//! fuzzer and the benchmarks deploy next to it (committed in `classes/` by
//! `scripts/refresh-class`). Declaring needs the compiled (CASM) class
//! hash: this module compiles the Sierra with `cairo-lang-starknet-classes`
//! 2.19.4, the compiler and version starknet-devnet 0.10.1 uses to check
//! it, and hashes the CASM with Blake2s (v2).

use session_account::contract::artifacts::{ArtifactError, HashCache};
use session_account::contract::ContractArtifact;
use session_account::tx::{self, TxError};
use starknet_rust::accounts::ConnectedAccount;
use starknet_rust::core::types::{Felt, StarknetError};
use starknet_rust::providers::{Provider, ProviderError};

/// A plain ERC-20 anyone may mint, with every selector the account meters
/// (`session_account_testing::token::TestToken`).
pub const fn test_token() -> ContractArtifact {
    ContractArtifact::new("TestToken", include_str!("../classes/TestToken.contract_class.json"))
}

/// A router that moves tokens through allowances given to it:
/// `pull(token, from, to, amount)` (`session_account_testing::router::TestRouter`).
pub const fn test_router() -> ContractArtifact {
    ContractArtifact::new("TestRouter", include_str!("../classes/TestRouter.contract_class.json"))
}

/// Reads many views in one call: `call_views(calls) -> Array<Span<felt252>>`
/// (`session_account_testing::view_batch::ViewBatch`).
pub const fn view_batch() -> ContractArtifact {
    ContractArtifact::new("ViewBatch", include_str!("../classes/ViewBatch.contract_class.json"))
}

/// A token whose `balance_of` can be armed to call out once (into any
/// contract, e.g. the account's `execute_from_outside_v2`), to test that the
/// account's balance watch holds its guard
/// (`session_account_testing::hooked_token::HookedToken`).
pub const fn hooked_token() -> ContractArtifact {
    ContractArtifact::new("HookedToken", include_str!("../classes/HookedToken.contract_class.json"))
}

/// The session account class the test kit declares and deploys (sandboxes,
/// the fuzzer, the corpus): the SDK's embedded class, unless this process
/// chose another with [`use_account_class`].
pub fn account_class() -> ContractArtifact {
    ACCOUNT_CLASS.get().copied().unwrap_or_else(ContractArtifact::session_account)
}

static ACCOUNT_CLASS: std::sync::OnceLock<ContractArtifact> = std::sync::OnceLock::new();

/// Why [`use_account_class`] refused a class.
#[derive(Debug, thiserror::Error)]
pub enum AccountClassError {
    #[error("cannot read the account class {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is not a Sierra contract class: {source}")]
    Invalid { path: String, source: ArtifactError },
    #[error("this process already uses another account class")]
    AlreadyChosen,
}

/// Makes every sandbox, fuzz case and corpus attack of this process use the
/// session account class at `path` (Sierra JSON as scarb writes it) instead
/// of the embedded one, without recompiling anything: how the mutation
/// campaign runs the end-to-end layers against a mutated contract. Once per
/// process, before the first devnet starts; the class is kept for the
/// process's lifetime.
pub fn use_account_class(path: &std::path::Path) -> Result<Felt, AccountClassError> {
    let shown = path.display().to_string();
    let json = std::fs::read_to_string(path)
        .map_err(|source| AccountClassError::Read { path: shown.clone(), source })?;
    let artifact = ContractArtifact::new("SessionAccount", Box::leak(json.into_boxed_str()));
    let class_hash = artifact
        .class_hash()
        .map_err(|source| AccountClassError::Invalid { path: shown, source })?;
    ACCOUNT_CLASS.set(artifact).map_err(|_| AccountClassError::AlreadyChosen)?;
    Ok(class_hash)
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

/// Compiling an embedded class to CASM.
pub trait Compile {
    /// Compiles the class with the compiler devnet uses (2.19.4).
    fn casm(&self) -> Result<CasmInfo, ArtifactError>;

    /// The Blake2s (v2) compiled class hash, as checked by the network on
    /// `DECLARE`; compiled once per process.
    fn compiled_class_hash(&self) -> Result<Felt, ArtifactError>;
}

impl Compile for ContractArtifact {
    fn casm(&self) -> Result<CasmInfo, ArtifactError> {
        use cairo_lang_starknet_classes::casm_contract_class::CasmContractClass;
        use cairo_lang_starknet_classes::contract_class::ContractClass;

        let name = self.name;
        let casm_error = |reason: String| ArtifactError::CasmCompilation { name, reason };
        // The ABI and debug info play no part in CASM; drop them.
        let mut value: serde_json::Value = serde_json::from_str(self.sierra_json())
            .map_err(|e| ArtifactError::InvalidClass { name, reason: e.to_string() })?;
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

    fn compiled_class_hash(&self) -> Result<Felt, ArtifactError> {
        static CACHE: HashCache = HashCache::new();
        CACHE.get_or_compute(self.sierra_json(), || Ok(self.casm()?.compiled_class_hash))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeclareError {
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    #[error("declaring {name} failed: {source}")]
    Tx { name: &'static str, source: TxError },
}

/// Declares `artifact` from `account` unless the network already has it;
/// returns the class hash.
pub async fn declare<A>(account: &A, artifact: &ContractArtifact) -> Result<Felt, DeclareError>
where
    A: ConnectedAccount + Sync,
    A::SignError: session_account::tx::SignerError,
{
    let class = artifact.flattened()?;
    let class_hash = class.class_hash();
    match account.provider().get_class(account.block_id(), class_hash).await {
        Ok(_) => return Ok(class_hash),
        Err(ProviderError::StarknetError(StarknetError::ClassHashNotFound)) => {}
        Err(e) => {
            return Err(DeclareError::Tx { name: artifact.name, source: TxError::Provider(e) })
        }
    }
    let compiled_class_hash = artifact.compiled_class_hash()?;
    let sent =
        account.declare_v3(std::sync::Arc::new(class), compiled_class_hash).send().await.map_err(
            |e| DeclareError::Tx { name: artifact.name, source: tx::from_account_error(e) },
        )?;
    tx::wait_for_receipt(account.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
        .map_err(|source| DeclareError::Tx { name: artifact.name, source })?;
    Ok(class_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every embedded class must compile with the compiler devnet uses
    /// (2.19.4); otherwise that only shows at declare time.
    #[test]
    fn the_embedded_classes_compile_to_casm() {
        for artifact in [
            ContractArtifact::session_account(),
            test_token(),
            test_router(),
            view_batch(),
            hooked_token(),
        ] {
            artifact.compiled_class_hash().unwrap_or_else(|e| panic!("{e}"));
            artifact.class_hash().unwrap_or_else(|e| panic!("{e}"));
            let sierra: serde_json::Value = serde_json::from_str(artifact.sierra_json()).unwrap();
            assert_eq!(sierra["contract_class_version"], "0.1.0", "{}", artifact.name);
        }
    }
}
