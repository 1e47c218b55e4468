//! Public interfaces of the session account. Implementations live in
//! `account.cairo`; ids and selectors are listed in docs/spec.md.

use starknet::ContractAddress;
use starknet::account::Call;
use session_account::session::policy::SessionPolicy;
use session_account::session::status::SessionStatus;

/// SRC-5 interface id of SRC-5 itself.
const ISRC5_ID: felt252 = 0x3f918d17e5ee77373b56385708f855659a07f75997f365cf87748628532a055;
/// SRC-5 interface id of SRC-6 (accounts).
const ISRC6_ID: felt252 = 0x2ceccef7f994940b3962a6c67e0ba4fcd37df7d131417c604f91e03caecc1cd;

/// SRC-6: the standard account interface.
#[starknet::interface]
trait ISRC6<TState> {
    fn __execute__(ref self: TState, calls: Array<Call>) -> Array<Span<felt252>>;
    fn __validate__(ref self: TState, calls: Array<Call>) -> felt252;
    /// Owner signatures only: returns 'VALID', or 0 for anything else.
    fn is_valid_signature(self: @TState, hash: felt252, signature: Array<felt252>) -> felt252;
}

/// Protocol hooks for declare and counterfactual deployment.
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

/// Session management. Mutating entrypoints are owner only: they must be
/// reached through an owner-signed transaction of this account.
#[starknet::interface]
trait ISessionAccount<TState> {
    fn register_session(ref self: TState, policy: SessionPolicy);
    fn revoke_session(ref self: TState, session_key: felt252);
    fn get_owner(self: @TState) -> felt252;
    fn get_session(self: @TState, session_key: felt252) -> SessionStatus;
    fn is_contract_allowed(self: @TState, session_key: felt252, contract: ContractAddress) -> bool;
}
