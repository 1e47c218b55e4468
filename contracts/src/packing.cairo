//! How several small values share one storage slot: the word splitting
//! that `sessions::node`, `sessions::rules` and `policy::periods` pack their
//! slots with. Pure: a packed slot gives back exactly what was stored
//! (tests/unit/node.cairo checks every packing).

/// 2^64, the place of a u128's high half.
pub const SHIFT_64: u128 = 0x10000000000000000;
/// 2^128, the place of a felt's high word.
pub const SHIFT_128: felt252 = 0x100000000000000000000000000000000;

/// `low` in the low 128 bits of a felt, `high` above it. `high` must be
/// below 2^123 for the sum to stay below the field's prime (every packing
/// in this crate keeps it under 2^67).
pub fn join(low: u128, high: u128) -> felt252 {
    low.into() + high.into() * SHIFT_128
}

/// The inverse of [`join`]: (low 128 bits, the bits above them).
pub fn split(value: felt252) -> (u128, u128) {
    let value: u256 = value.into();
    (value.low, value.high)
}

/// (low 64 bits, high 64 bits) of a u128.
pub fn halves(value: u128) -> (u64, u64) {
    let (high, low) = DivRem::div_rem(value, SHIFT_64.try_into().unwrap());
    (low.try_into().unwrap(), high.try_into().unwrap())
}

/// The low 64 bits of a u128 (the bits above are dropped).
pub fn low_half(value: u128) -> u64 {
    let (_, low) = DivRem::div_rem(value, SHIFT_64.try_into().unwrap());
    low.try_into().unwrap()
}

/// The inverse of [`halves`]: `low` in the low 64 bits, `high` above.
pub fn pair(low: u64, high: u64) -> u128 {
    low.into() + high.into() * SHIFT_64
}
