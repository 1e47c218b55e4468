//! §4.5, §4.7: what a session may cost the account. The fee cap, the fee
//! budget against fee burns, and transaction fields the account does not read.

use super::*;

pub(super) fn attacks() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "renewal_spam_fee_burn",
            "a live session sends renewals in the hour of its expiry, each reverting and \
             charged: the fee budget stops it",
            vec![
                grant(limited().fee_budget(usual_fees(2))),
                before_expiry(),
                renew(D),
                renew(D),
                renew(D),
            ],
            rejected(SessionFeeBudget),
        ),
        attack(
            "fee_burn_at_cap",
            "reverting calls (a stranger's transfer_from) with fee bounds at the cap, \
             mostly tip: the budget stops the burn",
            vec![grant(limited().fee_budget(2 * FEE_CAP)), burn(true), burn(true), burn(true)],
            rejected(SessionFeeBudget),
        ),
        attack(
            "reverting_calls_count",
            "reverting calls to burn fees without using calls: each counts against \
             max_calls",
            vec![grant(limited().max_calls(2)), burn(false), burn(false), burn(false)],
            rejected(SessionCallLimit),
        ),
        attack(
            "gasless_only_session",
            "a session with a zero fee budget sends a transaction the account would pay for",
            vec![grant(limited().fee_budget(0)), spend(Metered::Transfer, Amount::One, 1, D)],
            rejected(SessionFeeBudget),
        ),
        attack(
            "fee_drain",
            "a session transaction whose fee bounds exceed the session's fee cap",
            vec![grant(limited()), Op::OverFeeCap { slot: 0, by_one: false }],
            rejected(SessionFeeAboveCap),
        ),
        attack(
            "fee_one_fri_over_the_cap",
            "a session transaction whose fee bounds come to the session's fee cap and one fri",
            vec![grant(limited()), Op::OverFeeCap { slot: 0, by_one: true }],
            rejected(SessionFeeAboveCap),
        ),
        attack(
            "paymaster_data_the_account_ignores",
            "a session transaction carrying paymaster_data the account does not read",
            vec![
                grant(limited()),
                Op::UnsupportedTxField { slot: 0, field: TxField::PaymasterData },
            ],
            rejected(SessionUnsupportedTxField),
        ),
        attack(
            "fee_on_l2_data_availability",
            "a session transaction asking for L2 fee data availability",
            vec![
                grant(limited()),
                Op::UnsupportedTxField { slot: 0, field: TxField::FeeDataAvailability },
            ],
            rejected(SessionUnsupportedTxField),
        ),
    ]
}
