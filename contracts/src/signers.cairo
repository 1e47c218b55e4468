//! How an owner key of each kind proves it signed a hash (§2.1, §2.3):
//! pure but for the chain's own hashing and curve syscalls.
//!
//! - `p256`      ECDSA over secp256r1 (NIST P-256): a raw key, as secure
//!               enclaves and hardware keys hold
//! - `webauthn`  a WebAuthn assertion of a passkey (a P-256 credential bound
//!               to a relying party): `clientDataJSON` and authenticator
//!               data checks, then the P-256 signature over them
//! - `owner_key` an owner key of any kind: its layout, its id, and the
//!               check of an owner signature against it
//! - `base64url` the encoding of the challenge a passkey signs
//! - `bytes`     reading big-endian words out of byte arrays

pub mod base64url;
pub mod bytes;
pub mod owner_key;
pub mod p256;
pub mod webauthn;
