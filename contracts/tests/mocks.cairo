//! A target the tests deploy next to the account: it records calls and can
//! call back into the account. (The token and the router the tests use are
//! `session_account_testing`'s, shared with the end-to-end tests.)

use session_account::outside_execution::OutsideExecution;
use starknet::ContractAddress;
use starknet::account::Call;

#[starknet::interface]
pub trait IMockTarget<T> {
    fn play(ref self: T, move: felt252) -> felt252;
    fn plays(self: @T) -> u32;
    /// Calls `selector` of `account` with `calldata`: an allowed contract
    /// trying to reach the account's entrypoints.
    fn call_account(
        ref self: T, account: ContractAddress, selector: felt252, calldata: Span<felt252>,
    );
    /// Submits an outside execution to `account` from inside a call.
    fn relay(
        ref self: T,
        account: ContractAddress,
        outside_execution: OutsideExecution,
        signature: Span<felt252>,
    );
    fn fail(ref self: T);
}

#[starknet::contract]
pub mod MockTarget {
    use session_account::interface::{IOutsideExecutionDispatcher, IOutsideExecutionDispatcherTrait};
    use session_account::outside_execution::OutsideExecution;
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::syscalls::call_contract_syscall;
    use starknet::{ContractAddress, SyscallResultTrait};

    #[storage]
    struct Storage {
        plays: u32,
    }

    #[abi(embed_v0)]
    impl MockTargetImpl of super::IMockTarget<ContractState> {
        fn play(ref self: ContractState, move: felt252) -> felt252 {
            self.plays.write(self.plays.read() + 1);
            move
        }

        fn plays(self: @ContractState) -> u32 {
            self.plays.read()
        }

        fn call_account(
            ref self: ContractState,
            account: ContractAddress,
            selector: felt252,
            calldata: Span<felt252>,
        ) {
            call_contract_syscall(account, selector, calldata).unwrap_syscall();
        }

        fn relay(
            ref self: ContractState,
            account: ContractAddress,
            outside_execution: OutsideExecution,
            signature: Span<felt252>,
        ) {
            IOutsideExecutionDispatcher { contract_address: account }
                .execute_from_outside_v2(outside_execution, signature);
        }

        fn fail(ref self: ContractState) {
            core::panic_with_felt252('target/failed');
        }
    }
}

/// A call to `to`.
pub fn call(to: ContractAddress, selector: felt252, calldata: Array<felt252>) -> Call {
    Call { to, selector, calldata: calldata.span() }
}
