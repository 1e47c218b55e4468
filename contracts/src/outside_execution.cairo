//! SNIP-9 v2 outside execution (§11): a relayer submits calls the owner or
//! a session signed, and pays for them. The component checks that no other
//! execution of a session or outside execution is running, the caller, the
//! time window and the nonce; the contract decides what the signature
//! authorizes (the owner, or a session under its policy) through
//! [`OutsideExecutionHooks`], and runs the calls as their signer with
//! `run_as`, which records the running signer.

pub mod hash;
pub use hash::outside_execution_hash;
use starknet::ContractAddress;
use starknet::account::Call;
use crate::execution::TxContext;

/// `caller` value that lets anyone submit the outside execution.
pub const ANY_CALLER: felt252 = 'ANY_CALLER';

#[derive(Copy, Drop, Serde, Debug)]
pub struct OutsideExecution {
    /// Who may submit it, or `'ANY_CALLER'`.
    pub caller: ContractAddress,
    pub nonce: felt252,
    /// Valid strictly after this time...
    pub execute_after: u64,
    /// ...and strictly before this one.
    pub execute_before: u64,
    pub calls: Span<Call>,
}

pub mod Errors {
    pub const INVALID_CALLER: felt252 = 'outside/invalid-caller';
    pub const TOO_EARLY: felt252 = 'outside/too-early';
    pub const EXPIRED: felt252 = 'outside/expired';
    pub const NONCE_USED: felt252 = 'outside/nonce-used';
    pub const REENTRANT: felt252 = 'outside/reentrant-call';
}

/// Implemented by the contract: checks what `signature` (of the outside
/// execution's `hash`) authorizes, panicking unless it authorizes `calls`,
/// then runs them as their signer and returns their results. The signer
/// is entered as the running signer (`OutsideExecutionComponent`'s
/// `enter`, `exit`, or `run_as` for both) before anything it does can call
/// out of the account, and left only when nothing more is checked: it is
/// the reentrancy guard.
pub trait OutsideExecutionHooks<TContractState> {
    fn execute_authorized(
        ref self: TContractState,
        hash: felt252,
        signature: Span<felt252>,
        nonce: felt252,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> Array<Span<felt252>>;
}

/// §11: the submitter is the named caller (or anyone, for `ANY_CALLER`),
/// and `execute_after < now < execute_before`, with the exact clock.
pub fn check_caller_and_window(
    execution: @OutsideExecution, caller: ContractAddress, now: u64,
) -> Result<(), felt252> {
    let named: felt252 = (*execution.caller).into();
    if named != ANY_CALLER && *execution.caller != caller {
        return Err(Errors::INVALID_CALLER);
    }
    if now <= *execution.execute_after {
        return Err(Errors::TOO_EARLY);
    }
    if now >= *execution.execute_before {
        return Err(Errors::EXPIRED);
    }
    Ok(())
}

#[starknet::component]
pub mod OutsideExecutionComponent {
    use starknet::account::Call;
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use crate::execution::{Signer, SignerContext, execute_calls, tx_context};
    use crate::interface::{
        IOutsideExecution, IOutsideExecutionNonces, ISRC5_OUTSIDE_EXECUTION_V2_ID,
    };
    use crate::signature::session_key_of;
    use crate::src5::SRC5Component;
    use crate::src5::SRC5Component::InternalImpl as SRC5Internal;
    use crate::verdict::unwrap_or_panic;
    use super::{
        Errors, OutsideExecution, OutsideExecutionHooks, check_caller_and_window,
        outside_execution_hash,
    };

    #[storage]
    pub struct Storage {
        /// Nonces of owner-signed executions used so far; each works once.
        pub SNIP9_nonces: Map<felt252, bool>,
        /// Nonces of session-signed executions, per session key: a session
        /// can use up neither the owner's nonces nor another session's.
        pub SNIP9_session_nonces: Map<(felt252, felt252), bool>,
        /// Who signed the outside execution running now; `None` otherwise
        /// (also the reentrancy guard).
        pub SNIP9_signer: Signer,
    }

    #[embeddable_as(OutsideExecutionV2Impl)]
    impl OutsideExecutionV2<
        TContractState,
        +HasComponent<TContractState>,
        +OutsideExecutionHooks<TContractState>,
        +SignerContext<TContractState>,
        +Drop<TContractState>,
    > of IOutsideExecution<ComponentState<TContractState>> {
        /// Runs `outside_execution.calls` as their signer (§11).
        ///
        /// Requirements, in order: no outside execution, and no session
        /// transaction of this account, is running; the caller is the named
        /// one; `execute_after < now < execute_before`; the nonce is unused
        /// in the signer's nonce space (it is marked used); the signature
        /// authorizes the calls (`OutsideExecutionHooks`).
        fn execute_from_outside_v2(
            ref self: ComponentState<TContractState>,
            outside_execution: OutsideExecution,
            signature: Span<felt252>,
        ) -> Array<Span<felt252>> {
            assert(self.SNIP9_signer.read() == Signer::None, Errors::REENTRANT);
            match self.get_contract().running_signer() {
                Signer::Session(_) => core::panic_with_felt252(Errors::REENTRANT),
                _ => {},
            }
            let ctx = tx_context();
            unwrap_or_panic(check_caller_and_window(@outside_execution, ctx.caller, ctx.now));
            let nonce = outside_execution.nonce;
            self.use_nonce(session_key_of(signature), nonce);
            let hash = outside_execution_hash(@outside_execution, ctx.account, ctx.chain_id);
            let mut contract = self.get_contract_mut();
            contract.execute_authorized(hash, signature, nonce, outside_execution.calls, @ctx)
        }

        /// Whether `nonce` is unused by the owner's outside executions (the
        /// SNIP-9 view; a session's nonces: `is_valid_session_outside_nonce`).
        fn is_valid_outside_execution_nonce(
            self: @ComponentState<TContractState>, nonce: felt252,
        ) -> bool {
            !self.SNIP9_nonces.read(nonce)
        }
    }

    #[embeddable_as(OutsideExecutionNoncesImpl)]
    impl OutsideExecutionNonces<
        TContractState, +HasComponent<TContractState>, +Drop<TContractState>,
    > of IOutsideExecutionNonces<ComponentState<TContractState>> {
        fn is_valid_session_outside_nonce(
            self: @ComponentState<TContractState>, session_key: felt252, nonce: felt252,
        ) -> bool {
            !self.SNIP9_session_nonces.read((session_key, nonce))
        }
    }

    #[generate_trait]
    impl NonceImpl<TContractState, +HasComponent<TContractState>> of NonceTrait<TContractState> {
        /// Marks `nonce` used in the nonce space of the signer a signature
        /// names (`session_key`, or the owner's); `outside/nonce-used` if it
        /// was.
        fn use_nonce(
            ref self: ComponentState<TContractState>, session_key: Option<felt252>, nonce: felt252,
        ) {
            match session_key {
                Some(key) => {
                    assert(!self.SNIP9_session_nonces.read((key, nonce)), Errors::NONCE_USED);
                    self.SNIP9_session_nonces.write((key, nonce), true);
                },
                None => {
                    assert(!self.SNIP9_nonces.read(nonce), Errors::NONCE_USED);
                    self.SNIP9_nonces.write(nonce, true);
                },
            }
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState,
        +HasComponent<TContractState>,
        impl SRC5: SRC5Component::HasComponent<TContractState>,
        +Drop<TContractState>,
    > of InternalTrait<TContractState> {
        /// Registers the SNIP-9 v2 interface id with SRC-5.
        fn initializer(ref self: ComponentState<TContractState>) {
            let mut src5 = get_dep_component_mut!(ref self, SRC5);
            src5.register_interface(ISRC5_OUTSIDE_EXECUTION_V2_ID);
        }

        /// Who signed the outside execution running now, if any.
        fn running_signer(self: @ComponentState<TContractState>) -> Signer {
            self.SNIP9_signer.read()
        }

        /// Makes `signer` the running signer of the outside execution:
        /// owner-only entrypoints and lifecycle calls see it, and no other
        /// outside execution can start, until `exit`.
        fn enter(ref self: ComponentState<TContractState>, signer: Signer) {
            self.SNIP9_signer.write(signer);
        }

        /// Ends the outside execution `enter` started.
        fn exit(ref self: ComponentState<TContractState>) {
            self.SNIP9_signer.write(Signer::None);
        }

        /// Runs `calls` as `signer` (`enter`, the calls, `exit`).
        fn run_as(
            ref self: ComponentState<TContractState>, signer: Signer, calls: Span<Call>,
        ) -> Array<Span<felt252>> {
            self.enter(signer);
            let results = execute_calls(calls);
            self.exit();
            results
        }
    }
}
