//! An INVOKE v3 transaction built field by field, and its hash (docs/spec.md
//! §4.5): what the account's signatures cover, for clients that build
//! transactions themselves (e.g. in another language, or with fields the
//! starknet-rust builders fix, such as `paymaster_data`).
//!
//! The hash is Poseidon over, in order: `'invoke'`, the version (3, or
//! 2^128 + 3 for a query), the sender, Poseidon(tip, L1_GAS bound, L2_GAS
//! bound, L1_DATA bound), Poseidon(paymaster_data), the chain id, the nonce,
//! the data-availability modes (`nonce_mode << 32 | fee_mode`, L1 = 0,
//! L2 = 1), Poseidon(account_deployment_data) and Poseidon(calldata). A
//! resource bound is one felt: the resource name as a 7-byte short string
//! (`L1_GAS`, `L2_GAS`, `L1_DATA`), then `max_amount` in 64 bits, then
//! `max_price_per_unit` in 128 bits.

use starknet_rust::core::types::{
    BroadcastedInvokeTransactionV3, DataAvailabilityMode, Felt, ResourceBounds,
    ResourceBoundsMapping,
};
use starknet_rust::macros::short_string;
use starknet_rust_crypto::poseidon_hash_many as poseidon;

use crate::tx::FeeBounds;

/// 2^128: added to the version of a transaction sent only to be simulated
/// or estimated, so its signature can never be replayed as a real one.
pub const QUERY_VERSION_OFFSET: Felt =
    Felt::from_hex_unchecked("0x100000000000000000000000000000000");

/// An INVOKE v3 transaction, every field explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeV3 {
    /// The account sending the transaction.
    pub sender: Felt,
    /// `__execute__`'s calldata (the calls as the account encodes them).
    pub calldata: Vec<Felt>,
    /// The account's nonce.
    pub nonce: Felt,
    /// Resource bounds and tip.
    pub bounds: FeeBounds,
    /// Empty as wallets send it; a session transaction must leave it empty
    /// (§4.5).
    pub paymaster_data: Vec<Felt>,
    /// Empty as wallets send it; a session transaction must leave it empty
    /// (§4.5).
    pub account_deployment_data: Vec<Felt>,
    /// L1 as wallets send it, and for a session transaction (§4.5).
    pub nonce_data_availability_mode: DataAvailabilityMode,
    /// L1 as wallets send it, and for a session transaction (§4.5).
    pub fee_data_availability_mode: DataAvailabilityMode,
}

impl InvokeV3 {
    /// A transaction as wallets send it: no paymaster or deployment data,
    /// both data-availability modes L1.
    pub fn new(sender: Felt, calldata: Vec<Felt>, nonce: Felt, bounds: FeeBounds) -> Self {
        Self {
            sender,
            calldata,
            nonce,
            bounds,
            paymaster_data: vec![],
            account_deployment_data: vec![],
            nonce_data_availability_mode: DataAvailabilityMode::L1,
            fee_data_availability_mode: DataAvailabilityMode::L1,
        }
    }

    /// The transaction hash the account's signature covers on `chain_id`
    /// (`query`: the hash of its simulation-only twin).
    pub fn hash(&self, chain_id: Felt, query: bool) -> Felt {
        let version = if query { QUERY_VERSION_OFFSET + Felt::THREE } else { Felt::THREE };
        let b = &self.bounds;
        let fees = poseidon(&[
            Felt::from(b.tip),
            resource_bound(short_string!("L1_GAS"), b.l1_gas),
            resource_bound(short_string!("L2_GAS"), b.l2_gas),
            resource_bound(short_string!("L1_DATA"), b.l1_data_gas),
        ]);
        let modes = Felt::from(
            (da_mode(self.nonce_data_availability_mode) << 32)
                | da_mode(self.fee_data_availability_mode),
        );
        poseidon(&[
            short_string!("invoke"),
            version,
            self.sender,
            fees,
            poseidon(&self.paymaster_data),
            chain_id,
            self.nonce,
            modes,
            poseidon(&self.account_deployment_data),
            poseidon(&self.calldata),
        ])
    }

    /// The transaction as a node takes it, with `signature`.
    pub fn broadcast(self, signature: Vec<Felt>) -> BroadcastedInvokeTransactionV3 {
        let bound = |(max_amount, max_price_per_unit): (u64, u128)| ResourceBounds {
            max_amount,
            max_price_per_unit,
        };
        BroadcastedInvokeTransactionV3 {
            sender_address: self.sender,
            calldata: self.calldata,
            signature,
            nonce: self.nonce,
            resource_bounds: ResourceBoundsMapping {
                l1_gas: bound(self.bounds.l1_gas),
                l2_gas: bound(self.bounds.l2_gas),
                l1_data_gas: bound(self.bounds.l1_data_gas),
            },
            tip: self.bounds.tip,
            paymaster_data: self.paymaster_data,
            account_deployment_data: self.account_deployment_data,
            nonce_data_availability_mode: self.nonce_data_availability_mode,
            fee_data_availability_mode: self.fee_data_availability_mode,
            proof_facts: None,
            is_query: false,
        }
    }
}

/// `name` (a short string of at most 7 bytes) ‖ `max_amount` (64 bits) ‖
/// `max_price_per_unit` (128 bits).
fn resource_bound(name: Felt, (max_amount, max_price_per_unit): (u64, u128)) -> Felt {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&name.to_bytes_be()[24..]);
    bytes[8..16].copy_from_slice(&max_amount.to_be_bytes());
    bytes[16..].copy_from_slice(&max_price_per_unit.to_be_bytes());
    Felt::from_bytes_be(&bytes)
}

fn da_mode(mode: DataAvailabilityMode) -> u64 {
    match mode {
        DataAvailabilityMode::L1 => 0,
        DataAvailabilityMode::L2 => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::WithFeeBounds;
    use starknet_rust::accounts::Account;
    use starknet_rust::signers::SigningKey;

    fn sample() -> InvokeV3 {
        let calls = vec![crate::token::transfer_call(Felt::from(0x7070u16), Felt::TWO, 5)];
        let calldata = crate::account::encoding::encode_calls(&calls);
        InvokeV3::new(Felt::from(0xaccu16), calldata, Felt::from(7u8), FeeBounds::DEVNET)
    }

    /// Our hash is starknet-rust's for what its builders can express.
    #[test]
    fn agrees_with_starknet_rust_for_plain_transactions() {
        let tx = sample();
        let chain = starknet_rust::core::chain_id::SEPOLIA;
        // Never contacted: every field is given, so nothing is fetched.
        let provider = starknet_rust::providers::JsonRpcClient::new(
            starknet_rust::providers::jsonrpc::HttpTransport::new(
                starknet_rust::providers::Url::parse("http://127.0.0.1:9").unwrap(),
            ),
        );
        let owner = crate::account::owner::owner_account(
            provider,
            SigningKey::from_secret_scalar(Felt::ONE),
            crate::account::AccountAt { address: tx.sender, chain_id: chain },
        );
        let calls = vec![crate::token::transfer_call(Felt::from(0x7070u16), Felt::TWO, 5)];
        let prepared =
            owner.execute_v3(calls).nonce(tx.nonce).with_fee_bounds(tx.bounds).prepared().unwrap();
        for query in [false, true] {
            assert_eq!(tx.hash(chain, query), prepared.transaction_hash(query));
        }
    }

    /// The spec's test vector (§4.5): every field that can differ does.
    #[test]
    fn hash_matches_the_spec_vector() {
        let mut tx = sample();
        let chain = starknet_rust::core::chain_id::SEPOLIA;
        let plain = tx.hash(chain, false);
        tx.paymaster_data = vec![Felt::ONE];
        tx.account_deployment_data = vec![Felt::ONE, Felt::TWO];
        tx.nonce_data_availability_mode = DataAvailabilityMode::L2;
        tx.fee_data_availability_mode = DataAvailabilityMode::L2;
        let odd = tx.hash(chain, false);
        assert_ne!(plain, odd);
        assert_eq!(
            (format!("{plain:#x}"), format!("{odd:#x}")),
            (SPEC_PLAIN.to_string(), SPEC_ODD.to_string()),
        );
    }

    const SPEC_PLAIN: &str = "0x3f3f0e0c0f9bfa7dbc40a10d463e0398fd264c7919e145a747e4f764a57631e";
    const SPEC_ODD: &str = "0xe224185a1d7fdf2b35d29b196d922b35ccffbfa85bd80282459bc1bf3cdce";
}
