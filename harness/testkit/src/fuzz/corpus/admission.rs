//! §2, §3, §4.1: who may act. Authorizations that must not register (§3.2:
//! revoked, rotated, for another chain or account, tampered, or over a
//! registered key), ill-formed policies (§1.1), keys that are not registered
//! or revoked, forged or owner-layout signatures, replays.

use super::*;

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [
        stale_authorizations(),
        misbound_authorizations(),
        reused_authorizations(),
        signatures_and_replays(),
        keys_and_policies(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// §3.2: unused authorizations that the owner's later acts void: a
/// revoke-all, a rotation of its key, a rotation back to it.
fn stale_authorizations() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "authorization_after_revoke_all",
            "an unused authorization used after the owner's revoke-all",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RevokeAll,
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_after_owner_rotation",
            "an unused authorization signed by the previous owner key",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RotateOwner { back: false, to: crate::fuzz::OwnerKind::Stark },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_after_rotation_back",
            "an unused authorization signed by key A, after the owner rotated A→B→A",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RotateOwner { back: false, to: crate::fuzz::OwnerKind::Stark },
                Op::RotateOwner { back: true, to: crate::fuzz::OwnerKind::Stark },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
    ]
}

/// §3.2: authorizations bound to another chain, account or session key,
/// or whose policy changed after signing.
fn misbound_authorizations() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "authorization_other_chain",
            "an authorization signed for another chain",
            vec![
                authorize(limited(), Grant::ForOtherChain),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_other_account",
            "an authorization signed for another account",
            vec![
                authorize(limited(), Grant::ForOtherAccount),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_for_another_key",
            "a leaked key carries the owner's genuine authorization of another key's session",
            vec![
                authorize(limited(), Grant::ForAnotherKey),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_tampered",
            "an authorization whose carried policy was widened after signing",
            vec![
                authorize(limited(), Grant::Tampered),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
    ]
}

/// §3.2, §6: an authorization carried again for a revoked session, or
/// over a key already registered.
fn reused_authorizations() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "authorization_replay_after_revoke",
            "the authorization of a revoked session, carried again",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::OwnerRevoke { slot: 0, clear: false },
                authorize(limited(), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "authorization_over_registered",
            "an authorization with a new policy for a key already registered",
            vec![
                grant(limited().unlimited()),
                Op::OwnerRevoke { slot: 0, clear: false },
                authorize(limited().lifetime(5 * 3600), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionAlreadyRegistered),
        ),
    ]
}

/// §2.1, §2.2, §4.1d, §7.2: forged, owner-layout and overlong session
/// signatures, and an included transaction sent again.
fn signatures_and_replays() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "forged_session_signature",
            "a session transaction signed by another key",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::Forged, path: D },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "felt_after_the_authorization",
            "a session signature carrying its authorization, then one more felt",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::Forged { slot: 0, signing: SessionSignature::TrailingFelt, path: D },
            ],
            rejected(MalformedSignature),
        ),
        attack(
            "felt_after_the_authorization_gasless",
            "the same signature on an outside execution",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::Forged { slot: 0, signing: SessionSignature::TrailingFelt, path: G },
            ],
            reverted(MalformedSignature),
        ),
        attack(
            "session_key_as_owner",
            "a session key signs a transaction in the owner layout",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::OwnerLayout, path: D },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "transaction_replay",
            "an included session transaction sent again",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::ReplayTransaction,
            ],
            Refusal::Step(Verdict::Rejected(None)),
        ),
    ]
}

/// §4.1a–c, §1.1, §6: keys never registered or revoked, and policies an
/// owner cannot grant.
fn keys_and_policies() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "unregistered_key",
            "a key the owner never granted",
            vec![
                grant(limited()),
                Op::Transfer {
                    slot: 1,
                    selector: Metered::Transfer,
                    amount: Amount::One,
                    count: 1,
                    path: G,
                },
            ],
            reverted(SessionNotRegistered),
        ),
        attack(
            "authorization_allowing_the_account",
            "an owner-signed authorization whose policy lets the session call the account \
             itself",
            vec![
                authorize(limited().flawed(PolicyFlaw::AllowsTheAccount), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionSelfCall),
        ),
        attack(
            "revoked_session",
            "a session keeps transacting after the owner revoked it",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::OwnerRevoke { slot: 0, clear: false },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionRevoked),
        ),
        attack(
            "owner_revokes_a_leaked_unused_authorization",
            "an authorization leaks before its first use; the owner revokes the key, which \
             was never registered: the authorization can no longer register it",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::OwnerRevoke { slot: 0, clear: false },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "spending_limit_on_the_account",
            "an authorization whose policy limits spending of the account itself",
            vec![
                authorize(limited().flawed(PolicyFlaw::LimitsTheAccount), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidLimitToken),
        ),
    ]
}
