//! Signature layouts (docs/spec.md §2), mirroring contracts/src/signature.cairo.
//!
//! - Owner:   `[r, s]`
//! - Session: `['session-v1', session_key, r, s, tip, l1_gas_bound,
//!            l2_gas_bound, l1_data_gas_bound, authorization_len,
//!            authorization...]`, the authorization being empty or
//!            `[policy..., owner_r, owner_s]`.
//!
//! Both sign the transaction hash, so the fee bounds and tip (part of the
//! hash) are always signed; the session layout repeats them so the account
//! can enforce the fee cap (§4.5).

use serde::{Deserialize, Serialize};
use starknet_rust::accounts::RawExecutionV3;
use starknet_rust::core::crypto::Signature;
use starknet_rust::core::types::Felt;
use starknet_rust::macros::short_string;
use starknet_rust::signers::SigningKey;

use crate::policy::{session_hash, SessionPolicy};

/// First felt of every session signature: the short string 'session-v1'.
pub const SESSION_MAGIC: Felt = short_string!("session-v1");

/// The owner signature layout.
pub fn owner_signature(signature: &Signature) -> Vec<Felt> {
    vec![signature.r, signature.s]
}

/// A v3 transaction's tip and resource bounds, packed as in its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeFields {
    pub tip: Felt,
    pub l1_gas: Felt,
    pub l2_gas: Felt,
    pub l1_data_gas: Felt,
}

impl FeeFields {
    /// Packs a resource bound: `name << 192 | max_amount << 128 | max_price_per_unit`.
    pub fn pack_bound(name: &[u8], max_amount: u64, max_price_per_unit: u128) -> Felt {
        let mut bytes = [0u8; 32];
        bytes[8 - name.len()..8].copy_from_slice(name);
        bytes[8..16].copy_from_slice(&max_amount.to_be_bytes());
        bytes[16..].copy_from_slice(&max_price_per_unit.to_be_bytes());
        Felt::from_bytes_be(&bytes)
    }

    pub fn new(tip: u64, l1_gas: (u64, u128), l2_gas: (u64, u128), l1_data_gas: (u64, u128)) -> Self {
        Self {
            tip: Felt::from(tip),
            l1_gas: Self::pack_bound(b"L1_GAS", l1_gas.0, l1_gas.1),
            l2_gas: Self::pack_bound(b"L2_GAS", l2_gas.0, l2_gas.1),
            l1_data_gas: Self::pack_bound(b"L1_DATA", l1_data_gas.0, l1_data_gas.1),
        }
    }

    pub fn of_execution(execution: &RawExecutionV3) -> Self {
        Self::new(
            execution.tip(),
            (execution.l1_gas(), execution.l1_gas_price()),
            (execution.l2_gas(), execution.l2_gas_price()),
            (execution.l1_data_gas(), execution.l1_data_gas_price()),
        )
    }
}

/// The most a transaction with these bounds can cost, in fri (§4.5).
pub fn max_fee(tip: u64, l1_gas: (u64, u128), l2_gas: (u64, u128), l1_data_gas: (u64, u128)) -> u128 {
    let part = |(amount, price): (u64, u128)| (amount as u128).saturating_mul(price);
    part(l1_gas)
        .saturating_add(part(l2_gas))
        .saturating_add(part(l1_data_gas))
        .saturating_add((tip as u128).saturating_mul(l2_gas.0 as u128))
}

/// An owner-signed policy, carried by a session's first transaction so it
/// registers itself (§3.2).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorization {
    pub policy: SessionPolicy,
    pub owner_r: Felt,
    pub owner_s: Felt,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl Authorization {
    /// The owner signs the session hash of `policy` for `account` on
    /// `chain_id` at revocation epoch `epoch`.
    pub fn sign(
        policy: SessionPolicy,
        owner_key: &SigningKey,
        epoch: u64,
        account: Felt,
        chain_id: Felt,
    ) -> Result<Self, starknet_rust::core::crypto::EcdsaSignError> {
        let hash = session_hash(&policy, epoch, account, chain_id);
        let signature = owner_key.sign(&hash)?;
        Ok(Self { policy, owner_r: signature.r, owner_s: signature.s })
    }

    pub fn to_felts(&self) -> Vec<Felt> {
        let mut data = self.policy.to_calldata();
        data.push(self.owner_r);
        data.push(self.owner_s);
        data
    }
}

/// The session signature layout.
pub fn session_signature(
    session_public_key: Felt,
    signature: &Signature,
    fee: &FeeFields,
    authorization: Option<&Authorization>,
) -> Vec<Felt> {
    let authorization = authorization.map(Authorization::to_felts).unwrap_or_default();
    let mut data = vec![
        SESSION_MAGIC,
        session_public_key,
        signature.r,
        signature.s,
        fee.tip,
        fee.l1_gas,
        fee.l2_gas,
        fee.l1_data_gas,
        Felt::from(authorization.len()),
    ];
    data.extend(authorization);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_pack_like_the_transaction_hash() {
        // The same packing as starknet-rust's INVOKE v3 hash.
        let packed = FeeFields::pack_bound(b"L2_GAS", 0x1234, 0x5678);
        let expected = Felt::from_hex(&format!("0x00004c325f474153{:016x}{:032x}", 0x1234, 0x5678)).unwrap();
        assert_eq!(packed, expected);
    }

    #[test]
    fn max_fee_saturates() {
        assert_eq!(max_fee(4, (2, 3), (5, 7), (11, 13)), 6 + 35 + 143 + 20);
        assert_eq!(max_fee(u64::MAX, (u64::MAX, u128::MAX), (0, 0), (0, 0)), u128::MAX);
    }
}
