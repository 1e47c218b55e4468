//! §4.8, §4.9: what an agent's session may pass to a call, and how much it
//! may spend per window. Recipient allow-lists, per-call bounds, a rule
//! that reads past the calldata, a multicall that splits a bound, spending
//! across a window's boundary, and rules an owner cannot grant.

use super::*;
use crate::fuzz::{AllowList, PerCall, RuleChoice};

const HOUR: u64 = 3600;

/// A recipient allow-list of eight addresses, the fuzzer's recipient among
/// them or not.
fn allowlist(includes_recipient: bool) -> RuleChoice {
    RuleChoice {
        allowlist: Some(AllowList { size: 8, includes_recipient }),
        ..RuleChoice::default()
    }
}

/// At most `max` per `transfer` call.
fn bound(max: u128) -> RuleChoice {
    per_call(PerCall::AtMost, max)
}

/// A rule on each `transfer`'s amount.
fn per_call(kind: PerCall, amount: u128) -> RuleChoice {
    RuleChoice { per_call: Some((kind, amount)), ..RuleChoice::default() }
}

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [calldata_rules(), periodic_limits(), ill_formed_rules()].into_iter().flatten().collect()
}

/// §4.8: recipient allow-lists, per-call bounds, and a rule that reads
/// past the calldata.
fn calldata_rules() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "recipient_not_in_allowlist",
            "a leaked agent key pays an address outside the session's eight recipients",
            vec![
                grant(limited().ruled(allowlist(false))),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionCalldataRule),
        ),
        attack(
            "recipient_not_in_allowlist_gasless",
            "the same payment, relayed as an outside execution",
            vec![
                grant(limited().ruled(allowlist(false))),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionCalldataRule),
        ),
        attack(
            "amount_over_per_call_bound",
            "a transfer of one more than the session's per-call bound",
            vec![
                grant(limited().ruled(bound(30))),
                spend(Metered::Transfer, Amount::BoundOverByOne, 1, D),
            ],
            rejected(SessionCalldataRule),
        ),
        attack(
            "amount_over_exact_amount",
            "a transfer of one more than the only amount the session may send",
            vec![
                grant(limited().ruled(per_call(PerCall::Exactly, 30))),
                spend(Metered::Transfer, Amount::BoundOverByOne, 1, D),
            ],
            rejected(SessionCalldataRule),
        ),
        attack(
            "amount_under_the_minimum",
            "a transfer of exactly the session's per-call minimum (which passes), then of one \
             unit",
            vec![
                grant(limited().ruled(per_call(PerCall::AtLeast, 30))),
                spend(Metered::Transfer, Amount::Bound, 1, D),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionCalldataRule),
        ),
        attack(
            "rule_offset_past_calldata",
            "a rule reads an amount past the end of the call's calldata: it fails closed",
            vec![
                grant(limited().ruled(RuleChoice { past_calldata: true, ..RuleChoice::default() })),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionCalldataRule),
        ),
    ]
}

/// §4.9: a multicall that splits a per-call bound, spending across a
/// window's boundary, and a window's rollover.
fn periodic_limits() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "multicall_splits_per_call_bound",
            "two transfers at the per-call bound in one multicall: each passes the rule, \
             the window's limit bounds their sum",
            vec![
                grant(limited().ruled(bound(30)).periodic(HOUR, 40)),
                spend(Metered::Transfer, Amount::Bound, 2, D),
            ],
            reverted(SessionPeriodLimit),
        ),
        attack(
            "spending_across_window_boundary",
            "a window spent in full, then one more unit, relayed, in the window's last \
             seconds",
            vec![
                grant(limited().periodic(HOUR, 40)),
                spend(Metered::Transfer, Amount::WindowRemaining, 1, D),
                Op::TimeToWindowEnd { slot: 0, after: false },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionPeriodLimit),
        ),
        attack(
            "spending_in_the_windows_last_second",
            "a window spent in full, then one more unit, relayed, in the window's very last \
             second",
            vec![
                grant(limited().periodic(HOUR, 40)),
                spend(Metered::Transfer, Amount::WindowRemaining, 1, D),
                on_edge(TimeEdge::WindowEnd, true),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionPeriodLimit),
        ),
        attack(
            "indirect_spending_fills_the_window",
            "a router pulls the window's whole limit through the owner's old allowance \
             (what the balance watch sees beyond the metered amounts), then one more unit",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited().periodic(HOUR, 40)),
                Op::RouterPull { slot: 0, amount: Amount::WindowRemaining, path: D },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionPeriodLimit),
        ),
        attack(
            "window_rollover_refills_only_the_window",
            "a new window starts empty, but the lifetime limit still holds",
            vec![
                grant(limited().periodic(HOUR, 60)),
                spend(Metered::Transfer, Amount::WindowRemaining, 1, D),
                Op::TimeToWindowEnd { slot: 0, after: true },
                spend(Metered::Transfer, Amount::WindowRemaining, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
    ]
}

/// §1.1: calldata rules and periodic limits an owner cannot grant.
fn ill_formed_rules() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "rule_on_unlisted_entrypoint",
            "an authorization whose calldata rule names an entrypoint the policy does not list",
            vec![
                authorize(
                    limited().flawed(PolicyFlaw::RuleOnUnlistedEntrypoint),
                    Grant::ByAuthorization,
                ),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidCalldataRule),
        ),
        attack(
            "oversized_rule_set",
            "an authorization whose allow-list has more values than validate may check",
            vec![
                authorize(limited().flawed(PolicyFlaw::OversizedSet), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidCalldataRule),
        ),
        attack(
            "too_many_rules_on_an_entrypoint",
            "an authorization with nine calldata rules on `transfer`, each of which the \
             transfer passes",
            vec![
                authorize(limited().flawed(PolicyFlaw::TooManyRules), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidCalldataRule),
        ),
        attack(
            "periodic_limit_without_period",
            "an authorization with a per-window limit and no window",
            vec![
                authorize(
                    limited().flawed(PolicyFlaw::PeriodWithoutLength),
                    Grant::ByAuthorization,
                ),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidPeriod),
        ),
    ]
}
