//! policy::calls: which calls a session may make (§4.3, §4.6).

use session_account::policy::calls::{
    CallsKind, ContractRule, Errors, Grant, LifecycleCall, PolicyGrants, RENEW_SESSION_SELECTOR,
    REVOKE_SESSION_SELECTOR, SessionGrants, check_call_caps, check_call_targets, classify_calls,
    grants_of_calls, policy_grants,
};
use starknet::ContractAddress;
use starknet::account::Call;
use crate::fixtures::account::assert_err;
use crate::fixtures::policies::{SESSION_KEY, account, dex, game, sample_policy, stranger, token};

fn call(to: ContractAddress, selector: felt252) -> Call {
    Call { to, selector, calldata: array![1, 2, 0].span() }
}

fn self_call(selector: felt252, calldata: Array<felt252>) -> Call {
    Call { to: account(), selector, calldata: calldata.span() }
}

fn classify(calls: Array<Call>) -> Result<CallsKind, felt252> {
    classify_calls(calls.span(), account(), SESSION_KEY)
}

#[test]
fn regular_calls_are_counted() {
    assert_eq!(
        classify(array![call(token(), 'transfer'), call(game(), 'play')]),
        Ok(CallsKind::Regular(2)),
    );
    assert_eq!(classify(array![call(game(), 'play')]), Ok(CallsKind::Regular(1)));
}

#[test]
fn empty_multicall_is_rejected() {
    assert_err(classify(array![]), Errors::NO_CALLS);
}

#[test]
fn own_lifecycle_calls_are_allowed_alone() {
    assert_eq!(
        classify(array![self_call(RENEW_SESSION_SELECTOR, array![])]),
        Ok(CallsKind::Lifecycle(LifecycleCall::Renew)),
    );
    assert_eq!(
        classify(array![self_call(REVOKE_SESSION_SELECTOR, array![SESSION_KEY])]),
        Ok(CallsKind::Lifecycle(LifecycleCall::Revoke)),
    );
}

#[test]
fn lifecycle_selectors_are_the_entrypoints() {
    assert_eq!(RENEW_SESSION_SELECTOR, selector!("renew_session"));
    assert_eq!(REVOKE_SESSION_SELECTOR, selector!("revoke_session"));
}

#[test]
fn revoking_another_session_is_forbidden() {
    assert_err(
        classify(array![self_call(REVOKE_SESSION_SELECTOR, array![0x0123])]), Errors::SELF_CALL,
    );
    assert_err(
        classify(array![self_call(REVOKE_SESSION_SELECTOR, array![SESSION_KEY, 0])]),
        Errors::SELF_CALL,
    );
}

#[test]
fn admin_entrypoints_are_forbidden() {
    let admin = array![
        selector!("revoke_all_sessions"), selector!("register_session"), selector!("upgrade"),
        selector!("set_owner"), selector!("execute_from_outside_v2"), selector!("__execute__"),
        selector!("__validate__"), selector!("is_valid_signature"),
    ];
    for selector in admin {
        assert_err(classify(array![self_call(selector, array![])]), Errors::SELF_CALL);
        assert_err(classify(array![self_call(selector, array![SESSION_KEY])]), Errors::SELF_CALL);
    }
}

#[test]
fn lifecycle_calls_must_be_alone_and_exact() {
    assert_err(classify(array![self_call(RENEW_SESSION_SELECTOR, array![1])]), Errors::SELF_CALL);
    assert_err(
        classify(array![call(token(), 'transfer'), self_call(RENEW_SESSION_SELECTOR, array![])]),
        Errors::SELF_CALL,
    );
    assert_err(
        classify(
            array![
                self_call(REVOKE_SESSION_SELECTOR, array![SESSION_KEY]),
                self_call(REVOKE_SESSION_SELECTOR, array![SESSION_KEY]),
            ],
        ),
        Errors::SELF_CALL,
    );
}

fn targets(grants: @PolicyGrants, calls: Array<Call>) -> Result<(), felt252> {
    let looked_up = grants_of_calls(grants, calls.span());
    check_call_targets(grants, calls.span(), looked_up.span())
}

#[test]
fn allowed_contracts_and_entrypoints() {
    let policy = sample_policy();
    let grants = policy_grants(@policy);
    assert!(
        targets(
            @grants, array![call(token(), 'anything'), call(game(), 'play'), call(dex(), 'swap')],
        )
            .is_ok(),
    );
    assert_err(targets(@grants, array![call(dex(), 'withdraw')]), Errors::ENTRYPOINT_NOT_ALLOWED);
    assert_err(
        targets(@grants, array![call(token(), 'transfer'), call(stranger(), 'transfer')]),
        Errors::CONTRACT_NOT_ALLOWED,
    );
}

#[test]
fn each_target_is_looked_up_in_call_order() {
    let policy = sample_policy();
    let grants = policy_grants(@policy);
    let calls = array![
        call(token(), 'a'), call(stranger(), 'b'), call(token(), 'c'), call(dex(), 'swap'),
    ];
    let looked_up = grants_of_calls(@grants, calls.span());
    assert_eq!(
        looked_up,
        array![
            Grant { rule: ContractRule::AnyEntrypoint, remaining: Some(100) },
            Grant { rule: ContractRule::NotAllowed, remaining: None },
            Grant { rule: ContractRule::AnyEntrypoint, remaining: Some(100) },
            Grant { rule: ContractRule::ListedEntrypoints, remaining: None },
        ],
    );
}


#[test]
fn policy_grants_answer_like_the_policy() {
    let policy = sample_policy();
    let grants = policy_grants(@policy);
    assert_eq!(
        grants.grant(token()), Grant { rule: ContractRule::AnyEntrypoint, remaining: Some(100) },
    );
    assert_eq!(
        grants.grant(dex()), Grant { rule: ContractRule::ListedEntrypoints, remaining: None },
    );
    assert_eq!(grants.grant(stranger()), Grant { rule: ContractRule::NotAllowed, remaining: None });
    assert!(grants.entrypoint_rules(dex(), 'swap') == Some(0));
    assert!(grants.entrypoint_rules(dex(), 'quote') == Some(2));
    assert!(grants.entrypoint_rules(dex(), 'withdraw').is_none());
    assert!(grants.entrypoint_rules(stranger(), 'quote').is_none());
    assert_eq!(grants.grace_period(), 600);
}

#[test]
fn call_caps() {
    assert!(check_call_caps(3, 3, 3).is_ok());
    assert_err(check_call_caps(4, 3, 10), Errors::TOO_MANY_CALLS);
    assert_err(check_call_caps(3, 3, 2), Errors::CALL_LIMIT);
    assert_err(check_call_caps(1, 3, 0), Errors::CALL_LIMIT);
    // The per-transaction cap is reported first.
    assert_err(check_call_caps(4, 3, 0), Errors::TOO_MANY_CALLS);
}
