//! A token whose `balance_of` calls out: the hostile limited token of §4.4
//! and §11. Armed with a call, the next `balance_of` makes that call once
//! (e.g. an outside execution of the account reading the balance) and
//! records how it ended, so a test can tell whether the account let a
//! nested session execution run while it watched its balance.

use starknet::ContractAddress;

#[starknet::interface]
pub trait IHookedToken<T> {
    fn mint(ref self: T, to: ContractAddress, amount: u256);
    /// The balance; if armed, first makes the armed call (once).
    fn balance_of(self: @T, account: ContractAddress) -> u256;
    fn allowance(self: @T, owner: ContractAddress, spender: ContractAddress) -> u256;
    fn transfer(ref self: T, recipient: ContractAddress, amount: u256) -> bool;
    /// The next `balance_of` calls `selector` of `target` with `calldata`
    /// (replacing any call armed before; the result reads 0 until it fires).
    fn arm(ref self: T, target: ContractAddress, selector: felt252, calldata: Array<felt252>);
    /// Forgets the armed call and how the last one ended.
    fn disarm(ref self: T);
    /// Makes the armed call and disarms (what `balance_of` runs).
    fn fire(ref self: T);
    /// How the armed call ended: `'hook/ok'`, the first felt of its panic
    /// data, or 0 if it never fired.
    fn hook_result(self: @T) -> felt252;
}

#[starknet::contract]
pub mod HookedToken {
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use starknet::syscalls::call_contract_syscall;
    use starknet::{ContractAddress, SyscallResultTrait, get_caller_address, get_contract_address};

    pub const HOOK_OK: felt252 = 'hook/ok';

    #[storage]
    struct Storage {
        balances: Map<ContractAddress, u256>,
        armed: bool,
        target: ContractAddress,
        selector: felt252,
        calldata: Map<u32, felt252>,
        calldata_len: u32,
        result: felt252,
    }

    #[abi(embed_v0)]
    impl HookedTokenImpl of super::IHookedToken<ContractState> {
        fn mint(ref self: ContractState, to: ContractAddress, amount: u256) {
            self.balances.write(to, self.balances.read(to) + amount);
        }

        fn balance_of(self: @ContractState, account: ContractAddress) -> u256 {
            if self.armed.read() {
                call_contract_syscall(get_contract_address(), selector!("fire"), array![].span())
                    .unwrap_syscall();
            }
            self.balances.read(account)
        }

        fn allowance(
            self: @ContractState, owner: ContractAddress, spender: ContractAddress,
        ) -> u256 {
            0
        }

        fn transfer(ref self: ContractState, recipient: ContractAddress, amount: u256) -> bool {
            let sender = get_caller_address();
            let balance = self.balances.read(sender);
            assert(balance >= amount, 'token/insufficient-balance');
            self.balances.write(sender, balance - amount);
            self.balances.write(recipient, self.balances.read(recipient) + amount);
            true
        }

        fn arm(
            ref self: ContractState,
            target: ContractAddress,
            selector: felt252,
            calldata: Array<felt252>,
        ) {
            self.armed.write(true);
            self.target.write(target);
            self.selector.write(selector);
            self.result.write(0);
            let mut len = 0;
            for word in calldata {
                self.calldata.write(len, word);
                len += 1;
            }
            self.calldata_len.write(len);
        }

        fn disarm(ref self: ContractState) {
            self.armed.write(false);
            self.result.write(0);
        }

        fn fire(ref self: ContractState) {
            if !self.armed.read() {
                return;
            }
            self.armed.write(false);
            let mut calldata = array![];
            for i in 0..self.calldata_len.read() {
                calldata.append(self.calldata.read(i));
            }
            let result =
                match call_contract_syscall(
                    self.target.read(), self.selector.read(), calldata.span(),
                ) {
                Ok(_) => HOOK_OK,
                Err(panic_data) => *panic_data[0],
            };
            self.result.write(result);
        }

        fn hook_result(self: @ContractState) -> felt252 {
            self.result.read()
        }
    }
}
