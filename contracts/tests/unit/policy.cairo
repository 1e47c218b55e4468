//! policy: what a well-formed policy is (§1.1).

use session_account::policy::calls::Errors as CallsErrors;
use session_account::policy::{
    AllowedContract, Errors, RenewalPolicy, SpendingLimit, check_well_formed,
};
use session_account::verdict::unwrap_or_panic;
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{account, game, sample_policy, token};

#[test]
fn sample_policy_is_well_formed() {
    assert!(check_well_formed(@sample_policy(), account()).is_ok());
}

#[test]
fn zero_key_is_rejected() {
    let mut p = sample_policy();
    p.session_key = 0;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_KEY);
}

#[test]
fn empty_or_reversed_window_is_rejected() {
    let mut p = sample_policy();
    p.valid_until = p.valid_after;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_WINDOW);
    let mut p = sample_policy();
    p.valid_until = p.valid_after - 1;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_WINDOW);
    let mut p = sample_policy();
    p.valid_until = p.valid_after + 1;
    assert!(check_well_formed(@p, account()).is_ok());
}

#[test]
fn renewal_bound_must_not_precede_expiry() {
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until - 1, period: 1 };
    assert_err(check_well_formed(@p, account()), Errors::INVALID_RENEWAL);
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until, period: 1 };
    assert!(check_well_formed(@p, account()).is_ok());
}

#[test]
fn a_renewable_session_needs_a_period() {
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 10, max_valid_until: p.valid_until + 100, period: 0 };
    assert_err(check_well_formed(@p, account()), Errors::INVALID_RENEWAL);
}

#[test]
fn renewal_bound_is_ignored_when_not_renewable() {
    let mut p = sample_policy();
    p.renewal = RenewalPolicy { grace_period: 0, max_valid_until: 0, period: 0 };
    assert!(check_well_formed(@p, account()).is_ok());
}

#[test]
fn call_caps_must_be_positive() {
    let mut p = sample_policy();
    p.max_calls_per_tx = 0;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_CALL_CAPS);
    let mut p = sample_policy();
    p.max_calls = 0;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_CALL_CAPS);
}

#[test]
fn the_account_itself_cannot_be_granted() {
    let mut p = sample_policy();
    p.allowed_calls.append(AllowedContract { contract: account(), entrypoints: array![] });
    assert_err(check_well_formed(@p, account()), CallsErrors::SELF_CALL);
    // Also with a list of entrypoints, and as the first entry.
    let mut p = sample_policy();
    p.allowed_calls = array![AllowedContract { contract: account(), entrypoints: array!['x'] }];
    assert_err(check_well_formed(@p, account()), CallsErrors::SELF_CALL);
}

#[test]
fn duplicate_contract_is_rejected() {
    let mut p = sample_policy();
    p.allowed_calls.append(AllowedContract { contract: game(), entrypoints: array!['a'] });
    assert_err(check_well_formed(@p, account()), Errors::DUPLICATE_ENTRY);
}

#[test]
fn duplicate_entrypoint_is_rejected() {
    let mut p = sample_policy();
    p
        .allowed_calls
        .append(
            AllowedContract {
                contract: 0x99.try_into().unwrap(), entrypoints: array!['a', 'b', 'a'],
            },
        );
    assert_err(check_well_formed(@p, account()), Errors::DUPLICATE_ENTRY);
}

#[test]
fn duplicate_token_is_rejected() {
    let mut p = sample_policy();
    p
        .spending_limits
        .append(SpendingLimit { token: token(), limit: 5, period: 0, period_limit: 0 });
    assert_err(check_well_formed(@p, account()), Errors::DUPLICATE_ENTRY);
}

#[test]
fn empty_grants_are_well_formed() {
    // A session with no contracts can still renew or revoke itself.
    let mut p = sample_policy();
    p.allowed_calls = array![];
    p.spending_limits = array![];
    p.calldata_rules = array![];
    assert!(check_well_formed(@p, account()).is_ok());
}

#[test]
fn checks_run_in_spec_order() {
    // Several faults at once: the first rule of §1.1's table is reported.
    let mut p = sample_policy();
    p.session_key = 0;
    p.valid_until = 0;
    p.max_calls = 0;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_KEY);
    let mut p = sample_policy();
    p.valid_until = 0;
    p.max_calls = 0;
    assert_err(check_well_formed(@p, account()), Errors::INVALID_WINDOW);
}

/// §1.1's table order holds for the grants too: the account among the
/// allowed contracts is reported before a duplicate listed earlier.
#[test]
fn the_account_is_reported_before_duplicates() {
    let mut p = sample_policy();
    p
        .allowed_calls =
            array![
                AllowedContract { contract: game(), entrypoints: array![] },
                AllowedContract { contract: game(), entrypoints: array![] },
                AllowedContract { contract: account(), entrypoints: array![] },
            ];
    assert_err(check_well_formed(@p, account()), CallsErrors::SELF_CALL);
}

/// A spending limit is on a token: not on the account itself (the balance
/// watch of §4.4 could not read it, so every session execution would
/// revert), nor on the zero address.
#[test]
fn a_limit_on_the_account_itself_is_rejected() {
    let mut p = sample_policy();
    p
        .spending_limits
        .append(SpendingLimit { token: account(), limit: 5, period: 0, period_limit: 0 });
    assert_err(check_well_formed(@p, account()), Errors::INVALID_LIMIT_TOKEN);
    let mut p = sample_policy();
    p
        .spending_limits =
            array![
                SpendingLimit {
                    token: 0.try_into().unwrap(), limit: 5, period: 0, period_limit: 0,
                },
            ];
    assert_err(check_well_formed(@p, account()), Errors::INVALID_LIMIT_TOKEN);
}

#[test]
#[should_panic(expected: 'session/invalid-key')]
fn unwrap_or_panic_panics_with_the_error() {
    let mut p = sample_policy();
    p.session_key = 0;
    unwrap_or_panic(check_well_formed(@p, account()));
}
