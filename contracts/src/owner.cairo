//! The owner of the account (§6, §7): one Stark key that signs owner
//! transactions, answers `is_valid_signature`, and alone may reach the
//! account's admin entrypoints.

/// Message prefix of the new owner's proof of possession (§7.3).
pub const SET_OWNER_PREFIX: felt252 = 'session-account/set-owner';

#[starknet::component]
pub mod OwnerComponent {
    use core::num::traits::Zero;
    use core::poseidon::poseidon_hash_span;
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::syscalls::replace_class_syscall;
    use starknet::{ClassHash, SyscallResultTrait, VALIDATED, get_contract_address};
    use crate::execution::{Signer, SignerContext};
    use crate::interface::IOwner;
    use crate::signature::{is_owner_layout, is_valid_stark_signature};
    use super::SET_OWNER_PREFIX;

    #[storage]
    pub struct Storage {
        pub Owner_public_key: felt252,
        /// How many times `set_owner` rotated the key (§7.3).
        pub Owner_rotations: u64,
    }

    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        OwnerChanged: OwnerChanged,
        Upgraded: Upgraded,
    }

    /// Emitted when `set_owner` rotates the owner key (§7.3).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct OwnerChanged {
        pub old_owner: felt252,
        pub new_owner: felt252,
    }

    /// Emitted when `upgrade` replaces the account's class (§6).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct Upgraded {
        pub class_hash: ClassHash,
    }

    pub mod Errors {
        pub const ONLY_OWNER: felt252 = 'account/only-owner';
        pub const INVALID_OWNER_KEY: felt252 = 'account/invalid-owner-key';
        pub const INVALID_CLASS_HASH: felt252 = 'account/invalid-class-hash';
    }

    #[embeddable_as(OwnerImpl)]
    impl Owner<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        +Drop<TContractState>,
    > of IOwner<ComponentState<TContractState>> {
        fn get_owner(self: @ComponentState<TContractState>) -> felt252 {
            self.Owner_public_key.read()
        }

        fn get_owner_rotations(self: @ComponentState<TContractState>) -> u64 {
            self.Owner_rotations.read()
        }

        /// Rotates the owner key (§7.3).
        ///
        /// Requirements: owner only (§6); `(signature_r, signature_s)` is
        /// `new_owner`'s signature of `Poseidon('session-account/set-owner',
        /// chain_id, account, old_owner, new_owner)`, and `new_owner != 0`.
        /// Counts the rotation, which voids every unused authorization (§1.2),
        /// even one signed by a key the owner rotates back to.
        ///
        /// Emits `OwnerChanged`.
        fn set_owner(
            ref self: ComponentState<TContractState>,
            new_owner: felt252,
            signature_r: felt252,
            signature_s: felt252,
        ) {
            self.assert_only_owner();
            let old_owner = self.Owner_public_key.read();
            let proof = poseidon_hash_span(
                array![
                    SET_OWNER_PREFIX, starknet::get_tx_info().chain_id,
                    get_contract_address().into(), old_owner, new_owner,
                ]
                    .span(),
            );
            assert(
                is_valid_stark_signature(proof, new_owner, signature_r, signature_s),
                Errors::INVALID_OWNER_KEY,
            );
            self.Owner_public_key.write(new_owner);
            self.Owner_rotations.write(self.Owner_rotations.read() + 1);
            self.emit(OwnerChanged { old_owner, new_owner });
        }

        /// Replaces the account's class.
        ///
        /// Requirements: owner only (§6); `new_class_hash` is not zero.
        ///
        /// Emits `Upgraded`.
        fn upgrade(ref self: ComponentState<TContractState>, new_class_hash: ClassHash) {
            self.assert_only_owner();
            assert(!new_class_hash.is_zero(), Errors::INVALID_CLASS_HASH);
            replace_class_syscall(new_class_hash).unwrap_syscall();
            self.emit(Upgraded { class_hash: new_class_hash });
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        +Drop<TContractState>,
    > of InternalTrait<TContractState> {
        /// Sets the first owner key. Requirements: not zero.
        fn initializer(ref self: ComponentState<TContractState>, owner_public_key: felt252) {
            assert(owner_public_key != 0, Errors::INVALID_OWNER_KEY);
            self.Owner_public_key.write(owner_public_key);
        }

        fn public_key(self: @ComponentState<TContractState>) -> felt252 {
            self.Owner_public_key.read()
        }

        fn rotations(self: @ComponentState<TContractState>) -> u64 {
            self.Owner_rotations.read()
        }

        /// Whether `(r, s)` is the owner key's signature of `hash`.
        fn is_owner_signature(
            self: @ComponentState<TContractState>, hash: felt252, r: felt252, s: felt252,
        ) -> bool {
            is_valid_stark_signature(hash, self.Owner_public_key.read(), r, s)
        }

        /// SRC-6 `is_valid_signature` (§7.2): `'VALID'` for an owner
        /// signature `[r, s]` of `hash`, 0 for anything else, including
        /// valid session signatures.
        fn is_valid_signature(
            self: @ComponentState<TContractState>, hash: felt252, signature: Span<felt252>,
        ) -> felt252 {
            if is_owner_layout(signature)
                && self.is_owner_signature(hash, *signature[0], *signature[1]) {
                VALIDATED
            } else {
                0
            }
        }

        /// Owner-only entrypoints (§6): the account calling itself, in an
        /// execution the owner signed (a transaction, or an outside
        /// execution).
        fn assert_only_owner(self: @ComponentState<TContractState>) {
            let Some(call) = self.get_contract().self_call() else {
                core::panic_with_felt252(Errors::ONLY_OWNER)
            };
            assert(call.signer == Signer::Owner, Errors::ONLY_OWNER);
        }
    }
}
