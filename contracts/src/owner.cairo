//! The owner of the account (§6, §7): one key, of any kind (a Stark key, a
//! raw P-256 key, a passkey: `signers::owner_key`), that signs owner
//! transactions, answers `is_valid_signature`, authorizes sessions, and
//! alone may reach the account's admin entrypoints.

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
    use crate::signature::{OwnerSignature, StarkSignature, parse_owner_signature};
    use crate::signers::owner_key::{
        OwnerKey, check_owner_signature, check_stark_signature, is_well_formed, owner_id,
    };
    use super::SET_OWNER_PREFIX;

    /// A Stark owner is one slot, read by every owner path as before other
    /// kinds existed; any other kind is in `Owner_key`, read only when
    /// `Owner_public_key` is 0.
    #[storage]
    pub struct Storage {
        /// The owner's Stark key; 0 when the owner is of another kind.
        pub Owner_public_key: felt252,
        /// A P-256 or WebAuthn owner (the default, `Stark(0)`, otherwise).
        pub Owner_key: OwnerKey,
        /// How many times `set_owner` rotated the key (§7.3).
        pub Owner_rotations: u64,
    }

    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        OwnerChanged: OwnerChanged,
        Upgraded: Upgraded,
    }

    /// Emitted when `set_owner` or `set_owner_key` rotates the owner (§7.3):
    /// the owners' ids (a Stark key itself; for another kind, the Poseidon
    /// hash of its layout).
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
            owner_id(@self.owner_key())
        }

        fn get_owner_key(self: @ComponentState<TContractState>) -> OwnerKey {
            self.owner_key()
        }

        fn get_owner_rotations(self: @ComponentState<TContractState>) -> u64 {
            self.Owner_rotations.read()
        }

        /// Rotates the owner to the Stark key `new_owner` (§7.3): the
        /// Stark form of `set_owner_key`, `(signature_r, signature_s)` its
        /// proof.
        ///
        /// Emits `OwnerChanged`.
        fn set_owner(
            ref self: ComponentState<TContractState>,
            new_owner: felt252,
            signature_r: felt252,
            signature_s: felt252,
        ) {
            let proof = OwnerSignature::Stark(StarkSignature { r: signature_r, s: signature_s });
            self.rotate(OwnerKey::Stark(new_owner), @proof);
        }

        /// Rotates the owner to `new_owner`, of any kind (§7.3).
        ///
        /// Requirements: owner only (§6); `new_owner` is well formed (a
        /// Stark key not 0, a P-256 key on the curve, a passkey with its
        /// relying party and origin); `proof` is `new_owner`'s signature,
        /// in its layout (§2.1), of `Poseidon('session-account/set-owner',
        /// chain_id, account, old owner id, new owner id)`. Counts the
        /// rotation, which voids every unused authorization (§1.2), even one
        /// signed by a key the owner rotates back to.
        ///
        /// Emits `OwnerChanged`.
        fn set_owner_key(
            ref self: ComponentState<TContractState>, new_owner: OwnerKey, proof: Span<felt252>,
        ) {
            let Some(proof) = parse_owner_signature(proof) else {
                core::panic_with_felt252(Errors::INVALID_OWNER_KEY)
            };
            self.rotate(new_owner, @proof);
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
        /// Sets the first owner. Requirements: well formed (see
        /// `set_owner_key`).
        fn initializer(ref self: ComponentState<TContractState>, owner: OwnerKey) {
            assert(is_well_formed(@owner), Errors::INVALID_OWNER_KEY);
            self.store_owner(owner);
        }

        /// The owner key, of whatever kind.
        fn owner_key(self: @ComponentState<TContractState>) -> OwnerKey {
            let stark = self.Owner_public_key.read();
            if stark != 0 {
                return OwnerKey::Stark(stark);
            }
            self.Owner_key.read()
        }

        fn rotations(self: @ComponentState<TContractState>) -> u64 {
            self.Owner_rotations.read()
        }

        /// Checks that `signature` is the owner's signature of `hash`
        /// (§2.1): the error of `signers::owner_key::check_owner_signature`
        /// otherwise.
        fn check_owner_signature(
            self: @ComponentState<TContractState>, hash: felt252, signature: @OwnerSignature,
        ) -> Result<(), felt252> {
            // A Stark owner, the common case, without building an `OwnerKey`.
            let stark = self.Owner_public_key.read();
            if stark != 0 {
                return check_stark_signature(stark, hash, signature);
            }
            check_owner_signature(@self.Owner_key.read(), hash, signature)
        }

        /// Whether `signature` is the owner's signature of `hash`.
        fn is_owner_signature(
            self: @ComponentState<TContractState>, hash: felt252, signature: @OwnerSignature,
        ) -> bool {
            self.check_owner_signature(hash, signature).is_ok()
        }

        /// SRC-6 `is_valid_signature` (§7.2): `'VALID'` for an owner
        /// signature of `hash` in the owner's layout, 0 for anything else,
        /// including valid session signatures. Never panics.
        fn is_valid_signature(
            self: @ComponentState<TContractState>, hash: felt252, signature: Span<felt252>,
        ) -> felt252 {
            match parse_owner_signature(signature) {
                Some(owner) => if self.is_owner_signature(hash, @owner) {
                    VALIDATED
                } else {
                    0
                },
                None => 0,
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

        /// §7.3: replaces the owner by `new_owner` once `proof` shows it is
        /// held.
        fn rotate(
            ref self: ComponentState<TContractState>, new_owner: OwnerKey, proof: @OwnerSignature,
        ) {
            self.assert_only_owner();
            assert(is_well_formed(@new_owner), Errors::INVALID_OWNER_KEY);
            let old_owner = owner_id(@self.owner_key());
            let new_id = owner_id(@new_owner);
            let message = poseidon_hash_span(
                array![
                    SET_OWNER_PREFIX, starknet::get_tx_info().chain_id,
                    get_contract_address().into(), old_owner, new_id,
                ]
                    .span(),
            );
            assert(
                check_owner_signature(@new_owner, message, proof).is_ok(),
                Errors::INVALID_OWNER_KEY,
            );
            self.store_owner(new_owner);
            self.Owner_rotations.write(self.Owner_rotations.read() + 1);
            self.emit(OwnerChanged { old_owner, new_owner: new_id });
        }

        /// Stores `owner`, clearing what another kind left.
        fn store_owner(ref self: ComponentState<TContractState>, owner: OwnerKey) {
            if let OwnerKey::Stark(key) = @owner {
                if self.Owner_public_key.read() == 0 {
                    self.Owner_key.write(OwnerKey::Stark(0));
                }
                self.Owner_public_key.write(*key);
            } else {
                self.Owner_public_key.write(0);
                self.Owner_key.write(owner);
            }
        }
    }
}
