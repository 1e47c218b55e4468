//! policy::spending: where the spending tally is computed (§4.4).

use session_account::policy::SpendingLimit;
use session_account::policy::calls::{
    ContractRule, Grant, PolicyGrants, grants_of_calls, policy_grants,
};
use session_account::policy::spending::{
    APPROVE, Errors, INCREASE_ALLOWANCE, INCREASE_ALLOWANCE_CAMEL, TRANSFER, TRANSFER_FROM,
    TRANSFER_FROM_CAMEL, Tally, metered_amount, tally_spending,
};
use starknet::ContractAddress;
use starknet::account::Call;
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{account, game, sample_policy, token};

const U128_MAX: felt252 = 0xffffffffffffffffffffffffffffffff;
const NOT_U128: felt252 = 0x100000000000000000000000000000000;

fn transfer(to: ContractAddress, amount: felt252) -> Call {
    Call { to, selector: TRANSFER, calldata: array![0x1234, amount, 0].span() }
}

/// The tally of `calls` for a session granted `grants`.
fn tally(grants: @PolicyGrants, calls: Array<Call>) -> Result<Tally, felt252> {
    let targets = grants_of_calls(grants, calls.span());
    tally_spending(calls.span(), targets.span(), account())
}

fn metered(selector: felt252, calldata: Array<felt252>) -> Result<u256, felt252> {
    metered_amount(selector, calldata.span())
}

#[test]
fn selectors_are_the_erc20_entrypoints() {
    assert_eq!(TRANSFER, selector!("transfer"));
    assert_eq!(APPROVE, selector!("approve"));
    assert_eq!(INCREASE_ALLOWANCE, selector!("increase_allowance"));
    assert_eq!(INCREASE_ALLOWANCE_CAMEL, selector!("increaseAllowance"));
    assert_eq!(TRANSFER_FROM, selector!("transfer_from"));
    assert_eq!(TRANSFER_FROM_CAMEL, selector!("transferFrom"));
}

#[test]
fn every_metered_selector() {
    let me: felt252 = 0xacc;
    assert_eq!(metered(TRANSFER, array![1, 5, 0]), Ok(5));
    assert_eq!(metered(APPROVE, array![1, 6, 0]), Ok(6));
    assert_eq!(metered(INCREASE_ALLOWANCE, array![1, 7, 0]), Ok(7));
    assert_eq!(metered(INCREASE_ALLOWANCE_CAMEL, array![1, 8, 0]), Ok(8));
    assert_eq!(metered(TRANSFER_FROM, array![me, 2, 9, 0]), Ok(9));
    assert_eq!(metered(TRANSFER_FROM_CAMEL, array![me, 2, 10, 0]), Ok(10));
}

/// §4.4: the limit is the most the session may move of the token, whoever's
/// it is: `transfer_from` counts in full even when the sender is not the
/// account (an allowance someone granted the account).
#[test]
fn transfer_from_counts_in_full_whoever_the_sender() {
    assert_eq!(metered(TRANSFER_FROM, array![0x999, 2, 9, 0]), Ok(9));
    assert_eq!(metered(TRANSFER_FROM_CAMEL, array![0x999, 0xacc, 9, 0]), Ok(9));
}

#[test]
fn high_word_counts() {
    assert_eq!(metered(TRANSFER, array![1, 0, 1]), Ok(u256 { low: 0, high: 1 }));
    assert_eq!(
        metered(TRANSFER, array![1, U128_MAX, U128_MAX]), Ok(core::num::traits::Bounded::MAX),
    );
}

#[test]
fn malformed_calldata_is_a_clean_rejection() {
    assert_err(metered(TRANSFER, array![1, 5]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER, array![1, 5, 0, 0]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER, array![]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER, array![1, NOT_U128, 0]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(APPROVE, array![1, 0, NOT_U128]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER_FROM, array![0xacc, 2, 9]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER_FROM, array![0xacc, 2, 9, 0, 0]), Errors::MALFORMED_CALLDATA);
    assert_err(metered(TRANSFER_FROM, array![0xacc, 2, -1, 0]), Errors::MALFORMED_CALLDATA);
}

#[test]
fn unmetered_selectors_fail_closed() {
    assert_err(
        metered(selector!("decrease_allowance"), array![1, 5, 0]), Errors::UNMETERED_SELECTOR,
    );
    assert_err(metered(selector!("mint"), array![1, 5, 0]), Errors::UNMETERED_SELECTOR);
    assert_err(metered(selector!("balance_of"), array![1]), Errors::UNMETERED_SELECTOR);
    assert_err(metered(selector!("permit"), array![]), Errors::UNMETERED_SELECTOR);
}

#[test]
fn multicall_amounts_are_summed_per_token() {
    let policy = sample_policy();
    let calls = array![transfer(token(), 60), transfer(game(), 1000), transfer(token(), 40)];
    let spends = tally(@policy_grants(@policy), calls).unwrap().spends;
    assert_eq!(spends.len(), 1);
    assert_eq!(*spends[0].amount, 100);
    assert_eq!(*spends[0].remaining, 100);
    assert_eq!(*spends[0].token, token());
    let split = array![transfer(token(), 60), transfer(token(), 41)];
    assert_err(tally(@policy_grants(@policy), split), Errors::SPENDING_LIMIT);
}

#[test]
fn allowance_paths_count_against_the_limit() {
    let policy = sample_policy();
    let calls = array![
        Call { to: token(), selector: INCREASE_ALLOWANCE, calldata: array![0x5bad, 60, 0].span() },
        Call { to: token(), selector: APPROVE, calldata: array![0x5bad, 41, 0].span() },
    ];
    assert_err(tally(@policy_grants(@policy), calls), Errors::SPENDING_LIMIT);
    let calls = array![
        Call {
            to: token(),
            selector: TRANSFER_FROM_CAMEL,
            calldata: array![0xacc, 0x5bad, 101, 0].span(),
        },
    ];
    assert_err(tally(@policy_grants(@policy), calls), Errors::SPENDING_LIMIT);
}

#[test]
fn sums_never_wrap() {
    let mut policy = sample_policy();
    policy
        .spending_limits =
            array![
                SpendingLimit {
                    token: token(),
                    limit: core::num::traits::Bounded::MAX,
                    period: 0,
                    period_limit: 0,
                },
            ];
    let calls = array![
        Call { to: token(), selector: TRANSFER, calldata: array![1, U128_MAX, U128_MAX].span() },
        Call { to: token(), selector: TRANSFER, calldata: array![1, 1, 0].span() },
    ];
    assert_err(tally(@policy_grants(@policy), calls), Errors::SPENDING_LIMIT);
}

#[test]
fn tokens_without_limit_are_not_metered() {
    let policy = sample_policy();
    let calls = array![Call { to: game(), selector: 'anything', calldata: array![].span() }];
    assert_eq!(tally(@policy_grants(@policy), calls).unwrap().spends.len(), 0);
}

#[test]
fn limit_boundary() {
    let policy = sample_policy(); // token limit 100
    let spends = tally(@policy_grants(@policy), array![transfer(token(), 100)]).unwrap().spends;
    assert_eq!(*spends[0].amount, 100);
    assert_err(
        tally(@policy_grants(@policy), array![transfer(token(), 101)]), Errors::SPENDING_LIMIT,
    );
}

#[test]
fn malformed_calldata_on_a_limited_token_is_reported_before_the_limit() {
    let policy = sample_policy();
    let calls = array![transfer(token(), 101), transfer(token(), NOT_U128)];
    assert_err(tally(@policy_grants(@policy), calls), Errors::MALFORMED_CALLDATA);
}

/// Whatever sequence of multicalls is tallied and recorded, the total never
/// exceeds the limit, and a refused multicall records nothing.
#[test]
#[fuzzer(runs: 256, seed: 21)]
fn fuzz_the_tally_never_exceeds_the_limit(limit: u128, a: u128, b: u128, c: u128, high: bool) {
    let mut remaining: u256 = limit.into();
    let mut spent: u256 = 0;
    let amounts = array![a / 3, b, c % 1000, a, b / 2];
    for amount in amounts {
        let word_high: felt252 = if high {
            1
        } else {
            0
        };
        let calls = array![
            Call {
                to: token(),
                selector: TRANSFER,
                calldata: array![1, amount.into(), word_high].span(),
            },
            Call {
                to: token(), selector: APPROVE, calldata: array![1, (amount / 2).into(), 0].span(),
            },
        ];
        let grant = Grant { rule: ContractRule::AnyEntrypoint, remaining: Some(remaining) };
        match tally_spending(calls.span(), array![grant, grant].span(), account()) {
            Ok(tally) => {
                let spend = *tally.spends[0];
                assert!(spend.amount <= spend.remaining);
                assert!(spend.amount >= amount.into());
                remaining = spend.remaining - spend.amount;
                spent += spend.amount;
            },
            Err(error) => assert_eq!(error, Errors::SPENDING_LIMIT),
        }
        assert!(spent <= limit.into());
        assert_eq!(spent + remaining, limit.into());
    }
}
