//! A plain ERC-20 for tests: anyone may mint. Both spellings of the
//! allowance entrypoints, and `decrease_allowance`, which the account does
//! not meter.

use starknet::ContractAddress;

#[starknet::interface]
pub trait ITestToken<T> {
    fn mint(ref self: T, to: ContractAddress, amount: u256);
    fn balance_of(self: @T, account: ContractAddress) -> u256;
    fn allowance(self: @T, owner: ContractAddress, spender: ContractAddress) -> u256;
    fn transfer(ref self: T, recipient: ContractAddress, amount: u256) -> bool;
    fn approve(ref self: T, spender: ContractAddress, amount: u256) -> bool;
    fn increase_allowance(ref self: T, spender: ContractAddress, added_value: u256) -> bool;
    fn increaseAllowance(ref self: T, spender: ContractAddress, addedValue: u256) -> bool;
    fn decrease_allowance(ref self: T, spender: ContractAddress, subtracted_value: u256) -> bool;
    fn transfer_from(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
    fn transferFrom(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
}

#[starknet::contract]
pub mod TestToken {
    use starknet::storage::{Map, StorageMapReadAccess, StorageMapWriteAccess};
    use starknet::{ContractAddress, get_caller_address};

    #[storage]
    struct Storage {
        balances: Map<ContractAddress, u256>,
        allowances: Map<(ContractAddress, ContractAddress), u256>,
    }

    pub mod Errors {
        pub const INSUFFICIENT_BALANCE: felt252 = 'token/insufficient-balance';
        pub const INSUFFICIENT_ALLOWANCE: felt252 = 'token/insufficient-allowance';
    }

    #[abi(embed_v0)]
    impl TestTokenImpl of super::ITestToken<ContractState> {
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

        fn increaseAllowance(
            ref self: ContractState, spender: ContractAddress, addedValue: u256,
        ) -> bool {
            self.increase_allowance(spender, addedValue)
        }

        fn decrease_allowance(
            ref self: ContractState, spender: ContractAddress, subtracted_value: u256,
        ) -> bool {
            let key = (get_caller_address(), spender);
            let allowed = self.allowances.read(key);
            assert(allowed >= subtracted_value, Errors::INSUFFICIENT_ALLOWANCE);
            self.allowances.write(key, allowed - subtracted_value);
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
            assert(allowed >= amount, Errors::INSUFFICIENT_ALLOWANCE);
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
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn move_tokens(
            ref self: ContractState, from: ContractAddress, to: ContractAddress, amount: u256,
        ) {
            let balance = self.balances.read(from);
            assert(balance >= amount, Errors::INSUFFICIENT_BALANCE);
            self.balances.write(from, balance - amount);
            self.balances.write(to, self.balances.read(to) + amount);
        }
    }
}
