//! The session registry and lifecycle (§3, §5, §6, §8): registration by
//! owner transaction or by authorization, renewal, revocation, revoke-all,
//! and the views. What each session execution is checked for and records
//! is in `transactions.cairo`, on this component's state.

#[starknet::component]
pub mod SessionsComponent {
    use starknet::storage::{
        Map, StoragePath, StoragePathEntry, StoragePointerReadAccess, StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_block_timestamp, get_contract_address};
    use crate::execution::{Signer, SignerContext};
    use crate::interface::{
        ISessionAccount, ISessionKeyData, ISessionViews, SessionApproval, SessionData,
        SessionDetails, SessionStatus, TokenSpending,
    };
    use crate::owner::OwnerComponent;
    use crate::owner::OwnerComponent::InternalImpl as OwnerInternal;
    use crate::policy::calldata::CalldataRule;
    use crate::policy::calls::Errors as CallsErrors;
    use crate::policy::{AllowedContract, SessionPolicy, window};
    use crate::sessions::allowances::{clear_approvals, read_approvals};
    use crate::sessions::authorization::{Binding, session_hash};
    use crate::sessions::node::{SessionAdmission, SessionNode, SessionState, SessionStateTrait};
    use crate::sessions::registration::SessionRegistrationImpl;
    use crate::sessions::views::{
        read_allowed_calls, read_calldata_rules, read_session_data, read_spending, read_status,
    };
    use crate::verdict::unwrap_or_panic;

    #[storage]
    pub struct Storage {
        /// §1: sessions registered in an older epoch are revoked.
        pub Sessions_epoch: u64,
        pub Sessions_nodes: Map<felt252, SessionNode>,
    }

    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        SessionRegistered: SessionRegistered,
        SessionRenewed: SessionRenewed,
        SessionRevoked: SessionRevoked,
        AllSessionsRevoked: AllSessionsRevoked,
        SpendingRecorded: SpendingRecorded,
        SessionTransaction: SessionTransaction,
        SessionOutsideExecution: SessionOutsideExecution,
        SessionAllowancesCleared: SessionAllowancesCleared,
    }

    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionRegistered {
        #[key]
        pub session_key: felt252,
        pub session_hash: felt252,
        pub valid_after: u64,
        pub valid_until: u64,
    }

    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionRenewed {
        #[key]
        pub session_key: felt252,
        pub valid_until: u64,
    }

    /// Who revoked a session (§6, §4.6).
    #[derive(Copy, Drop, Serde, PartialEq, Debug)]
    pub enum Revoker {
        Owner,
        /// The session itself, in its own execution.
        Session,
    }

    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionRevoked {
        #[key]
        pub session_key: felt252,
        pub revoked_by: Revoker,
    }

    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct AllSessionsRevoked {
        /// The new epoch.
        pub epoch: u64,
    }

    /// A session execution called a limited token, or moved more of it than
    /// was metered (§4.4).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SpendingRecorded {
        #[key]
        pub session_key: felt252,
        #[key]
        pub token: ContractAddress,
        /// What this execution counted against the limit.
        pub spent: u256,
        /// What the session may still spend of `token` after it.
        pub remaining: u256,
    }

    /// `__validate__` accepted a session transaction (§4): what it counted.
    /// Emitted even when `__execute__` then reverts, as the counts stay.
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionTransaction {
        #[key]
        pub session_key: felt252,
        /// Calls counted (§4.3f: a lifecycle call counts as one).
        pub calls: u64,
        /// Worst-case fee counted against the fee budget (§4.7).
        pub fee: u128,
    }

    /// A session-signed outside execution passed the session checks (§11).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionOutsideExecution {
        #[key]
        pub session_key: felt252,
        /// Calls counted (§4.3f).
        pub calls: u64,
        /// The outside execution's nonce.
        pub nonce: felt252,
    }

    /// The owner set the allowances a session granted back to zero
    /// (§4.10).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct SessionAllowancesCleared {
        #[key]
        pub session_key: felt252,
        /// How many (token, spender) allowances were set to zero.
        pub count: u32,
    }

    pub mod Errors {
        pub const NOT_REGISTERED: felt252 = 'session/not-registered';
        pub const ALREADY_REGISTERED: felt252 = 'session/already-registered';
        pub const REVOKED: felt252 = 'session/revoked';
        pub const EPOCH_REVOKED: felt252 = 'session/epoch-revoked';
        pub const INVALID_AUTHORIZATION: felt252 = 'session/invalid-authorization';
        pub const RENEW_NOT_SELF_CALL: felt252 = 'session/renew-not-self-call';
        pub const RENEW_NOT_SESSION: felt252 = 'session/renew-not-session';
    }

    #[embeddable_as(SessionAccountImpl)]
    impl SessionAccount<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        impl Owner: OwnerComponent::HasComponent<TContractState>,
        +Drop<TContractState>,
    > of ISessionAccount<ComponentState<TContractState>> {
        /// §3.1. Requirements: owner only (§6); the policy is well formed
        /// (§1.1) and its key was never registered.
        ///
        /// Emits `SessionRegistered`.
        fn register_session(ref self: ComponentState<TContractState>, policy: SessionPolicy) {
            get_dep_component!(@self, Owner).assert_only_owner();
            self.register(@policy, get_contract_address(), starknet::get_tx_info().chain_id);
        }

        /// Requirements: the owner, or the session itself in its own
        /// execution (§4.6); the session is not revoked. The owner may also
        /// revoke a key that was never registered, so that no authorization
        /// can ever register it (§3.2, §6).
        ///
        /// Emits `SessionRevoked`.
        fn revoke_session(ref self: ComponentState<TContractState>, session_key: felt252) {
            let Some(call) = self.get_contract().self_call() else {
                core::panic_with_felt252(OwnerComponent::Errors::ONLY_OWNER)
            };
            let revoked_by = match call.signer {
                Signer::Owner => Revoker::Owner,
                Signer::Session(signer) => {
                    assert(session_key == signer, CallsErrors::SELF_CALL);
                    Revoker::Session
                },
                Signer::None => core::panic_with_felt252(OwnerComponent::Errors::ONLY_OWNER),
            };
            let node = self.Sessions_nodes.entry(session_key);
            let mut state = node.state.read();
            assert(!state.revoked, Errors::REVOKED);
            state.revoked = true;
            node.state.write(state);
            self.emit(SessionRevoked { session_key, revoked_by });
        }

        /// §5: the session signing the running execution renews itself.
        ///
        /// Requirements: the account calls itself
        /// (`session/renew-not-self-call`), in an execution a session signed
        /// (`session/renew-not-session`); that session is usable (§4.1a–c)
        /// and within its grace period.
        ///
        /// Emits `SessionRenewed`.
        fn renew_session(ref self: ComponentState<TContractState>) {
            let Some(call) = self.get_contract().self_call() else {
                core::panic_with_felt252(Errors::RENEW_NOT_SELF_CALL)
            };
            let Signer::Session(session_key) = call.signer else {
                core::panic_with_felt252(Errors::RENEW_NOT_SESSION)
            };
            let (mut session, _) = self.usable(session_key);
            let node = self.Sessions_nodes.entry(session_key);
            let renewal = node.renewal.read();
            let valid_until = unwrap_or_panic(
                window::renewed_valid_until(
                    session.valid_until,
                    renewal.grace_period,
                    renewal.period,
                    renewal.max_valid_until,
                    call.now,
                ),
            );
            session.valid_until = valid_until;
            node.state.write(session);
            self.emit(SessionRenewed { session_key, valid_until });
        }

        /// Ends every session at once, in O(1) (§6). Requirements: owner only.
        ///
        /// Emits `AllSessionsRevoked`.
        fn revoke_all_sessions(ref self: ComponentState<TContractState>) {
            get_dep_component!(@self, Owner).assert_only_owner();
            let epoch = self.Sessions_epoch.read() + 1;
            self.Sessions_epoch.write(epoch);
            self.emit(AllSessionsRevoked { epoch });
        }

        /// §4.10: `token.approve(spender, 0)` for every spender the session
        /// approved. Requirements: owner only (§6); any session key,
        /// revoked or not (none recorded: nothing to clear). Reverts if a
        /// token's `approve` fails.
        ///
        /// Emits `SessionAllowancesCleared`.
        fn clear_session_allowances(
            ref self: ComponentState<TContractState>, session_key: felt252,
        ) {
            get_dep_component!(@self, Owner).assert_only_owner();
            let count = clear_approvals(self.Sessions_nodes.entry(session_key));
            self.emit(SessionAllowancesCleared { session_key, count });
        }
    }

    #[embeddable_as(SessionViewsImpl)]
    impl SessionViews<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        impl Owner: OwnerComponent::HasComponent<TContractState>,
        +Drop<TContractState>,
    > of ISessionViews<ComponentState<TContractState>> {
        fn get_revocation_epoch(self: @ComponentState<TContractState>) -> u64 {
            self.Sessions_epoch.read()
        }

        fn get_session(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> SessionStatus {
            read_status(
                self.Sessions_nodes.entry(session_key),
                self.Sessions_epoch.read(),
                get_block_timestamp(),
            )
        }

        fn get_allowed_calls(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> Array<AllowedContract> {
            read_allowed_calls(self.Sessions_nodes.entry(session_key))
        }

        fn get_spending(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> Array<TokenSpending> {
            read_spending(self.Sessions_nodes.entry(session_key), get_block_timestamp())
        }

        fn get_calldata_rules(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> Array<CalldataRule> {
            read_calldata_rules(self.Sessions_nodes.entry(session_key))
        }

        fn get_session_approvals(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> Array<SessionApproval> {
            read_approvals(self.Sessions_nodes.entry(session_key))
        }

        fn get_session_details(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> SessionDetails {
            let node = self.Sessions_nodes.entry(session_key);
            SessionDetails {
                status: read_status(node, self.Sessions_epoch.read(), get_block_timestamp()),
                allowed_calls: read_allowed_calls(node),
                spending: read_spending(node, get_block_timestamp()),
            }
        }

        /// What the owner signs to authorize `policy` now (§3.2).
        fn session_hash(self: @ComponentState<TContractState>, policy: SessionPolicy) -> felt252 {
            session_hash(
                @policy, self.binding(get_contract_address(), starknet::get_tx_info().chain_id),
            )
        }
    }

    /// The draft session SNIP's read path (§8.1).
    #[embeddable_as(SessionKeyDataImpl)]
    impl SessionKeyData<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        impl Owner: OwnerComponent::HasComponent<TContractState>,
        +Drop<TContractState>,
    > of ISessionKeyData<ComponentState<TContractState>> {
        fn get_session_data(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> SessionData {
            read_session_data(self.Sessions_nodes.entry(session_key), self.Sessions_epoch.read())
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState,
        +HasComponent<TContractState>,
        +SignerContext<TContractState>,
        impl Owner: OwnerComponent::HasComponent<TContractState>,
        +Drop<TContractState>,
    > of InternalTrait<TContractState> {
        /// What an authorization for `account` on `chain_id` is bound to now
        /// (§1.2).
        fn binding(
            self: @ComponentState<TContractState>, account: ContractAddress, chain_id: felt252,
        ) -> Binding {
            Binding {
                account,
                chain_id,
                epoch: self.Sessions_epoch.read(),
                owner_rotations: get_dep_component!(self, Owner).rotations(),
            }
        }

        /// The stored session under `session_key`, to read.
        fn node(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> StoragePath<SessionNode> {
            self.Sessions_nodes.entry(session_key)
        }

        /// §4.1a–c: the session under `session_key`, if registered, not
        /// revoked and of the current epoch.
        fn usable(
            self: @ComponentState<TContractState>, session_key: felt252,
        ) -> (SessionState, SessionAdmission) {
            let node = self.Sessions_nodes.entry(session_key);
            let state = node.state.read();
            assert(state.is_registered(), Errors::NOT_REGISTERED);
            assert(!state.revoked, Errors::REVOKED);
            let admission = node.admission.read();
            assert(admission.epoch == self.Sessions_epoch.read(), Errors::EPOCH_REVOKED);
            (state, admission)
        }
    }
}
