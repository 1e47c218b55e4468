//! Entrypoint selectors the library calls.

use starknet_rust::core::types::Felt;
use starknet_rust::macros::selector;

// ERC-20.
pub const TRANSFER: Felt = selector!("transfer");
pub const TRANSFER_FROM: Felt = selector!("transfer_from");
pub const TRANSFER_FROM_CAMEL: Felt = selector!("transferFrom");
pub const APPROVE: Felt = selector!("approve");
pub const INCREASE_ALLOWANCE: Felt = selector!("increase_allowance");
pub const INCREASE_ALLOWANCE_CAMEL: Felt = selector!("increaseAllowance");
pub const BALANCE_OF: Felt = selector!("balance_of");
pub const ALLOWANCE: Felt = selector!("allowance");
pub const MINT: Felt = selector!("mint");

// The test router of contracts/testing.
pub const PULL: Felt = selector!("pull");

// Session account: management.
pub const REGISTER_SESSION: Felt = selector!("register_session");
pub const REVOKE_SESSION: Felt = selector!("revoke_session");
pub const RENEW_SESSION: Felt = selector!("renew_session");
pub const REVOKE_ALL_SESSIONS: Felt = selector!("revoke_all_sessions");
pub const CLEAR_SESSION_ALLOWANCES: Felt = selector!("clear_session_allowances");
pub const SET_OWNER: Felt = selector!("set_owner");
pub const SET_OWNER_KEY: Felt = selector!("set_owner_key");
pub const UPGRADE: Felt = selector!("upgrade");

// Session account: views.
pub const GET_SESSION: Felt = selector!("get_session");
pub const GET_SPENDING: Felt = selector!("get_spending");
pub const GET_SESSION_DETAILS: Felt = selector!("get_session_details");
pub const GET_ALLOWED_CALLS: Felt = selector!("get_allowed_calls");
pub const GET_SESSION_APPROVALS: Felt = selector!("get_session_approvals");
pub const GET_SESSION_DATA: Felt = selector!("get_session_data");
pub const GET_REVOCATION_EPOCH: Felt = selector!("get_revocation_epoch");
pub const GET_OWNER: Felt = selector!("get_owner");
pub const GET_OWNER_KEY: Felt = selector!("get_owner_key");
pub const GET_OWNER_ROTATIONS: Felt = selector!("get_owner_rotations");
pub const SESSION_HASH: Felt = selector!("session_hash");
pub const IS_VALID_SIGNATURE: Felt = selector!("is_valid_signature");
pub const SUPPORTS_INTERFACE: Felt = selector!("supports_interface");
