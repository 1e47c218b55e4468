//! ECDSA over secp256r1 (NIST P-256), through the chain's secp256r1
//! syscalls (§2.3). A raw P-256 owner signs the 32-byte big-endian hash
//! itself as the digest: no further hashing.

use starknet::secp256_trait::{Secp256Trait, is_valid_signature};
use starknet::secp256r1::Secp256r1Point;

/// A P-256 public key: its affine coordinates.
#[derive(Copy, Drop, Serde, PartialEq, Debug, starknet::Store)]
pub struct P256PublicKey {
    pub x: u256,
    pub y: u256,
}

/// The curve point of `key`; `None` when `(x, y)` is not on the curve (the
/// point at infinity included) or a coordinate is not a field element.
pub fn point_of(key: P256PublicKey) -> Option<Secp256r1Point> {
    if key.x == 0 && key.y == 0 {
        return None;
    }
    match Secp256Trait::<Secp256r1Point>::secp256_ec_new_syscall(key.x, key.y) {
        Ok(point) => point,
        Err(_) => None,
    }
}

/// Whether `(r, s)` is `key`'s signature of the digest `hash`. `r` and `s`
/// must lie in `[1, n)`. A high `s` (above `n / 2`) is accepted as its low
/// twin `n - s`, which signs the same digest: authenticators produce both,
/// and what makes an owner signature single-use is what it signs (§2.3),
/// not its bytes. Never panics: a key off the curve or an out-of-range `r`
/// or `s` is `false`.
pub fn is_valid_p256_signature(hash: u256, key: P256PublicKey, r: u256, s: u256) -> bool {
    let n = Secp256Trait::<Secp256r1Point>::get_curve_size();
    if s >= n {
        return false;
    }
    let s = if s > n / 2 {
        n - s
    } else {
        s
    };
    match point_of(key) {
        Some(point) => is_valid_signature::<Secp256r1Point>(hash, r, s, point),
        None => false,
    }
}
