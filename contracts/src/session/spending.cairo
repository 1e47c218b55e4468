//! Where the spending tally is computed (§4.4): the amount each call moves
//! of a limited token, summed per token over a multicall and checked
//! against `spent + amount <= limit`. The account records the new `spent`
//! in `__execute__`.

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use starknet::ContractAddress;
use starknet::account::Call;
use traits::{Into, TryInto};
use integer::u256_overflowing_add;
use session_account::errors;
use session_account::session::calls::SessionGrants;

const TRANSFER: felt252 = 0x83afd3f4caedc6eebf44246fe54e38c95e3179a5ec9ea81740eca5b482d12e;
const APPROVE: felt252 = 0x219209e083275171774dab1df80982e9df2096516f06319c5c6d71ae0a8480c;
const INCREASE_ALLOWANCE: felt252 =
    0x1d13ab0a76d7407b1d5faccd4b3d8a9efe42f3d3c21766431d4fafb30f45bd4;
const INCREASE_ALLOWANCE_CAMEL: felt252 =
    0x16cc063b8338363cf388ce7fe1df408bf10f16cd51635d392e21d852fafb683;
const TRANSFER_FROM: felt252 = 0x3704ffe8fba161be0e994951751a5033b1462b918ff785c0a636be718dfdb68;
const TRANSFER_FROM_CAMEL: felt252 =
    0x41b033f4a31df8067c24d1e9b550a2ce75fd4a29e1147af9752174f0e6cb20;

/// What a transaction moves of one limited token, and the resulting tally.
#[derive(Copy, Drop, PartialEq)]
struct TokenSpend {
    token: ContractAddress,
    /// Sum of the metered amounts of the transaction's calls to `token`.
    amount: u256,
    limit: u256,
    /// Spent before this transaction.
    spent: u256,
}

/// The amount one call to a limited token moves (§4.4 table). `account`
/// is the session's account (for `transfer_from`).
fn metered_amount(
    account: ContractAddress, selector: felt252, calldata: Span<felt252>
) -> Result<u256, felt252> {
    if selector == TRANSFER || selector == APPROVE || selector == INCREASE_ALLOWANCE
        || selector == INCREASE_ALLOWANCE_CAMEL {
        // (recipient | spender, amount.low, amount.high)
        if calldata.len() != 3 {
            return Result::Err(errors::SESSION_MALFORMED_CALLDATA);
        }
        return read_u256(*calldata.at(1), *calldata.at(2));
    }
    if selector == TRANSFER_FROM || selector == TRANSFER_FROM_CAMEL {
        // (sender, recipient, amount.low, amount.high)
        if calldata.len() != 4 {
            return Result::Err(errors::SESSION_MALFORMED_CALLDATA);
        }
        let amount = read_u256(*calldata.at(2), *calldata.at(3))?;
        let sender: felt252 = account.into();
        if *calldata.at(0) == sender {
            return Result::Ok(amount);
        }
        return Result::Ok(0);
    }
    Result::Err(errors::SESSION_UNMETERED_SELECTOR)
}

/// A u256 from its (low, high) calldata words, each of which must be a u128.
fn read_u256(low: felt252, high: felt252) -> Result<u256, felt252> {
    let low: u128 = match low.try_into() {
        Option::Some(value) => value,
        Option::None => {
            return Result::Err(errors::SESSION_MALFORMED_CALLDATA);
        },
    };
    let high: u128 = match high.try_into() {
        Option::Some(value) => value,
        Option::None => {
            return Result::Err(errors::SESSION_MALFORMED_CALLDATA);
        },
    };
    Result::Ok(u256 { low, high })
}

/// Sums, per limited token, what `calls` move, and checks each sum against
/// the token's remaining budget. Returns one entry per limited token the
/// calls touch, in first-use order.
fn tally_spending<T, impl TGrants: SessionGrants<T>>(
    grants: @T, account: ContractAddress, mut calls: Span<Call>
) -> Result<Array<TokenSpend>, felt252> {
    let mut spends: Array<TokenSpend> = ArrayTrait::new();
    let summed = loop {
        match calls.pop_front() {
            Option::Some(call) => {
                match grants.spending_limit(*call.to) {
                    Option::Some(budget) => {
                        let (limit, spent) = budget;
                        match metered_amount(account, *call.selector, call.calldata.span()) {
                            Result::Ok(amount) => {
                                match add_spend(ref spends, *call.to, amount, limit, spent) {
                                    Result::Ok(()) => {},
                                    Result::Err(e) => {
                                        break Result::Err(e);
                                    },
                                }
                            },
                            Result::Err(e) => {
                                break Result::Err(e);
                            },
                        }
                    },
                    Option::None => {},
                }
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    };
    match summed {
        Result::Ok(()) => check_budgets(spends),
        Result::Err(e) => Result::Err(e),
    }
}

/// Adds `amount` to `token`'s entry (creating it), without wrapping.
fn add_spend(
    ref spends: Array<TokenSpend>, token: ContractAddress, amount: u256, limit: u256, spent: u256
) -> Result<(), felt252> {
    let mut out: Array<TokenSpend> = ArrayTrait::new();
    let mut found = false;
    let mut overflow = false;
    let mut rest = spends.span();
    loop {
        match rest.pop_front() {
            Option::Some(entry) => {
                let mut entry = *entry;
                if entry.token == token {
                    let (sum, wrapped) = u256_overflowing_add(entry.amount, amount);
                    overflow = wrapped;
                    entry.amount = sum;
                    found = true;
                }
                out.append(entry);
            },
            Option::None => {
                break;
            },
        };
    };
    if overflow {
        return Result::Err(errors::SESSION_SPENDING_LIMIT);
    }
    if !found {
        out.append(TokenSpend { token, amount, limit, spent });
    }
    spends = out;
    Result::Ok(())
}

/// `spent + amount <= limit` for every entry (an overflow exceeds it).
fn check_budgets(spends: Array<TokenSpend>) -> Result<Array<TokenSpend>, felt252> {
    let mut rest = spends.span();
    let result = loop {
        match rest.pop_front() {
            Option::Some(entry) => {
                let (total, wrapped) = u256_overflowing_add(*entry.spent, *entry.amount);
                if wrapped || total > *entry.limit {
                    break Result::Err(errors::SESSION_SPENDING_LIMIT);
                }
            },
            Option::None => {
                break Result::Ok(());
            },
        };
    };
    match result {
        Result::Ok(()) => Result::Ok(spends),
        Result::Err(e) => Result::Err(e),
    }
}
