//! A raw P-256 owner (§2.1, §2.3): ECDSA over secp256r1, the digest being
//! the 32-byte big-endian hash itself, with RustCrypto's `p256`.

use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use starknet_rust::core::types::Felt;

use super::{u256_felts, OwnerKey, OwnerSignError, OwnerSigner, P256_MAGIC};

/// How a P-256 SubjectPublicKeyInfo starts, before its uncompressed point:
/// SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING }.
const SPKI_HEADER: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A P-256 public key: its affine coordinates, big-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct P256PublicKey {
    /// The x coordinate, big-endian.
    pub x: [u8; 32],
    /// The y coordinate, big-endian.
    pub y: [u8; 32],
}

impl P256PublicKey {
    /// The coordinates of a RustCrypto `p256` verifying key.
    pub fn from_verifying_key(key: &VerifyingKey) -> Self {
        let point = key.to_encoded_point(false);
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        x.copy_from_slice(point.x().expect("an uncompressed point has x"));
        y.copy_from_slice(point.y().expect("an uncompressed point has y"));
        Self { x, y }
    }

    /// From a P-256 SubjectPublicKeyInfo (DER), as WebAuthn's
    /// `getPublicKey()` and `RegistrationResponseJSON.response.publicKey`
    /// give a passkey's key: 91 bytes ending in the uncompressed point.
    /// `None` for anything else (another curve, a compressed point).
    pub fn from_spki_der(der: &[u8]) -> Option<Self> {
        let point = der.strip_prefix(&SPKI_HEADER)?.strip_prefix(&[0x04])?;
        let (x, y) = (point.get(..32)?, point.get(32..)?);
        (y.len() == 32).then(|| Self { x: x.try_into().expect("32"), y: y.try_into().expect("32") })
    }

    /// The key as a P-256 SubjectPublicKeyInfo (DER), as a browser
    /// reports a passkey's: what [`Self::from_spki_der`] reads.
    pub fn to_spki_der(&self) -> Vec<u8> {
        let mut der = SPKI_HEADER.to_vec();
        der.push(0x04);
        der.extend(self.x);
        der.extend(self.y);
        der
    }

    /// `x.low, x.high, y.low, y.high`.
    pub fn to_felts(&self) -> Vec<Felt> {
        [u256_felts(&self.x), u256_felts(&self.y)].concat()
    }
}

/// A P-256 key that signs as the owner. Its `Debug` shows the public key
/// only.
#[derive(Clone)]
pub struct P256Owner {
    key: SigningKey,
}

impl std::fmt::Debug for P256Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("P256Owner").field("public_key", &self.public_key()).finish_non_exhaustive()
    }
}

impl P256Owner {
    /// The key whose secret scalar is `secret` (big-endian), if it is one
    /// (not 0, below the group order).
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Result<Self, OwnerSignError> {
        let key = SigningKey::from_slice(secret)
            .map_err(|_| OwnerSignError::P256("not a P-256 secret scalar".into()))?;
        Ok(Self { key })
    }

    /// A fresh key from the operating system's randomness.
    pub fn random() -> Self {
        Self { key: SigningKey::random(&mut rand::rngs::OsRng) }
    }

    /// The secret scalar, big-endian: for a keystore only (see
    /// [`crate::keys::save_p256_keystore`]); never log it.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.key.to_bytes().into()
    }

    /// The public key: what the account stores as the owner.
    pub fn public_key(&self) -> P256PublicKey {
        P256PublicKey::from_verifying_key(self.key.verifying_key())
    }

    /// `(r, s)` of the 32-byte `digest`.
    pub fn sign_digest(&self, digest: &[u8; 32]) -> Result<([u8; 32], [u8; 32]), OwnerSignError> {
        let signature: Signature =
            self.key.sign_prehash(digest).map_err(|e| OwnerSignError::P256(e.to_string()))?;
        let (r, s) = signature.split_bytes();
        Ok((r.into(), s.into()))
    }
}

impl OwnerSigner for P256Owner {
    fn owner_key(&self) -> OwnerKey {
        OwnerKey::P256(self.public_key())
    }

    /// `['p256', r.low, r.high, s.low, s.high]` over the hash's 32 bytes.
    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        let (r, s) = self.sign_digest(&hash.to_bytes_be())?;
        Ok([vec![P256_MAGIC], u256_felts(&r).to_vec(), u256_felts(&s).to_vec()].concat())
    }
}
