//! What the owner's side sends beyond its transactions: `is_valid_signature`
//! queries (§7.2) and rotations whose proof the new key never signed (§7.3).

use session_account::contract::selectors;
use session_account::signers::OwnerSigner;
use starknet_rust::core::types::Felt;

use super::super::{owner_key, session_key, HookSigner, Reference};
use super::Chain;
use crate::model::Verdict;

impl Chain {
    /// `is_valid_signature` of `signer`'s signature of a message (§7.2), a
    /// session key's in the owner's Stark layout when `owner_layout`:
    /// `'VALID'` is accepted, 0 an invalid signature.
    pub(super) async fn query_signature(
        &self,
        before: &Reference,
        signer: HookSigner,
        owner_layout: bool,
    ) -> Verdict {
        use starknet_rust::core::types::{BlockId, BlockTag, FunctionCall};
        use starknet_rust::providers::Provider;
        let message = Felt::from(0x5160_0000_u64 + before.steps);
        let signature = match signer {
            HookSigner::Owner => owner_key(before.owner_key_id()).sign_hash(message),
            HookSigner::Session(slot) if owner_layout => session_key(slot).sign_hash(message),
            HookSigner::Session(slot) => {
                let key = session_key(slot);
                let signed = key.sign(&message).expect("signs");
                Ok(session_account::signature::session_signature(
                    key.verifying_key().scalar(),
                    &signed,
                    None,
                ))
            }
        }
        .expect("signs");
        let mut calldata = vec![message, Felt::from(signature.len())];
        calldata.extend(signature);
        let query = FunctionCall {
            contract_address: self.account(),
            entry_point_selector: selectors::IS_VALID_SIGNATURE,
            calldata,
        };
        let answer = self.sandbox.provider.call(query, BlockId::Tag(BlockTag::PreConfirmed)).await;
        match answer.as_deref() {
            Ok([valid]) if *valid == starknet_rust::macros::short_string!("VALID") => {
                Verdict::Accepted
            }
            Ok([zero]) if *zero == Felt::ZERO => {
                Verdict::Rejected(Some(session_account::contract::ContractError::InvalidSignature))
            }
            other => {
                panic!("infrastructure failure, not a verdict: is_valid_signature gave {other:?}")
            }
        }
    }
}

/// An owner signer that claims `claims` as its key but signs with `signs`:
/// a rotation to a key whose holder never agreed (§7.3).
pub(super) struct Impostor<'a> {
    pub(super) claims: session_account::signers::OwnerKey,
    pub(super) signs: &'a super::super::owners::FuzzOwner,
}

impl OwnerSigner for Impostor<'_> {
    fn owner_key(&self) -> session_account::signers::OwnerKey {
        self.claims.clone()
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, session_account::signers::OwnerSignError> {
        self.signs.sign_hash(hash)
    }
}
