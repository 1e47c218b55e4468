//! How a session's calldata rules are stored (§4.8): one `StoredRule` per
//! rule, in policy order per entrypoint, and the members of each `OneOf`
//! set under a key of their own, so a membership check is one read
//! whatever the size of the set. Only entrypoints that have rules read
//! any of it (`entrypoint_grants` in `node.cairo` says how many).

use starknet::storage::{
    Mutable, MutableVecTrait, StorageMapReadAccess, StorageMapWriteAccess, StoragePath,
    StoragePathEntry,
};
use crate::packing::{join, split};
use crate::policy::calldata::{CalldataRule, Operator, RuleCheck, ValueKind};
use super::node::SessionNode;

const SHIFT_32: u128 = 0x100000000;
const SHIFT_33: u128 = 0x200000000;

/// A calldata rule as stored: `head` is `operand.low + (offset + kind ×
/// 2^32 + operator × 2^33) × 2^128`, `high` is `operand.high`.
#[derive(Copy, Drop, starknet::Store)]
pub struct StoredRule {
    pub head: felt252,
    pub high: u128,
}

/// The key of `value` in the set of rule `index` of an entrypoint.
pub fn member_key(index: u32, value: u256) -> felt252 {
    core::poseidon::poseidon_hash_span(
        array![index.into(), value.low.into(), value.high.into()].span(),
    )
}

pub fn encode_rule(rule: RuleCheck) -> StoredRule {
    let kind: u128 = match rule.kind {
        ValueKind::Felt => 0,
        ValueKind::U256 => 1,
    };
    let operator: u128 = match rule.operator {
        Operator::Equal => 0,
        Operator::OneOf => 1,
        Operator::AtMost => 2,
        Operator::AtLeast => 3,
    };
    let meta: u128 = rule.offset.into() + kind * SHIFT_32 + operator * SHIFT_33;
    StoredRule { head: join(rule.operand.low, meta), high: rule.operand.high }
}

/// A stored rule; bits `encode_rule` never writes decode to an empty
/// `OneOf`, which no value meets (fails closed).
pub fn decode_rule(stored: StoredRule) -> RuleCheck {
    let (low, meta) = split(stored.head);
    let (flags, offset) = DivRem::div_rem(meta, SHIFT_32.try_into().unwrap());
    let (operator, kind) = DivRem::div_rem(flags, 2);
    let kind = if kind == 0 {
        ValueKind::Felt
    } else {
        ValueKind::U256
    };
    let operand = u256 { low, high: stored.high };
    let offset: u32 = offset.try_into().unwrap();
    let closed = RuleCheck { offset, kind, operator: Operator::OneOf, operand: 0 };
    if operator == 0 {
        RuleCheck { offset, kind, operator: Operator::Equal, operand }
    } else if operator == 1 {
        RuleCheck { offset, kind, operator: Operator::OneOf, operand }
    } else if operator == 2 {
        RuleCheck { offset, kind, operator: Operator::AtMost, operand }
    } else if operator == 3 {
        RuleCheck { offset, kind, operator: Operator::AtLeast, operand }
    } else {
        closed
    }
}

/// Stores one calldata rule of a listed entrypoint, after those stored
/// before it (§4.8).
pub fn store_rule(node: StoragePath<Mutable<SessionNode>>, rule: @CalldataRule) {
    let key = (*rule.contract, *rule.selector);
    let index = node.entrypoint_grants.read(key) - 1;
    let operand = match *rule.operator {
        Operator::OneOf => {
            let set = node.rule_sets.entry((*rule.contract, *rule.selector, index));
            for value in rule.values.span() {
                set.push(*value);
                let member = member_key(index, *value);
                node.rule_members.write((*rule.contract, *rule.selector, member), true);
            }
            rule.values.len().into()
        },
        _ => *rule.values[0],
    };
    let check = RuleCheck {
        offset: *rule.offset, kind: *rule.kind, operator: *rule.operator, operand,
    };
    node.rules.entry(key).push(encode_rule(check));
    node.entrypoint_grants.write(key, index + 2);
}
