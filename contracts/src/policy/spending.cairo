//! Where the spending tally is computed (§4.4): the amount each call moves
//! of a limited token, summed per token over a multicall and checked
//! against what the session may still spend (`spent + amount <= limit`,
//! kept as `amount <= remaining`), and how each metered call moves the
//! token (out of the account, into an allowance, or someone else's tokens),
//! which the settlement after the calls needs. The sessions component
//! records the new `remaining` in `__execute__` and settles it once the
//! calls ran (`sessions/settlement.cairo`).

use core::num::traits::OverflowingAdd;
use starknet::ContractAddress;
use starknet::account::Call;
use crate::policy::calls::Grant;

pub mod Errors {
    pub const SPENDING_LIMIT: felt252 = 'session/spending-limit';
    pub const MALFORMED_CALLDATA: felt252 = 'session/malformed-calldata';
    pub const UNMETERED_SELECTOR: felt252 = 'session/unmetered-selector';
}

pub const TRANSFER: felt252 = selector!("transfer");
pub const APPROVE: felt252 = selector!("approve");
pub const INCREASE_ALLOWANCE: felt252 = selector!("increase_allowance");
pub const INCREASE_ALLOWANCE_CAMEL: felt252 = selector!("increaseAllowance");
pub const TRANSFER_FROM: felt252 = selector!("transfer_from");
pub const TRANSFER_FROM_CAMEL: felt252 = selector!("transferFrom");

/// How a metered call moves a limited token (§4.4).
#[derive(Copy, Drop, PartialEq, Debug)]
pub enum Movement {
    /// `transfer`, or `transfer_from` of the account's own tokens: the
    /// account's balance watch sees it.
    Out,
    /// `approve` or `increase_allowance` for this spender: it may move the
    /// account's tokens later, even outside any session transaction.
    Allowance: felt252,
    /// `transfer_from` of someone else's tokens (an allowance granted to the
    /// account): the account's balance does not see it leave.
    ThirdParty,
}

/// One metered call: its amount and how it moves the token.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct Metered {
    pub amount: u256,
    pub movement: Movement,
}

/// What a transaction moves of one limited token.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct TokenSpend {
    pub token: ContractAddress,
    /// Sum of the metered amounts of the transaction's calls to `token`.
    pub amount: u256,
    /// The part of `amount` that moves someone else's tokens
    /// (`transfer_from` with a sender other than the account).
    pub third_party: u256,
    /// Whether a call approves a spender (or increases its allowance).
    pub approves: bool,
    /// What the session was granted for the token, with what could still be
    /// spent before this transaction.
    pub grant: Grant,
    pub remaining: u256,
}

/// What a transaction's calls grant one spender of one limited token
/// (`approve`, `increase_allowance`), summed over the calls.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct Approval {
    pub token: ContractAddress,
    pub spender: felt252,
    pub amount: u256,
}

/// The tally of a transaction: one entry per limited token its calls touch,
/// in first-use order, and the spenders they approve. Empty for a
/// transaction that touches no limited token; `approvals` is empty unless
/// a call approves.
#[derive(Drop, PartialEq, Debug)]
pub struct Tally {
    pub spends: Array<TokenSpend>,
    pub approvals: Array<Approval>,
    /// The spenders approved on contracts without a spending limit, as
    /// (contract, spender): recorded (§4.10), not watched.
    pub unwatched_approvals: Array<(ContractAddress, felt252)>,
}

/// Whether a call with `selector` grants an allowance (§4.10): `approve`,
/// `increase_allowance`, `increaseAllowance`; its spender is the first
/// calldata word.
pub fn is_approval(selector: felt252) -> bool {
    selector == APPROVE || selector == INCREASE_ALLOWANCE || selector == INCREASE_ALLOWANCE_CAMEL
}

/// The amount one call to a limited token moves (§4.4 table).
/// `transfer_from` counts in full whoever's tokens it moves: the limit is
/// the most the session may move of the token, the account's own or, through
/// allowances granted to the account, anyone's.
pub fn metered_amount(selector: felt252, calldata: Span<felt252>) -> Result<u256, felt252> {
    Ok(meter_call(selector, calldata, 0)?.amount)
}

/// The amount one call to a limited token moves and how (§4.4 table), for
/// the account whose address is `account`.
pub fn meter_call(
    selector: felt252, calldata: Span<felt252>, account: felt252,
) -> Result<Metered, felt252> {
    if selector == TRANSFER {
        // (recipient, amount.low, amount.high)
        return Ok(Metered { amount: read_amount(calldata, 3)?, movement: Movement::Out });
    }
    if selector == APPROVE
        || selector == INCREASE_ALLOWANCE
        || selector == INCREASE_ALLOWANCE_CAMEL {
        // (spender, amount.low, amount.high)
        let amount = read_amount(calldata, 3)?;
        return Ok(Metered { amount, movement: Movement::Allowance(*calldata[0]) });
    }
    if selector == TRANSFER_FROM || selector == TRANSFER_FROM_CAMEL {
        // (sender, recipient, amount.low, amount.high)
        let amount = read_amount(calldata, 4)?;
        let movement = if *calldata[0] == account {
            Movement::Out
        } else {
            Movement::ThirdParty
        };
        return Ok(Metered { amount, movement });
    }
    Err(Errors::UNMETERED_SELECTOR)
}

/// The u256 in the last two words of `calldata`, which must hold exactly
/// `len` words.
fn read_amount(calldata: Span<felt252>, len: u32) -> Result<u256, felt252> {
    if calldata.len() != len {
        return Err(Errors::MALFORMED_CALLDATA);
    }
    read_u256(*calldata[len - 2], *calldata[len - 1])
}

/// A u256 from its (low, high) calldata words, each of which must be a u128.
pub fn read_u256(low: felt252, high: felt252) -> Result<u256, felt252> {
    let low: u128 = low.try_into().ok_or(Errors::MALFORMED_CALLDATA)?;
    let high: u128 = high.try_into().ok_or(Errors::MALFORMED_CALLDATA)?;
    Ok(u256 { low, high })
}

/// Sums, per limited token, what `calls` move, and checks each sum against
/// what the session may still spend of it; lists the spenders the other
/// calls approve (§4.10). `targets` holds the grant of
/// each call's target (`calls::grants_of_calls`); `account` is the account
/// the calls run from (a `transfer_from` of its own tokens is not a third
/// party's).
pub fn tally_spending(
    calls: Span<Call>, targets: Span<Grant>, account: ContractAddress,
) -> Result<Tally, felt252> {
    let account: felt252 = account.into();
    let mut spends: Array<TokenSpend> = array![];
    let mut approvals: Array<Approval> = array![];
    let mut unwatched_approvals = array![];
    let mut index = 0;
    for call in calls {
        let grant = *targets[index];
        if let Some(remaining) = grant.remaining {
            let token = *call.to;
            let metered = meter_call(*call.selector, *call.calldata, account)?;
            let (third_party, approves) = match metered.movement {
                Movement::Out => (0, false),
                Movement::Allowance(spender) => {
                    approvals = add_approval(approvals.span(), token, spender, metered.amount)?;
                    (0, true)
                },
                Movement::ThirdParty => (metered.amount, false),
            };
            let spend = TokenSpend {
                token, amount: metered.amount, third_party, approves, grant, remaining,
            };
            spends = match position(spends.span(), token) {
                Some(at) => add_at(spends.span(), at, spend)?,
                None => {
                    spends.append(spend);
                    spends
                },
            };
        } else if is_approval(*call.selector) {
            if let Some(spender) = call.calldata.get(0) {
                unwatched_approvals.append((*call.to, *spender.unbox()));
            }
        }
        index += 1;
    }
    for spend in spends.span() {
        if *spend.amount > *spend.remaining {
            return Err(Errors::SPENDING_LIMIT);
        }
    }
    Ok(Tally { spends, approvals, unwatched_approvals })
}

fn position(spends: Span<TokenSpend>, token: ContractAddress) -> Option<u32> {
    let mut index = 0;
    for spend in spends {
        if *spend.token == token {
            return Some(index);
        }
        index += 1;
    }
    None
}

/// `a + b`, or the spending-limit error when the sum wraps (it exceeds any
/// limit).
pub fn add_amounts(a: u256, b: u256) -> Result<u256, felt252> {
    let (sum, wrapped) = a.overflowing_add(b);
    if wrapped {
        return Err(Errors::SPENDING_LIMIT);
    }
    Ok(sum)
}

/// `spends` with `more` (a call to the same token) added to entry `index`;
/// a sum that wraps exceeds any limit.
fn add_at(
    spends: Span<TokenSpend>, index: u32, more: TokenSpend,
) -> Result<Array<TokenSpend>, felt252> {
    let mut out = array![];
    let mut i = 0;
    for spend in spends {
        let mut spend = *spend;
        if i == index {
            spend.amount = add_amounts(spend.amount, more.amount)?;
            // third_party <= amount, so this sum cannot wrap once that one did not.
            spend.third_party += more.third_party;
            spend.approves = spend.approves || more.approves;
        }
        out.append(spend);
        i += 1;
    }
    Ok(out)
}

/// `approvals` with `amount` more granted to `spender` of `token`.
fn add_approval(
    approvals: Span<Approval>, token: ContractAddress, spender: felt252, amount: u256,
) -> Result<Array<Approval>, felt252> {
    let mut out = array![];
    let mut found = false;
    for approval in approvals {
        let mut approval = *approval;
        if approval.token == token && approval.spender == spender {
            approval.amount = add_amounts(approval.amount, amount)?;
            found = true;
        }
        out.append(approval);
    }
    if !found {
        out.append(Approval { token, spender, amount });
    }
    Ok(out)
}

/// What the calls of a transaction moved of one limited token, as the
/// settlement measures it after they ran (§4.4): what left the account's
/// balance, plus what its approvals still let the spenders take, plus
/// what it moved of someone else's tokens. A sum that wraps exceeds any
/// limit.
pub fn moved_amount(decrease: u256, exposure: u256, third_party: u256) -> Result<u256, felt252> {
    add_amounts(add_amounts(decrease, exposure)?, third_party)
}

/// What an approval of the transaction still lets its spender take, given
/// the allowance the token reports after the calls: at most what the
/// transaction granted it (an allowance the owner gave earlier is not the
/// session's).
pub fn exposure(allowance_after: u256, granted: u256) -> u256 {
    if allowance_after < granted {
        allowance_after
    } else {
        granted
    }
}
