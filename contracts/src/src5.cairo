//! SRC-5 interface introspection: the account answers `supports_interface`
//! for the ids its components register (SRC-5, SRC-6, SNIP-9 v2).

#[starknet::component]
pub mod SRC5Component {
    use starknet::storage::{Map, StorageMapReadAccess, StorageMapWriteAccess};
    use crate::interface::{ISRC5, ISRC5_ID};

    #[storage]
    pub struct Storage {
        pub SRC5_supported: Map<felt252, bool>,
    }

    #[embeddable_as(SRC5Impl)]
    impl SRC5<
        TContractState, +HasComponent<TContractState>,
    > of ISRC5<ComponentState<TContractState>> {
        fn supports_interface(
            self: @ComponentState<TContractState>, interface_id: felt252,
        ) -> bool {
            interface_id == ISRC5_ID || self.SRC5_supported.read(interface_id)
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState, +HasComponent<TContractState>,
    > of InternalTrait<TContractState> {
        /// Declares that the account supports `interface_id`.
        fn register_interface(ref self: ComponentState<TContractState>, interface_id: felt252) {
            self.SRC5_supported.write(interface_id, true);
        }
    }
}
