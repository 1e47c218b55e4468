//! How one session is stored: the `SessionNode` storage node, one per
//! session key. What executions read is packed into as few slots as
//! possible (a storage access costs far more than the arithmetic around it;
//! every slot a transaction writes costs the most):
//!
//! - `state`: valid_after (64 bits), valid_until (64), max_calls_per_tx
//!   (32), revoked (1), limited_tokens (32), periodic (1). Read by every
//!   execution; written by renewal and revocation.
//! - `admission`: epoch (64), max_fee_per_tx (128). Read by validate and
//!   outside executions.
//! - `usage`: calls_remaining (64), fee_remaining (128). Read and written
//!   by validate and outside executions.
//! - `grants`, one per contract: how it may be called and, for a limited
//!   token, what may still be spent. Read for every call's target; written
//!   when the session spends.
//!
//! A session is registered iff `valid_until != 0` (a well-formed window has
//! `valid_until > valid_after >= 0`). A grant is `spend + rule × 2^249`,
//! where `rule` is 0 (not allowed), 1 (any entrypoint) or 2 (listed
//! entrypoints) and `spend` is 0 (no spending limit), `remaining + 1` (what
//! may still be spent, below 2^248) or `WIDE` (at least 2^248 remain, more
//! than any real token's supply; the amount is then in `wide_remaining`).
//! What only the views and renewal read (`renewal`, `totals`, each token's
//! `limit`, the lists in policy order, the session hash) has slots of its
//! own.
//!
//! A listed entrypoint's slot in `entrypoint_grants` is `1 + n`, where `n`
//! is how many calldata rules it has (§4.8): a policy without rules reads
//! what it read before rules existed. Rules, and the members of their sets,
//! have slots of their own, read only for entrypoints that have rules. A
//! periodic limit (§4.9) is one slot per token (`periods`) and its window's
//! tally another (`windows`), read only when `state.periodic` says the
//! session has one.

use starknet::ContractAddress;
use starknet::storage::{
    Map, Mutable, StorageMapReadAccess, StorageMapWriteAccess, StoragePath, StoragePathEntry,
    StoragePointerReadAccess, Vec, VecTrait,
};
use starknet::storage_access::StorePacking;
use crate::interface::SessionApproval;
use crate::packing::{halves, join, pair, split};
use crate::policy::calldata::RuleCheck;
use crate::policy::calls::{ContractRule, Grant, SessionGrants};
use crate::policy::periods::{PeriodicLimit, WindowTally};
use super::rules::{StoredRule, decode_rule, member_key};

const SHIFT_32: u128 = 0x100000000;
const SHIFT_33: u128 = 0x200000000;
const SHIFT_65: u128 = 0x20000000000000000;
/// A grant's rule sits from bit 249 up: `2^249 = 2^121 × 2^128`.
const RULE_SHIFT: felt252 = 0x200000000000000000000000000000000000000000000000000000000000000;
const RULE_SHIFT_HIGH: u128 = 0x2000000000000000000000000000000;
/// Amounts below 2^248 (high word below 2^120) are kept in the grant itself.
const COMPACT_HIGH_BOUND: u128 = 0x1000000000000000000000000000000;
/// `spend` of a token of which at least 2^248 remain: 2^248 + 1.
const WIDE: felt252 = 0x100000000000000000000000000000000000000000000000000000000000001;

/// What every session execution reads: the time window, the
/// per-transaction cap, revocation, and how many tokens the spending watch
/// of §4.4 reads.
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct SessionState {
    pub valid_after: u64,
    /// 0 when no session is registered under the key.
    pub valid_until: u64,
    pub max_calls_per_tx: u32,
    pub revoked: bool,
    /// How many tokens the session's spending is limited in: the length of
    /// `tokens`, kept here so that an execution learns it with the state
    /// instead of one more read.
    pub limited_tokens: u32,
    /// Whether any limited token has a periodic limit (§4.9).
    pub periodic: bool,
}

#[generate_trait]
pub impl SessionStateImpl of SessionStateTrait {
    fn is_registered(self: @SessionState) -> bool {
        *self.valid_until != 0
    }
}

/// What only admitting a session execution needs (validate, outside
/// executions): the session's revocation epoch and its fee cap.
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct SessionAdmission {
    /// Revocation epoch at registration; usable only while it is current.
    pub epoch: u64,
    pub max_fee_per_tx: u128,
}

/// What the session has left: calls and fee budget. Validate (and outside
/// executions) check and record them, so reverted transactions count.
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct SessionUsage {
    pub calls_remaining: u64,
    pub fee_remaining: u128,
}

/// The policy's totals, for the views (used = total - remaining).
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct SessionTotals {
    pub max_calls: u64,
    pub fee_budget: u128,
}

/// Renewal settings fixed at registration (stored for renewable sessions).
#[derive(Copy, Drop, PartialEq, Debug, Default)]
pub struct SessionRenewal {
    pub grace_period: u64,
    pub max_valid_until: u64,
    /// What one renewal extends the session by, from the time of the
    /// renewal (the policy's `renewal.period`).
    pub period: u64,
}

#[starknet::storage_node]
pub struct SessionNode {
    pub state: SessionState,
    pub admission: SessionAdmission,
    pub usage: SessionUsage,
    pub renewal: SessionRenewal,
    pub totals: SessionTotals,
    /// The session hash at registration (§3.2: a redundant authorization
    /// must match it).
    pub hash: felt252,
    /// Per contract: how it may be called, and where the spending tally is
    /// kept, what may still be spent of a limited token (module doc).
    pub grants: Map<ContractAddress, felt252>,
    pub wide_remaining: Map<ContractAddress, u256>,
    /// Per listed entrypoint: `1 + ` how many calldata rules it has; 0 when
    /// not listed.
    pub entrypoint_grants: Map<(ContractAddress, felt252), u32>,
    /// Each listed entrypoint's calldata rules, in policy order.
    pub rules: Map<(ContractAddress, felt252), Vec<StoredRule>>,
    /// The members of each `OneOf` rule's set, under
    /// `member_key(index, value)`.
    pub rule_members: Map<(ContractAddress, felt252, felt252), bool>,
    /// The members of each `OneOf` rule's set, in policy order, for the
    /// views.
    pub rule_sets: Map<(ContractAddress, felt252, u32), Vec<u256>>,
    /// A limited token's periodic limit, when it has one.
    pub periods: Map<ContractAddress, PeriodicLimit>,
    /// What was spent of a token with a periodic limit in its latest window.
    pub windows: Map<ContractAddress, WindowTally>,
    /// The policy's lists, in order, for the views.
    pub contracts: Vec<ContractAddress>,
    pub entrypoints: Map<ContractAddress, Vec<felt252>>,
    pub tokens: Vec<ContractAddress>,
    /// The policy's limit per token (views: spent = limit - remaining).
    pub limits: Map<ContractAddress, u256>,
    /// The spenders the session approved (`sessions/allowances.cairo`),
    /// once each, in the order they were recorded.
    pub approvals: Vec<SessionApproval>,
    pub approved: Map<(ContractAddress, felt252), bool>,
}

pub impl SessionStatePacking of StorePacking<SessionState, felt252> {
    fn pack(value: SessionState) -> felt252 {
        let revoked: u128 = if value.revoked {
            SHIFT_32
        } else {
            0
        };
        let limited_tokens: u128 = value.limited_tokens.into() * SHIFT_33;
        let periodic: u128 = if value.periodic {
            SHIFT_65
        } else {
            0
        };
        join(
            pair(value.valid_after, value.valid_until),
            value.max_calls_per_tx.into() + revoked + limited_tokens + periodic,
        )
    }

    fn unpack(value: felt252) -> SessionState {
        let (low, high) = split(value);
        let (valid_after, valid_until) = halves(low);
        let (flags, max_calls_per_tx) = DivRem::div_rem(high, SHIFT_32.try_into().unwrap());
        let (tokens_and_periodic, revoked) = DivRem::div_rem(flags, 2);
        let (periodic, limited_tokens) = DivRem::div_rem(
            tokens_and_periodic, SHIFT_32.try_into().unwrap(),
        );
        SessionState {
            valid_after,
            valid_until,
            max_calls_per_tx: max_calls_per_tx.try_into().unwrap(),
            revoked: revoked == 1,
            limited_tokens: limited_tokens.try_into().unwrap(),
            periodic: periodic != 0,
        }
    }
}

pub impl SessionAdmissionPacking of StorePacking<SessionAdmission, felt252> {
    fn pack(value: SessionAdmission) -> felt252 {
        join(value.max_fee_per_tx, value.epoch.into())
    }

    fn unpack(value: felt252) -> SessionAdmission {
        let (max_fee_per_tx, epoch) = split(value);
        SessionAdmission { epoch: epoch.try_into().unwrap(), max_fee_per_tx }
    }
}

pub impl SessionUsagePacking of StorePacking<SessionUsage, felt252> {
    fn pack(value: SessionUsage) -> felt252 {
        join(value.fee_remaining, value.calls_remaining.into())
    }

    fn unpack(value: felt252) -> SessionUsage {
        let (fee_remaining, calls_remaining) = split(value);
        SessionUsage { calls_remaining: calls_remaining.try_into().unwrap(), fee_remaining }
    }
}

pub impl SessionTotalsPacking of StorePacking<SessionTotals, felt252> {
    fn pack(value: SessionTotals) -> felt252 {
        join(value.fee_budget, value.max_calls.into())
    }

    fn unpack(value: felt252) -> SessionTotals {
        let (fee_budget, max_calls) = split(value);
        SessionTotals { max_calls: max_calls.try_into().unwrap(), fee_budget }
    }
}

pub impl SessionRenewalPacking of StorePacking<SessionRenewal, felt252> {
    fn pack(value: SessionRenewal) -> felt252 {
        join(pair(value.grace_period, value.max_valid_until), value.period.into())
    }

    fn unpack(value: felt252) -> SessionRenewal {
        let (low, high) = split(value);
        let (grace_period, max_valid_until) = halves(low);
        let (period, _) = halves(high);
        SessionRenewal { grace_period, max_valid_until, period }
    }
}

/// A grant slot holding a value `store_grant` never writes (an upgrade gone
/// wrong, a storage collision): it fails closed, refusing every call to the
/// contract and every amount of the token.
const CORRUPT: Grant = Grant { rule: ContractRule::NotAllowed, remaining: Some(0) };

/// What a registered session was granted, read from its node: one read
/// per contract (two for a `WIDE` tally).
pub impl StoredGrants of SessionGrants<StoragePath<SessionNode>> {
    fn grant(self: @StoragePath<SessionNode>, contract: ContractAddress) -> Grant {
        let packed: u256 = self.grants.read(contract).into();
        let (rule_bits, spend_high) = DivRem::div_rem(
            packed.high, RULE_SHIFT_HIGH.try_into().unwrap(),
        );
        let rule = if rule_bits == 0 {
            ContractRule::NotAllowed
        } else if rule_bits == 1 {
            ContractRule::AnyEntrypoint
        } else if rule_bits == 2 {
            ContractRule::ListedEntrypoints
        } else {
            return CORRUPT;
        };
        let remaining = if spend_high == 0 && packed.low == 0 {
            None
        } else if spend_high < COMPACT_HIGH_BOUND
            || (spend_high == COMPACT_HIGH_BOUND && packed.low == 0) {
            // `remaining + 1`, from 1 to 2^248.
            Some(u256 { low: packed.low, high: spend_high } - 1)
        } else if spend_high == COMPACT_HIGH_BOUND && packed.low == 1 {
            Some(self.wide_remaining.read(contract))
        } else {
            return CORRUPT;
        };
        Grant { rule, remaining }
    }

    fn entrypoint_rules(
        self: @StoragePath<SessionNode>, contract: ContractAddress, selector: felt252,
    ) -> Option<u32> {
        let grant = self.entrypoint_grants.read((contract, selector));
        if grant == 0 {
            return None;
        }
        Some(grant - 1)
    }

    fn calldata_rule(
        self: @StoragePath<SessionNode>, contract: ContractAddress, selector: felt252, index: u32,
    ) -> RuleCheck {
        decode_rule(self.rules.entry((contract, selector)).at(index.into()).read())
    }

    fn in_set(
        self: @StoragePath<SessionNode>,
        contract: ContractAddress,
        selector: felt252,
        index: u32,
        value: u256,
    ) -> bool {
        self.rule_members.read((contract, selector, member_key(index, value)))
    }

    fn grace_period(self: @StoragePath<SessionNode>) -> u64 {
        self.renewal.read().grace_period
    }
}

/// Stores `grant` for `contract`.
pub fn store_grant(
    node: StoragePath<Mutable<SessionNode>>, contract: ContractAddress, grant: Grant,
) {
    let rule: felt252 = match grant.rule {
        ContractRule::NotAllowed => 0,
        ContractRule::AnyEntrypoint => 1,
        ContractRule::ListedEntrypoints => 2,
    };
    let spend: felt252 = match grant.remaining {
        None => 0,
        Some(remaining) => if remaining.high < COMPACT_HIGH_BOUND {
            join(remaining.low, remaining.high) + 1
        } else {
            node.wide_remaining.write(contract, remaining);
            WIDE
        },
    };
    node.grants.write(contract, spend + rule * RULE_SHIFT);
}
