//! Periodic spending limits (docs/spec.md §4.9): fixed windows from
//! `valid_after`. Mirrors `contracts/src/policy/periods.cairo`.

/// The index of the window holding `now` (0 before `valid_after`).
pub fn window_index(valid_after: u64, period: u64, now: u64) -> u64 {
    if now <= valid_after || period == 0 {
        return 0;
    }
    (now - valid_after) / period
}

/// The first second of window `index`.
pub fn window_start(valid_after: u64, period: u64, index: u64) -> u128 {
    valid_after as u128 + period as u128 * index as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_start_at_valid_after() {
        assert_eq!(window_index(1000, 60, 1059), 0);
        assert_eq!(window_index(1000, 60, 1060), 1);
        assert_eq!(window_index(1000, 60, 5), 0);
        assert_eq!(window_start(1000, 60, 2), 1120);
    }
}
