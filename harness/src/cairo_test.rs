//! The Cairo test runner.
//!
//! Cairo tests are `test_*` entrypoints of the test contracts in
//! `contracts/tests/` (compiled by the same Cairo 2.1.0 `starknet-compile`
//! as the account). The runner declares and deploys each test contract on a
//! devnet, lists its tests from the class ABI, calls each one with
//! `starknet_call` (no transaction needed), and reports pass/fail by name. A
//! test marked `#[should_panic(expected: ('message',))]` passes only if it
//! panics with that message.

use serde::Serialize;
use starknet_rust::accounts::ConnectedAccount;
use starknet_rust::contract::{ContractFactory, UdcSelector};
use starknet_rust::core::types::{BlockId, BlockTag, Felt, FunctionCall, StarknetError};
use starknet_rust::core::utils::{get_selector_from_name, parse_cairo_short_string};
use starknet_rust::providers::{Provider, ProviderError};

use crate::contract::artifacts::{cairo_test_contracts, CairoTestContract};
use crate::contract::declare::{declare, DeclareError};
use crate::tx::{self, TxError};

/// Outcome of one Cairo test.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CairoTestResult {
    pub contract: &'static str,
    pub test: String,
    pub passed: bool,
    /// Why it failed, or the panic it expected and got.
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CairoTestError {
    #[error(transparent)]
    Declare(#[from] DeclareError),
    #[error("deploying test contract {contract} failed: {source}")]
    Deploy { contract: &'static str, source: TxError },
    #[error("test contract {contract} has an unreadable ABI: {reason}")]
    Abi { contract: &'static str, reason: String },
    #[error("RPC error running {contract}::{test}: {source}")]
    Provider { contract: &'static str, test: String, source: ProviderError },
}

/// Names of the `test_*` functions in a class ABI, in ABI order.
pub fn list_tests(contract: &CairoTestContract) -> Result<Vec<String>, CairoTestError> {
    let class: serde_json::Value = serde_json::from_str(contract.sierra)
        .map_err(|e| CairoTestError::Abi { contract: contract.name, reason: e.to_string() })?;
    let mut names = Vec::new();
    collect_functions(&class["abi"], &mut names);
    Ok(names.into_iter().filter(|n| n.starts_with("test_")).collect())
}

fn collect_functions(value: &serde_json::Value, names: &mut Vec<String>) {
    if let Some(items) = value.as_array() {
        for item in items {
            if item["type"] == "function" {
                if let Some(name) = item["name"].as_str() {
                    names.push(name.to_string());
                }
            }
            collect_functions(&item["items"], names);
        }
    }
}

/// Runs every Cairo test contract's tests, using `account` to declare and
/// deploy them. `filter` keeps tests whose `Contract::test` name contains it.
pub async fn run_all<A>(account: &A, filter: Option<&str>) -> Result<Vec<CairoTestResult>, CairoTestError>
where
    A: ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    let mut results = Vec::new();
    for contract in cairo_test_contracts() {
        let tests: Vec<String> = list_tests(contract)?
            .into_iter()
            .filter(|t| filter.is_none_or(|f| format!("{}::{t}", contract.name).contains(f)))
            .collect();
        if tests.is_empty() {
            continue;
        }
        let address = deploy_test_contract(account, contract).await?;
        for test in tests {
            results.push(run_one(account.provider(), contract, address, test).await?);
        }
    }
    Ok(results)
}

async fn deploy_test_contract<A>(account: &A, contract: &CairoTestContract) -> Result<Felt, CairoTestError>
where
    A: ConnectedAccount + Sync,
    A::SignError: std::fmt::Display,
{
    let class_hash = declare(account, &contract.artifact()).await?;
    let factory = ContractFactory::new_with_udc(class_hash, account, UdcSelector::New);
    let deployment = factory.deploy_v3(vec![], Felt::ZERO, false);
    let address = deployment.deployed_address();
    let deploy_error = |source| CairoTestError::Deploy { contract: contract.name, source };
    match account.provider().get_class_hash_at(BlockId::Tag(BlockTag::PreConfirmed), address).await {
        Ok(_) => return Ok(address),
        Err(ProviderError::StarknetError(StarknetError::ContractNotFound)) => {}
        Err(e) => return Err(deploy_error(TxError::Provider(e))),
    }
    let sent = deployment.send().await.map_err(|e| deploy_error(tx::from_account_error(e)))?;
    tx::wait_for_receipt(account.provider(), sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
        .await
        .map_err(deploy_error)?;
    Ok(address)
}

async fn run_one<P: Provider>(
    provider: &P,
    contract: &CairoTestContract,
    address: Felt,
    test: String,
) -> Result<CairoTestResult, CairoTestError> {
    let selector = get_selector_from_name(&test).expect("ABI names are ASCII");
    let call = FunctionCall { contract_address: address, entry_point_selector: selector, calldata: vec![] };
    let outcome = provider.call(call, BlockId::Tag(BlockTag::PreConfirmed)).await;
    let expected = contract.expected_panic(&test);
    let (passed, detail) = match (outcome, expected) {
        (Ok(_), None) => (true, String::new()),
        (Ok(_), Some(message)) => (false, format!("expected a panic with '{message}', but the test returned")),
        (Err(ProviderError::StarknetError(StarknetError::ContractError(data))), expected) => {
            let text = crate::tx::describe_execution_error(&data.revert_error);
            let messages = panic_messages(&text);
            match expected {
                Some(message) if messages.iter().any(|m| m == message) => {
                    (true, format!("panicked with '{message}' as expected"))
                }
                Some(message) => (false, format!("expected a panic with '{message}', got: {}", summarize(&messages, &text))),
                None => (false, format!("panicked: {}", summarize(&messages, &text))),
            }
        }
        (Err(source), _) => {
            return Err(CairoTestError::Provider { contract: contract.name, test, source });
        }
    };
    Ok(CairoTestResult { contract: contract.name, test, passed, detail })
}

fn summarize(messages: &[String], text: &str) -> String {
    if messages.is_empty() {
        text.to_string()
    } else {
        messages.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ")
    }
}

/// Every short string panic message in a node's error text: quoted ones,
/// and hex words that decode to printable short strings.
pub fn panic_messages(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in text.split('\'').skip(1).step_by(2) {
        if !part.is_empty() && part.len() <= 31 && !found.iter().any(|f| f == part) {
            found.push(part.to_string());
        }
    }
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if let Some(hex) = word.strip_prefix("0x") {
            if let Ok(felt) = Felt::from_hex(&format!("0x{hex}")) {
                if let Ok(s) = parse_cairo_short_string(&felt) {
                    if s.len() >= 3 && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') && !found.contains(&s) {
                        found.push(s);
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_panic_messages() {
        let text = "Error in contract (0x12): 0x73657373696f6e2f65787069726564 ('session/expired')";
        assert_eq!(panic_messages(text), vec!["session/expired".to_string()]);
    }

    #[test]
    fn every_test_contract_has_tests() {
        for contract in cairo_test_contracts() {
            let tests = list_tests(contract).unwrap();
            assert!(!tests.is_empty(), "{} declares no test_* entrypoints", contract.name);
            for (name, _) in contract.expected_panics {
                assert!(tests.iter().any(|t| t == name), "{}: should_panic on unknown test {name}", contract.name);
            }
        }
    }
}
