//! A view that calls other views: the fuzzer reads every session of the
//! account, the test token's balances and allowances and the account's
//! STRK in one `starknet_call` instead of one each (a node's per-call
//! overhead dwarfs what these views execute).

use starknet::account::Call;

#[starknet::interface]
pub trait IViewBatch<T> {
    /// The results of `calls`, made in order as views (a failing call fails
    /// the whole batch).
    fn call_views(self: @T, calls: Array<Call>) -> Array<Span<felt252>>;
}

#[starknet::contract]
pub mod ViewBatch {
    use starknet::SyscallResultTrait;
    use starknet::account::Call;
    use starknet::syscalls::call_contract_syscall;

    #[storage]
    struct Storage {}

    #[abi(embed_v0)]
    impl ViewBatchImpl of super::IViewBatch<ContractState> {
        fn call_views(self: @ContractState, calls: Array<Call>) -> Array<Span<felt252>> {
            let mut results = array![];
            for call in calls {
                let Call { to, selector, calldata } = call;
                results.append(call_contract_syscall(to, selector, calldata).unwrap_syscall());
            }
            results
        }
    }
}
