//! Public interfaces of the session account (§6, §7, §8). Implementations
//! live in `account.cairo`.

use starknet::{ClassHash, ContractAddress};
use starknet::account::Call;
use session_account::session::policy::{SessionPolicy, AllowedContract};
use session_account::session::status::{SessionStatus, TokenSpending};
use session_account::outside::OutsideExecution;

/// SRC-5 interface id of SRC-5 itself.
const ISRC5_ID: felt252 = 0x3f918d17e5ee77373b56385708f855659a07f75997f365cf87748628532a055;
/// SRC-5 interface id of SRC-6 (accounts).
const ISRC6_ID: felt252 = 0x2ceccef7f994940b3962a6c67e0ba4fcd37df7d131417c604f91e03caecc1cd;

/// SRC-6: the standard account interface.
#[starknet::interface]
trait ISRC6<TState> {
    fn __execute__(ref self: TState, calls: Array<Call>) -> Array<Span<felt252>>;
    fn __validate__(ref self: TState, calls: Array<Call>) -> felt252;
    /// Owner signatures only: returns 'VALID', or 0 for anything else (§7.2).
    fn is_valid_signature(self: @TState, hash: felt252, signature: Array<felt252>) -> felt252;
}

/// Protocol hooks for declare and counterfactual deployment (§7.1).
#[starknet::interface]
trait IDeployable<TState> {
    fn __validate_declare__(self: @TState, class_hash: felt252) -> felt252;
    fn __validate_deploy__(
        self: @TState, class_hash: felt252, contract_address_salt: felt252, owner_public_key: felt252
    ) -> felt252;
}

/// SRC-5: interface introspection.
#[starknet::interface]
trait ISRC5<TState> {
    fn supports_interface(self: @TState, interface_id: felt252) -> bool;
}

/// Session management (§3, §5, §6).
#[starknet::interface]
trait ISessionAccount<TState> {
    /// Owner only (§3.1).
    fn register_session(ref self: TState, policy: SessionPolicy);
    /// Owner, or the session itself (§4.6).
    fn revoke_session(ref self: TState, session_key: felt252);
    /// The session signing the current transaction, only (§5).
    fn renew_session(ref self: TState);
    /// Owner only: ends every session at once (§6).
    fn revoke_all_sessions(ref self: TState);
}

/// Owner administration (§6, §7.3).
#[starknet::interface]
trait IOwnerAdmin<TState> {
    fn set_owner(ref self: TState, new_owner: felt252, signature_r: felt252, signature_s: felt252);
    fn upgrade(ref self: TState, new_class_hash: ClassHash);
}

/// Read-only views (§8).
#[starknet::interface]
trait ISessionViews<TState> {
    fn get_owner(self: @TState) -> felt252;
    fn get_revocation_epoch(self: @TState) -> u64;
    fn get_session(self: @TState, session_key: felt252) -> SessionStatus;
    fn get_allowed_calls(self: @TState, session_key: felt252) -> Array<AllowedContract>;
    fn get_spending(self: @TState, session_key: felt252) -> Array<TokenSpending>;
    fn session_hash(self: @TState, policy: SessionPolicy) -> felt252;
}

/// SNIP-9 v2: outside execution (§11).
#[starknet::interface]
trait IOutsideExecution<TState> {
    fn execute_from_outside_v2(
        ref self: TState, outside_execution: OutsideExecution, signature: Array<felt252>
    ) -> Array<Span<felt252>>;
    fn is_valid_outside_execution_nonce(self: @TState, nonce: felt252) -> bool;
}
