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
pub use webauthn::{challenge, Assertion, SoftwarePasskey, WebAuthnError, WebAuthnOwner};

/// First felt of a P-256 owner key or signature: `'p256'`.
pub const P256_MAGIC: Felt = short_string!("p256");
/// First felt of a WebAuthn owner key or signature: `'webauthn'`.
pub const WEBAUTHN_MAGIC: Felt = short_string!("webauthn");

/// An owner key, of any kind (§2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerKey {
    /// A Stark public key: signs `[r, s]`.
    Stark(Felt),
    /// A raw P-256 key (secure enclaves, hardware keys): signs
    /// `['p256', r.low, r.high, s.low, s.high]`.
    P256(P256PublicKey),
    /// A passkey: signs `['webauthn', assertion...]` (§2.3).
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

    /// Reads the layout of §12.1 (what `get_owner_key` returns); `None` if
    /// `felts` is not exactly one owner key.
    pub fn from_felts(felts: &[Felt]) -> Option<OwnerKey> {
        let point = |felts: &[Felt]| -> Option<P256PublicKey> {
            Some(P256PublicKey {
                x: u256_bytes(felts[0], felts[1])?,
                y: u256_bytes(felts[2], felts[3])?,
            })
        };
        match felts {
            [key] => Some(OwnerKey::Stark(*key)),
            [magic, rest @ ..] if *magic == P256_MAGIC && rest.len() == 4 => {
                Some(OwnerKey::P256(point(rest)?))
            }
            [magic, rest @ ..] if *magic == WEBAUTHN_MAGIC && rest.len() >= 9 => {
                let key = point(&rest[..4])?;
                let rp_id_hash = u256_bytes(rest[4], rest[5])?;
                let (origin, used) = bytes::read_byte_array(&rest[6..])?;
                let [require_uv] = rest[6 + used..] else { return None };
                Some(OwnerKey::WebAuthn(WebAuthnOwner {
                    key,
                    rp_id_hash,
                    origin: String::from_utf8(origin).ok()?,
                    require_user_verification: require_uv == Felt::ONE,
                }))
            }
            _ => None,
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
    /// Stark ECDSA signing failed.
    #[error("the Stark key could not sign: {0}")]
    Stark(#[from] starknet_rust::core::crypto::EcdsaSignError),
    /// A P-256 secret is not a key, or the key could not sign (the text says
    /// why).
    #[error("the P-256 key could not sign: {0}")]
    P256(String),
    /// The passkey's assertion cannot be laid out for the account.
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

impl<T: OwnerSigner + ?Sized> OwnerSigner for &T {
    fn owner_key(&self) -> OwnerKey {
        (**self).owner_key()
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        (**self).sign_hash(hash)
    }
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

/// The 32 big-endian bytes of the `u256` `low, high`, if both are 128-bit.
fn u256_bytes(low: Felt, high: Felt) -> Option<[u8; 32]> {
    let (low, high) = (low.to_bytes_be(), high.to_bytes_be());
    if low[..16].iter().chain(&high[..16]).any(|b| *b != 0) {
        return None;
    }
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(&high[16..]);
    out[16..].copy_from_slice(&low[16..]);
    Some(out)
}

/// An owner of any kind whose secret this program holds: what a wallet, a
/// CLI or a test picks at run time. Its `Debug` shows the owner key only.
#[derive(Clone)]
pub enum AnyOwner {
    /// A Stark private key.
    Stark(SigningKey),
    /// A P-256 private key.
    P256(P256Owner),
    /// A passkey held in software (devnet and tests).
    Passkey(SoftwarePasskey),
}

impl std::fmt::Debug for AnyOwner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AnyOwner").field(&self.owner_key()).finish()
    }
}

impl OwnerSigner for AnyOwner {
    fn owner_key(&self) -> OwnerKey {
        match self {
            AnyOwner::Stark(key) => key.owner_key(),
            AnyOwner::P256(key) => key.owner_key(),
            AnyOwner::Passkey(key) => key.owner_key(),
        }
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        match self {
            AnyOwner::Stark(key) => key.sign_hash(hash),
            AnyOwner::P256(key) => key.sign_hash(hash),
            AnyOwner::Passkey(key) => key.sign_hash(hash),
        }
    }
}

/// A `u256` as its Cairo `Serde`: `low, high`.
pub(crate) fn u256_felts(bytes: &[u8; 32]) -> [Felt; 2] {
    [Felt::from_bytes_be_slice(&bytes[16..]), Felt::from_bytes_be_slice(&bytes[..16])]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_layouts_read_back() {
        let p256 = P256Owner::from_secret_bytes(&[3; 32]).unwrap();
        let origin = "https://a-rather-long-origin.example.com:8443";
        for key in [
            SigningKey::from_secret_scalar(Felt::from(5u8)).owner_key(),
            p256.owner_key(),
            SoftwarePasskey::new(p256.clone(), "example.com", origin).owner_key(),
        ] {
            assert_eq!(OwnerKey::from_felts(&key.to_felts()), Some(key.clone()));
            let mut longer = key.to_felts();
            longer.push(Felt::ONE);
            assert_eq!(OwnerKey::from_felts(&longer), None, "{key:?} with a felt too many");
        }
        assert_eq!(OwnerKey::from_felts(&[]), None);
        assert_eq!(OwnerKey::from_felts(&[P256_MAGIC, Felt::ONE]), None);
    }
}
