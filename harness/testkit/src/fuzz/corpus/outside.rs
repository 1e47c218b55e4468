//! §11: outside executions. Signatures that cover another execution, session
//! keys passing as the owner, replays, nonce spaces, and executions a contract
//! nests inside a session's.

use super::*;

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [outside_signatures(), outside_replays(), nested_executions()].into_iter().flatten().collect()
}

/// §11: signatures that cover another execution, and session keys
/// passing as the owner.
fn outside_signatures() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "forged_outside_signature",
            "a session-signed outside execution whose signature covers another execution",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::Forged, path: G },
            ],
            reverted(InvalidSignature),
        ),
        attack(
            "session_key_as_owner_outside",
            "a session key signs an outside execution in the owner layout \
             (is_valid_signature misuse)",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::OwnerLayout, path: G },
            ],
            reverted(InvalidSignature),
        ),
    ]
}

/// §11: replays, and the owner's and sessions' separate nonce spaces.
fn outside_replays() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "outside_replay",
            "a relayer submits an executed outside execution again",
            vec![grant(limited()), spend(Metered::Transfer, Amount::One, 1, G), Op::ReplayOutside],
            reverted(OutsideNonceUsed),
        ),
        attack(
            "outside_replay_late",
            "a refused outside execution, submitted again after its window",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::OverByOne, 1, G),
                Op::TimeForward { seconds: 3600 },
                Op::ReplayOutside,
            ],
            reverted(OutsideExpired),
        ),
        attack(
            "outside_at_execute_after",
            "an outside execution at exactly its execute_after (the window is open at neither \
             end)",
            vec![grant(limited()), relayed(RelayEdge::AfterIsNow)],
            reverted(OutsideTooEarly),
        ),
        attack(
            "outside_at_execute_before",
            "an outside execution at exactly its execute_before",
            vec![grant(limited()), relayed(RelayEdge::BeforeIsNow)],
            reverted(OutsideExpired),
        ),
        attack(
            "outside_relayed_by_another_caller",
            "a relayer submits an outside execution that names another caller",
            vec![grant(limited()), relayed(RelayEdge::OtherCaller)],
            reverted(OutsideInvalidCaller),
        ),
        attack(
            "session_spends_the_owners_outside_nonce",
            "a session relays an outside execution with the nonce the owner's pending one \
             carries: the owner's still runs (separate nonce spaces), and only its own \
             replay is refused",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, G),
                Op::OwnerOutside { reuse: true },
                Op::OwnerOutside { reuse: true },
            ],
            reverted(OutsideNonceUsed),
        ),
    ]
}

/// §4.4, §11: outside executions a hooked token nests inside the
/// account's.
fn nested_executions() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "hooked_token_nests_an_outside_execution_in_a_transaction",
            "a limited token whose balance_of submits the session's own outside execution \
             while a session transaction's balance watch reads it (§4.4, §11)",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Session(0)),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
        attack(
            "hooked_token_nests_an_outside_execution_in_an_outside_execution",
            "the same hook inside a session-signed outside execution's watch, where the \
             outer one would write back stale grants if the inner one ran",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Session(0)),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
        attack(
            "hooked_token_nests_the_owners_outside_execution",
            "the hook submits an owner-signed outside execution while a session \
             transaction runs: no execution of the account starts inside a session's",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Owner),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
    ]
}
