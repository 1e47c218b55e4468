//! Facts about the transaction being validated or executed: accepted
//! versions (§7.1), the INVOKE v3 transaction hash, and the fee it may cost
//! (§4.5).

use array::{ArrayTrait, SpanTrait};
use option::OptionTrait;
use poseidon::poseidon_hash_span;
use starknet::ContractAddress;
use starknet::account::Call;
use traits::{Into, TryInto};
use integer::{u128_wide_mul, u256_overflowing_add};
use session_account::errors;

/// INVOKE, DECLARE and DEPLOY_ACCOUNT v3: the only versions accepted.
const TX_V3: felt252 = 3;
/// v3 in query mode (fee estimation, simulation): 2^128 + 3.
const TX_V3_QUERY: felt252 = 0x100000000000000000000000000000003;

const INVOKE_PREFIX: felt252 = 'invoke';
// Resource names, as packed in the top 64 bits of a bound.
const L1_GAS: u128 = 'L1_GAS';
const L2_GAS: u128 = 'L2_GAS';
const L1_DATA: u128 = 'L1_DATA';
/// The hash of an empty list (paymaster data, account deployment data).
fn empty_hash() -> felt252 {
    poseidon_hash_span(array![].span())
}

/// Whether `version` is a transaction version this account accepts.
fn is_supported_version(version: felt252) -> bool {
    version == TX_V3 || version == TX_V3_QUERY
}

/// A v3 transaction's fee fields, as the transaction hash packs them: each
/// resource bound is `name << 192 | max_amount << 128 | max_price_per_unit`.
#[derive(Copy, Drop, Serde, PartialEq)]
struct FeeFields {
    tip: felt252,
    l1_gas: felt252,
    l2_gas: felt252,
    l1_data_gas: felt252,
}

/// The INVOKE v3 transaction hash of `calls` sent by `sender`, with empty
/// paymaster data, empty account deployment data and L1 DA modes.
fn invoke_v3_hash(
    version: felt252,
    sender: ContractAddress,
    fee: FeeFields,
    chain_id: felt252,
    nonce: felt252,
    calls: Span<Call>
) -> felt252 {
    let fee_hash = poseidon_hash_span(
        array![fee.tip, fee.l1_gas, fee.l2_gas, fee.l1_data_gas].span()
    );
    poseidon_hash_span(
        array![
            INVOKE_PREFIX,
            version,
            sender.into(),
            fee_hash,
            empty_hash(),
            chain_id,
            nonce,
            0, // nonce and fee DA modes: L1
            empty_hash(),
            poseidon_hash_span(serialize_calls(calls).span())
        ]
            .span()
    )
}

/// `__execute__` calldata: Cairo `Serde` of `Array<Call>`.
fn serialize_calls(calls: Span<Call>) -> Array<felt252> {
    let mut out = ArrayTrait::new();
    out.append(calls.len().into());
    let mut calls = calls;
    loop {
        match calls.pop_front() {
            Option::Some(call) => {
                out.append((*call.to).into());
                out.append(*call.selector);
                out.append(call.calldata.len().into());
                let mut data = call.calldata.span();
                loop {
                    match data.pop_front() {
                        Option::Some(x) => out.append(*x),
                        Option::None => {
                            break;
                        },
                    };
                };
            },
            Option::None => {
                break;
            },
        };
    };
    out
}

/// The most the transaction can cost, in fri: the sum over the three
/// resources of `max_amount * max_price_per_unit`, plus `tip * L2 max_amount`.
/// A bound with the wrong resource name, or a tip that is not a u64, is
/// `session/fee-bounds-mismatch`.
fn max_fee(fee: FeeFields) -> Result<u256, felt252> {
    let (l1_amount, l1_price) = unpack_bound(fee.l1_gas, L1_GAS)?;
    let (l2_amount, l2_price) = unpack_bound(fee.l2_gas, L2_GAS)?;
    let (data_amount, data_price) = unpack_bound(fee.l1_data_gas, L1_DATA)?;
    let tip: u128 = match fee.tip.try_into() {
        Option::Some(t) => t,
        Option::None => {
            return Result::Err(errors::SESSION_FEE_BOUNDS_MISMATCH);
        },
    };
    let total = mul(l1_amount, l1_price);
    let total = add(total, mul(l2_amount, l2_price))?;
    let total = add(total, mul(data_amount, data_price))?;
    add(total, mul(tip, l2_amount))
}

/// `(max_amount, max_price_per_unit)` of a packed resource bound.
fn unpack_bound(bound: felt252, name: u128) -> Result<(u128, u128), felt252> {
    let value: u256 = bound.into();
    // high = name << 64 | max_amount (u64), low = max_price_per_unit.
    let shift: u128 = 0x10000000000000000;
    if value.high / shift != name {
        return Result::Err(errors::SESSION_FEE_BOUNDS_MISMATCH);
    }
    Result::Ok((value.high % shift, value.low))
}

fn mul(a: u128, b: u128) -> u256 {
    let (high, low) = u128_wide_mul(a, b);
    u256 { low, high }
}

fn add(a: u256, b: u256) -> Result<u256, felt252> {
    let (sum, overflow) = u256_overflowing_add(a, b);
    if overflow {
        return Result::Err(errors::SESSION_FEE_ABOVE_CAP);
    }
    Result::Ok(sum)
}

/// §4.5: the fee the transaction may cost is within `cap` (fri).
fn check_fee_cap(fee: FeeFields, cap: u128) -> Result<(), felt252> {
    let most = max_fee(fee)?;
    if most > cap.into() {
        return Result::Err(errors::SESSION_FEE_ABOVE_CAP);
    }
    Result::Ok(())
}
