//! Base64url without padding (RFC 4648 §5), for the challenge of §2.3: the
//! 32-byte big-endian hash a passkey signs is 43 characters.

/// The character of a 6-bit value.
fn char_of(value: u8) -> u8 {
    if value < 26 {
        'A' + value
    } else if value < 52 {
        'a' + (value - 26)
    } else if value < 62 {
        '0' + (value - 52)
    } else if value == 62 {
        '-'
    } else {
        '_'
    }
}

/// Base64url of `bytes`, without padding.
pub fn encode(bytes: @ByteArray) -> ByteArray {
    let mut out: ByteArray = "";
    let len = bytes.len();
    let mut i = 0;
    while i + 3 <= len {
        let (a, b, c) = (bytes[i], bytes[i + 1], bytes[i + 2]);
        out.append_byte(char_of(a / 4));
        out.append_byte(char_of((a % 4) * 16 + b / 16));
        out.append_byte(char_of((b % 16) * 4 + c / 64));
        out.append_byte(char_of(c % 64));
        i += 3;
    }
    let rest = len - i;
    if rest == 1 {
        let a = bytes[i];
        out.append_byte(char_of(a / 4));
        out.append_byte(char_of((a % 4) * 16));
    } else if rest == 2 {
        let (a, b) = (bytes[i], bytes[i + 1]);
        out.append_byte(char_of(a / 4));
        out.append_byte(char_of((a % 4) * 16 + b / 16));
        out.append_byte(char_of((b % 16) * 4));
    }
    out
}

/// The challenge of a hash (§2.3): base64url of its 32 big-endian bytes.
pub fn challenge_of(hash: felt252) -> ByteArray {
    let mut bytes: ByteArray = "";
    super::bytes::append_u256(ref bytes, hash.into());
    encode(@bytes)
}
