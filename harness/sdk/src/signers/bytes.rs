//! Cairo's `ByteArray` `Serde` (§12.1): the number of full 31-byte words,
//! each word big-endian, then the pending word and its length.

use starknet_rust::core::types::Felt;

/// The felts of `bytes` as a Cairo `ByteArray`.
pub fn byte_array_felts(bytes: &[u8]) -> Vec<Felt> {
    let chunks: Vec<&[u8]> = bytes.chunks(31).collect();
    let (full, pending): (&[&[u8]], &[u8]) = match chunks.last() {
        Some(last) if last.len() < 31 => (&chunks[..chunks.len() - 1], last),
        _ => (&chunks[..], &[]),
    };
    let mut out = vec![Felt::from(full.len())];
    out.extend(full.iter().map(|w| Felt::from_bytes_be_slice(w)));
    out.push(Felt::from_bytes_be_slice(pending));
    out.push(Felt::from(pending.len()));
    out
}

/// Reads a Cairo `ByteArray` from the front of `felts`: its bytes and how
/// many felts it took; `None` if the felts are not one.
pub fn read_byte_array(felts: &[Felt]) -> Option<(Vec<u8>, usize)> {
    let full = usize::try_from(u64::try_from(*felts.first()?).ok()?).ok()?;
    let words = felts.get(1..full.checked_add(3)?)?;
    let mut out = Vec::new();
    for word in &words[..full] {
        let bytes = word.to_bytes_be();
        if bytes[0] != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[1..]);
    }
    let pending_len = usize::try_from(u64::try_from(words[full + 1]).ok()?).ok()?;
    if pending_len > 30 {
        return None;
    }
    let pending = words[full].to_bytes_be();
    if pending[..32 - pending_len].iter().any(|b| *b != 0) {
        return None;
    }
    out.extend_from_slice(&pending[32 - pending_len..]);
    Some((out, full + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_cairo_serde() {
        assert_eq!(byte_array_felts(b""), vec![Felt::ZERO, Felt::ZERO, Felt::ZERO]);
        assert_eq!(
            byte_array_felts(b"abc"),
            vec![Felt::ZERO, Felt::from(0x616263u32), Felt::from(3u8)]
        );
        let exact = [7u8; 31];
        let felts = byte_array_felts(&exact);
        assert_eq!(felts.len(), 4);
        assert_eq!((felts[0], felts[2], felts[3]), (Felt::ONE, Felt::ZERO, Felt::ZERO));
        let long = [1u8; 40];
        let felts = byte_array_felts(&long);
        assert_eq!((felts[0], felts[3]), (Felt::ONE, Felt::from(9u8)));
        for bytes in [&b""[..], b"abc", &exact, &long] {
            let felts = byte_array_felts(bytes);
            assert_eq!(read_byte_array(&felts), Some((bytes.to_vec(), felts.len())));
        }
        assert_eq!(read_byte_array(&[Felt::ZERO, Felt::from(0x6162u32), Felt::ONE]), None);
    }
}
