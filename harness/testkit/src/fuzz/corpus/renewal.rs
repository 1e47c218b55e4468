//! §5: renewal. Only in the grace period, only while the session is usable,
//! one period at a time, never past max_valid_until.

use super::*;

pub(super) fn attacks() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "renew_after_revoke_all",
            "a session in its grace period renews itself after the owner's revoke-all",
            vec![grant(limited()), past_expiry(), Op::RevokeAll, Op::Renew { slot: 0, path: D }],
            rejected(SessionEpochRevoked),
        ),
        attack(
            "renew_after_revoke_all_gasless",
            "the same renewal, relayed as an outside execution",
            vec![grant(limited()), past_expiry(), Op::RevokeAll, Op::Renew { slot: 0, path: G }],
            reverted(SessionEpochRevoked),
        ),
        attack(
            "renew_after_revoke",
            "a revoked session renews itself in its grace period",
            vec![
                grant(limited()),
                past_expiry(),
                Op::OwnerRevoke { slot: 0, clear: false },
                Op::Renew { slot: 0, path: D },
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "renew_past_grace",
            "a session renews itself 30 s after its grace period, which the hour-floored \
             validate clock still allows",
            vec![
                grant(limited()),
                Op::TimeToDeadline { slot: 0, grace: true, after: true },
                Op::Renew { slot: 0, path: D },
            ],
            reverted(SessionExpired),
        ),
        attack(
            "renew_at_the_grace_deadline",
            "a session renews itself at exactly the end of its grace period",
            vec![
                grant(limited()),
                on_edge(TimeEdge::GraceDeadline, false),
                Op::Renew { slot: 0, path: G },
            ],
            reverted(SessionExpired),
        ),
        attack(
            "renew_one_second_before_expiry",
            "a session renews itself, relayed, the second before valid_until: it is not \
             expired yet",
            vec![
                grant(limited()),
                on_edge(TimeEdge::ValidUntil, true),
                Op::Renew { slot: 0, path: G },
            ],
            reverted(SessionNotExpired),
        ),
        attack(
            "renew_not_renewable",
            "a session without a grace period renews itself",
            vec![grant(limited().not_renewable()), past_expiry(), Op::Renew { slot: 0, path: D }],
            rejected(SessionNotRenewable),
        ),
        attack(
            "renew_early",
            "a live session renews itself to extend its life (refused in validate, free of \
             fees)",
            vec![grant(limited()), renew(D)],
            rejected(SessionNotExpired),
        ),
        attack(
            "renewal_jump",
            "a session whose valid_after is 0 renews, then tries again to reach \
             max_valid_until",
            vec![
                grant(limited().flawed(PolicyFlaw::StartedAtZero)),
                past_expiry(),
                renew(D),
                renew(D),
            ],
            rejected(SessionNotExpired),
        ),
        attack(
            "renew_past_max_valid_until",
            "a renewal beyond the policy's absolute bound",
            vec![
                grant(limited().flawed(PolicyFlaw::NoRoomToRenew)),
                past_expiry(),
                Op::Renew { slot: 0, path: D },
            ],
            reverted(SessionRenewalLimit),
        ),
    ]
}
