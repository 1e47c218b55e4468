//! §2.1, §2.3, §7.3: owners of every kind. A passkey's assertion tampered
//! one field at a time and re-signed (so the account must catch the field,
//! not the signature): another type, a challenge one character off, another
//! origin or relying party, the user-present or user-verified flag unset,
//! authenticator data cut short; a P-256 owner's signature by another key;
//! authorizations by a passkey that must die with it or with a change; a
//! rotation to a key that never signed for it; and a session key's
//! signature offered to `is_valid_signature`. Each case starts with a Stark
//! owner and rotates to the kind under attack.

use super::*;
use crate::fuzz::{OwnerKind, Tamper};

fn rotate_to(to: OwnerKind) -> Op {
    Op::RotateOwner { back: false, to }
}

fn tampered(tamper: Tamper) -> Op {
    Op::TamperedOwner { tamper }
}

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [tampered_passkey_assertions(), other_keys_and_authorizations(), rotations_and_queries()]
        .into_iter()
        .flatten()
        .collect()
}

/// §2.3: a passkey's assertion tampered one field at a time and
/// re-signed, and an assertion by another passkey.
fn tampered_passkey_assertions() -> Vec<Attack> {
    use ContractError::*;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    let passkey = |name, what, tamper, error| {
        attack(name, what, vec![rotate_to(OwnerKind::Passkey), tampered(tamper)], rejected(error))
    };
    vec![
        passkey(
            "webauthn_wrong_type",
            "a passkey assertion whose clientDataJSON type is webauthn.create",
            Tamper::Type,
            WebAuthnWrongType,
        ),
        passkey(
            "webauthn_challenge_one_char_off",
            "a passkey assertion of a challenge one base64url character off",
            Tamper::Challenge,
            WebAuthnWrongChallenge,
        ),
        passkey(
            "webauthn_challenge_inside_another_member",
            "a passkey assertion of a challenge one character off, the right challenge \
             member inside another member's value and the challenge offset pointing there",
            Tamper::ChallengeInsideAnotherMember,
            WebAuthnWrongChallenge,
        ),
        passkey(
            "webauthn_wrong_origin",
            "a passkey assertion made on another origin",
            Tamper::Origin,
            WebAuthnWrongOrigin,
        ),
        passkey(
            "webauthn_wrong_rp_id",
            "a passkey assertion for another relying party",
            Tamper::RpId,
            WebAuthnWrongRpId,
        ),
        passkey(
            "webauthn_user_not_present",
            "a passkey assertion without the user-present flag",
            Tamper::UserPresence,
            WebAuthnUserNotPresent,
        ),
        passkey(
            "webauthn_user_not_verified",
            "a passkey assertion without user verification, which the owner requires",
            Tamper::UserVerification,
            WebAuthnUserNotVerified,
        ),
        passkey(
            "webauthn_truncated_authenticator_data",
            "a passkey assertion whose authenticator data is cut to 36 bytes",
            Tamper::TruncatedAuthData,
            WebAuthnMalformed,
        ),
        passkey(
            "webauthn_other_passkey",
            "an assertion by another passkey of the same relying party and origin",
            Tamper::OtherKey,
            WebAuthnInvalidSignature,
        ),
    ]
}

/// §2.1, §3.2, §7.3: a P-256 owner's signature by another key, and a
/// passkey's authorizations after a rotation or a change.
fn other_keys_and_authorizations() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "p256_other_key",
            "a P-256 owner's transaction signed by another P-256 key",
            vec![rotate_to(OwnerKind::P256), tampered(Tamper::OtherKey)],
            rejected(InvalidSignature),
        ),
        attack(
            "passkey_authorization_after_rotation_to_p256",
            "an unused authorization by a passkey owner, after it handed over to a P-256 key",
            vec![
                rotate_to(OwnerKind::Passkey),
                authorize(limited(), Grant::ByAuthorization),
                rotate_to(OwnerKind::P256),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "passkey_authorization_tampered",
            "a passkey's authorization whose policy was changed after the tap",
            vec![
                rotate_to(OwnerKind::Passkey),
                authorize(limited(), Grant::Tampered),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionInvalidAuthorization),
        ),
    ]
}

/// §7.1, §7.2, §7.3: a DECLARE signed by a session key, a rotation to a
/// key whose holder never signed for it, and `is_valid_signature` asked
/// about a session key's signature.
fn rotations_and_queries() -> Vec<Attack> {
    use ContractError::*;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "rotation_to_a_key_that_never_signed",
            "the owner rotates to a key whose proof of possession the old key signed",
            vec![Op::UnprovenRotation { to: OwnerKind::Stark }],
            reverted(InvalidOwnerKey),
        ),
        attack(
            "rotation_to_a_passkey_that_never_signed",
            "the same, to a passkey: the old Stark key signs in the passkey's stead",
            vec![Op::UnprovenRotation { to: OwnerKind::Passkey }],
            reverted(InvalidOwnerKey),
        ),
        attack(
            "session_signature_passes_as_the_owners",
            "a dapp asks is_valid_signature about a live session key's signature: only the \
             owner's signature is the account's",
            vec![
                grant(PolicyChoice::limited()),
                Op::SignatureQuery { signer: HookSigner::Session(0), owner_layout: false },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "session_key_signs_as_the_owner_for_a_dapp",
            "a dapp asks is_valid_signature about a session key's signature in the owner's \
             layout",
            vec![
                grant(PolicyChoice::limited()),
                Op::SignatureQuery { signer: HookSigner::Session(0), owner_layout: true },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "session_key_declares_a_class",
            "a live session key signs a DECLARE of a class the network has never seen: \
             declaring is the owner's alone, and the account would pay for it",
            vec![grant(PolicyChoice::limited()), Op::SessionDeclare { slot: 0 }],
            rejected(OnlyOwner),
        ),
    ]
}
