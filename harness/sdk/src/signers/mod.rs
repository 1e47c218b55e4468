//! Owner keys of every kind (docs/spec.md §2.1, §2.3, §12.1), mirroring
//! `contracts/src/signers`: a Stark key, a raw P-256 key (secure enclaves,
//! hardware keys) or a passkey (WebAuthn). [`OwnerKey`] is how the
//! constructor, `set_owner_key` and `get_owner_key` lay a key out;
//! [`OwnerSigner`] is anything that signs a hash as the owner, in its
//! kind's signature layout.
//!
//! - [`p256`]: a P-256 owner signing with RustCrypto's `p256`;
//! - [`webauthn`]: a passkey owner, its challenge, and the assertion a
//!   browser returns (`AuthenticationResponseJSON`) in the contract's layout.

pub mod bytes;
pub mod p256;
pub mod webauthn;

use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;
use starknet_rust::signers::SigningKey;

pub use self::p256::{P256Owner, P256PublicKey};
pub use webauthn::{Assertion, SoftwarePasskey, WebAuthnError, WebAuthnOwner};

/// First felt of a P-256 owner key or signature: `'p256'`.
pub const P256_MAGIC: Felt = short_string!("p256");
/// First felt of a WebAuthn owner key or signature: `'webauthn'`.
pub const WEBAUTHN_MAGIC: Felt = short_string!("webauthn");

/// An owner key, of any kind (§2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerKey {
    Stark(Felt),
    P256(P256PublicKey),
    WebAuthn(WebAuthnOwner),
}

impl OwnerKey {
    /// The layout of §12.1: the constructor's calldata, `set_owner_key`'s
    /// `new_owner`. A Stark key is its key alone.
    pub fn to_felts(&self) -> Vec<Felt> {
        match self {
            OwnerKey::Stark(key) => vec![*key],
            OwnerKey::P256(key) => {
                let mut out = vec![P256_MAGIC];
                out.extend(key.to_felts());
                out
            }
            OwnerKey::WebAuthn(owner) => {
                let mut out = vec![WEBAUTHN_MAGIC];
                out.extend(owner.to_felts());
                out
            }
        }
    }

    /// How the account names this owner (§7.3): a Stark key itself, any
    /// other kind the Poseidon hash of its layout.
    pub fn id(&self) -> Felt {
        match self {
            OwnerKey::Stark(key) => *key,
            _ => starknet_rust_crypto::poseidon_hash_many(&self.to_felts()),
        }
    }
}

/// Why an owner could not sign.
#[derive(Debug, thiserror::Error)]
pub enum OwnerSignError {
    #[error("the Stark key could not sign: {0}")]
    Stark(#[from] starknet_rust::core::crypto::EcdsaSignError),
    #[error("the P-256 key could not sign: {0}")]
    P256(String),
    #[error("the passkey's assertion is unusable: {0}")]
    WebAuthn(#[from] WebAuthnError),
}

/// Signs hashes as the account's owner: a transaction hash, a session hash
/// (an authorization, §3.2), an outside execution, a rotation proof.
pub trait OwnerSigner {
    /// The key the account must hold for these signatures to verify.
    fn owner_key(&self) -> OwnerKey;
    /// The owner signature of `hash`, in the kind's layout (§2.1).
    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError>;
}

impl OwnerSigner for SigningKey {
    fn owner_key(&self) -> OwnerKey {
        OwnerKey::Stark(self.verifying_key().scalar())
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        let signature = self.sign(&hash)?;
        Ok(vec![signature.r, signature.s])
    }
}

/// A `u256` as its Cairo `Serde`: `low, high`.
pub(crate) fn u256_felts(bytes: &[u8; 32]) -> [Felt; 2] {
    [Felt::from_bytes_be_slice(&bytes[16..]), Felt::from_bytes_be_slice(&bytes[..16])]
}
