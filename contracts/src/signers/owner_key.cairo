//! An owner key of any kind (§2.1, §7): a Stark key, a raw P-256 key
//! (secure enclaves, hardware keys) or a passkey (WebAuthn); its calldata
//! layout, its id, and whether an owner signature is its signature.

use core::poseidon::poseidon_hash_span;
use crate::signature::{
    Errors as SignatureErrors, OwnerSignature, P256Signature, P256_MAGIC, WEBAUTHN_MAGIC,
    is_valid_stark_signature,
};
use super::p256::{P256PublicKey, is_valid_p256_signature, point_of};
use super::webauthn::{Assertion, WebAuthnSigner, verify as verify_assertion};

#[derive(Drop, Clone, PartialEq, Debug, starknet::Store)]
pub enum OwnerKey {
    #[default]
    Stark: felt252,
    P256: P256PublicKey,
    WebAuthn: WebAuthnSigner,
}

/// The layouts of §12.1: Stark `[key]`; P-256 `['p256', x, y]`; WebAuthn
/// `['webauthn', x, y, rp_id_hash, origin, require_user_verification]`
/// (each `u256` as low, high; `origin` a `ByteArray`). A Stark key equal
/// to a tag reads as that tag's layout: no one holds the private key of
/// such a key.
pub impl OwnerKeySerde of Serde<OwnerKey> {
    fn serialize(self: @OwnerKey, ref output: Array<felt252>) {
        match self {
            OwnerKey::Stark(key) => output.append(*key),
            OwnerKey::P256(key) => {
                output.append(P256_MAGIC);
                key.serialize(ref output);
            },
            OwnerKey::WebAuthn(signer) => {
                output.append(WEBAUTHN_MAGIC);
                signer.serialize(ref output);
            },
        }
    }

    fn deserialize(ref serialized: Span<felt252>) -> Option<OwnerKey> {
        let first = *serialized.pop_front()?;
        if first == P256_MAGIC {
            return Some(OwnerKey::P256(Serde::deserialize(ref serialized)?));
        }
        if first == WEBAUTHN_MAGIC {
            return Some(OwnerKey::WebAuthn(Serde::deserialize(ref serialized)?));
        }
        Some(OwnerKey::Stark(first))
    }
}

/// How the account names its owner in views, events and the rotation proof
/// (§7.3): a Stark owner by its key, any other by the Poseidon hash of its
/// layout.
pub fn owner_id(key: @OwnerKey) -> felt252 {
    match key {
        OwnerKey::Stark(key) => *key,
        _ => {
            let mut layout = array![];
            key.serialize(ref layout);
            poseidon_hash_span(layout.span())
        },
    }
}

/// An owner key the account accepts: a Stark key other than 0; a P-256 key
/// on the curve; a passkey whose key is on the curve, with a relying party
/// id hash and an origin.
pub fn is_well_formed(key: @OwnerKey) -> bool {
    match key {
        OwnerKey::Stark(key) => *key != 0,
        OwnerKey::P256(key) => point_of(*key).is_some(),
        OwnerKey::WebAuthn(signer) => point_of(*signer.key).is_some()
            && *signer.rp_id_hash != 0
            && signer.origin.len() != 0,
    }
}

/// Checks that `signature` is the Stark key `key`'s signature of `hash`:
/// `account/invalid-signature` for another layout or one that does not
/// verify.
pub fn check_stark_signature(
    key: felt252, hash: felt252, signature: @OwnerSignature,
) -> Result<(), felt252> {
    match signature {
        OwnerSignature::Stark(sig) => if is_valid_stark_signature(hash, key, *sig.r, *sig.s) {
            Ok(())
        } else {
            Err(SignatureErrors::INVALID_SIGNATURE)
        },
        _ => Err(SignatureErrors::INVALID_SIGNATURE),
    }
}

/// Checks that `signature` is `key`'s signature of `hash` (§2.1, §2.3): a
/// signature of another kind than the key is `account/invalid-signature`,
/// as is a Stark or P-256 signature that does not verify; a passkey's
/// assertion fails with the error of the first rule of §2.3 it breaks.
pub fn check_owner_signature(
    key: @OwnerKey, hash: felt252, signature: @OwnerSignature,
) -> Result<(), felt252> {
    let valid = match (key, signature) {
        (OwnerKey::Stark(key), _) => { return check_stark_signature(*key, hash, signature); },
        (
            OwnerKey::P256(key), OwnerSignature::P256(sig),
        ) => {
            let mut serialized = *sig;
            match Serde::<P256Signature>::deserialize(ref serialized) {
                Some(sig) => is_valid_p256_signature(hash.into(), *key, sig.r, sig.s),
                None => false,
            }
        },
        (
            OwnerKey::WebAuthn(signer), OwnerSignature::WebAuthn(assertion),
        ) => {
            let mut serialized = *assertion;
            return match Serde::<Assertion>::deserialize(ref serialized) {
                Some(assertion) => verify_assertion(signer, hash, @assertion),
                None => Err(SignatureErrors::MALFORMED_SIGNATURE),
            };
        },
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(SignatureErrors::INVALID_SIGNATURE)
    }
}
