//! session::window: the time-window rules (docs/spec.md, "Time").

#[starknet::contract]
mod TestWindow {
    use session_account::errors;
    use session_account::errors::unwrap_or_panic;
    use session_account_tests::helpers::{assert_ok, assert_err};
    use session_account::session::window::{
        check_window_exact, check_window_lenient, check_window_well_formed,
        VALIDATE_TIME_GRANULARITY
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
}
