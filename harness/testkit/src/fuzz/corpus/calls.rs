//! §4.2, §4.3, §4.6: when a session may act and what it may call. The time
//! window (the hour-floored clock of validate, the exact one of execute and
//! outside executions), allowed contracts, call caps, and the admin surface no
//! session reaches.

use super::*;

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [admin_surface(), windows_and_call_limits()].into_iter().flatten().collect()
}

/// §4.3a–b, §4.6: the owner-only entrypoints of the account, which no
/// session reaches, directly or relayed.
fn admin_surface() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "session_revoke_all",
            "a session calls revoke_all_sessions on its account",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeAll, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_revoke_all_gasless",
            "a session-signed outside execution calls revoke_all_sessions",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeAll, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "session_upgrade",
            "a session upgrades its account",
            vec![grant(limited()), admin(AdminEntrypoint::Upgrade, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_upgrade_gasless",
            "a session-signed outside execution upgrades the account",
            vec![grant(limited()), admin(AdminEntrypoint::Upgrade, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "session_set_owner",
            "a session makes its own key the owner",
            vec![grant(limited()), admin(AdminEntrypoint::SetOwner, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_registers_session",
            "a session registers another session with a wider policy",
            vec![grant(limited()), admin(AdminEntrypoint::RegisterSession, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "stranger_registers_a_session",
            "another account calls register_session on the account, for a key it holds",
            vec![Op::StrangerCallsAdmin { slot: 0, entrypoint: AdminEntrypoint::RegisterSession }],
            reverted(OnlyOwner),
        ),
        attack(
            "stranger_revokes_a_session",
            "another account calls revoke_session on the account",
            vec![
                grant(limited()),
                Op::StrangerCallsAdmin { slot: 2, entrypoint: AdminEntrypoint::RevokeOther },
            ],
            reverted(OnlyOwner),
        ),
        attack(
            "stranger_sets_the_owner",
            "another account calls set_owner on the account",
            vec![Op::StrangerCallsAdmin { slot: 0, entrypoint: AdminEntrypoint::SetOwner }],
            reverted(OnlyOwner),
        ),
        attack(
            "stranger_revokes_all",
            "another account calls revoke_all_sessions on the account",
            vec![
                grant(limited()),
                Op::StrangerCallsAdmin { slot: 0, entrypoint: AdminEntrypoint::RevokeAll },
            ],
            reverted(OnlyOwner),
        ),
        attack(
            "stranger_calls_validate",
            "another account calls the account's __validate__ for a transfer, as if it were \
             the protocol (validation writes state: call counts, registrations)",
            vec![
                grant(limited()),
                Op::StrangerCallsAdmin { slot: 0, entrypoint: AdminEntrypoint::Validate },
            ],
            reverted(InvalidCaller),
        ),
        attack(
            "stranger_upgrades",
            "another account calls upgrade on the account",
            vec![Op::StrangerCallsAdmin { slot: 0, entrypoint: AdminEntrypoint::Upgrade }],
            reverted(OnlyOwner),
        ),
        attack(
            "session_revokes_another",
            "a session revokes another session",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeOther, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "session_revokes_another_directly",
            "a session revokes another session in its own transaction: refused in \
             __validate__, before the account pays for it",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeOther, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "lifecycle_call_beside_a_transfer",
            "a session revokes itself in the same multicall as a transfer: a lifecycle \
             self-call must stand alone",
            vec![grant(limited()), Op::LifecycleBesideTransfer { slot: 0, path: D }],
            rejected(SessionSelfCall),
        ),
    ]
}

/// §4.2, §4.3: the time window (validate's hour-floored clock, the exact
/// one of execute and outside executions), allowed contracts and call caps.
fn windows_and_call_limits() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "expiry_inside_the_rounded_hour",
            "a transaction 30 s after expiry, which validate's hour-floored clock still \
             allows",
            vec![grant(limited()), past_expiry(), spend(Metered::Transfer, Amount::One, 1, D)],
            reverted(SessionExpired),
        ),
        attack(
            "expired_gasless",
            "the same, relayed: outside executions use the exact clock",
            vec![grant(limited()), past_expiry(), spend(Metered::Transfer, Amount::One, 1, G)],
            reverted(SessionExpired),
        ),
        attack(
            "call_outside_the_policy",
            "a session calls a contract its policy does not list",
            vec![grant(limited()), Op::CallStranger { slot: 0, path: D }],
            rejected(SessionContractNotAllowed),
        ),
        attack(
            "too_many_calls",
            "more calls in one transaction than the policy allows",
            vec![grant(limited()), spend(Metered::Transfer, Amount::Zero, 3, D)],
            rejected(SessionTooManyCalls),
        ),
        attack(
            "empty_multicall",
            "a transaction with no calls, to burn a call-limit check",
            vec![grant(limited()), spend(Metered::Transfer, Amount::One, 0, G)],
            reverted(SessionNoCalls),
        ),
        attack(
            "before_valid_after",
            "a session used before its window opens",
            vec![
                grant(limited().flawed(PolicyFlaw::StartsLater)),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionNotYetValid),
        ),
        attack(
            "execute_at_valid_until",
            "a transaction at exactly valid_until, the first second the session is expired \
             (validate's floored clock lets it through; execute's exact clock must not)",
            vec![
                grant(limited()),
                on_edge(TimeEdge::ValidUntil, false),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            reverted(SessionExpired),
        ),
        attack(
            "validate_at_valid_until_on_the_hour",
            "a session ending on a whole hour, used at exactly valid_until: validate's \
             floored clock is valid_until itself, so validate must refuse it already",
            vec![
                grant(limited().ending_on_the_hour()),
                on_edge(TimeEdge::ValidUntil, false),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionExpired),
        ),
        attack(
            "execute_one_second_before_valid_after",
            "a transaction the second before valid_after, inside the hour validate rounds to",
            vec![
                grant(limited().flawed(PolicyFlaw::StartsLater)),
                on_edge(TimeEdge::ValidAfter, true),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            reverted(SessionNotYetValid),
        ),
        attack(
            "outside_one_second_before_valid_after",
            "an outside execution the second before valid_after: it sees the exact clock, \
             never validate's floored one",
            vec![
                grant(limited().flawed(PolicyFlaw::StartsLater)),
                on_edge(TimeEdge::ValidAfter, true),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionNotYetValid),
        ),
    ]
}
