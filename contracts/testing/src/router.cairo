//! A router for tests: moves tokens with `transfer_from`, using allowances
//! that owners gave it earlier. A session that may call the router (but not
//! the token) can make it pull the account's tokens: the indirect spending
//! the account's limits must see (spec §4.4).

use starknet::ContractAddress;

#[starknet::interface]
pub trait ITestRouter<T> {
    /// Moves `amount` of `token` from `from` to `to`, through the allowance
    /// `from` gave this router.
    fn pull(
        ref self: T,
        token: ContractAddress,
        from: ContractAddress,
        to: ContractAddress,
        amount: u256,
    );
}

#[starknet::contract]
pub mod TestRouter {
    use starknet::ContractAddress;
    use crate::token::{ITestTokenDispatcher, ITestTokenDispatcherTrait};

    #[storage]
    struct Storage {}

    #[abi(embed_v0)]
    impl TestRouterImpl of super::ITestRouter<ContractState> {
        fn pull(
            ref self: ContractState,
            token: ContractAddress,
            from: ContractAddress,
            to: ContractAddress,
            amount: u256,
        ) {
            ITestTokenDispatcher { contract_address: token }.transfer_from(from, to, amount);
        }
    }
}
