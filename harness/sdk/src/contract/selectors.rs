//! Entrypoint selectors the library calls.

use starknet_rust::core::types::Felt;
use starknet_rust::macros::selector;

// ERC-20.
/// ERC-20 `transfer(recipient, amount: u256)`; metered (§4.4).
pub const TRANSFER: Felt = selector!("transfer");
/// ERC-20 `transfer_from(sender, recipient, amount: u256)`; metered (§4.4).
pub const TRANSFER_FROM: Felt = selector!("transfer_from");
/// `transferFrom`, the camelCase spelling of [`TRANSFER_FROM`]; metered (§4.4).
pub const TRANSFER_FROM_CAMEL: Felt = selector!("transferFrom");
/// ERC-20 `approve(spender, amount: u256)`; metered (§4.4), its spender recorded (§4.10).
pub const APPROVE: Felt = selector!("approve");
/// `increase_allowance(spender, added_value: u256)`; metered (§4.4), its spender
/// recorded (§4.10).
pub const INCREASE_ALLOWANCE: Felt = selector!("increase_allowance");
/// `increaseAllowance`, the camelCase spelling of [`INCREASE_ALLOWANCE`].
pub const INCREASE_ALLOWANCE_CAMEL: Felt = selector!("increaseAllowance");
/// ERC-20 `balance_of(account) -> u256`.
pub const BALANCE_OF: Felt = selector!("balance_of");
/// ERC-20 `allowance(owner, spender) -> u256`.
pub const ALLOWANCE: Felt = selector!("allowance");
/// `mint(to, amount: u256)` of the test tokens of `contracts/testing`.
pub const MINT: Felt = selector!("mint");

// The test router of contracts/testing.
/// `pull(token, from, to, amount: u256)` of the test router: a `transfer_from` through
/// the allowance `from` gave the router.
pub const PULL: Felt = selector!("pull");

// Session account: management.
/// `register_session(policy)`, owner only (§3.1).
pub const REGISTER_SESSION: Felt = selector!("register_session");
/// `revoke_session(session_key)`: by the owner (§6), or by a session for its own
/// key (§4.6).
pub const REVOKE_SESSION: Felt = selector!("revoke_session");
/// `renew_session()`: a session's renewal of itself (§5).
pub const RENEW_SESSION: Felt = selector!("renew_session");
/// `revoke_all_sessions()`, owner only: increments the revocation epoch (§6).
pub const REVOKE_ALL_SESSIONS: Felt = selector!("revoke_all_sessions");
/// `clear_session_allowances(session_key)`, owner only (§4.10).
pub const CLEAR_SESSION_ALLOWANCES: Felt = selector!("clear_session_allowances");
/// `set_owner(new_owner, r, s)`, owner only: rotates to a Stark key (§7.3).
pub const SET_OWNER: Felt = selector!("set_owner");
/// `set_owner_key(new_owner, proof)`, owner only: rotates to a key of any kind
/// (§7.3).
pub const SET_OWNER_KEY: Felt = selector!("set_owner_key");
/// `upgrade(new_class_hash)`, owner only (§6).
pub const UPGRADE: Felt = selector!("upgrade");

// Session account: views.
/// `get_session(session_key) -> SessionStatus` (§8).
pub const GET_SESSION: Felt = selector!("get_session");
/// `get_spending(session_key) -> Array<TokenSpending>` (§8).
pub const GET_SPENDING: Felt = selector!("get_spending");
/// `get_session_details(session_key) -> SessionDetails` (§8).
pub const GET_SESSION_DETAILS: Felt = selector!("get_session_details");
/// `get_allowed_calls(session_key) -> Array<AllowedContract>` (§8).
pub const GET_ALLOWED_CALLS: Felt = selector!("get_allowed_calls");
/// `get_session_approvals(session_key) -> Array<SessionApproval>` (§4.10, §8).
pub const GET_SESSION_APPROVALS: Felt = selector!("get_session_approvals");
/// `get_session_data(session_key)`: the draft session SNIP's `SessionData` (§8.1).
pub const GET_SESSION_DATA: Felt = selector!("get_session_data");
/// `get_revocation_epoch() -> u64` (§8).
pub const GET_REVOCATION_EPOCH: Felt = selector!("get_revocation_epoch");
/// `get_owner()`: the owner's id (§7.3).
pub const GET_OWNER: Felt = selector!("get_owner");
/// `get_owner_key() -> OwnerKey`, of any kind (§12.1).
pub const GET_OWNER_KEY: Felt = selector!("get_owner_key");
/// `get_owner_rotations() -> u64`: owner key rotations so far (§7.3).
pub const GET_OWNER_ROTATIONS: Felt = selector!("get_owner_rotations");
/// `session_hash(policy)`: the contract's own session hash (§1.2).
pub const SESSION_HASH: Felt = selector!("session_hash");
/// SRC-6 `is_valid_signature(hash, signature)` (§7.2).
pub const IS_VALID_SIGNATURE: Felt = selector!("is_valid_signature");
/// SRC-5 `supports_interface(interface_id) -> bool` (§8).
pub const SUPPORTS_INTERFACE: Felt = selector!("supports_interface");
