use starknet_rust::core::types::{Call, Felt, U256};

use super::*;
use session_account::contract::selectors;

const ACCOUNT: Felt = Felt::from_hex_unchecked("0xacc");
const TOKEN: Felt = Felt::from_hex_unchecked("0x7070");
const ROUTER: Felt = Felt::from_hex_unchecked("0x7007");
const THIRD: Felt = Felt::from_hex_unchecked("0x3d");
const KEY: Felt = Felt::from_hex_unchecked("0x5e55");
const OWNER: Felt = Felt::from_hex_unchecked("0x0a11ce");
const CHAIN: Felt = Felt::from_hex_unchecked("0xc4a1");
const FEE: u128 = 1_000;

fn policy() -> SessionPolicy {
    SessionPolicy::builder(KEY)
        .valid_between(7200, 7200 + 5400)
        .renewable(600, 5400, 100_000)
        .allow(TOKEN)
        .allow(ROUTER)
        .max_calls_per_tx(2)
        .max_calls(4)
        .spending_limit(TOKEN, U256::from(100u8))
        .max_fee_per_tx(FEE)
        .fee_budget(3 * FEE)
        .build()
        .unwrap()
}

fn words(amount: u128) -> [Felt; 2] {
    [Felt::from(amount), Felt::ZERO]
}

fn transfer(amount: u128) -> Call {
    Call {
        to: TOKEN,
        selector: selectors::TRANSFER,
        calldata: [&[Felt::ONE][..], &words(amount)].concat(),
    }
}

fn pull(amount: u128) -> Call {
    Call {
        to: ROUTER,
        selector: selectors::PULL,
        calldata: [&[TOKEN, ACCOUNT, Felt::ONE][..], &words(amount)].concat(),
    }
}

fn renew() -> Call {
    Call { to: ACCOUNT, selector: selectors::RENEW_SESSION, calldata: vec![] }
}

fn model() -> AccountModel {
    let mut m = AccountModel::new(ACCOUNT, OWNER, CHAIN);
    m.ledger.tokens.insert(TOKEN);
    m.ledger.routers.insert(ROUTER);
    m.ledger.mint(TOKEN, ACCOUNT, U256::from(1000u16));
    m
}

fn direct(m: &mut AccountModel, calls: &[Call], now: u64) -> Verdict {
    m.session_calls(KEY, None, calls, now, Path::Direct, FEE)
}

fn gasless(m: &mut AccountModel, calls: &[Call], now: u64) -> Verdict {
    m.session_calls(KEY, None, calls, now, Path::Gasless, 0)
}

fn rejected(e: ContractError) -> Verdict {
    Verdict::Rejected(Some(e))
}

fn reverted(e: ContractError) -> Verdict {
    Verdict::Reverted(Some(e))
}

#[test]
fn spends_up_to_the_limit_and_records() {
    let mut m = model();
    assert_eq!(m.register(&policy()), Verdict::Accepted);
    assert_eq!(direct(&mut m, &[transfer(60)], 8000), Verdict::Accepted);
    assert_eq!(
        direct(&mut m, &[transfer(41)], 8000),
        rejected(ContractError::SessionSpendingLimit)
    );
    assert_eq!(
        gasless(&mut m, &[transfer(41)], 8000),
        reverted(ContractError::SessionSpendingLimit)
    );
    assert_eq!(gasless(&mut m, &[transfer(40)], 8000), Verdict::Accepted);
    let s = &m.sessions[&KEY];
    assert_eq!((s.calls_used, s.fee_used, s.spent_of(TOKEN)), (2, FEE, U256::from(100u8)));
    assert_eq!(m.ledger.balance(TOKEN, ACCOUNT), U256::from(900u16));
}

#[test]
fn validate_records_survive_a_revert_in_execute() {
    let mut m = model();
    m.register(&policy());
    // valid_until = 12600 = 3.5 h; at 12700 validate sees 10800.
    assert_eq!(direct(&mut m, &[transfer(1)], 12_700), reverted(ContractError::SessionExpired));
    let s = &m.sessions[&KEY];
    assert_eq!(
        (s.calls_used, s.fee_used, s.spent_of(TOKEN)),
        (1, FEE, U256::from(0u8)),
        "calls and fee counted, nothing spent"
    );
    // Outside executions revert entirely.
    assert_eq!(gasless(&mut m, &[transfer(1)], 12_700), reverted(ContractError::SessionExpired));
    assert_eq!(m.sessions[&KEY].calls_used, 1);
    // A token panic (beyond the balance, within no limit) also keeps them.
    let mut m = model();
    let mut wide = policy();
    wide.spending_limits.clear();
    m.register(&wide);
    assert_eq!(direct(&mut m, &[transfer(1001)], 8000), Verdict::Reverted(None));
    assert_eq!((m.sessions[&KEY].calls_used, m.sessions[&KEY].fee_used), (1, FEE));
}

#[test]
fn the_fee_budget_stops_a_fee_burn() {
    let mut m = model();
    m.register(&policy());
    // Renewal spam while the session is certainly not expired: refused free.
    assert_eq!(direct(&mut m, &[renew()], 8000), rejected(ContractError::SessionNotExpired));
    // In the hour that holds valid_until, it passes validate and reverts,
    // each time counting a call and its worst-case fee.
    assert_eq!(direct(&mut m, &[renew()], 12_500), reverted(ContractError::SessionNotExpired));
    assert_eq!(direct(&mut m, &[renew()], 12_500), reverted(ContractError::SessionNotExpired));
    assert_eq!(direct(&mut m, &[renew()], 12_500), reverted(ContractError::SessionNotExpired));
    assert_eq!(direct(&mut m, &[renew()], 12_500), rejected(ContractError::SessionFeeBudget));
    assert_eq!(m.sessions[&KEY].fee_used, 3 * FEE);
    // The cap comes before the budget; gasless needs no budget.
    assert_eq!(
        m.session_calls(KEY, None, &[transfer(1)], 8000, Path::Direct, FEE + 1),
        rejected(ContractError::SessionFeeAboveCap)
    );
    assert_eq!(gasless(&mut m, &[transfer(1)], 8000), Verdict::Accepted);
    assert_eq!(gasless(&mut m, &[transfer(1)], 8000), reverted(ContractError::SessionCallLimit));
}

#[test]
fn renewal_extends_by_one_period_and_counts_a_call() {
    let mut m = model();
    let mut p = policy();
    p.valid_after = 0;
    m.register(&p);
    assert_eq!(direct(&mut m, &[renew()], 12_700), Verdict::Accepted);
    assert_eq!(
        m.sessions[&KEY].valid_until,
        12_700 + 5400,
        "one period from now, not max_valid_until"
    );
    assert_eq!(m.sessions[&KEY].calls_used, 1);
    m.revoke_all();
    assert_eq!(direct(&mut m, &[renew()], 18_200), rejected(ContractError::SessionEpochRevoked));
}

#[test]
fn lifecycle_calls_need_a_call_left() {
    let mut m = model();
    let mut p = policy();
    p.max_calls = 1;
    m.register(&p);
    assert_eq!(direct(&mut m, &[transfer(1)], 8000), Verdict::Accepted);
    let revoke_self =
        Call { to: ACCOUNT, selector: selectors::REVOKE_SESSION, calldata: vec![KEY] };
    assert_eq!(direct(&mut m, &[revoke_self], 8000), rejected(ContractError::SessionCallLimit));
}

#[test]
fn indirect_spending_counts_against_the_limit() {
    let mut m = model();
    m.register(&policy());
    // The owner allowed the router long ago.
    let approve = Call {
        to: TOKEN,
        selector: selectors::APPROVE,
        calldata: [&[ROUTER][..], &words(500)].concat(),
    };
    assert_eq!(m.owner_calls(&[approve]), Verdict::Accepted);
    assert_eq!(direct(&mut m, &[pull(101)], 8000), reverted(ContractError::SessionSpendingLimit));
    assert_eq!(m.ledger.balance(TOKEN, ACCOUNT), U256::from(1000u16), "the pull reverted");
    assert_eq!(direct(&mut m, &[transfer(30), pull(70)], 8000), Verdict::Accepted);
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(100u8));
    assert_eq!(gasless(&mut m, &[pull(1)], 8000), reverted(ContractError::SessionSpendingLimit));
}

#[test]
fn an_approval_and_its_pull_count_once() {
    let mut m = model();
    m.register(&policy());
    let approve = Call {
        to: TOKEN,
        selector: selectors::APPROVE,
        calldata: [&[ROUTER][..], &words(60)].concat(),
    };
    assert_eq!(direct(&mut m, &[approve, pull(60)], 8000), Verdict::Accepted);
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(60u8));
}

#[test]
fn third_party_transfer_from_counts_in_full() {
    let mut m = model();
    m.ledger.mint(TOKEN, THIRD, U256::from(500u16));
    m.ledger.allowances.insert((TOKEN, THIRD, ACCOUNT), U256::from(500u16));
    m.register(&policy());
    let from_third = |amount| Call {
        to: TOKEN,
        selector: selectors::TRANSFER_FROM,
        calldata: [&[THIRD, Felt::ONE][..], &words(amount)].concat(),
    };
    assert_eq!(
        direct(&mut m, &[from_third(101)], 8000),
        rejected(ContractError::SessionSpendingLimit)
    );
    assert_eq!(direct(&mut m, &[from_third(100)], 8000), Verdict::Accepted);
    assert_eq!(m.ledger.balance(TOKEN, ACCOUNT), U256::from(1000u16), "not the account's tokens");
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(100u8));
}

#[test]
fn authorizations_register_in_validate() {
    let mut m = model();
    let mut p = policy();
    p.spending_limits.clear();
    // The token reverts, but validate registered the session.
    assert_eq!(
        m.session_calls(KEY, Some(&p), &[transfer(5000)], 8000, Path::Direct, FEE),
        Verdict::Reverted(None)
    );
    assert!(m.sessions.contains_key(&KEY));
    assert_eq!(
        m.session_calls(KEY, Some(&p), &[transfer(5)], 8000, Path::Direct, FEE),
        Verdict::Accepted,
        "redundant"
    );
    let mut other = p.clone();
    other.max_calls = 9;
    assert_eq!(
        m.session_calls(KEY, Some(&other), &[transfer(5)], 8000, Path::Direct, FEE),
        rejected(ContractError::SessionAlreadyRegistered)
    );
    // Gasless: a reverted outside execution registers nothing.
    let mut m = model();
    assert_eq!(
        m.session_calls(KEY, Some(&p), &[transfer(5000)], 8000, Path::Gasless, 0),
        Verdict::Reverted(None)
    );
    assert!(m.sessions.is_empty());
}

fn submission<'a>(
    calls: &'a [Call],
    authorization: Option<&'a SignedAuthorization>,
    now: u64,
) -> Submission<'a> {
    Submission {
        key: KEY,
        authorization,
        calls,
        now,
        signature: SessionSignature::Valid,
        route: Route::Direct { max_fee: Some(1), unsupported_fields: false },
    }
}

#[test]
fn authorizations_die_with_the_epoch_and_any_owner_rotation() {
    let calls = [transfer(1)];
    let mut m = model();
    let signed = SignedAuthorization::genuine(&m, &policy());
    m.revoke_all();
    assert_eq!(
        m.submit(&submission(&calls, Some(&signed), 8000)),
        rejected(ContractError::SessionInvalidAuthorization)
    );
    // A -> B -> A: the same key signs again, but the rotation count moved.
    let signed = SignedAuthorization::genuine(&m, &policy());
    assert_eq!(m.set_owner(Felt::from(7u8)), Verdict::Accepted);
    assert_eq!(m.set_owner(OWNER), Verdict::Accepted);
    assert_eq!(
        m.submit(&submission(&calls, Some(&signed), 8000)),
        rejected(ContractError::SessionInvalidAuthorization)
    );
    let mut tampered = SignedAuthorization::genuine(&m, &policy());
    tampered.policy.max_calls = 1000;
    assert_eq!(
        m.submit(&submission(&calls, Some(&tampered), 8000)),
        rejected(ContractError::SessionInvalidAuthorization)
    );
    assert!(m.sessions.is_empty());
    let fresh = SignedAuthorization::genuine(&m, &policy());
    assert_eq!(m.submit(&submission(&calls, Some(&fresh), 8000)), Verdict::Accepted);
}

#[test]
fn signature_and_fee_checks_come_in_spec_order() {
    let calls = [transfer(1000)];
    let mut m = model();
    m.register(&policy());
    let mut forged = submission(&calls, None, 8000);
    forged.signature = SessionSignature::Forged;
    assert_eq!(
        m.submit(&forged),
        rejected(ContractError::InvalidSignature),
        "before the spending check"
    );
    let small = [transfer(1)];
    let no_bound = Submission {
        route: Route::Direct { max_fee: None, unsupported_fields: false },
        ..submission(&small, None, 8000)
    };
    assert_eq!(
        m.submit(&no_bound),
        rejected(ContractError::SessionFeeAboveCap),
        "2^128 or more exceeds any cap"
    );
    let over = Submission {
        route: Route::Direct { max_fee: Some(FEE + 1), unsupported_fields: false },
        ..submission(&calls, None, 8000)
    };
    assert_eq!(
        m.submit(&over),
        rejected(ContractError::SessionSpendingLimit),
        "the rules before the fee cap"
    );
}

#[test]
fn outside_nonces_work_once_and_windows_are_exact() {
    let calls = [transfer(1)];
    let mut m = model();
    m.register(&policy());
    let terms = OutsideTerms {
        nonce: Felt::ONE,
        execute_after: 7900,
        execute_before: 8100,
        caller: Caller::Named,
    };
    let outside =
        |now| Submission { route: Route::Gasless(terms), ..submission(&calls, None, now) };
    assert_eq!(m.submit(&outside(7900)), reverted(ContractError::OutsideTooEarly));
    assert_eq!(m.submit(&outside(8100)), reverted(ContractError::OutsideExpired));
    assert_eq!(m.submit(&outside(8000)), Verdict::Accepted);
    assert_eq!(m.submit(&outside(8001)), reverted(ContractError::OutsideNonceUsed));
    let owner_layout = Submission {
        signature: SessionSignature::OwnerLayout,
        route: Route::Gasless(OutsideTerms { nonce: Felt::TWO, ..terms }),
        ..submission(&calls, None, 8000)
    };
    assert_eq!(m.submit(&owner_layout), reverted(ContractError::InvalidSignature));
    assert_eq!((m.sessions[&KEY].calls_used, m.sessions[&KEY].fee_used), (1, 0));
}

fn approve(spender: Felt, amount: u128) -> Call {
    Call {
        to: TOKEN,
        selector: selectors::APPROVE,
        calldata: [&[spender][..], &words(amount)].concat(),
    }
}

fn transfer_from(sender: Felt, amount: u128) -> Call {
    Call {
        to: TOKEN,
        selector: selectors::TRANSFER_FROM,
        calldata: [&[sender, Felt::ONE][..], &words(amount)].concat(),
    }
}

/// §4.4's worked table: what each pattern counts against a limit of 100.
#[test]
fn approvals_and_third_party_moves_count_on_top_of_the_balance_decrease() {
    let owner_allows_router = |m: &mut AccountModel| {
        m.ledger.allowances.insert((TOKEN, ACCOUNT, ROUTER), U256::from(1000u16));
    };
    // approve + swap: the router pulls exactly what was approved: X once.
    let mut m = model();
    m.register(&policy());
    assert_eq!(direct(&mut m, &[approve(ROUTER, 60), pull(60)], 8000), Verdict::Accepted);
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(60u8));
    // approve(E, 100) + an unrelated pull of 100 through the owner's old
    // allowance: 200, over the limit.
    let mut m = model();
    m.register(&policy());
    owner_allows_router(&mut m);
    let two_x = [approve(THIRD, 100), pull(100)];
    assert_eq!(direct(&mut m, &two_x, 8000), reverted(ContractError::SessionSpendingLimit));
    assert_eq!(m.ledger.allowance(TOKEN, ACCOUNT, THIRD), U256::from(0u8), "reverted");
    // transfer_from(third party → 1, 100) + a pull of 100: 200.
    let mut m = model();
    m.register(&policy());
    owner_allows_router(&mut m);
    m.ledger.mint(TOKEN, THIRD, U256::from(500u16));
    m.ledger.allowances.insert((TOKEN, THIRD, ACCOUNT), U256::from(500u16));
    let variant = [transfer_from(THIRD, 100), pull(100)];
    assert_eq!(direct(&mut m, &variant, 8000), reverted(ContractError::SessionSpendingLimit));
    // 50 each: counted 100, in full.
    assert_eq!(direct(&mut m, &[transfer_from(THIRD, 50), pull(50)], 8000), Verdict::Accepted);
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(100u8));
    assert_eq!(m.overspent(), None);
}

#[test]
fn an_allowance_a_session_granted_counts_though_it_is_pulled_later() {
    let mut m = model();
    m.register(&policy());
    assert_eq!(direct(&mut m, &[approve(THIRD, 70)], 8000), Verdict::Accepted);
    assert_eq!(m.sessions[&KEY].spent_of(TOKEN), U256::from(70u8));
    assert_eq!(m.spender_pulls(TOKEN, THIRD, U256::from(70u8)), Verdict::Accepted);
    assert_eq!(m.moved[&(KEY, TOKEN)], U256::from(70u8));
    // Only 30 left: the pull outside the session was counted in advance.
    assert_eq!(
        direct(&mut m, &[transfer(31)], 8000),
        rejected(ContractError::SessionSpendingLimit)
    );
    assert_eq!(direct(&mut m, &[transfer(30)], 8000), Verdict::Accepted);
    assert_eq!(m.overspent(), None);
    assert_eq!(m.spender_pulls(TOKEN, THIRD, U256::from(1u8)), Verdict::Reverted(None));
    // A pull the balance cannot cover fails whole: the allowance stays.
    assert_eq!(direct(&mut m, &[approve(THIRD, 0)], 8000), Verdict::Accepted);
    m.ledger.allowances.insert((TOKEN, ACCOUNT, THIRD), U256::from(5000u16));
    assert_eq!(m.spender_pulls(TOKEN, THIRD, U256::from(5000u16)), Verdict::Reverted(None));
    assert_eq!(m.ledger.allowance(TOKEN, ACCOUNT, THIRD), U256::from(5000u16));
}

#[test]
fn the_owner_revokes_a_key_never_registered_and_no_authorization_registers_it() {
    let mut m = model();
    assert_eq!(m.revoke(KEY), Verdict::Accepted);
    assert_eq!(m.revoke(KEY), reverted(ContractError::SessionRevoked));
    assert_eq!(m.register(&policy()), reverted(ContractError::SessionRevoked));
    assert_eq!(
        m.session_calls(KEY, Some(&policy()), &[transfer(1)], 8000, Path::Direct, FEE),
        rejected(ContractError::SessionRevoked)
    );
    assert_eq!(direct(&mut m, &[transfer(1)], 8000), rejected(ContractError::SessionNotRegistered));
    assert!(m.sessions.is_empty());
}

#[test]
fn owner_and_session_outside_nonces_are_separate_spaces() {
    let calls = [transfer(1)];
    let mut m = model();
    m.register(&policy());
    let terms = OutsideTerms {
        nonce: Felt::ONE,
        execute_after: 7900,
        execute_before: 8100,
        caller: Caller::Named,
    };
    let session = Submission { route: Route::Gasless(terms), ..submission(&calls, None, 8000) };
    assert_eq!(m.submit(&session), Verdict::Accepted);
    // The owner's space does not know nonce 1: the owner layout gets as far
    // as its signature.
    let owner_layout = Submission { signature: SessionSignature::OwnerLayout, ..session.clone() };
    assert_eq!(m.submit(&owner_layout), reverted(ContractError::InvalidSignature));
    assert_eq!(m.submit(&session), reverted(ContractError::OutsideNonceUsed));
}

#[test]
fn the_caps_come_before_the_per_call_lookups() {
    let mut m = model();
    m.register(&policy());
    let stranger = Call { to: THIRD, selector: selectors::TRANSFER, calldata: vec![] };
    let three = [stranger.clone(), stranger.clone(), stranger];
    assert_eq!(direct(&mut m, &three, 8000), rejected(ContractError::SessionTooManyCalls));
}

#[test]
fn a_hooked_limited_token_cannot_start_an_execution_inside_a_session_execution() {
    const HOOKED: Felt = Felt::from_hex_unchecked("0x4004");
    let mut hooked = policy();
    hooked
        .spending_limits
        .push(session_account::policy::SpendingLimit::lifetime(HOOKED, U256::from(50u8)));
    let mut m = model();
    assert_eq!(m.register(&hooked), Verdict::Accepted);
    m.ledger.arm_hook(HOOKED);
    // Refused before the watch: the hook stays armed.
    assert_eq!(
        direct(&mut m, &[transfer(101)], 8000),
        rejected(ContractError::SessionSpendingLimit)
    );
    // The watch sets it off, then the execution reverts (the router holds
    // no allowance) and takes it back.
    assert_eq!(direct(&mut m, &[transfer(1), pull(1)], 8000), Verdict::Reverted(None));
    assert!(m.ledger.hooks[&HOOKED].armed);
    assert_eq!(m.ledger.hook_result(HOOKED), Felt::ZERO);
    // Direct or gasless, the watch sets it off and the guard refuses it.
    assert_eq!(direct(&mut m, &[transfer(1)], 8000), Verdict::Accepted);
    assert_eq!(m.ledger.hook_result(HOOKED), ContractError::OutsideReentrant.felt());
    assert!(!m.ledger.hooks[&HOOKED].armed);
    m.ledger.arm_hook(HOOKED);
    assert_eq!(m.ledger.hook_result(HOOKED), Felt::ZERO);
    assert_eq!(gasless(&mut m, &[transfer(1)], 8000), Verdict::Accepted);
    assert_eq!(m.ledger.hook_result(HOOKED), ContractError::OutsideReentrant.felt());
}
