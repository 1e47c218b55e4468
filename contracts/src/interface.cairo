//! Every public interface of the session account (§6, §7, §8, §11), the
//! types its views return, and the SRC-5 interface ids it supports.
//! Implementations live in the components and in `account.cairo`.

use starknet::account::Call;
use starknet::{ClassHash, ContractAddress};
use crate::outside_execution::OutsideExecution;
use crate::policy::calldata::CalldataRule;
use crate::policy::{AllowedContract, SessionPolicy};
use crate::signers::owner_key::OwnerKey;

/// SRC-5 interface id of SRC-5 itself.
pub const ISRC5_ID: felt252 = 0x3f918d17e5ee77373b56385708f855659a07f75997f365cf87748628532a055;
/// SRC-5 interface id of SRC-6 (accounts).
pub const ISRC6_ID: felt252 = 0x2ceccef7f994940b3962a6c67e0ba4fcd37df7d131417c604f91e03caecc1cd;
/// SRC-5 interface id of SNIP-9 v2 (outside execution).
pub const ISRC5_OUTSIDE_EXECUTION_V2_ID: felt252 =
    0x1d1144bb2138366ff28d8e9ab57456b1d332ac42196230c3a602003c89872;

/// SRC-6: the standard account interface.
#[starknet::interface]
pub trait ISRC6<TState> {
    fn __execute__(ref self: TState, calls: Array<Call>) -> Array<Span<felt252>>;
    fn __validate__(ref self: TState, calls: Array<Call>) -> felt252;
    /// Owner signatures only: returns 'VALID', or 0 for anything else (§7.2).
    fn is_valid_signature(self: @TState, hash: felt252, signature: Array<felt252>) -> felt252;
}

/// Protocol hooks for declare and counterfactual deployment (§7.1).
#[starknet::interface]
pub trait IDeployable<TState> {
    fn __validate_declare__(self: @TState, class_hash: felt252) -> felt252;
    fn __validate_deploy__(
        self: @TState, class_hash: felt252, contract_address_salt: felt252, owner: OwnerKey,
    ) -> felt252;
}

/// SRC-5: interface introspection.
#[starknet::interface]
pub trait ISRC5<TState> {
    fn supports_interface(self: @TState, interface_id: felt252) -> bool;
}

/// The owner key and what only the owner may do with the account (§6, §7.3).
#[starknet::interface]
pub trait IOwner<TState> {
    /// The owner's id: a Stark owner's key; for another kind, the Poseidon
    /// hash of its layout (§7).
    fn get_owner(self: @TState) -> felt252;
    /// The owner key, of whatever kind (§2.1).
    fn get_owner_key(self: @TState) -> OwnerKey;
    /// How many times the owner key was rotated (bound into authorizations,
    /// §1.2).
    fn get_owner_rotations(self: @TState) -> u64;
    /// Owner only: rotates the owner key; `(signature_r, signature_s)` proves
    /// the new key is held.
    fn set_owner(ref self: TState, new_owner: felt252, signature_r: felt252, signature_s: felt252);
    /// Owner only: rotates the owner to a key of any kind; `proof` is the
    /// new key's signature, in its layout, of the rotation message (§7.3).
    fn set_owner_key(ref self: TState, new_owner: OwnerKey, proof: Span<felt252>);
    /// Owner only: replaces the account's class.
    fn upgrade(ref self: TState, new_class_hash: ClassHash);
}

/// Session management (§3, §5, §6).
#[starknet::interface]
pub trait ISessionAccount<TState> {
    /// Owner only (§3.1).
    fn register_session(ref self: TState, policy: SessionPolicy);
    /// Owner, or the session itself (§4.6).
    fn revoke_session(ref self: TState, session_key: felt252);
    /// The session signing the running execution, only (§5).
    fn renew_session(ref self: TState);
    /// Owner only: ends every session at once (§6).
    fn revoke_all_sessions(ref self: TState);
    /// Owner only: sets every allowance the session granted back to zero
    /// (§4.10), e.g. in the transaction that revokes it.
    fn clear_session_allowances(ref self: TState, session_key: felt252);
}

/// Read-only views of the sessions (§8).
#[starknet::interface]
pub trait ISessionViews<TState> {
    fn get_revocation_epoch(self: @TState) -> u64;
    fn get_session(self: @TState, session_key: felt252) -> SessionStatus;
    fn get_allowed_calls(self: @TState, session_key: felt252) -> Array<AllowedContract>;
    fn get_spending(self: @TState, session_key: felt252) -> Array<TokenSpending>;
    /// The session's calldata rules (§4.8), per listed entrypoint in
    /// `allowed_calls` order, each entrypoint's in policy order.
    fn get_calldata_rules(self: @TState, session_key: felt252) -> Array<CalldataRule>;
    /// The spenders the session approved, once each, in the order they were
    /// recorded (§4.10); their allowances may since have been used or
    /// cleared.
    fn get_session_approvals(self: @TState, session_key: felt252) -> Array<SessionApproval>;
    /// Everything above about one session in one call: its status, allowed
    /// calls and spending.
    fn get_session_details(self: @TState, session_key: felt252) -> SessionDetails;
    fn session_hash(self: @TState, policy: SessionPolicy) -> felt252;
}

/// The read path of the draft session SNIP ("Session Keys for Smart
/// Accounts", starknet-io/SNIPs `SNIPS/snip-x.md`), so that its clients can
/// tell whether one of our sessions is usable, until when, and how many
/// calls and entrypoints it has (§8.1). Only this view: the draft's
/// mutators and signature layout are not ours, so its SRC-5 id is not
/// claimed.
#[starknet::interface]
pub trait ISessionKeyData<TState> {
    fn get_session_data(self: @TState, session_key: felt252) -> SessionData;
}

/// The draft SNIP's `SessionData`, filled from our session (§8.1).
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct SessionData {
    /// The last second the session is valid (ours is exclusive: our
    /// `valid_until - 1`); 0 when not registered, revoked or of an older
    /// epoch.
    pub valid_until: u64,
    /// Our `max_calls` and calls used (we count calls, the draft counts
    /// transactions), saturated to u32.
    pub max_calls: u32,
    pub calls_used: u32,
    /// How many entrypoints the policy lists, over all its contracts
    /// (`get_allowed_calls` says which, per contract).
    pub allowed_entrypoints_len: u32,
}

/// What the account reads of a limited token around a session's calls to
/// see what actually leaves the account (§4.4): its balance before and
/// after them, and, when the calls approve a spender, the allowance that
/// spender keeps after them.
#[starknet::interface]
pub trait IWatchedToken<TState> {
    fn balance_of(self: @TState, account: ContractAddress) -> u256;
    /// `spender` as the calldata of the approving call gave it.
    fn allowance(self: @TState, owner: ContractAddress, spender: felt252) -> u256;
}

/// SNIP-9 v2: outside execution (§11).
#[starknet::interface]
pub trait IOutsideExecution<TState> {
    fn execute_from_outside_v2(
        ref self: TState, outside_execution: OutsideExecution, signature: Span<felt252>,
    ) -> Array<Span<felt252>>;
    fn is_valid_outside_execution_nonce(self: @TState, nonce: felt252) -> bool;
}

/// Session-signed outside executions' nonces (§11): each session has a
/// nonce space of its own, apart from the owner's (which the SNIP-9 view
/// `is_valid_outside_execution_nonce` reports).
#[starknet::interface]
pub trait IOutsideExecutionNonces<TState> {
    fn is_valid_session_outside_nonce(self: @TState, session_key: felt252, nonce: felt252) -> bool;
}

/// The status view of one session (§8).
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct SessionStatus {
    pub registered: bool,
    pub revoked: bool,
    /// The session's epoch is the current revocation epoch.
    pub epoch_valid: bool,
    pub valid_after: u64,
    pub valid_until: u64,
    pub renewable: bool,
    /// `valid_until + grace_period`, or 0 when not renewable.
    pub grace_deadline: u128,
    /// 0 when not renewable.
    pub max_valid_until: u64,
    /// What one renewal extends the session by; 0 when not renewable.
    pub renewal_period: u64,
    /// Calls counted so far, reverted transactions included (§4.3f).
    pub calls_used: u64,
    pub calls_remaining: u64,
    pub max_calls_per_tx: u32,
    pub max_fee_per_tx: u128,
    /// The fee budget, what the session's transactions may have cost so far
    /// (their bounds' worst case, §4.7), and what is left.
    pub fee_budget: u128,
    pub fee_used: u128,
    pub fee_remaining: u128,
    /// Usable now (exact rule, block timestamp).
    pub active: bool,
}

/// A session's whole state (§8): what `get_session`, `get_allowed_calls`
/// and `get_spending` return, in one view.
#[derive(Drop, Serde, PartialEq, Debug)]
pub struct SessionDetails {
    pub status: SessionStatus,
    pub allowed_calls: Array<AllowedContract>,
    pub spending: Array<TokenSpending>,
}

/// One token's budget, for the spending view (§8): over the session's
/// life and, with a periodic limit (§4.9), in the window of the block's
/// timestamp.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct TokenSpending {
    pub token: ContractAddress,
    pub limit: u256,
    pub spent: u256,
    /// Seconds per window; 0 = no periodic limit (the window fields are
    /// then 0).
    pub period: u64,
    pub period_limit: u128,
    /// Spent in the current window.
    pub window_spent: u128,
    /// The first second of the next window, when what remains resets.
    pub window_resets_at: u128,
}

/// A spender a session approved on a token (§4.10): `spender` as the
/// approving call's calldata gave it.
#[derive(Copy, Drop, Serde, PartialEq, Debug, starknet::Store)]
pub struct SessionApproval {
    pub token: ContractAddress,
    pub spender: felt252,
}
