//! Calldata rules (docs/spec.md §4.8): what a session may pass to one listed
//! entrypoint. Mirrors `contracts/src/policy/calldata.cairo`: the types, their
//! Cairo `Serde` encoding, the well-formedness rules of §1.1 and the check
//! itself, which the reference model and the client's refusal explanations use.

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::{Felt, U256};

use crate::contract::ContractError;

/// Most rules on one entrypoint (§1.1).
pub const MAX_RULES_PER_ENTRYPOINT: usize = 8;
/// Most values in one [`Operator::OneOf`] set (§1.1).
pub const MAX_SET_VALUES: usize = 32;

/// How a rule reads the calldata at its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// One word, compared as an integer in [0, P).
    Felt,
    /// Two words, `(low, high)`, each a `u128`.
    U256,
}

/// How a rule compares the value with its operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    /// The value is `values[0]`.
    Equal,
    /// The value is one of `values` (1 to [`MAX_SET_VALUES`] of them).
    OneOf,
    /// `value <= values[0]`.
    AtMost,
    /// `value >= values[0]`.
    AtLeast,
}

impl ValueKind {
    /// The Cairo enum's variant index.
    pub fn index(self) -> u8 {
        match self {
            ValueKind::Felt => 0,
            ValueKind::U256 => 1,
        }
    }
}

impl Operator {
    /// The Cairo enum's variant index.
    pub fn index(self) -> u8 {
        match self {
            Operator::Equal => 0,
            Operator::OneOf => 1,
            Operator::AtMost => 2,
            Operator::AtLeast => 3,
        }
    }
}

/// A rule on the calldata of calls to `selector` of `contract` (§4.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalldataRule {
    /// The contract called; it must list `selector` in the policy's
    /// `allowed_calls` (§1.1).
    pub contract: Felt,
    /// The entrypoint's selector.
    pub selector: Felt,
    /// Index of the value's (first) word in the call's calldata.
    pub offset: u32,
    /// How the value is read: one word or a `u256`'s two.
    pub kind: ValueKind,
    /// How the value is compared with `values`.
    pub operator: Operator,
    /// One operand, or the set of a [`Operator::OneOf`].
    #[serde(with = "u256_list")]
    pub values: Vec<U256>,
}

impl CalldataRule {
    /// The value at `offset` of `calldata`, if the calldata holds one of this
    /// rule's kind.
    pub fn read(&self, calldata: &[Felt]) -> Option<U256> {
        let at = self.offset as usize;
        match self.kind {
            ValueKind::Felt => calldata.get(at).map(|word| felt_to_u256(*word)),
            ValueKind::U256 => {
                let low = u128::try_from(*calldata.get(at)?).ok()?;
                let high = u128::try_from(*calldata.get(at.checked_add(1)?)?).ok()?;
                Some(U256::from_words(low, high))
            }
        }
    }

    /// Whether a call with `calldata` meets this rule (§4.8: too short, or a
    /// `u256` word not a `u128`, fails closed).
    pub fn holds(&self, calldata: &[Felt]) -> bool {
        let Some(value) = self.read(calldata) else { return false };
        match self.operator {
            Operator::Equal => value == self.values[0],
            Operator::OneOf => self.values.contains(&value),
            Operator::AtMost => value <= self.values[0],
            Operator::AtLeast => value >= self.values[0],
        }
    }

    /// Cairo `Serde` encoding.
    pub fn encode(&self, data: &mut Vec<Felt>) {
        data.extend([
            self.contract,
            self.selector,
            Felt::from(self.offset),
            Felt::from(self.kind.index()),
            Felt::from(self.operator.index()),
            Felt::from(self.values.len()),
        ]);
        for value in &self.values {
            data.extend([Felt::from(value.low()), Felt::from(value.high())]);
        }
    }

    fn operands_are_well_formed(&self) -> bool {
        let count_ok = match self.operator {
            Operator::OneOf => (1..=MAX_SET_VALUES).contains(&self.values.len()),
            _ => self.values.len() == 1,
        };
        let fits = self.kind == ValueKind::U256 || self.values.iter().all(|v| fits_felt(*v));
        count_ok && fits
    }
}

/// The high word of P = 2^251 + 17 × 2^192 + 1 (its low word is 1).
const P_HIGH: u128 = 0x800_0000_0000_0011_0000_0000_0000_0000;

/// Whether `value` is below P.
pub fn fits_felt(value: U256) -> bool {
    value.high() < P_HIGH || (value.high() == P_HIGH && value.low() == 0)
}

/// A felt as the integer it is, in [0, P).
pub fn felt_to_u256(value: Felt) -> U256 {
    let bytes = value.to_bytes_be();
    let high = u128::from_be_bytes(bytes[..16].try_into().expect("16 bytes"));
    let low = u128::from_be_bytes(bytes[16..].try_into().expect("16 bytes"));
    U256::from_words(low, high)
}

/// §1.1: each rule names a listed entrypoint (`listed`), has its operands,
/// and no entrypoint has more than [`MAX_RULES_PER_ENTRYPOINT`].
pub fn check_rules_well_formed(
    rules: &[CalldataRule],
    listed: impl Fn(Felt, Felt) -> bool,
) -> Result<(), ContractError> {
    for (index, rule) in rules.iter().enumerate() {
        let on_same = rules[..=index]
            .iter()
            .filter(|r| r.contract == rule.contract && r.selector == rule.selector)
            .count();
        if !listed(rule.contract, rule.selector)
            || !rule.operands_are_well_formed()
            || on_same > MAX_RULES_PER_ENTRYPOINT
        {
            return Err(ContractError::SessionInvalidCalldataRule);
        }
    }
    Ok(())
}

/// §4.8: whether a call to `selector` of `contract` with `calldata` meets
/// every rule of its entrypoint.
pub fn check_call(
    rules: &[CalldataRule],
    contract: Felt,
    selector: Felt,
    calldata: &[Felt],
) -> Result<(), ContractError> {
    let broken = rules
        .iter()
        .filter(|r| r.contract == contract && r.selector == selector)
        .any(|r| !r.holds(calldata));
    if broken {
        return Err(ContractError::SessionCalldataRule);
    }
    Ok(())
}

/// The rules in the order the account's `get_calldata_rules` view lists them
/// (§8): per listed entrypoint, in `allowed_calls` order.
pub fn in_view_order(
    rules: &[CalldataRule],
    allowed: &[super::AllowedContract],
) -> Vec<CalldataRule> {
    let mut out = Vec::new();
    for entry in allowed {
        for selector in &entry.entrypoints {
            out.extend(
                rules
                    .iter()
                    .filter(|r| r.contract == entry.contract && r.selector == *selector)
                    .cloned(),
            );
        }
    }
    out
}

/// u256 operands as decimal strings in JSON.
mod u256_list {
    use serde::{Deserialize, Deserializer, Serializer};
    use starknet_rust::core::types::U256;

    use super::super::u256_dec;

    pub fn serialize<S: Serializer>(values: &[U256], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(|v| u256_dec::to_decimal(*v)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<U256>, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        texts
            .iter()
            .map(|text| {
                u256_dec::parse_decimal(text)
                    .ok_or_else(|| serde::de::Error::custom(format!("not a u256: {text:?}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: ValueKind, operator: Operator, values: Vec<U256>) -> CalldataRule {
        CalldataRule { contract: Felt::ONE, selector: Felt::TWO, offset: 1, kind, operator, values }
    }

    #[test]
    fn operators_over_felts_and_u256s() {
        let felts = |v: &[u64]| v.iter().map(|x| Felt::from(*x)).collect::<Vec<_>>();
        let at_most = rule(ValueKind::Felt, Operator::AtMost, vec![U256::from(10u8)]);
        assert!(at_most.holds(&felts(&[0, 10])) && !at_most.holds(&felts(&[0, 11])));
        assert!(!at_most.holds(&[Felt::ZERO, Felt::MAX]), "P - 1 is the largest felt");
        let one_of = rule(ValueKind::Felt, Operator::OneOf, vec![3u8.into(), 5u8.into()]);
        assert!(one_of.holds(&felts(&[0, 5])) && !one_of.holds(&felts(&[0, 4])));
        let wide = rule(ValueKind::U256, Operator::AtLeast, vec![U256::from_words(5, 1)]);
        assert!(wide.holds(&felts(&[0, 5, 1])) && !wide.holds(&felts(&[0, 4, 1])));
        assert!(!wide.holds(&felts(&[0, 5])), "too short fails closed");
        let not_u128 = Felt::from(u128::MAX) + Felt::ONE;
        assert!(!wide.holds(&[Felt::ZERO, not_u128, Felt::TWO]));
    }

    #[test]
    fn encoding_is_cairo_serde() {
        let mut data = vec![];
        rule(ValueKind::U256, Operator::OneOf, vec![U256::from_words(7, 8)]).encode(&mut data);
        assert_eq!(data, [1u8, 2, 1, 1, 1, 1, 7, 8].map(Felt::from));
    }

    #[test]
    fn well_formedness() {
        let listed = |_: Felt, s: Felt| s == Felt::TWO;
        let ok = rule(ValueKind::Felt, Operator::Equal, vec![1u8.into()]);
        assert_eq!(check_rules_well_formed(std::slice::from_ref(&ok), listed), Ok(()));
        let mut unlisted = ok.clone();
        unlisted.selector = Felt::THREE;
        let two = rule(ValueKind::Felt, Operator::AtMost, vec![1u8.into(), 2u8.into()]);
        let empty = rule(ValueKind::Felt, Operator::OneOf, vec![]);
        let not_felt = rule(ValueKind::Felt, Operator::Equal, vec![U256::from_words(0, 1 << 124)]);
        for bad in [unlisted, two, empty, not_felt] {
            assert_eq!(
                check_rules_well_formed(&[bad], listed),
                Err(ContractError::SessionInvalidCalldataRule)
            );
        }
        let nine = vec![ok; MAX_RULES_PER_ENTRYPOINT + 1];
        assert!(check_rules_well_formed(&nine[..8], listed).is_ok());
        assert!(check_rules_well_formed(&nine, listed).is_err());
    }
}
