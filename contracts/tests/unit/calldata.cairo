//! policy::calldata: calldata rules (§4.8), per operator and value kind,
//! their boundaries, calldata too short or not u128, and their
//! well-formedness (§1.1).

use session_account::policy::calldata::{
    CalldataRule, Errors, MAX_RULES_PER_ENTRYPOINT, MAX_SET_VALUES, Operator, ValueKind, read_value,
};
use session_account::policy::calls::{check_call_targets, grants_of_calls, policy_grants};
use session_account::policy::{Errors as PolicyErrors, SessionPolicy, check_well_formed};
use starknet::account::Call;
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{account, dex, sample_policy, token};

const NOT_U128: felt252 = 0x100000000000000000000000000000000;
/// P - 1, the largest felt.
const FELT_MAX: felt252 = -1;

fn rule(offset: u32, kind: ValueKind, operator: Operator, values: Array<u256>) -> CalldataRule {
    CalldataRule { contract: dex(), selector: 'swap', offset, kind, operator, values }
}

fn with_rules(rules: Array<CalldataRule>) -> SessionPolicy {
    let mut p = sample_policy();
    p.calldata_rules = rules;
    p
}

/// Whether a call to `swap` with `calldata` passes `rules`.
fn check(rules: Array<CalldataRule>, calldata: Array<felt252>) -> Result<(), felt252> {
    let policy = with_rules(rules);
    assert_eq!(check_well_formed(@policy, account()), Ok(()));
    let grants = policy_grants(@policy);
    let calls = array![Call { to: dex(), selector: 'swap', calldata: calldata.span() }];
    let targets = grants_of_calls(@grants, calls.span());
    check_call_targets(@grants, calls.span(), targets.span())
}

fn felt_rule(operator: Operator, values: Array<u256>) -> Array<CalldataRule> {
    array![rule(1, ValueKind::Felt, operator, values)]
}

fn u256_rule(operator: Operator, value: u256) -> Array<CalldataRule> {
    array![rule(1, ValueKind::U256, operator, array![value])]
}

#[test]
fn equal_over_a_felt() {
    assert_eq!(check(felt_rule(Operator::Equal, array![7]), array![0, 7]), Ok(()));
    assert_err(check(felt_rule(Operator::Equal, array![7]), array![0, 8]), Errors::CALLDATA_RULE);
    assert_err(check(felt_rule(Operator::Equal, array![7]), array![7, 0]), Errors::CALLDATA_RULE);
}

#[test]
fn one_of_over_a_felt() {
    let set = array![0x111, 0x222, 0x333];
    assert_eq!(check(felt_rule(Operator::OneOf, set.clone()), array![0, 0x222]), Ok(()));
    assert_eq!(check(felt_rule(Operator::OneOf, set.clone()), array![0, 0x333]), Ok(()));
    assert_err(check(felt_rule(Operator::OneOf, set), array![0, 0x444]), Errors::CALLDATA_RULE);
}

#[test]
fn at_most_and_at_least_over_a_felt_are_inclusive() {
    assert_eq!(check(felt_rule(Operator::AtMost, array![10]), array![0, 10]), Ok(()));
    assert_err(
        check(felt_rule(Operator::AtMost, array![10]), array![0, 11]), Errors::CALLDATA_RULE,
    );
    assert_eq!(check(felt_rule(Operator::AtLeast, array![10]), array![0, 10]), Ok(()));
    assert_err(
        check(felt_rule(Operator::AtLeast, array![10]), array![0, 9]), Errors::CALLDATA_RULE,
    );
    // A felt compares as its integer value in [0, P): "-1" is the largest.
    assert_err(
        check(felt_rule(Operator::AtMost, array![10]), array![0, FELT_MAX]), Errors::CALLDATA_RULE,
    );
    assert_eq!(check(felt_rule(Operator::AtLeast, array![10]), array![0, FELT_MAX]), Ok(()));
}

#[test]
fn a_u256_rule_reads_both_words() {
    let bound = u256 { low: 5, high: 1 };
    assert_eq!(check(u256_rule(Operator::AtMost, bound), array![0, 5, 1]), Ok(()));
    assert_err(check(u256_rule(Operator::AtMost, bound), array![0, 6, 1]), Errors::CALLDATA_RULE);
    // A low word above the bound's, under a smaller high word, is below it.
    assert_eq!(check(u256_rule(Operator::AtMost, bound), array![0, 1000, 0]), Ok(()));
    assert_err(check(u256_rule(Operator::AtMost, bound), array![0, 0, 2]), Errors::CALLDATA_RULE);
    assert_eq!(check(u256_rule(Operator::AtLeast, bound), array![0, 5, 1]), Ok(()));
    assert_err(check(u256_rule(Operator::AtLeast, bound), array![0, 4, 1]), Errors::CALLDATA_RULE);
    assert_eq!(check(u256_rule(Operator::Equal, bound), array![0, 5, 1]), Ok(()));
    assert_err(check(u256_rule(Operator::Equal, bound), array![0, 5, 0]), Errors::CALLDATA_RULE);
    let set = array![u256 { low: 1, high: 1 }, u256 { low: 2, high: 0 }];
    let one_of = array![rule(1, ValueKind::U256, Operator::OneOf, set)];
    assert_eq!(check(one_of.clone(), array![0, 2, 0]), Ok(()));
    assert_err(check(one_of, array![0, 2, 1]), Errors::CALLDATA_RULE);
}

#[test]
fn a_u256_word_that_is_not_a_u128_fails_closed() {
    let bound = u256 { low: 0, high: 1 };
    assert_err(
        check(u256_rule(Operator::AtLeast, bound), array![0, NOT_U128, 0]), Errors::CALLDATA_RULE,
    );
    assert_err(
        check(u256_rule(Operator::AtLeast, 0), array![0, 0, NOT_U128]), Errors::CALLDATA_RULE,
    );
}

#[test]
fn calldata_too_short_for_a_rule_fails_closed() {
    assert_err(check(felt_rule(Operator::AtLeast, array![0]), array![5]), Errors::CALLDATA_RULE);
    assert_err(check(felt_rule(Operator::AtLeast, array![0]), array![]), Errors::CALLDATA_RULE);
    // A u256 needs both words.
    assert_err(check(u256_rule(Operator::AtLeast, 0), array![0, 5]), Errors::CALLDATA_RULE);
    assert_eq!(read_value(array![1, 2].span(), 0xffffffff, ValueKind::Felt), None);
    assert_eq!(read_value(array![1, 2].span(), 0xffffffff, ValueKind::U256), None);
    assert_eq!(read_value(array![1, 2].span(), 1, ValueKind::U256), None);
    assert_eq!(read_value(array![1, 2].span(), 0, ValueKind::U256), Some(u256 { low: 1, high: 2 }));
}

#[test]
fn every_rule_of_the_entrypoint_must_hold() {
    let rules = array![
        rule(0, ValueKind::Felt, Operator::OneOf, array![0xa, 0xb]),
        rule(1, ValueKind::U256, Operator::AtMost, array![100]),
    ];
    assert_eq!(check(rules.clone(), array![0xa, 100, 0]), Ok(()));
    assert_err(check(rules.clone(), array![0xc, 100, 0]), Errors::CALLDATA_RULE);
    assert_err(check(rules, array![0xb, 101, 0]), Errors::CALLDATA_RULE);
}

#[test]
fn rules_bind_only_their_entrypoint() {
    // `quote` has rules in the sample policy; `swap` has none.
    let policy = sample_policy();
    let grants = policy_grants(@policy);
    let calls = array![
        Call { to: dex(), selector: 'swap', calldata: array![].span() },
        Call { to: dex(), selector: 'quote', calldata: array![0x111, 500, 0].span() },
    ];
    let targets = grants_of_calls(@grants, calls.span());
    assert_eq!(check_call_targets(@grants, calls.span(), targets.span()), Ok(()));
    let calls = array![
        Call { to: dex(), selector: 'quote', calldata: array![0x111, 501, 0].span() },
    ];
    let targets = grants_of_calls(@grants, calls.span());
    assert_err(check_call_targets(@grants, calls.span(), targets.span()), Errors::CALLDATA_RULE);
}

fn ill_formed(rules: Array<CalldataRule>) -> Result<(), felt252> {
    check_well_formed(@with_rules(rules), account())
}

#[test]
fn a_rule_must_name_a_listed_entrypoint() {
    let mut unlisted = rule(0, ValueKind::Felt, Operator::Equal, array![1]);
    unlisted.selector = 'withdraw';
    assert_err(ill_formed(array![unlisted]), Errors::INVALID_CALLDATA_RULE);
    // Any entrypoint of the token: no entrypoint is listed to bind a rule to.
    let mut on_any = rule(0, ValueKind::Felt, Operator::Equal, array![1]);
    on_any.contract = token();
    on_any.selector = selector!("transfer");
    assert_err(ill_formed(array![on_any]), Errors::INVALID_CALLDATA_RULE);
}

#[test]
fn operand_counts_are_checked() {
    for operator in array![Operator::Equal, Operator::AtMost, Operator::AtLeast] {
        assert_err(
            ill_formed(array![rule(0, ValueKind::Felt, operator, array![])]),
            Errors::INVALID_CALLDATA_RULE,
        );
        assert_err(
            ill_formed(array![rule(0, ValueKind::Felt, operator, array![1, 2])]),
            Errors::INVALID_CALLDATA_RULE,
        );
    }
    assert_err(
        ill_formed(array![rule(0, ValueKind::Felt, Operator::OneOf, array![])]),
        Errors::INVALID_CALLDATA_RULE,
    );
    let mut full = array![];
    for i in 0..MAX_SET_VALUES {
        full.append(i.into());
    }
    assert_eq!(ill_formed(array![rule(0, ValueKind::Felt, Operator::OneOf, full.clone())]), Ok(()));
    full.append(MAX_SET_VALUES.into());
    assert_err(
        ill_formed(array![rule(0, ValueKind::Felt, Operator::OneOf, full)]),
        Errors::INVALID_CALLDATA_RULE,
    );
}

#[test]
fn a_felt_rule_takes_felt_operands() {
    let p: u256 = 0x800000000000011000000000000000000000000000000000000000000000001;
    assert_err(
        ill_formed(array![rule(0, ValueKind::Felt, Operator::Equal, array![p])]),
        Errors::INVALID_CALLDATA_RULE,
    );
    assert_eq!(
        ill_formed(array![rule(0, ValueKind::Felt, Operator::Equal, array![p - 1])]), Ok(()),
    );
    assert_eq!(ill_formed(array![rule(0, ValueKind::U256, Operator::Equal, array![p])]), Ok(()));
}

#[test]
fn rules_per_entrypoint_are_bounded() {
    let mut rules = array![];
    for i in 0..MAX_RULES_PER_ENTRYPOINT {
        rules.append(rule(i, ValueKind::Felt, Operator::AtLeast, array![0]));
    }
    assert_eq!(ill_formed(rules.clone()), Ok(()));
    rules.append(rule(0, ValueKind::Felt, Operator::AtLeast, array![0]));
    assert_err(ill_formed(rules), Errors::INVALID_CALLDATA_RULE);
}

#[test]
fn rule_errors_come_after_the_limit_rules() {
    let mut p = with_rules(array![rule(0, ValueKind::Felt, Operator::Equal, array![])]);
    p
        .spending_limits =
            array![
                session_account::policy::SpendingLimit {
                    token: account(), limit: 1, period: 0, period_limit: 0,
                },
            ];
    assert_err(check_well_formed(@p, account()), PolicyErrors::INVALID_LIMIT_TOKEN);
}
