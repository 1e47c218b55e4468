//! A DECLARE signed by a session key (§7.1): the one transaction type
//! besides INVOKE that a leaked session key could try to make the account
//! pay for. The SDK's session account refuses to sign one, so the chain
//! builds it here, signed in the session layout over its real hash.

use std::sync::{Arc, OnceLock};

use session_account::tx::WithFeeBounds;
use starknet_rust::accounts::Account;
use starknet_rust::core::types::{Felt, FlattenedSierraClass};
use starknet_rust::providers::Provider;

use super::super::{session_key, Reference, HEAVY};
use super::Chain;
use crate::classes::Compile;
use crate::model::Verdict;

/// A class no devnet of the fuzzer has declared: the test token's, its ABI
/// followed by a space. The ABI is part of the Sierra class hash but not
/// of the program, so the class hash is new while the compiled class hash
/// is the token's. The node refuses a class it already has before the
/// account sees it; this one only the account's rule can refuse. Parsed
/// once per process.
fn undeclared_class() -> Arc<FlattenedSierraClass> {
    static CLASS: OnceLock<Arc<FlattenedSierraClass>> = OnceLock::new();
    CLASS
        .get_or_init(|| {
            let mut class =
                crate::classes::test_token().flattened().expect("the test token's class");
            class.abi.push(' ');
            Arc::new(class)
        })
        .clone()
}

impl Chain {
    /// Slot's session key signs a DECLARE of [`undeclared_class`] at the
    /// nonce the model expects, with the bounds of an owner transaction.
    pub(super) async fn send_session_declare(&self, before: &Reference, slot: usize) -> Verdict {
        let compiled_class_hash =
            crate::classes::test_token().compiled_class_hash().expect("the test token compiles");
        let owner = self.owner(before.owner_key_id());
        let declaration = owner
            .declare_v3(undeclared_class(), compiled_class_hash)
            .nonce(Felt::from(before.nonce))
            .with_fee_bounds(HEAVY);
        let prepared = declaration.prepared().expect("every field is set");
        let key = session_key(slot);
        let signed = key.sign(&prepared.transaction_hash(false)).expect("signs");
        let mut request =
            prepared.get_declare_request(false, true).await.expect("builds without signing");
        request.signature = session_account::signature::session_signature(
            key.verifying_key().scalar(),
            &signed,
            None,
        );
        let sent = self.sandbox.provider.add_declare_transaction(&request).await;
        let outcome = self.confirm(sent.map(|sent| sent.transaction_hash)).await;
        self.paid(Some(key.verifying_key().scalar()), &outcome);
        Self::verdict(outcome)
    }
}
