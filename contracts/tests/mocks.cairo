//! Contracts the tests deploy next to the account: a token with every
//! selector the account meters (and one it does not), and a target that
//! records calls and can call back into the account.

use session_account::outside_execution::OutsideExecution;
use starknet::ContractAddress;
use starknet::account::Call;

#[starknet::interface]
pub trait IMockToken<T> {
    fn mint(ref self: T, to: ContractAddress, amount: u256);
    fn balance_of(self: @T, account: ContractAddress) -> u256;
    fn allowance(self: @T, owner: ContractAddress, spender: ContractAddress) -> u256;
    fn transfer(ref self: T, recipient: ContractAddress, amount: u256) -> bool;
    fn approve(ref self: T, spender: ContractAddress, amount: u256) -> bool;
    fn increase_allowance(ref self: T, spender: ContractAddress, added_value: u256) -> bool;
    fn decrease_allowance(ref self: T, spender: ContractAddress, subtracted_value: u256) -> bool;
    fn transfer_from(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
    fn transferFrom(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
    fn increaseAllowance(ref self: T, spender: ContractAddress, addedValue: u256) -> bool;
}

#[starknet::contract]
pub mod MockToken {
    use starknet::storage::{Map, StorageMapReadAccess, StorageMapWriteAccess};
    use starknet::{ContractAddress, get_caller_address};

    #[storage]
    struct Storage {
        balances: Map<ContractAddress, u256>,
        allowances: Map<(ContractAddress, ContractAddress), u256>,
    }

    #[abi(embed_v0)]
    impl MockTokenImpl of super::IMockToken<ContractState> {
        fn mint(ref self: ContractState, to: ContractAddress, amount: u256) {
            self.balances.write(to, self.balances.read(to) + amount);
        }

        fn balance_of(self: @ContractState, account: ContractAddress) -> u256 {
            self.balances.read(account)
        }

        fn allowance(
            self: @ContractState, owner: ContractAddress, spender: ContractAddress,
        ) -> u256 {
            self.allowances.read((owner, spender))
        }

        fn transfer(ref self: ContractState, recipient: ContractAddress, amount: u256) -> bool {
            self.move_tokens(get_caller_address(), recipient, amount);
            true
        }

        fn approve(ref self: ContractState, spender: ContractAddress, amount: u256) -> bool {
            self.allowances.write((get_caller_address(), spender), amount);
            true
        }

        fn increase_allowance(
            ref self: ContractState, spender: ContractAddress, added_value: u256,
        ) -> bool {
            let key = (get_caller_address(), spender);
            self.allowances.write(key, self.allowances.read(key) + added_value);
            true
        }

        fn decrease_allowance(
            ref self: ContractState, spender: ContractAddress, subtracted_value: u256,
        ) -> bool {
            let key = (get_caller_address(), spender);
            self.allowances.write(key, self.allowances.read(key) - subtracted_value);
            true
        }

        fn transfer_from(
            ref self: ContractState,
            sender: ContractAddress,
            recipient: ContractAddress,
            amount: u256,
        ) -> bool {
            let key = (sender, get_caller_address());
            let allowed = self.allowances.read(key);
            assert(allowed >= amount, 'token/allowance');
            self.allowances.write(key, allowed - amount);
            self.move_tokens(sender, recipient, amount);
            true
        }

        fn transferFrom(
            ref self: ContractState,
            sender: ContractAddress,
            recipient: ContractAddress,
            amount: u256,
        ) -> bool {
            self.transfer_from(sender, recipient, amount)
        }

        fn increaseAllowance(
            ref self: ContractState, spender: ContractAddress, addedValue: u256,
        ) -> bool {
            self.increase_allowance(spender, addedValue)
        }
    }

    #[generate_trait]
    impl Internal of InternalTrait {
        fn move_tokens(
            ref self: ContractState, from: ContractAddress, to: ContractAddress, amount: u256,
        ) {
            let balance = self.balances.read(from);
            assert(balance >= amount, 'token/balance');
            self.balances.write(from, balance - amount);
            self.balances.write(to, self.balances.read(to) + amount);
        }
    }
}

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
