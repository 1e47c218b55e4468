//! Where the spending tally is computed (§4.4): the amount each call moves
//! of a limited token, summed per token over a multicall and checked
//! against what the session may still spend (`spent + amount <= limit`,
//! kept as `amount <= remaining`). The sessions component records the new
//! `remaining` in `__execute__`.

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

/// What a transaction moves of one limited token.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct TokenSpend {
    pub token: ContractAddress,
    /// Sum of the metered amounts of the transaction's calls to `token`.
    pub amount: u256,
    /// What the session was granted for the token, with what could still be
    /// spent before this transaction.
    pub grant: Grant,
    pub remaining: u256,
}

/// The amount one call to a limited token moves (§4.4 table).
/// `transfer_from` counts in full whoever's tokens it moves: the limit is
/// the most the session may move of the token, the account's own or, through
/// allowances granted to the account, anyone's.
pub fn metered_amount(selector: felt252, calldata: Span<felt252>) -> Result<u256, felt252> {
    if selector == TRANSFER
        || selector == APPROVE
        || selector == INCREASE_ALLOWANCE
        || selector == INCREASE_ALLOWANCE_CAMEL {
        // (recipient | spender, amount.low, amount.high)
        if calldata.len() != 3 {
            return Err(Errors::MALFORMED_CALLDATA);
        }
        return read_u256(*calldata[1], *calldata[2]);
    }
    if selector == TRANSFER_FROM || selector == TRANSFER_FROM_CAMEL {
        // (sender, recipient, amount.low, amount.high)
        if calldata.len() != 4 {
            return Err(Errors::MALFORMED_CALLDATA);
        }
        return read_u256(*calldata[2], *calldata[3]);
    }
    Err(Errors::UNMETERED_SELECTOR)
}

/// A u256 from its (low, high) calldata words, each of which must be a u128.
pub fn read_u256(low: felt252, high: felt252) -> Result<u256, felt252> {
    let low: u128 = low.try_into().ok_or(Errors::MALFORMED_CALLDATA)?;
    let high: u128 = high.try_into().ok_or(Errors::MALFORMED_CALLDATA)?;
    Ok(u256 { low, high })
}

/// Sums, per limited token, what `calls` move, and checks each sum against
/// what the session may still spend of it. `targets` holds the grant of
/// each call's target (`calls::grants_of_calls`). Returns one entry per
/// limited token the calls touch, in first-use order.
pub fn tally_spending(
    calls: Span<Call>, targets: Span<Grant>,
) -> Result<Array<TokenSpend>, felt252> {
    let mut spends: Array<TokenSpend> = array![];
    let mut index = 0;
    for call in calls {
        let grant = *targets[index];
        if let Some(remaining) = grant.remaining {
            let token = *call.to;
            let amount = metered_amount(*call.selector, *call.calldata)?;
            spends = match position(spends.span(), token) {
                Some(at) => add_at(spends.span(), at, amount)?,
                None => {
                    spends.append(TokenSpend { token, amount, grant, remaining });
                    spends
                },
            };
        }
        index += 1;
    }
    for spend in spends.span() {
        if *spend.amount > *spend.remaining {
            return Err(Errors::SPENDING_LIMIT);
        }
    }
    Ok(spends)
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

/// `spends` with `amount` added to entry `index`; a sum that wraps exceeds
/// any limit.
fn add_at(
    spends: Span<TokenSpend>, index: u32, amount: u256,
) -> Result<Array<TokenSpend>, felt252> {
    let mut out = array![];
    let mut i = 0;
    for spend in spends {
        let mut spend = *spend;
        if i == index {
            let (sum, wrapped) = spend.amount.overflowing_add(amount);
            if wrapped {
                return Err(Errors::SPENDING_LIMIT);
            }
            spend.amount = sum;
        }
        out.append(spend);
        i += 1;
    }
    Ok(out)
}
