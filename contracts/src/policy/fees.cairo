//! What a session transaction may leave set (§4.5), the fee cap (§4.5) and
//! the fee budget (§4.7): the most a transaction can
//! cost, read from the transaction itself (its resource bounds and tip),
//! against the session's `max_fee_per_tx` and against what is left of its
//! `fee_budget`.
//!
//! The bounds and the tip are part of the transaction hash the session key
//! signs, so they are the signer's own, and the protocol never charges more
//! than they allow. Caps are u128, so the sum is computed in u128 with
//! checked arithmetic: anything that overflows exceeds every cap.

use core::num::traits::{CheckedAdd, CheckedMul};
use starknet::ResourcesBounds;

pub mod Errors {
    pub const UNSUPPORTED_TX_FIELD: felt252 = 'session/unsupported-tx-field';
    pub const FEE_ABOVE_CAP: felt252 = 'session/fee-above-cap';
    pub const FEE_BUDGET: felt252 = 'session/fee-budget';
}

/// The data-availability mode the account understands: L1 (0).
pub const DA_MODE_L1: u32 = 0;

/// §4.5: a session transaction leaves empty, or at L1, what the account
/// does not read: paymaster data, account deployment data, and the nonce
/// and fee data-availability modes. Its guarantees then do not depend on
/// what a sequencer happens to accept in them.
pub fn check_tx_fields(
    paymaster_data: Span<felt252>,
    account_deployment_data: Span<felt252>,
    nonce_data_availability_mode: u32,
    fee_data_availability_mode: u32,
) -> Result<(), felt252> {
    if !paymaster_data.is_empty()
        || !account_deployment_data.is_empty()
        || nonce_data_availability_mode != DA_MODE_L1
        || fee_data_availability_mode != DA_MODE_L1 {
        return Err(Errors::UNSUPPORTED_TX_FIELD);
    }
    Ok(())
}

/// Name of the L2 gas resource, the one the tip is paid per unit of.
pub const L2_GAS: felt252 = 'L2_GAS';

/// The most a transaction with these bounds can cost, in fri:
/// `Σ max_amount × max_price_per_unit` over every resource, plus
/// `tip × L2_GAS.max_amount`; `None` when that is 2^128 or more (more than
/// any cap).
pub fn max_fee(resource_bounds: Span<ResourcesBounds>, tip: u128) -> Option<u128> {
    let mut total: u128 = 0;
    let mut l2_amount: u64 = 0;
    for bound in resource_bounds {
        let amount: u128 = (*bound.max_amount).into();
        total = total.checked_add(amount.checked_mul(*bound.max_price_per_unit)?)?;
        if *bound.resource == L2_GAS {
            l2_amount = *bound.max_amount;
        }
    }
    total.checked_add(tip.checked_mul(l2_amount.into())?)
}

/// §4.5: the fee the transaction may cost is within `cap` (fri). Returns
/// that fee.
pub fn check_fee_cap(
    resource_bounds: Span<ResourcesBounds>, tip: u128, cap: u128,
) -> Result<u128, felt252> {
    match max_fee(resource_bounds, tip) {
        Some(fee) => if fee <= cap {
            Ok(fee)
        } else {
            Err(Errors::FEE_ABOVE_CAP)
        },
        None => Err(Errors::FEE_ABOVE_CAP),
    }
}

/// §4.7: `fee` fits what is left of the session's fee budget.
pub fn check_fee_budget(fee: u128, fee_remaining: u128) -> Result<(), felt252> {
    if fee > fee_remaining {
        return Err(Errors::FEE_BUDGET);
    }
    Ok(())
}
