//! The SDK agrees with the contract's sources and the spec, read from this
//! repository: the same SNIP-12 type strings, the same pinned hash vectors,
//! the same error strings in the same order as spec §10. (These read
//! `contracts/` and `docs/`, so they live here rather than in the SDK crate,
//! whose tests run from its package alone.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use session_account::contract::ContractError;
use session_account::outside::{CALL_TYPE, OUTSIDE_EXECUTION_TYPE};
use session_account::policy::hash::{
    ALLOWED_CONTRACT_TYPE, CALLDATA_RULE_TYPE, DOMAIN_TYPE, SESSION_TYPE, SPENDING_LIMIT_TYPE,
    U256_TYPE,
};
use starknet_rust::core::utils::starknet_keccak;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The type string of `const NAME: felt252 = selector!("...")` in `source`,
/// unescaped.
fn cairo_type_string(source: &str, name: &str) -> String {
    let after = source
        .split(&format!("{name}: felt252 = selector!("))
        .nth(1)
        .unwrap_or_else(|| panic!("no `{name}: felt252 = selector!(` in the contract"));
    let literal = after.trim_start().strip_prefix('"').expect("a string literal");
    // The first quote no backslash escapes.
    let bytes = literal.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b'"' && (i == 0 || bytes[i - 1] != b'\\'))
        .expect("the literal's end");
    literal[..end].replace("\\\"", "\"")
}

/// The hex value of `const NAME: felt252 = 0x...;` in `source`.
fn cairo_hex_constant(source: &str, name: &str) -> String {
    let after = source
        .split(&format!("const {name}: felt252 ="))
        .nth(1)
        .unwrap_or_else(|| panic!("no `const {name}: felt252 =`"));
    after.split(';').next().unwrap().split_whitespace().collect()
}

#[test]
fn snip12_type_strings_are_the_contracts() {
    let snip12 = read("contracts/src/snip12.cairo");
    let session = read("contracts/src/sessions/authorization.cairo");
    let outside = read("contracts/src/outside_execution/hash.cairo");
    for (source, name, ours) in [
        (&snip12, "DOMAIN_TYPE_HASH", DOMAIN_TYPE),
        (&snip12, "U256_TYPE_HASH", U256_TYPE),
        (&session, "SESSION_TYPE_HASH", SESSION_TYPE),
        (&session, "ALLOWED_CONTRACT_TYPE_HASH", ALLOWED_CONTRACT_TYPE),
        (&session, "CALLDATA_RULE_TYPE_HASH", CALLDATA_RULE_TYPE),
        (&session, "SPENDING_LIMIT_TYPE_HASH", SPENDING_LIMIT_TYPE),
        (&outside, "OUTSIDE_EXECUTION_TYPE_HASH", OUTSIDE_EXECUTION_TYPE),
        (&outside, "CALL_TYPE_HASH", CALL_TYPE),
    ] {
        assert_eq!(cairo_type_string(source, name), ours, "the contract hashes another {name}");
    }
}

#[test]
fn the_spec_gives_the_session_type_and_its_hash() {
    let spec = read("docs/spec.md");
    let hash = starknet_keccak(SESSION_TYPE.as_bytes());
    assert!(
        spec.contains(&format!("`SESSION_TYPE_HASH` | `{hash:#x}`")),
        "docs/spec.md §1.2 gives another SESSION_TYPE_HASH"
    );
    assert!(spec.contains(SESSION_TYPE), "docs/spec.md §1.2 gives another Session type");
}

/// The SDK's unit tests and the contract's snforge tests each pin a hash
/// vector; both must pin the same value.
#[test]
fn both_sides_pin_the_same_hash_vectors() {
    for (cairo_test, name, rust_source) in [
        ("contracts/tests/unit/authorization.cairo", "SAMPLE_SESSION_HASH", "policy/hash.rs"),
        ("contracts/tests/unit/outside_hash.cairo", "SAMPLE_OUTSIDE_HASH", "outside.rs"),
    ] {
        let vector = cairo_hex_constant(&read(cairo_test), name);
        let sdk = read(&format!("harness/sdk/src/{rust_source}"));
        assert!(
            sdk.contains(&format!("felt!(\"{vector}\")")),
            "harness/sdk/src/{rust_source} does not check {name} = {vector}"
        );
    }
}

/// Every string in an `Errors` module of contracts/src, in any file.
fn cairo_errors(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            cairo_errors(&path, out);
        } else if path.extension().is_some_and(|e| e == "cairo") {
            let source = std::fs::read_to_string(&path).unwrap();
            let mut in_errors = false;
            for line in source.lines().map(str::trim) {
                if line.ends_with("mod Errors {") {
                    in_errors = true;
                } else if in_errors && line == "}" {
                    in_errors = false;
                } else if in_errors {
                    let text =
                        line.split("felt252 = '").nth(1).and_then(|rest| rest.split('\'').next());
                    let text =
                        text.unwrap_or_else(|| panic!("{}: not an error: {line}", path.display()));
                    out.insert(text.to_string());
                }
            }
        }
    }
}

#[test]
fn contract_errors_are_the_cairo_errors_modules() {
    let mut in_cairo = BTreeSet::new();
    cairo_errors(&repo("contracts/src"), &mut in_cairo);
    let in_rust: BTreeSet<String> =
        ContractError::ALL.iter().map(|e| e.as_str().to_string()).collect();
    assert_eq!(
        in_cairo, in_rust,
        "the contract's Errors modules and ContractError must list the same strings"
    );
}

#[test]
fn contract_errors_are_the_spec_table_in_order() {
    let spec = read("docs/spec.md");
    let table = spec.split("## 10. Errors").nth(1).unwrap().split("\n## ").next().unwrap();
    let in_spec: Vec<&str> =
        table.lines().filter_map(|l| l.strip_prefix("| `")?.split('`').next()).collect();
    let in_rust: Vec<&str> = ContractError::ALL.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        in_spec, in_rust,
        "docs/spec.md §10 and ContractError must list the same errors in the same order"
    );
}
