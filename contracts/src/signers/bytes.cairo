//! Big-endian words in and out of `ByteArray`s, and exact byte matching at
//! an offset. Never panics: out of range reads are `None` or `false`.

/// `bytes[at..at + needle.len()] == needle`.
pub fn matches_at(bytes: @ByteArray, at: usize, needle: @ByteArray) -> bool {
    let len = needle.len();
    if at > bytes.len() || len > bytes.len() - at {
        return false;
    }
    let mut i = 0;
    while i < len {
        if bytes.at(at + i) != needle.at(i) {
            return false;
        }
        i += 1;
    }
    true
}

/// The 32 bytes at `at` as a big-endian `u256`, if there are 32.
pub fn u256_at(bytes: @ByteArray, at: usize) -> Option<u256> {
    if at > bytes.len() || 32 > bytes.len() - at {
        return None;
    }
    let mut high: u128 = 0;
    let mut low: u128 = 0;
    let mut i = 0;
    while i < 16 {
        high = high * 0x100 + bytes.at(at + i)?.into();
        low = low * 0x100 + bytes.at(at + 16 + i)?.into();
        i += 1;
    }
    Some(u256 { low, high })
}

/// Appends `value` as 32 big-endian bytes.
pub fn append_u256(ref bytes: ByteArray, value: u256) {
    bytes.append_word(value.high.into(), 16);
    bytes.append_word(value.low.into(), 16);
}

/// A SHA-256 digest (eight big-endian words) as a `u256`.
pub fn digest_to_u256(digest: [u32; 8]) -> u256 {
    let [a, b, c, d, e, f, g, h] = digest;
    let word = |x: u32, y: u32| -> u128 {
        x.into() * 0x100000000 + y.into()
    };
    u256 {
        high: word(a, b) * 0x10000000000000000 + word(c, d),
        low: word(e, f) * 0x10000000000000000 + word(g, h),
    }
}

/// SHA-256 of `bytes`, through the chain's SHA-256 syscall.
pub fn sha256(bytes: @ByteArray) -> u256 {
    digest_to_u256(core::sha256::compute_sha256_byte_array(bytes))
}
