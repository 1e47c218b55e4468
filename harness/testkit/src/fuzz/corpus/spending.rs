//! §4.4: the spending limit. Metered selectors and amount words, sums over a
//! multicall, what leaves the account through routers, approvals and third
//! parties' tokens.

use super::*;

/// Every attack of this section, table by table, in order.
pub(super) fn attacks() -> Vec<Attack> {
    [indirect_spending(), metered_calls(), approvals_and_pulls()].into_iter().flatten().collect()
}

/// §4.4: what leaves through a router's pull, and a third party's tokens
/// moved past the limit.
fn indirect_spending() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "indirect_pull_beyond_limit",
            "a router the owner approved long ago pulls more than the session's limit",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                Op::RouterPull { slot: 0, amount: Amount::OverByOne, path: D },
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "indirect_pull_gasless",
            "the same pull, relayed as an outside execution",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, G),
                Op::RouterPull { slot: 0, amount: Amount::Remaining, path: G },
                Op::RouterPull { slot: 0, amount: Amount::One, path: G },
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "third_party_transfer_from",
            "transfer_from of a third party's tokens it allowed the account, past the limit",
            vec![grant(limited()), spend(Metered::TransferFromThirdParty, Amount::OverByOne, 1, D)],
            rejected(SessionSpendingLimit),
        ),
    ]
}

/// §4.4: metered selectors and amount words, and sums over a multicall.
fn metered_calls() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "increase_allowance_bypass",
            "after spending the whole limit through increase_allowance, increaseAllowance \
             asks for more",
            vec![
                grant(limited()),
                spend(Metered::IncreaseAllowance, Amount::Remaining, 1, D),
                spend(Metered::IncreaseAllowanceCamel, Amount::One, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "approve_bypass",
            "approve one more than the limit, to transfer_from it later",
            vec![grant(limited()), spend(Metered::Approve, Amount::OverByOne, 1, G)],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "transfer_from_bypass",
            "transfer_from the account itself, past the limit",
            vec![grant(limited()), spend(Metered::TransferFromSelf, Amount::OverByOne, 1, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "multicall_split",
            "two calls each within the limit, together over it",
            vec![grant(limited()), spend(Metered::Transfer, Amount::Remaining, 2, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "high_u256_word",
            "an amount whose high word is set, which a low-word check would miss",
            vec![grant(limited()), spend(Metered::Transfer, Amount::HighWord, 1, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "spending_sum_wraps",
            "two transfers of 2^255 + 1 in one multicall, whose u256 sum wraps to 2",
            vec![grant(limited()), spend(Metered::Transfer, Amount::HalfRangePlusOne, 2, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "spending_wraps_past_what_was_spent",
            "after spending, a transfer of 2^256 - spent + 1, which added to the tally wraps \
             to 1",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 3, D),
                spend(Metered::Transfer, Amount::WrapsPastSpent, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "non_u128_amount",
            "an amount word that is not a u128, to wrap a metering sum",
            vec![grant(limited()), spend(Metered::Approve, Amount::NotU128, 1, D)],
            rejected(SessionMalformedCalldata),
        ),
        attack(
            "unmetered_selector",
            "a selector the account cannot meter on a limited token (a token-specific way \
             to move funds)",
            vec![grant(limited()), spend(Metered::Unmetered, Amount::One, 1, D)],
            rejected(SessionUnmeteredSelector),
        ),
    ]
}

/// §4.4, §4.10: approvals counted in full, and what leaves beside an
/// allowed pull in the same transaction.
fn approvals_and_pulls() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "approval_hidden_behind_a_pull",
            "approve a third party for the whole limit and, in the same transaction, make \
             an allowed router pull as much through the owner's old allowance: 2x the limit \
             would leave the account (§4.4 counts the approval on top of the decrease)",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                approve_then_pull(Spender::ThirdParty, Amount::Remaining, Amount::Remaining),
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "approved_spender_pulls_later",
            "approve a third party for the whole limit, let it pull outside any session \
             transaction, then spend more: the approval was counted in full",
            vec![
                grant(limited()),
                approve_then_pull(Spender::ThirdParty, Amount::Remaining, Amount::Zero),
                Op::SpenderPulls { over: false },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "approval_outlives_revoke",
            "a session approves a third party, the owner revokes it clearing its allowances \
             (§4.10), and the third party tries to pull: nothing is left to pull",
            vec![
                grant(limited()),
                approve_then_pull(Spender::ThirdParty, Amount::Remaining, Amount::Zero),
                Op::OwnerRevoke { slot: 0, clear: true },
                Op::SpenderPulls { over: false },
            ],
            Refusal::Step(Verdict::Reverted(None)),
        ),
        attack(
            "unlimited_token_approval_outlives_revoke",
            "a session approves a third party on an allowed token with no spending limit, \
             the owner revokes it clearing its allowances (§4.10): that approval is \
             cleared too",
            vec![
                grant(limited().unlimited()),
                approve_then_pull(Spender::ThirdParty, Amount::One, Amount::Zero),
                Op::OwnerRevoke { slot: 0, clear: true },
                Op::SpenderPulls { over: false },
            ],
            Refusal::Step(Verdict::Reverted(None)),
        ),
        attack(
            "third_party_transfer_from_beside_a_pull",
            "move a third party's tokens and, in the same transaction, pull as much of the \
             account's: both count",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                Op::ThirdPartyThenPull { slot: 0, amount: Amount::Remaining, path: G },
            ],
            reverted(SessionSpendingLimit),
        ),
    ]
}
