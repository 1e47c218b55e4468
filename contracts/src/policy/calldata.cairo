//! Calldata rules (§4.8): what a session may pass to one listed entrypoint.
//! A rule reads one value of the call's calldata (a felt, or a `u256` in
//! two words) at a fixed offset and compares it with its operands: equal
//! to one, one of a set, at most, at least. Every rule of the entrypoint
//! must hold; a call too short for a rule, or a `u256` word that is not a
//! `u128`, fails closed.
//!
//! Pure: the rules of a call come in through [`SessionGrants`], read from
//! storage for a stored session and from the policy for an authorization,
//! so both run this code. A set is asked for one member at a time
//! (`SessionGrants::in_set`), so a 32-value allow-list costs what a 1-value
//! one does.

use starknet::ContractAddress;
use starknet::account::Call;
use crate::policy::calls::SessionGrants;

pub mod Errors {
    pub const CALLDATA_RULE: felt252 = 'session/calldata-rule';
    pub const INVALID_CALLDATA_RULE: felt252 = 'session/invalid-calldata-rule';
}

/// Most rules on one entrypoint (§1.1).
pub const MAX_RULES_PER_ENTRYPOINT: u32 = 8;
/// Most values in one `OneOf` set (§1.1).
pub const MAX_SET_VALUES: u32 = 32;

/// How a rule reads the calldata at its offset.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub enum ValueKind {
    /// One word, compared as an integer in [0, P).
    Felt,
    /// Two words, `(low, high)`, each a `u128` (as §4.4 reads amounts).
    U256,
}

/// How a rule compares the value with its operands.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub enum Operator {
    /// Equal to the one operand.
    Equal,
    /// Equal to one of the operands (1 to `MAX_SET_VALUES`).
    OneOf,
    /// At most the one operand.
    AtMost,
    /// At least the one operand.
    AtLeast,
}

/// A rule on the calldata of calls to `selector` of `contract`, which the
/// policy must list as an allowed entrypoint (§1.1).
#[derive(Drop, Clone, Serde, PartialEq, Debug)]
pub struct CalldataRule {
    pub contract: ContractAddress,
    pub selector: felt252,
    /// Index of the value's (first) word in the call's calldata.
    pub offset: u32,
    pub kind: ValueKind,
    pub operator: Operator,
    /// The operands: one for `Equal`, `AtMost`, `AtLeast`; the set for
    /// `OneOf`. A `Felt` rule's operands are felts (below P).
    pub values: Array<u256>,
}

/// One stored rule as the checks read it: for `OneOf`, `operand` is the
/// size of the set, whose members `SessionGrants::in_set` answers for.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct RuleCheck {
    pub offset: u32,
    pub kind: ValueKind,
    pub operator: Operator,
    pub operand: u256,
}

/// §1.1: a rule names a listed entrypoint (`is_listed`), has one operand
/// (a set of 1 to `MAX_SET_VALUES` for `OneOf`), operands of a `Felt` rule
/// are felts, and no entrypoint has more than `MAX_RULES_PER_ENTRYPOINT`.
pub fn check_rules_well_formed(
    rules: Span<CalldataRule>, is_listed: @Span<(ContractAddress, felt252)>,
) -> Result<(), felt252> {
    let mut index = 0;
    for rule in rules {
        let listed = contains_entrypoint(*is_listed, *rule.contract, *rule.selector);
        let count = rule.values.len();
        let count_ok = match *rule.operator {
            Operator::OneOf => count >= 1 && count <= MAX_SET_VALUES,
            _ => count == 1,
        };
        if !listed || !count_ok || !operands_fit(rule) {
            return Err(Errors::INVALID_CALLDATA_RULE);
        }
        if rules_on(rules.slice(0, index + 1), *rule.contract, *rule.selector)
            .len() > MAX_RULES_PER_ENTRYPOINT {
            return Err(Errors::INVALID_CALLDATA_RULE);
        }
        index += 1;
    }
    Ok(())
}

fn operands_fit(rule: @CalldataRule) -> bool {
    if *rule.kind == ValueKind::U256 {
        return true;
    }
    for value in rule.values.span() {
        let fits: Option<felt252> = (*value).try_into();
        if fits.is_none() {
            return false;
        }
    }
    true
}

fn contains_entrypoint(
    listed: Span<(ContractAddress, felt252)>, contract: ContractAddress, selector: felt252,
) -> bool {
    for entry in listed {
        let (c, s) = *entry;
        if c == contract && s == selector {
            return true;
        }
    }
    false
}

/// The rules of `rules` on `selector` of `contract`, in policy order.
pub fn rules_on(
    rules: Span<CalldataRule>, contract: ContractAddress, selector: felt252,
) -> Array<@CalldataRule> {
    let mut out = array![];
    for rule in rules {
        if *rule.contract == contract && *rule.selector == selector {
            out.append(rule);
        }
    }
    out
}

/// §4.8: every one of the `count` rules on the call's entrypoint holds for
/// its calldata.
pub fn check_call_rules<T, +SessionGrants<T>>(
    grants: @T, call: @Call, count: u32,
) -> Result<(), felt252> {
    let calldata = *call.calldata;
    for index in 0..count {
        let rule = grants.calldata_rule(*call.to, *call.selector, index);
        let value = read_value(calldata, rule.offset, rule.kind).ok_or(Errors::CALLDATA_RULE)?;
        let holds = match rule.operator {
            Operator::Equal => value == rule.operand,
            Operator::OneOf => grants.in_set(*call.to, *call.selector, index, value),
            Operator::AtMost => value <= rule.operand,
            Operator::AtLeast => value >= rule.operand,
        };
        if !holds {
            return Err(Errors::CALLDATA_RULE);
        }
    }
    Ok(())
}

/// The value at `offset` of `calldata`: `None` when the calldata is too
/// short, or a `U256` word is not a `u128`.
pub fn read_value(calldata: Span<felt252>, offset: u32, kind: ValueKind) -> Option<u256> {
    match kind {
        ValueKind::Felt => {
            if offset >= calldata.len() {
                return None;
            }
            Some((*calldata[offset]).into())
        },
        ValueKind::U256 => {
            // `offset + 1` may not wrap: offsets come from a u32 field.
            if calldata.len() < 2 || offset >= calldata.len() - 1 {
                return None;
            }
            let low: u128 = (*calldata[offset]).try_into()?;
            let high: u128 = (*calldata[offset + 1]).try_into()?;
            Some(u256 { low, high })
        },
    }
}
