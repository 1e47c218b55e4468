//! Owners of every kind in the fuzzer (§2.1, §2.3): the owner key behind
//! each number, the fee bounds what it signs needs, and owner signatures
//! tampered one field at a time, with the error the account must give
//! each ([`Tamper::refusal`]): what the model predicts and the chain sends.
//! What an owner of each kind signs is sent with [`super::HEAVY`] bounds.

use session_account::contract::ContractError;
use session_account::signers::{
    challenge, Assertion, OwnerKey, OwnerSignError, OwnerSigner, P256Owner,
};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::SigningKey;

use super::authenticator::CratePasskey;

/// An owner key the fuzzer signs with: a passkey's assertions come from
/// 1Password's authenticator and client ([`CratePasskey`]).
#[derive(Clone)]
pub enum FuzzOwner {
    Stark(SigningKey),
    P256(P256Owner),
    Passkey(CratePasskey),
}

impl OwnerSigner for FuzzOwner {
    fn owner_key(&self) -> OwnerKey {
        match self {
            FuzzOwner::Stark(key) => key.owner_key(),
            FuzzOwner::P256(key) => key.owner_key(),
            FuzzOwner::Passkey(key) => key.owner_key(),
        }
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        match self {
            FuzzOwner::Stark(key) => key.sign_hash(hash),
            FuzzOwner::P256(key) => key.sign_hash(hash),
            FuzzOwner::Passkey(key) => key.sign_hash(hash),
        }
    }
}

/// The kinds of owner (§2.1) a case's account moves between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnerKind {
    Stark,
    P256,
    Passkey,
}

impl OwnerKind {
    pub const ALL: [OwnerKind; 3] = [OwnerKind::Stark, OwnerKind::P256, OwnerKind::Passkey];

    /// The kind of owner key number `id`.
    pub fn of(id: u64) -> OwnerKind {
        Self::ALL[(id % 3) as usize]
    }

    /// The first owner key number above `above` of this kind.
    pub(crate) fn next_after(self, above: u64) -> u64 {
        (above + 1..).find(|id| OwnerKind::of(*id) == self).expect("one in three numbers")
    }
}

/// The relying party and origin of the fuzzer's passkeys.
pub(crate) const PASSKEY_RP_ID: &str = "fuzz.session-account.dev";
pub(crate) const PASSKEY_ORIGIN: &str = "https://fuzz.session-account.dev";

/// Owner key number `id`, of kind [`OwnerKind::of`]`(id)` (each case's
/// account starts with the number it drew; a rotation to a new key takes
/// the next number of the kind it rotates to).
pub(crate) fn owner_key(id: u64) -> FuzzOwner {
    let seed = 0x0123_4567_89ab_u64 + id;
    let p256 = || {
        let mut secret = [0x11u8; 32];
        secret[24..].copy_from_slice(&seed.to_be_bytes());
        P256Owner::from_secret_bytes(&secret).expect("a P-256 secret")
    };
    match OwnerKind::of(id) {
        OwnerKind::Stark => FuzzOwner::Stark(SigningKey::from_secret_scalar(Felt::from(seed))),
        OwnerKind::P256 => FuzzOwner::P256(p256()),
        OwnerKind::Passkey => {
            FuzzOwner::Passkey(CratePasskey::new(p256(), PASSKEY_RP_ID, PASSKEY_ORIGIN))
        }
    }
}

/// The account's id of owner key number `id` (§7.3).
pub(crate) fn owner_id(id: u64) -> Felt {
    owner_key(id).owner_key().id()
}

/// One field of an owner signature changed, the rest signed as usual
/// (§2.3). A passkey's assertion is built here and signed with the
/// credential's key after the change, so the
/// account must catch the field itself; a Stark or P-256 owner's signature
/// has no such fields, and every tamper but [`Tamper::HighS`] becomes the
/// signature of another key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// `clientDataJSON.type` is `webauthn.create`.
    Type,
    /// The challenge one character off.
    Challenge,
    /// The challenge one character off, and the right challenge member
    /// after a backslash, inside another member's value, where the
    /// challenge offset points: not where a member stands.
    ChallengeInsideAnotherMember,
    /// Another origin.
    Origin,
    /// Authenticator data of another relying party.
    RpId,
    /// The user-present flag unset.
    UserPresence,
    /// The user-verified flag unset (the fuzzer's passkeys require it).
    UserVerification,
    /// Authenticator data cut to 36 bytes.
    TruncatedAuthData,
    /// Signed by another key of the kind.
    OtherKey,
    /// `s` replaced by `n - s`: the same signature, which the account
    /// accepts (§2.3). (A Stark owner's signature is sent as signed.)
    HighS,
}

impl Tamper {
    pub const ALL: [Tamper; 10] = [
        Tamper::Type,
        Tamper::Challenge,
        Tamper::ChallengeInsideAnotherMember,
        Tamper::Origin,
        Tamper::RpId,
        Tamper::UserPresence,
        Tamper::UserVerification,
        Tamper::TruncatedAuthData,
        Tamper::OtherKey,
        Tamper::HighS,
    ];

    /// The error the account refuses a signature so tampered with, by an
    /// owner of `kind`; `None` when it accepts it.
    pub fn refusal(self, kind: OwnerKind) -> Option<ContractError> {
        use ContractError::*;
        match (kind, self) {
            (_, Tamper::HighS) => None,
            (OwnerKind::Stark | OwnerKind::P256, _) => Some(InvalidSignature),
            (OwnerKind::Passkey, tamper) => Some(match tamper {
                Tamper::Type => WebAuthnWrongType,
                Tamper::Challenge | Tamper::ChallengeInsideAnotherMember => WebAuthnWrongChallenge,
                Tamper::Origin => WebAuthnWrongOrigin,
                Tamper::RpId => WebAuthnWrongRpId,
                Tamper::UserPresence => WebAuthnUserNotPresent,
                Tamper::UserVerification => WebAuthnUserNotVerified,
                Tamper::TruncatedAuthData => WebAuthnMalformed,
                Tamper::OtherKey | Tamper::HighS => WebAuthnInvalidSignature,
            }),
        }
    }

    /// Owner key number `id`'s signature of `hash`, tampered with.
    pub fn sign(self, id: u64, hash: Felt) -> Vec<Felt> {
        let other = || owner_key(id + 3).sign_hash(hash).expect("signs");
        match owner_key(id) {
            FuzzOwner::Stark(key) => match self {
                Tamper::HighS => key.sign_hash(hash).expect("signs"),
                _ => other(),
            },
            FuzzOwner::P256(key) => match self {
                Tamper::HighS => {
                    let mut signature = key.sign_hash(hash).expect("signs");
                    let (low, high) = high_s(signature[3], signature[4]);
                    (signature[3], signature[4]) = (low, high);
                    signature
                }
                _ => other(),
            },
            FuzzOwner::Passkey(passkey) => match self {
                Tamper::OtherKey => other(),
                tamper => tampered_assertion(&passkey, hash, tamper).to_felts(),
            },
        }
    }
}

/// The P-256 group order, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `n - s` of the `u256` `s = (low, high)`, as `(low, high)`.
fn high_s(low: Felt, high: Felt) -> (Felt, Felt) {
    use num_bigint::BigUint;
    let s = (BigUint::from_bytes_be(&high.to_bytes_be()) << 128u32)
        + BigUint::from_bytes_be(&low.to_bytes_be());
    let flipped = BigUint::from_bytes_be(&P256_ORDER) - s;
    let mask = (BigUint::from(1u8) << 128u32) - 1u8;
    let word = |v: BigUint| Felt::from_bytes_be_slice(&v.to_bytes_be());
    (word(&flipped & &mask), word(flipped >> 128u32))
}

/// `passkey`'s assertion of `hash` with one field changed, then signed.
fn tampered_assertion(passkey: &CratePasskey, hash: Felt, tamper: Tamper) -> Assertion {
    let owner = passkey.owner();
    let mut rp_id_hash = owner.rp_id_hash;
    if tamper == Tamper::RpId {
        rp_id_hash[0] ^= 1;
    }
    let flags: u8 = match tamper {
        Tamper::UserPresence => 0x04,
        Tamper::UserVerification => 0x01,
        _ => 0x05,
    };
    let mut authenticator_data = rp_id_hash.to_vec();
    authenticator_data.push(flags);
    authenticator_data.extend(7u32.to_be_bytes());
    if tamper == Tamper::TruncatedAuthData {
        authenticator_data.truncate(36);
    }
    let right = challenge(hash);
    let mut asserted = right.clone();
    if matches!(tamper, Tamper::Challenge | Tamper::ChallengeInsideAnotherMember) {
        let last = if asserted.ends_with('A') { "B" } else { "A" };
        asserted.replace_range(asserted.len() - 1.., last);
    }
    let kind = if tamper == Tamper::Type { "webauthn.create" } else { "webauthn.get" };
    let origin = if tamper == Tamper::Origin { "https://evil.example" } else { &owner.origin };
    // Members in the order Chrome writes them, with the field it adds.
    let mut client_data_json = format!(
        r#"{{"type":"{kind}","challenge":"{asserted}","origin":"{origin}","crossOrigin":false}}"#
    );
    // The right member inside a note's value, after a backslash.
    let decoy = format!(r#""challenge":"{right}""#);
    let note = format!(r#","note":"\{decoy}""#);
    if tamper == Tamper::ChallengeInsideAnotherMember {
        client_data_json.insert_str(client_data_json.len() - 1, &note);
    }
    let client_data_json = client_data_json.into_bytes();
    let digest = Assertion::signed_digest(&authenticator_data, &client_data_json);
    let (r, s) = passkey.key().sign_digest(&digest).expect("signs");
    let der = p256::ecdsa::Signature::from_scalars(r, s).expect("a signature").to_der();
    let mut assertion = Assertion::from_parts(authenticator_data, client_data_json, der.as_bytes())
        .expect("lays out");
    if tamper == Tamper::ChallengeInsideAnotherMember {
        let at = assertion.client_data_json.len() - 1 - decoy.len() - 1;
        assertion.challenge_offset = u32::try_from(at).expect("short");
    }
    assertion
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_numbers_cycle_through_the_kinds() {
        assert_eq!(OwnerKind::of(0), OwnerKind::Stark);
        assert_eq!(OwnerKind::of(4), OwnerKind::P256);
        assert_eq!(OwnerKind::Passkey.next_after(2), 5);
        assert_eq!(OwnerKind::Stark.next_after(2), 3);
        assert!(matches!(owner_key(5), FuzzOwner::Passkey(_)));
        assert_ne!(owner_id(1), owner_id(4));
    }

    #[test]
    fn a_high_s_is_the_other_root() {
        let (low, high) = high_s(Felt::from(1u8), Felt::ZERO);
        let (back_low, back_high) = high_s(low, high);
        assert_eq!((back_low, back_high), (Felt::from(1u8), Felt::ZERO));
        assert_eq!(high, Felt::from_bytes_be_slice(&P256_ORDER[..16]));
    }
}
