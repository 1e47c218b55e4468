//! session::window: the time-window rules (§4.2) and renewal's grace rules (§5).

#[starknet::contract]
mod TestWindow {
    use session_account::errors;
    use session_account::errors::unwrap_or_panic;
    use session_account_tests::helpers::{assert_ok, assert_err};
    use session_account::session::window::{
        check_window_exact, check_window_lenient, check_window_well_formed,
        check_renewal_lenient, renewed_valid_until, grace_deadline, VALIDATE_TIME_GRANULARITY
    };

    #[storage]
    struct Storage {}

    const HOUR: u64 = 3600;

    #[external(v0)]
    fn test_granularity_is_one_hour(self: @ContractState) {
        assert(VALIDATE_TIME_GRANULARITY == HOUR, 'granularity');
    }

    #[external(v0)]
    fn test_exact_accepts_inside_window(self: @ContractState) {
        assert_ok(check_window_exact(100, 200, 100), 'at valid_after');
        assert_ok(check_window_exact(100, 200, 199), 'last second');
    }

    #[external(v0)]
    fn test_exact_rejects_at_and_after_valid_until(self: @ContractState) {
        assert_err(check_window_exact(100, 200, 200), errors::SESSION_EXPIRED, 'at until');
        assert_err(check_window_exact(100, 200, 5000), errors::SESSION_EXPIRED, 'after');
    }

    #[external(v0)]
    fn test_exact_rejects_before_valid_after(self: @ContractState) {
        assert_err(check_window_exact(100, 200, 99), errors::SESSION_NOT_YET_VALID, 'early');
    }

    /// Expiry inside the rounded hour: validate sees the hour's floor, which
    /// is still before valid_until, so it must let the tx through (execute
    /// then rejects it with the exact clock).
    #[external(v0)]
    fn test_lenient_accepts_expiry_inside_the_floored_hour(self: @ContractState) {
        let floor = 10 * HOUR;
        let until = floor + 1800;
        assert_ok(check_window_lenient(0, until, floor), 'lenient inside hour');
        assert_err(check_window_exact(0, until, floor + 1800), errors::SESSION_EXPIRED, 'exact catches it');
    }

    #[external(v0)]
    fn test_lenient_rejects_once_the_floor_reaches_valid_until(self: @ContractState) {
        let floor = 10 * HOUR;
        assert_err(check_window_lenient(0, floor, floor), errors::SESSION_EXPIRED, 'floor == until');
        assert_err(check_window_lenient(0, floor - 1, floor), errors::SESSION_EXPIRED, 'floor > until');
    }

    #[external(v0)]
    fn test_lenient_not_yet_valid_uses_the_hours_last_second(self: @ContractState) {
        let floor = 10 * HOUR;
        // valid_after within this hour: possibly valid now.
        assert_ok(check_window_lenient(floor + HOUR - 1, floor + 2 * HOUR, floor), 'same hour');
        // valid_after in the next hour: certainly not valid yet.
        assert_err(
            check_window_lenient(floor + HOUR, floor + 2 * HOUR, floor),
            errors::SESSION_NOT_YET_VALID,
            'next hour'
        );
    }

    /// Whatever validate accepts at floor f, some real time t in [f, f+3600)
    /// passes the exact rule, and whatever the exact rule accepts at t,
    /// validate accepts at floor(t).
    #[external(v0)]
    fn test_lenient_is_exactly_the_hour_projection_of_exact(self: @ContractState) {
        let mut after: u64 = 0;
        loop {
            if after > 3 * HOUR {
                break;
            }
            let until = after + 1;
            let mut t: u64 = 0;
            loop {
                if t > 5 * HOUR {
                    break;
                }
                let floor = t - t % HOUR;
                match check_window_exact(after, until, t) {
                    Result::Ok(()) => {
                        assert_ok(check_window_lenient(after, until, floor), 'exact ok => lenient ok');
                    },
                    Result::Err(_) => {},
                }
                t += 900;
            };
            after += 1700;
        };
    }

    #[external(v0)]
    fn test_window_must_be_non_empty(self: @ContractState) {
        assert_ok(check_window_well_formed(1, 2), 'non-empty');
        assert_err(check_window_well_formed(2, 2), errors::SESSION_INVALID_WINDOW, 'empty');
        assert_err(check_window_well_formed(3, 2), errors::SESSION_INVALID_WINDOW, 'reversed');
    }

    #[external(v0)]
    #[should_panic(expected: ('session/expired',))]
    fn test_expired_session_panics_with_its_error(self: @ContractState) {
        unwrap_or_panic(check_window_exact(0, 10, 10));
    }

    #[external(v0)]
    fn test_window_rules_never_overflow(self: @ContractState) {
        let max: u64 = 0xffffffffffffffff;
        assert_ok(check_window_lenient(max, max, max - 3599), 'lenient near max');
        assert_ok(check_renewal_lenient(max, max, max), 'grace');
        assert(grace_deadline(max, max) == 0x1fffffffffffffffe, 'deadline in u128');
    }

    // valid_until 5000, grace 600, period 4000, bound 20000.

    #[external(v0)]
    fn test_renewal_inside_grace_extends_by_the_period(self: @ContractState) {
        assert(assert_ok(renewed_valid_until(5000, 600, 4000, 20000, 5000), 'at expiry') == 9000, 'extends');
        assert(assert_ok(renewed_valid_until(5000, 600, 4000, 20000, 5599), 'last second') == 9599, 'from now');
    }

    #[external(v0)]
    fn test_renewal_is_bounded_by_max_valid_until(self: @ContractState) {
        assert(assert_ok(renewed_valid_until(5000, 600, 4000, 6000, 5100), 'bounded') == 6000, 'bound');
        assert_err(renewed_valid_until(5000, 600, 4000, 5000, 5100), errors::SESSION_RENEWAL_LIMIT, 'limit');
        assert_err(renewed_valid_until(5000, 600, 4000, 5100, 5100), errors::SESSION_RENEWAL_LIMIT, 'no gain');
    }

    #[external(v0)]
    fn test_renewal_only_after_expiry_and_within_grace(self: @ContractState) {
        assert_err(renewed_valid_until(5000, 600, 4000, 20000, 4999), errors::SESSION_NOT_EXPIRED, 'early');
        assert_err(renewed_valid_until(5000, 600, 4000, 20000, 5600), errors::SESSION_EXPIRED, 'late');
        assert_err(renewed_valid_until(5000, 0, 4000, 20000, 5000), errors::SESSION_NOT_RENEWABLE, 'not renewable');
    }

    #[external(v0)]
    fn test_lenient_renewal_rejects_only_certain_lateness(self: @ContractState) {
        let floor = 10 * HOUR;
        // Grace ends inside this hour: maybe still in grace.
        assert_ok(check_renewal_lenient(floor - 100, 200, floor), 'maybe in grace');
        // Grace ended at the start of this hour: certainly late.
        assert_err(check_renewal_lenient(floor - 200, 200, floor), errors::SESSION_EXPIRED, 'late');
        assert_err(check_renewal_lenient(floor, 0, floor), errors::SESSION_NOT_RENEWABLE, 'not renewable');
    }
}
