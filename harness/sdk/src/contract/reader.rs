//! Decoding what a view returns: Cairo `Serde` felts, read in order. Every
//! read checks its value fits; a length can never claim more than the felts
//! left, so garbage decodes to `None`, never to a huge allocation.

use starknet_rust::core::types::{Felt, U256};

/// Reads Cairo `Serde` felts in order.
#[derive(Debug, Clone)]
pub struct FeltReader<'a> {
    felts: std::slice::Iter<'a, Felt>,
}

impl<'a> FeltReader<'a> {
    /// A reader at the first of `felts`.
    pub fn new(felts: &'a [Felt]) -> Self {
        Self { felts: felts.iter() }
    }

    /// The next felt as it is; `None` when all were read.
    pub fn felt(&mut self) -> Option<Felt> {
        self.felts.next().copied()
    }

    /// A `bool`: 0 or 1.
    pub fn bool(&mut self) -> Option<bool> {
        match self.felt()? {
            f if f == Felt::ZERO => Some(false),
            f if f == Felt::ONE => Some(true),
            _ => None,
        }
    }

    /// An unsigned integer type (`u32`, `u64`, `u128`, ...).
    pub fn int<T: TryFrom<Felt>>(&mut self) -> Option<T> {
        T::try_from(self.felt()?).ok()
    }

    /// A `u256`: `(low, high)`.
    pub fn u256(&mut self) -> Option<U256> {
        Some(U256::from_words(self.int()?, self.int()?))
    }

    /// An `Array<T>` (or `Span<T>`): its length, then each item.
    pub fn array<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len: usize = self.int()?;
        // Each item takes at least one felt.
        if len > self.felts.len() {
            return None;
        }
        (0..len).map(|_| item(self)).collect()
    }

    /// `value`, if every felt was read.
    pub fn finish<T>(mut self, value: T) -> Option<T> {
        self.felts.next().is_none().then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order_and_refuses_what_does_not_fit() {
        let felts: Vec<Felt> = [1u64, 7, 2, 3, 0, 4].map(Felt::from).to_vec();
        let mut r = FeltReader::new(&felts);
        assert_eq!(r.bool(), Some(true));
        assert_eq!(r.int::<u8>(), Some(7));
        assert_eq!(r.array(|r| r.int::<u32>()), Some(vec![3, 0]));
        assert_eq!(r.clone().finish(()), None, "a felt is left");
        assert_eq!(r.int::<u64>(), Some(4));
        assert_eq!(r.finish(()), Some(()));
        assert_eq!(FeltReader::new(&[Felt::TWO]).bool(), None);
        assert_eq!(FeltReader::new(&[Felt::MAX]).int::<u64>(), None);
        let huge = [Felt::from(u64::MAX), Felt::ONE];
        assert_eq!(FeltReader::new(&huge).array(|r| r.felt()), None, "a length past the data");
    }
}
