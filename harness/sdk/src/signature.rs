//! Signature layouts (docs/spec.md §2), mirroring contracts/src/signature.cairo.
//!
//! - Owner: `[r, s]` for a Stark owner; a P-256 or passkey owner signs in
//!   its own layout ([`crate::signers`]).
//! - Session: `['session-v2', session_key, r, s, authorization...]`, the
//!   authorization being empty or `[policy..., owner signature...]`.
//!
//! Both sign the transaction hash, so the fee bounds and tip (part of the
//! hash) are always signed; the account reads them from the transaction to
//! enforce the session fee cap (§4.5).

use serde::{Deserialize, Serialize};
use starknet_rust::core::crypto::Signature;
use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;
use starknet_rust::signers::SigningKey;

use crate::policy::{session_hash, Binding, SessionPolicy};
use crate::signers::{OwnerSignError, OwnerSigner};

/// First felt of every session signature: the short string 'session-v2'.
pub const SESSION_MAGIC: Felt = short_string!("session-v2");

/// The owner signature layout.
pub fn owner_signature(signature: &Signature) -> Vec<Felt> {
    vec![signature.r, signature.s]
}

/// An owner-signed policy, carried by a session's first transaction so it
/// registers itself (§3.2). Its JSON also reads the Stark-only form of
/// earlier versions (`owner_r`, `owner_s`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "AuthorizationJson")]
pub struct Authorization {
    /// The policy the owner grants; its `session_key` must be the signing
    /// session's.
    pub policy: SessionPolicy,
    /// The owner's signature of the session hash, in its kind's layout
    /// (§2.1): `[r, s]` for a Stark owner.
    pub owner_signature: Vec<Felt>,
}

#[derive(Deserialize)]
struct AuthorizationJson {
    policy: SessionPolicy,
    #[serde(default)]
    owner_signature: Option<Vec<Felt>>,
    #[serde(default)]
    owner_r: Option<Felt>,
    #[serde(default)]
    owner_s: Option<Felt>,
}

impl From<AuthorizationJson> for Authorization {
    fn from(json: AuthorizationJson) -> Self {
        let owner_signature = json
            .owner_signature
            .unwrap_or_else(|| [json.owner_r, json.owner_s].into_iter().flatten().collect());
        Self { policy: json.policy, owner_signature }
    }
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl Authorization {
    /// The owner signs the session hash of `policy` under `binding` (read
    /// it with [`AccountViews::binding`](crate::policy::views::AccountViews::binding)).
    pub fn sign(
        policy: SessionPolicy,
        owner_key: &SigningKey,
        binding: &Binding,
    ) -> Result<Self, starknet_rust::core::crypto::EcdsaSignError> {
        let hash = session_hash(&policy, binding);
        let signature = owner_key.sign(&hash)?;
        Ok(Self { policy, owner_signature: vec![signature.r, signature.s] })
    }

    /// The same, signed by an owner of any kind (a P-256 key, a passkey:
    /// the passkey signs the session once, §3.2).
    pub fn sign_by(
        policy: SessionPolicy,
        owner: &impl OwnerSigner,
        binding: &Binding,
    ) -> Result<Self, OwnerSignError> {
        let owner_signature = owner.sign_hash(session_hash(&policy, binding))?;
        Ok(Self { policy, owner_signature })
    }

    /// `[policy..., owner signature...]`: what follows `r, s` in the session
    /// signature (§2.2).
    pub fn to_felts(&self) -> Vec<Felt> {
        let mut data = self.policy.to_calldata();
        data.extend(&self.owner_signature);
        data
    }
}

/// The session signature layout.
pub fn session_signature(
    session_public_key: Felt,
    signature: &Signature,
    authorization: Option<&Authorization>,
) -> Vec<Felt> {
    let mut data = vec![SESSION_MAGIC, session_public_key, signature.r, signature.s];
    if let Some(authorization) = authorization {
        data.extend(authorization.to_felts());
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_layout_is_magic_key_r_s_then_the_authorization() {
        let signature = Signature { r: Felt::from(11u8), s: Felt::from(22u8) };
        let bare = session_signature(Felt::from(0x5e55u16), &signature, None);
        assert_eq!(
            bare,
            vec![SESSION_MAGIC, Felt::from(0x5e55u16), Felt::from(11u8), Felt::from(22u8)]
        );
        let authorization = Authorization {
            policy: crate::policy::tests::sample(),
            owner_signature: vec![Felt::from(77u8), Felt::from(88u8)],
        };
        let carried = session_signature(Felt::from(0x5e55u16), &signature, Some(&authorization));
        assert_eq!(carried[..4], bare[..]);
        assert_eq!(carried[4..], authorization.to_felts()[..]);
        assert_eq!(SESSION_MAGIC, Felt::from_hex("0x73657373696f6e2d7632").unwrap());
    }

    #[test]
    fn an_authorization_of_an_earlier_version_still_reads() {
        let authorization = Authorization {
            policy: crate::policy::tests::sample(),
            owner_signature: vec![Felt::from(77u8), Felt::from(88u8)],
        };
        let json = serde_json::to_value(&authorization).unwrap();
        assert_eq!(serde_json::from_value::<Authorization>(json.clone()).unwrap(), authorization);
        let mut legacy = json;
        legacy.as_object_mut().unwrap().remove("owner_signature");
        legacy["owner_r"] = serde_json::to_value(Felt::from(77u8)).unwrap();
        legacy["owner_s"] = serde_json::to_value(Felt::from(88u8)).unwrap();
        assert_eq!(serde_json::from_value::<Authorization>(legacy).unwrap(), authorization);
    }
}
