//! sessions::node: how a session is packed into storage slots. Every
//! packed slot must give back exactly what was stored.

use core::num::traits::Bounded;
use session_account::sessions::node::{
    SessionAdmission, SessionAdmissionPacking, SessionRenewal, SessionRenewalPacking, SessionState,
    SessionStatePacking, SessionStateTrait, SessionTotals, SessionTotalsPacking, SessionUsage,
    SessionUsagePacking,
};
use starknet::storage_access::StorePacking;

fn round_trip<T, +StorePacking<T, felt252>, +Drop<T>>(value: T) -> T {
    StorePacking::unpack(StorePacking::pack(value))
}

#[test]
fn state_round_trips_at_the_extremes() {
    for revoked in array![false, true] {
        let max = SessionState {
            valid_after: Bounded::MAX,
            valid_until: Bounded::MAX,
            max_calls_per_tx: Bounded::MAX,
            revoked,
            limited_tokens: Bounded::MAX,
            periodic: !revoked,
        };
        assert_eq!(round_trip(max), max);
        let zero = SessionState {
            valid_after: 0,
            valid_until: 0,
            max_calls_per_tx: 0,
            revoked,
            limited_tokens: 0,
            periodic: revoked,
        };
        assert_eq!(round_trip(zero), zero);
    }
}

#[test]
fn an_empty_slot_is_an_unregistered_session() {
    assert_eq!(SessionStatePacking::unpack(0), Default::default());
    assert!(!SessionStatePacking::unpack(0).is_registered());
    assert_eq!(SessionAdmissionPacking::unpack(0), Default::default());
    assert_eq!(SessionUsagePacking::unpack(0), Default::default());
    assert_eq!(SessionTotalsPacking::unpack(0), Default::default());
    assert_eq!(SessionRenewalPacking::unpack(0).grace_period, 0);
}

#[test]
fn registered_means_a_nonzero_expiry() {
    // A well-formed window has valid_until > valid_after >= 0.
    let state = SessionState {
        valid_after: 0,
        valid_until: 1,
        max_calls_per_tx: 0,
        revoked: false,
        limited_tokens: 0,
        periodic: false,
    };
    assert!(round_trip(state).is_registered());
}

#[test]
fn the_other_slots_round_trip_at_the_extremes() {
    let admission = SessionAdmission { epoch: Bounded::MAX, max_fee_per_tx: Bounded::MAX };
    assert_eq!(round_trip(admission), admission);
    let usage = SessionUsage { calls_remaining: Bounded::MAX, fee_remaining: Bounded::MAX };
    assert_eq!(round_trip(usage), usage);
    let totals = SessionTotals { max_calls: Bounded::MAX, fee_budget: Bounded::MAX };
    assert_eq!(round_trip(totals), totals);
    let renewal = SessionRenewal {
        grace_period: Bounded::MAX, max_valid_until: Bounded::MAX, period: Bounded::MAX,
    };
    assert_eq!(round_trip(renewal), renewal);
}

#[test]
fn fields_do_not_bleed_into_each_other() {
    let state = SessionState {
        valid_after: 2,
        valid_until: 3,
        max_calls_per_tx: 5,
        revoked: false,
        limited_tokens: 7,
        periodic: false,
    };
    let mut revoked = state;
    revoked.revoked = true;
    assert_ne!(SessionStatePacking::pack(revoked), SessionStatePacking::pack(state));
    assert_eq!(round_trip(revoked).max_calls_per_tx, 5);
    assert_eq!(round_trip(revoked).limited_tokens, 7);
    let mut more = state;
    more.max_calls_per_tx = Bounded::MAX;
    assert!(!round_trip(more).revoked);
    assert_eq!(round_trip(more).limited_tokens, 7);
    let mut tokens = state;
    tokens.limited_tokens = Bounded::MAX;
    assert!(!round_trip(tokens).revoked);
    assert_eq!(round_trip(tokens).max_calls_per_tx, 5);
    let usage = SessionUsage { calls_remaining: 1, fee_remaining: Bounded::MAX };
    assert_eq!(round_trip(usage).calls_remaining, 1);
}

#[test]
#[fuzzer(runs: 256, seed: 51)]
fn fuzz_state_round_trips(
    valid_after: u64, valid_until: u64, max_calls_per_tx: u32, revoked: bool, limited_tokens: u32,
) {
    let state = SessionState {
        valid_after, valid_until, max_calls_per_tx, revoked, limited_tokens, periodic: !revoked,
    };
    assert_eq!(round_trip(state), state);
}

#[test]
#[fuzzer(runs: 256, seed: 52)]
fn fuzz_admission_and_usage_round_trip(epoch: u64, fee: u128, calls: u64, other_fee: u128) {
    let admission = SessionAdmission { epoch, max_fee_per_tx: fee };
    assert_eq!(round_trip(admission), admission);
    let usage = SessionUsage { calls_remaining: calls, fee_remaining: other_fee };
    assert_eq!(round_trip(usage), usage);
    let totals = SessionTotals { max_calls: calls, fee_budget: fee };
    assert_eq!(round_trip(totals), totals);
}

#[test]
#[fuzzer(runs: 256, seed: 53)]
fn fuzz_renewal_round_trips(grace_period: u64, max_valid_until: u64, period: u64) {
    let renewal = SessionRenewal { grace_period, max_valid_until, period };
    assert_eq!(round_trip(renewal), renewal);
}
