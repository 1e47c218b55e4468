//! Entrypoint selectors the library calls.

use starknet_rust::core::types::Felt;
use starknet_rust::macros::selector;

pub const TRANSFER: Felt = selector!("transfer");
pub const BALANCE_OF: Felt = selector!("balance_of");
pub const REGISTER_SESSION: Felt = selector!("register_session");
pub const REVOKE_SESSION: Felt = selector!("revoke_session");
pub const GET_SESSION: Felt = selector!("get_session");
pub const GET_OWNER: Felt = selector!("get_owner");
pub const IS_CONTRACT_ALLOWED: Felt = selector!("is_contract_allowed");
pub const IS_VALID_SIGNATURE: Felt = selector!("is_valid_signature");
pub const SUPPORTS_INTERFACE: Felt = selector!("supports_interface");
