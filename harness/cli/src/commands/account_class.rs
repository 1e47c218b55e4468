//! `account class`: the embedded account class, its hashes and sizes.

use serde::Serialize;
use session_account::contract::ContractArtifact;
use session_account_testkit::classes::Compile;

use crate::output::{fields, Hex, Response};

#[derive(Serialize)]
pub struct ClassInfo {
    class_hash: Hex,
    compiled_class_hash: Hex,
    sierra_json_bytes: usize,
    sierra_program_felts: usize,
    casm_json_bytes: usize,
    casm_bytecode_felts: usize,
}

impl Response for ClassInfo {
    fn text(&self) -> String {
        fields(&[
            ("class hash", self.class_hash.to_string()),
            ("compiled class hash", self.compiled_class_hash.to_string()),
            (
                "Sierra",
                format!(
                    "{} bytes JSON, {} program felts",
                    self.sierra_json_bytes, self.sierra_program_felts
                ),
            ),
            (
                "CASM",
                format!(
                    "{} bytes JSON, {} bytecode felts",
                    self.casm_json_bytes, self.casm_bytecode_felts
                ),
            ),
        ])
    }
}

pub fn run() -> anyhow::Result<ClassInfo> {
    let artifact = ContractArtifact::session_account();
    let casm = artifact.casm()?;
    Ok(ClassInfo {
        class_hash: Hex(artifact.class_hash()?),
        compiled_class_hash: Hex(casm.compiled_class_hash),
        sierra_json_bytes: artifact.sierra_json().len(),
        sierra_program_felts: artifact.flattened()?.sierra_program.len(),
        casm_json_bytes: casm.json_bytes,
        casm_bytecode_felts: casm.bytecode_felts,
    })
}
