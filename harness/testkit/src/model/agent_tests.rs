//! The model's calldata rules (§4.8), periodic limits (§4.9) and the
//! allowances a session granted (§4.10).

use starknet_rust::core::types::{Call, Felt, U256};

use super::*;
use session_account::contract::selectors;

const ACCOUNT: Felt = Felt::from_hex_unchecked("0xacc");
const TOKEN: Felt = Felt::from_hex_unchecked("0x7070");
const KEY: Felt = Felt::from_hex_unchecked("0x5e55");
const FRIEND: Felt = Felt::from_hex_unchecked("0xf00d");
const START: u64 = 7200 + 600;
const FEE: u128 = 1_000;

/// Transfers of TOKEN only to FRIEND, at most 30 a call, 40 per 1.5 h, 100
/// in all.
fn policy() -> SessionPolicy {
    SessionPolicy::builder(KEY)
        .valid_between(START, START + 10 * 3600)
        .allow_entrypoints(TOKEN, [selectors::TRANSFER])
        .recipient_allowlist(TOKEN, [Felt::from(7u8), FRIEND])
        .max_per_call(TOKEN, U256::from(30u8))
        .spending_limit(TOKEN, U256::from(100u8))
        .periodic_limit(TOKEN, 40, 5400)
        .max_calls_per_tx(3)
        .max_calls(20)
        .max_fee_per_tx(FEE)
        .fee_budget(u128::MAX)
        .build()
        .unwrap()
}

fn model() -> AccountModel {
    let mut m = AccountModel::new(ACCOUNT, Felt::from(0xa11ce_u64), Felt::from(0xc4a1_u64));
    m.ledger.tokens.insert(TOKEN);
    m.ledger.mint(TOKEN, ACCOUNT, U256::from(1000u16));
    assert_eq!(m.register(&policy()), Verdict::Accepted);
    m
}

fn transfer(to: Felt, amount: u128) -> Call {
    Call { to: TOKEN, selector: selectors::TRANSFER, calldata: vec![to, amount.into(), Felt::ZERO] }
}

fn send(m: &mut AccountModel, calls: &[Call], now: u64) -> Verdict {
    m.session_calls(KEY, None, calls, now, Path::Direct, FEE)
}

fn relay(m: &mut AccountModel, calls: &[Call], now: u64) -> Verdict {
    m.session_calls(KEY, None, calls, now, Path::Gasless, 0)
}

#[test]
fn a_recipient_outside_the_allowlist_is_refused_in_validate_and_relayed() {
    let mut m = model();
    let stranger = Felt::from(8u8);
    let refused = ContractError::SessionCalldataRule;
    assert_eq!(
        send(&mut m, &[transfer(stranger, 1)], START + 60),
        Verdict::Rejected(Some(refused))
    );
    assert_eq!(
        relay(&mut m, &[transfer(stranger, 1)], START + 60),
        Verdict::Reverted(Some(refused))
    );
    assert_eq!(send(&mut m, &[transfer(FRIEND, 1)], START + 60), Verdict::Accepted);
}

#[test]
fn the_per_call_bound_holds_each_call_and_the_window_their_sum() {
    let mut m = model();
    let over = send(&mut m, &[transfer(FRIEND, 31)], START + 60);
    assert_eq!(over, Verdict::Rejected(Some(ContractError::SessionCalldataRule)));
    // 30 + 30: each within the bound, the sum over the window's 40.
    let split = send(&mut m, &[transfer(FRIEND, 30), transfer(FRIEND, 30)], START + 60);
    assert_eq!(split, Verdict::Reverted(Some(ContractError::SessionPeriodLimit)));
    assert_eq!(
        send(&mut m, &[transfer(FRIEND, 30), transfer(FRIEND, 10)], START + 60),
        Verdict::Accepted
    );
}

#[test]
fn a_window_resets_at_its_exact_end_not_at_the_floored_hour() {
    let mut m = model();
    assert_eq!(
        send(&mut m, &[transfer(FRIEND, 30), transfer(FRIEND, 10)], START + 60),
        Verdict::Accepted
    );
    // The window's last second: nothing left.
    let last = START + 5400 - 1;
    assert_eq!(
        send(&mut m, &[transfer(FRIEND, 1)], last),
        Verdict::Reverted(Some(ContractError::SessionPeriodLimit))
    );
    // Its end: a new window, whatever hour __validate__ floors to.
    assert_eq!(send(&mut m, &[transfer(FRIEND, 30)], START + 5400), Verdict::Accepted);
    let session = &m.sessions[&KEY];
    assert_eq!(session.window_remaining(TOKEN, 1), Some(10));
    assert_eq!(session.spent_of(TOKEN), U256::from(70u8));
}

#[test]
fn skipped_windows_start_empty_and_the_lifetime_limit_still_holds() {
    let mut m = model();
    let mut now = START + 60;
    for _ in 0..2 {
        let calls = [transfer(FRIEND, 30), transfer(FRIEND, 10)];
        assert_eq!(send(&mut m, &calls, now), Verdict::Accepted);
        now += 2 * 5400;
    }
    // 80 spent of 100: the window has 40, the lifetime 20.
    assert_eq!(
        send(&mut m, &[transfer(FRIEND, 30)], now),
        Verdict::Rejected(Some(ContractError::SessionSpendingLimit))
    );
    assert_eq!(send(&mut m, &[transfer(FRIEND, 20)], now), Verdict::Accepted);
}

#[test]
fn the_owners_revoke_clears_what_the_session_approved() {
    let key = Felt::from(0x5e56_u64);
    let mut m = model();
    let approving = SessionPolicy::builder(key)
        .valid_between(START, START + 3600)
        .allow_entrypoints(TOKEN, [selectors::APPROVE])
        .max_calls_per_tx(3)
        .max_calls(5)
        .max_fee_per_tx(FEE)
        .fee_budget(u128::MAX)
        .build()
        .unwrap();
    assert_eq!(m.register(&approving), Verdict::Accepted);
    let approve = |spender: Felt, amount: u8| Call {
        to: TOKEN,
        selector: selectors::APPROVE,
        calldata: vec![spender, amount.into(), Felt::ZERO],
    };
    let calls = [approve(FRIEND, 9), approve(Felt::from(3u8), 4), approve(FRIEND, 2)];
    assert_eq!(
        m.session_calls(key, None, &calls, START + 60, Path::Direct, FEE),
        Verdict::Accepted
    );
    assert_eq!(m.sessions[&key].approvals, vec![(TOKEN, FRIEND), (TOKEN, Felt::from(3u8))]);
    assert_eq!(m.ledger.allowance(TOKEN, ACCOUNT, FRIEND), U256::from(2u8));
    assert_eq!(m.revoke_clearing_allowances(key), Verdict::Accepted);
    assert_eq!(m.ledger.allowance(TOKEN, ACCOUNT, FRIEND), U256::from(0u8));
    assert_eq!(m.ledger.allowance(TOKEN, ACCOUNT, Felt::from(3u8)), U256::from(0u8));
    // Revoked already: the transaction reverts, and clears nothing.
    assert_eq!(
        m.revoke_clearing_allowances(key),
        Verdict::Reverted(Some(ContractError::SessionRevoked))
    );
}
