//! The session account contract. It composes the components and routes
//! each transaction by its signature layout (§2): owner signatures to the
//! owner path (§7), session signatures through the session rules (§4).
//! Every decision is made in the components and the pure `policy` modules.

#[starknet::contract(account)]
pub mod SessionAccount {
    use starknet::account::Call;
    use starknet::{ContractAddress, TxInfo, VALIDATED};
    use crate::execution::{
        SelfCall, Signer, SignerContext, TxContext, assert_protocol_call, execute_calls,
        is_supported_version, tx_context,
    };
    use crate::interface::{IDeployable, ISRC6, ISRC6_ID};
    use crate::outside_execution::{OutsideExecutionComponent, OutsideExecutionHooks};
    use crate::owner::OwnerComponent;
    use crate::owner::OwnerComponent::Errors as OwnerErrors;
    use crate::sessions::SessionsComponent;
    use crate::sessions::settlement::SpendingSettlementImpl as SpendingSettlement;
    use crate::sessions::transactions::SessionExecutionsImpl as SessionExecutions;
    use crate::signature::{
        AccountSignature, SessionSignature, is_owner_layout, parse_signature, session_key_of,
    };
    use crate::signers::owner_key::OwnerKey;
    use crate::src5::SRC5Component;
    use crate::verdict::unwrap_or_panic;

    component!(path: OwnerComponent, storage: owner, event: OwnerEvent);
    component!(path: SessionsComponent, storage: sessions, event: SessionsEvent);
    component!(
        path: OutsideExecutionComponent, storage: outside_execution, event: OutsideExecutionEvent,
    );
    component!(path: SRC5Component, storage: src5, event: SRC5Event);

    #[abi(embed_v0)]
    impl OwnerImpl = OwnerComponent::OwnerImpl<ContractState>;
    impl OwnerInternalImpl = OwnerComponent::InternalImpl<ContractState>;

    #[abi(embed_v0)]
    impl SessionAccountImpl = SessionsComponent::SessionAccountImpl<ContractState>;
    #[abi(embed_v0)]
    impl SessionViewsImpl = SessionsComponent::SessionViewsImpl<ContractState>;
    #[abi(embed_v0)]
    impl SessionKeyDataImpl = SessionsComponent::SessionKeyDataImpl<ContractState>;
    impl SessionsInternalImpl = SessionsComponent::InternalImpl<ContractState>;
    impl SessionExecutionsImpl = SessionExecutions<ContractState>;
    impl SpendingSettlementImpl = SpendingSettlement<ContractState>;

    #[abi(embed_v0)]
    impl OutsideExecutionV2Impl =
        OutsideExecutionComponent::OutsideExecutionV2Impl<ContractState>;
    #[abi(embed_v0)]
    impl OutsideExecutionNoncesImpl =
        OutsideExecutionComponent::OutsideExecutionNoncesImpl<ContractState>;
    impl OutsideExecutionInternalImpl = OutsideExecutionComponent::InternalImpl<ContractState>;

    #[abi(embed_v0)]
    impl SRC5Impl = SRC5Component::SRC5Impl<ContractState>;
    impl SRC5InternalImpl = SRC5Component::InternalImpl<ContractState>;

    #[storage]
    pub struct Storage {
        #[substorage(v0)]
        pub owner: OwnerComponent::Storage,
        #[substorage(v0)]
        pub sessions: SessionsComponent::Storage,
        #[substorage(v0)]
        pub outside_execution: OutsideExecutionComponent::Storage,
        #[substorage(v0)]
        pub src5: SRC5Component::Storage,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        #[flat]
        OwnerEvent: OwnerComponent::Event,
        #[flat]
        SessionsEvent: SessionsComponent::Event,
        #[flat]
        OutsideExecutionEvent: OutsideExecutionComponent::Event,
        #[flat]
        SRC5Event: SRC5Component::Event,
    }

    /// Requirements: `owner` is well formed (§2.1: a Stark key not 0, a
    /// P-256 key on the curve, a passkey with its relying party and
    /// origin). A Stark owner's calldata is its key alone (§12.1).
    #[constructor]
    fn constructor(ref self: ContractState, owner: OwnerKey) {
        self.owner.initializer(owner);
        self.src5.register_interface(ISRC6_ID);
        self.outside_execution.initializer();
    }

    #[abi(embed_v0)]
    impl SRC6Impl of ISRC6<ContractState> {
        /// §7.1 and §4: an owner signature of the transaction hash, or a
        /// session transaction that passes the session rules (lenient clock).
        fn __validate__(ref self: ContractState, calls: Array<Call>) -> felt252 {
            let ctx = tx_context();
            assert_protocol_call(@ctx);
            if let Some(sig) = self.owner_checked_or_session(ctx.tx_hash, ctx.signature) {
                self.sessions.validate_transaction(@sig, calls.span(), @ctx);
            }
            VALIDATED
        }

        /// Runs the calls; a session transaction first passes the session
        /// rules again with the exact clock and records its spending, and
        /// settles what actually left the account once they ran (§4).
        fn __execute__(ref self: ContractState, calls: Array<Call>) -> Array<Span<felt252>> {
            let ctx = tx_context();
            assert_protocol_call(@ctx);
            // `__validate__` parsed and checked the signature: here only its
            // kind matters, and a session's key (§2).
            match session_key_of(ctx.signature) {
                None => execute_calls(calls.span()),
                Some(session_key) => {
                    let watch = self.sessions.execute_transaction(session_key, calls.span(), @ctx);
                    let results = execute_calls(calls.span());
                    self.sessions.settle_spending(watch);
                    results
                },
            }
        }

        /// Owner signatures only (§7.2): a session signature here would let a
        /// session key act outside its policy.
        fn is_valid_signature(
            self: @ContractState, hash: felt252, signature: Array<felt252>,
        ) -> felt252 {
            self.owner.is_valid_signature(hash, signature.span())
        }
    }

    #[abi(embed_v0)]
    impl DeployableImpl of IDeployable<ContractState> {
        fn __validate_declare__(self: @ContractState, class_hash: felt252) -> felt252 {
            self.validate_owner_transaction();
            VALIDATED
        }

        fn __validate_deploy__(
            self: @ContractState,
            class_hash: felt252,
            contract_address_salt: felt252,
            owner: OwnerKey,
        ) -> felt252 {
            self.validate_owner_transaction();
            VALIDATED
        }
    }

    /// The signer of the running execution: the running outside execution's,
    /// else, in this account's own transaction, the transaction's (by its
    /// signature layout).
    impl SignerContextImpl of SignerContext<ContractState> {
        fn running_signer(self: @ContractState) -> Signer {
            let outside = self.outside_execution.running_signer();
            if outside != Signer::None {
                return outside;
            }
            let info = starknet::get_execution_info().unbox();
            transaction_signer(info.contract_address, info.tx_info.unbox())
        }

        fn self_call(self: @ContractState) -> Option<SelfCall> {
            let info = starknet::get_execution_info().unbox();
            if info.caller_address != info.contract_address {
                return None;
            }
            let now = info.block_info.unbox().block_timestamp;
            let mut signer = self.outside_execution.running_signer();
            if signer == Signer::None {
                signer = transaction_signer(info.contract_address, info.tx_info.unbox());
            }
            Some(SelfCall { signer, now })
        }
    }

    /// The signer of this account's (`account`'s) own transaction, by its
    /// signature layout; `None` in another account's transaction.
    fn transaction_signer(account: ContractAddress, tx: TxInfo) -> Signer {
        if tx.account_contract_address != account {
            return Signer::None;
        }
        if tx.signature.len() == 2 {
            return Signer::Owner;
        }
        if let Some(session_key) = session_key_of(tx.signature) {
            return Signer::Session(session_key);
        }
        if is_owner_layout(tx.signature) {
            return Signer::Owner;
        }
        Signer::None
    }

    /// What an outside execution's signature authorizes (§11): the owner's
    /// signature anything, a session's only what its policy allows, with its
    /// spending settled once the calls ran. A session is the running signer
    /// (the reentrancy guard) from before anything can call out of the
    /// account (the balance reads of §4.4) until its spending is settled.
    impl OutsideExecutionHooksImpl of OutsideExecutionHooks<ContractState> {
        fn execute_authorized(
            ref self: ContractState,
            hash: felt252,
            signature: Span<felt252>,
            nonce: felt252,
            calls: Span<Call>,
            ctx: @TxContext,
        ) -> Array<Span<felt252>> {
            let Some(sig) = self.owner_checked_or_session(hash, signature) else {
                return self.outside_execution.run_as(Signer::Owner, calls);
            };
            self.outside_execution.enter(Signer::Session(sig.session_key));
            let watch = self.sessions.authorize_outside_execution(@sig, hash, nonce, calls, ctx);
            let results = execute_calls(calls);
            self.sessions.settle_spending(watch);
            self.outside_execution.exit();
            results
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        /// Declare and deploy-account transactions: owner signatures only (§7.1).
        fn validate_owner_transaction(self: @ContractState) {
            let ctx = tx_context();
            assert(is_supported_version(ctx.version), crate::execution::Errors::INVALID_TX_VERSION);
            let session = self.owner_checked_or_session(ctx.tx_hash, ctx.signature);
            assert(session.is_none(), OwnerErrors::ONLY_OWNER);
        }

        /// The one place an owner signature is checked (§2): `signature`
        /// parsed by its layout; an owner's must be the owner's signature of
        /// `hash` (panics otherwise) and gives `None`; a session's is
        /// returned, unchecked, for the session rules to check.
        #[inline(always)]
        fn owner_checked_or_session(
            self: @ContractState, hash: felt252, signature: Span<felt252>,
        ) -> Option<SessionSignature> {
            match unwrap_or_panic(parse_signature(signature)) {
                AccountSignature::Owner(sig) => {
                    unwrap_or_panic(self.owner.check_owner_signature(hash, @sig));
                    None
                },
                AccountSignature::Session(sig) => Some(sig),
            }
        }
    }
}
