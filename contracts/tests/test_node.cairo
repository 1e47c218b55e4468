//! sessions::node: how a session is packed into storage slots. Every
//! packed slot must give back exactly what was stored.

use core::num::traits::Bounded;
use session_account::sessions::node::{
    SessionAdmission, SessionAdmissionPacking, SessionRenewal, SessionRenewalPacking, SessionState,
    SessionStatePacking, SessionStateTrait,
};

fn round_trip(state: SessionState) -> SessionState {
    SessionStatePacking::unpack(SessionStatePacking::pack(state))
}

#[test]
fn state_round_trips_at_the_extremes() {
    for revoked in array![false, true] {
        let max = SessionState {
            valid_after: Bounded::MAX,
            valid_until: Bounded::MAX,
            calls_remaining: Bounded::MAX,
            max_calls_per_tx: Bounded::MAX,
            revoked,
        };
        assert_eq!(round_trip(max), max);
        let zero = SessionState {
            valid_after: 0, valid_until: 0, calls_remaining: 0, max_calls_per_tx: 0, revoked,
        };
        assert_eq!(round_trip(zero), zero);
    }
}

#[test]
fn an_empty_slot_is_an_unregistered_session() {
    assert_eq!(SessionStatePacking::unpack(0), Default::default());
    assert!(!SessionStatePacking::unpack(0).is_registered());
    assert_eq!(SessionAdmissionPacking::unpack(0), Default::default());
    assert_eq!(SessionRenewalPacking::unpack(0).grace_period, 0);
}

#[test]
fn registered_means_a_nonzero_expiry() {
    // A well-formed window has valid_until > valid_after >= 0.
    let state = SessionState {
        valid_after: 0, valid_until: 1, calls_remaining: 0, max_calls_per_tx: 0, revoked: false,
    };
    assert!(round_trip(state).is_registered());
}

#[test]
fn admission_and_renewal_round_trip_at_the_extremes() {
    let admission = SessionAdmission { epoch: Bounded::MAX, max_fee_per_tx: Bounded::MAX };
    assert_eq!(
        SessionAdmissionPacking::unpack(SessionAdmissionPacking::pack(admission)), admission,
    );
    let renewal = SessionRenewal {
        grace_period: Bounded::MAX, max_valid_until: Bounded::MAX, period: Bounded::MAX,
    };
    assert_eq!(SessionRenewalPacking::unpack(SessionRenewalPacking::pack(renewal)), renewal);
}

#[test]
fn fields_do_not_bleed_into_each_other() {
    let state = SessionState {
        valid_after: 2, valid_until: 3, calls_remaining: 4, max_calls_per_tx: 5, revoked: false,
    };
    let mut revoked = state;
    revoked.revoked = true;
    assert_ne!(SessionStatePacking::pack(revoked), SessionStatePacking::pack(state));
    assert_eq!(round_trip(revoked).max_calls_per_tx, 5);
    let mut more = state;
    more.max_calls_per_tx = Bounded::MAX;
    let unpacked = round_trip(more);
    assert_eq!((unpacked.calls_remaining, unpacked.revoked), (4, false));
}

#[test]
#[fuzzer(runs: 256, seed: 51)]
fn fuzz_state_round_trips(
    valid_after: u64, valid_until: u64, calls_remaining: u64, max_calls_per_tx: u32, revoked: bool,
) {
    let state = SessionState {
        valid_after, valid_until, calls_remaining, max_calls_per_tx, revoked,
    };
    assert_eq!(round_trip(state), state);
}

#[test]
#[fuzzer(runs: 256, seed: 52)]
fn fuzz_admission_round_trips(epoch: u64, max_fee_per_tx: u128) {
    let admission = SessionAdmission { epoch, max_fee_per_tx };
    assert_eq!(
        SessionAdmissionPacking::unpack(SessionAdmissionPacking::pack(admission)), admission,
    );
}

#[test]
#[fuzzer(runs: 256, seed: 53)]
fn fuzz_renewal_round_trips(grace_period: u64, max_valid_until: u64, period: u64) {
    let renewal = SessionRenewal { grace_period, max_valid_until, period };
    assert_eq!(SessionRenewalPacking::unpack(SessionRenewalPacking::pack(renewal)), renewal);
}
