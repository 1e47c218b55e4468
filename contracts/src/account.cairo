//! The session account contract. It owns storage, entrypoints and events,
//! and delegates every decision to the pure modules in `session`,
//! `signature` and `tx`. Read alongside docs/spec.md; § numbers refer to it.

#[starknet::contract]
mod SessionAccount {
    use array::{ArrayTrait, SpanTrait};
    use box::BoxTrait;
    use option::OptionTrait;
    use result::ResultTrait;
    use traits::{Into, TryInto};
    use zeroable::Zeroable;
    use poseidon::poseidon_hash_span;
    use starknet::{
        ClassHash, ContractAddress, get_caller_address, get_contract_address, get_tx_info,
        get_block_timestamp
    };
    use starknet::account::Call;

    use session_account::errors;
    use session_account::errors::unwrap_or_panic as unwrap;
    use session_account::interface::{
        ISRC6, ISRC5, IDeployable, ISessionAccount, IOwnerAdmin, ISessionViews, IOutsideExecution,
        ISRC5_ID, ISRC6_ID
    };
    use session_account::outside::{
        OutsideExecution, outside_execution_hash, check_caller_and_window,
        ISRC5_OUTSIDE_EXECUTION_V2_ID
    };
    use session_account::signature::{
        AccountSignature, SessionSignature, Authorization, parse_signature, is_owner_layout,
        is_valid_stark_signature
    };
    use session_account::tx::{is_supported_version, invoke_v3_hash, check_fee_cap};
    use session_account::session::policy::{
        SessionPolicy, AllowedContract, SpendingLimit, check_well_formed, renewal_period
    };
    use session_account::session::hash::session_hash as compute_session_hash;
    use session_account::session::window;
    use session_account::session::calls::{
        SessionGrants, PolicyGrants, ContractRule, CallsKind, LifecycleCall, classify_calls,
        check_call_targets, check_call_caps
    };
    use session_account::session::spending::{TokenSpend, tally_spending};
    use session_account::session::status::{SessionStatus, TokenSpending};
    use session_account::storage::{SessionState, SessionCaps, SessionRenewal, SessionLists};

    /// Message prefix of the new owner's proof of possession (§7.3).
    const SET_OWNER_PREFIX: felt252 = 'session-account/set-owner';

    // Values of `outside_context`: what signed the outside execution running now.
    const OUTSIDE_NONE: u8 = 0;
    const OUTSIDE_OWNER: u8 = 1;
    const OUTSIDE_SESSION: u8 = 2;

    // Where the session rules run: which clock, which checks (§4, §11).
    const MODE_VALIDATE: u8 = 0;
    const MODE_EXECUTE: u8 = 1;
    const MODE_OUTSIDE: u8 = 2;

    // Values of `allowed_contract_rule`.
    const RULE_NOT_ALLOWED: u8 = 0;
    const RULE_ANY_ENTRYPOINT: u8 = 1;
    const RULE_LISTED_ENTRYPOINTS: u8 = 2;

    #[storage]
    struct Storage {
        owner_public_key: felt252,
        /// §1: sessions of older epochs are revoked.
        revocation_epoch: u64,
        /// The session whose lifecycle call (§4.6) is executing; 0 otherwise.
        lifecycle_session_key: felt252,
        /// OUTSIDE_*: set while an outside execution runs (also the
        /// reentrancy guard, §11).
        outside_context: u8,
        outside_nonce_used: LegacyMap<felt252, bool>,
        // Per session key; see storage.cairo for the packing.
        session_state: LegacyMap<felt252, SessionState>,
        session_caps: LegacyMap<felt252, SessionCaps>,
        session_renewal: LegacyMap<felt252, SessionRenewal>,
        session_lists: LegacyMap<felt252, SessionLists>,
        session_calls_used: LegacyMap<felt252, u64>,
        session_hash_at_registration: LegacyMap<felt252, felt252>,
        /// i-th allowed contract of a session (for listing).
        allowed_contract_at: LegacyMap<(felt252, u32), ContractAddress>,
        /// RULE_* of a session for a contract.
        allowed_contract_rule: LegacyMap<(felt252, ContractAddress), u8>,
        /// Number of listed entrypoints of a session for a contract.
        allowed_entrypoint_count: LegacyMap<(felt252, ContractAddress), u32>,
        /// i-th listed entrypoint (for listing).
        allowed_entrypoint_at: LegacyMap<(felt252, ContractAddress, u32), felt252>,
        allowed_entrypoint: LegacyMap<(felt252, ContractAddress, felt252), bool>,
        /// i-th limited token of a session (for listing).
        limit_token_at: LegacyMap<(felt252, u32), ContractAddress>,
        /// Spending limit of a session for a token: `limit.low + 2^128` when
        /// the token has a limit, 0 otherwise (one read answers "limited?").
        limit_low_tagged: LegacyMap<(felt252, ContractAddress), felt252>,
        limit_high: LegacyMap<(felt252, ContractAddress), u128>,
        /// Where the spending tally is stored: spent per session and token.
        spent: LegacyMap<(felt252, ContractAddress), u256>,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        SessionRegistered: SessionRegistered,
        SessionRenewed: SessionRenewed,
        SessionRevoked: SessionRevoked,
        AllSessionsRevoked: AllSessionsRevoked,
        SpendingRecorded: SpendingRecorded,
        OwnerChanged: OwnerChanged,
        Upgraded: Upgraded,
    }

    #[derive(Drop, starknet::Event)]
    struct SessionRegistered {
        #[key]
        session_key: felt252,
        session_hash: felt252,
        valid_after: u64,
        valid_until: u64,
    }

    #[derive(Drop, starknet::Event)]
    struct SessionRenewed {
        #[key]
        session_key: felt252,
        valid_until: u64,
    }

    #[derive(Drop, starknet::Event)]
    struct SessionRevoked {
        #[key]
        session_key: felt252,
    }

    #[derive(Drop, starknet::Event)]
    struct AllSessionsRevoked {
        epoch: u64,
    }

    #[derive(Drop, starknet::Event)]
    struct SpendingRecorded {
        #[key]
        session_key: felt252,
        #[key]
        token: ContractAddress,
        amount: u256,
        spent: u256,
    }

    #[derive(Drop, starknet::Event)]
    struct OwnerChanged {
        old_owner: felt252,
        new_owner: felt252,
    }

    #[derive(Drop, starknet::Event)]
    struct Upgraded {
        class_hash: ClassHash,
    }

    #[constructor]
    fn constructor(ref self: ContractState, owner_public_key: felt252) {
        assert(owner_public_key != 0, errors::INVALID_OWNER_KEY);
        self.owner_public_key.write(owner_public_key);
    }

    /// What `__validate__`/`__execute__` need from the execution info, read
    /// once (each `get_*` helper is a syscall).
    #[derive(Copy, Drop)]
    struct TxContext {
        account: ContractAddress,
        caller: ContractAddress,
        /// Block timestamp: floored to the hour in `__validate__`.
        now: u64,
        version: felt252,
        tx_hash: felt252,
        signature: Span<felt252>,
        chain_id: felt252,
        nonce: felt252,
    }

    fn tx_context() -> TxContext {
        let info = starknet::get_execution_info().unbox();
        let tx = info.tx_info.unbox();
        TxContext {
            account: info.contract_address,
            caller: info.caller_address,
            now: info.block_info.unbox().block_timestamp,
            version: tx.version,
            tx_hash: tx.transaction_hash,
            signature: tx.signature,
            chain_id: tx.chain_id,
            nonce: tx.nonce,
        }
    }

    // ------------------------------------------------------------------
    // SRC-6 (§4, §7)
    // ------------------------------------------------------------------

    #[external(v0)]
    impl SRC6Impl of ISRC6<ContractState> {
        fn __validate__(ref self: ContractState, calls: Array<Call>) -> felt252 {
            let ctx = tx_context();
            assert_protocol_call(ctx);
            match unwrap(parse_signature(ctx.signature)) {
                AccountSignature::Owner(sig) => {
                    assert(
                        is_valid_stark_signature(
                            ctx.tx_hash, self.owner_public_key.read(), sig.r, sig.s
                        ),
                        errors::INVALID_SIGNATURE
                    );
                },
                AccountSignature::Session(sig) => {
                    self.validate_session(ctx, @sig, calls.span());
                },
            }
            starknet::VALIDATED
        }

        fn __execute__(ref self: ContractState, calls: Array<Call>) -> Array<Span<felt252>> {
            let ctx = tx_context();
            assert_protocol_call(ctx);
            match unwrap(parse_signature(ctx.signature)) {
                AccountSignature::Owner(_) => execute_calls(calls.span()),
                AccountSignature::Session(sig) => {
                    let kind = self.enforce_session_execute(ctx, @sig, calls.span());
                    self.execute_session_calls(sig.session_key, kind, calls.span())
                },
            }
        }

        fn is_valid_signature(
            self: @ContractState, hash: felt252, signature: Array<felt252>
        ) -> felt252 {
            // Owner only (§7.2): a session signature here would let a
            // session key act outside its policy.
            let signature = signature.span();
            if !is_owner_layout(signature) {
                return 0;
            }
            if is_valid_stark_signature(
                hash, self.owner_public_key.read(), *signature.at(0), *signature.at(1)
            ) {
                starknet::VALIDATED
            } else {
                0
            }
        }
    }

    #[external(v0)]
    impl DeployableImpl of IDeployable<ContractState> {
        fn __validate_declare__(self: @ContractState, class_hash: felt252) -> felt252 {
            self.validate_owner_transaction();
            starknet::VALIDATED
        }

        fn __validate_deploy__(
            self: @ContractState,
            class_hash: felt252,
            contract_address_salt: felt252,
            owner_public_key: felt252
        ) -> felt252 {
            self.validate_owner_transaction();
            starknet::VALIDATED
        }
    }

    #[external(v0)]
    impl SRC5Impl of ISRC5<ContractState> {
        fn supports_interface(self: @ContractState, interface_id: felt252) -> bool {
            interface_id == ISRC5_ID
                || interface_id == ISRC6_ID
                || interface_id == ISRC5_OUTSIDE_EXECUTION_V2_ID
        }
    }

    // ------------------------------------------------------------------
    // Outside execution (§11)
    // ------------------------------------------------------------------

    #[external(v0)]
    impl OutsideExecutionImpl of IOutsideExecution<ContractState> {
        fn execute_from_outside_v2(
            ref self: ContractState, outside_execution: OutsideExecution, signature: Array<felt252>
        ) -> Array<Span<felt252>> {
            assert(self.outside_context.read() == OUTSIDE_NONE, errors::OUTSIDE_REENTRANT);
            let ctx = tx_context();
            unwrap(check_caller_and_window(@outside_execution, ctx.caller, ctx.now));
            let nonce = outside_execution.nonce;
            assert(!self.outside_nonce_used.read(nonce), errors::OUTSIDE_NONCE_USED);
            self.outside_nonce_used.write(nonce, true);
            let hash = outside_execution_hash(@outside_execution, ctx.account, ctx.chain_id);
            let calls = outside_execution.calls.span();
            match unwrap(parse_signature(signature.span())) {
                AccountSignature::Owner(sig) => {
                    assert(
                        is_valid_stark_signature(hash, self.owner_public_key.read(), sig.r, sig.s),
                        errors::INVALID_SIGNATURE
                    );
                    self.outside_context.write(OUTSIDE_OWNER);
                    let results = execute_calls(calls);
                    self.outside_context.write(OUTSIDE_NONE);
                    results
                },
                AccountSignature::Session(sig) => {
                    // The relayer pays: fee fields have no meaning here.
                    let fee = sig.fee;
                    assert(
                        fee.tip == 0 && fee.l1_gas == 0 && fee.l2_gas == 0 && fee.l1_data_gas == 0,
                        errors::MALFORMED_SIGNATURE
                    );
                    let kind = self.enforce_session_outside(ctx, @sig, hash, calls);
                    self.outside_context.write(OUTSIDE_SESSION);
                    let results = self.execute_session_calls(sig.session_key, kind, calls);
                    self.outside_context.write(OUTSIDE_NONE);
                    results
                },
            }
        }

        fn is_valid_outside_execution_nonce(self: @ContractState, nonce: felt252) -> bool {
            !self.outside_nonce_used.read(nonce)
        }
    }

    // ------------------------------------------------------------------
    // Session management (§3, §5, §6)
    // ------------------------------------------------------------------

    #[external(v0)]
    impl SessionAccountImpl of ISessionAccount<ContractState> {
        fn register_session(ref self: ContractState, policy: SessionPolicy) {
            self.assert_only_owner();
            let ctx = tx_context();
            self.register(@policy, ctx.account, ctx.chain_id);
        }

        fn revoke_session(ref self: ContractState, session_key: felt252) {
            assert(get_caller_address() == get_contract_address(), errors::ONLY_OWNER);
            let lifecycle_key = self.lifecycle_session_key.read();
            if lifecycle_key == 0 {
                self.assert_only_owner();
            } else {
                // A session revokes only itself (§4.6).
                assert(session_key == lifecycle_key, errors::SESSION_SELF_CALL);
            }
            let mut state = self.session_state.read(session_key);
            assert(state.registered, errors::SESSION_NOT_REGISTERED);
            assert(!state.revoked, errors::SESSION_REVOKED);
            state.revoked = true;
            self.session_state.write(session_key, state);
            self.emit(SessionRevoked { session_key });
        }

        fn renew_session(ref self: ContractState) {
            assert(get_caller_address() == get_contract_address(), errors::INVALID_CALLER);
            let session_key = self.lifecycle_session_key.read();
            assert(session_key != 0, errors::INVALID_CALLER);
            let mut state = self.usable_state(session_key);
            let renewal = self.session_renewal.read(session_key);
            let valid_until = unwrap(
                window::renewed_valid_until(
                    state.valid_until,
                    renewal.grace_period,
                    renewal.period,
                    renewal.max_valid_until,
                    get_block_timestamp()
                )
            );
            state.valid_until = valid_until;
            self.session_state.write(session_key, state);
            self.emit(SessionRenewed { session_key, valid_until });
        }

        fn revoke_all_sessions(ref self: ContractState) {
            self.assert_only_owner();
            let epoch = self.revocation_epoch.read() + 1;
            self.revocation_epoch.write(epoch);
            self.emit(AllSessionsRevoked { epoch });
        }
    }

    #[external(v0)]
    impl OwnerAdminImpl of IOwnerAdmin<ContractState> {
        fn set_owner(
            ref self: ContractState, new_owner: felt252, signature_r: felt252, signature_s: felt252
        ) {
            self.assert_only_owner();
            let ctx = tx_context();
            let old_owner = self.owner_public_key.read();
            let proof = poseidon_hash_span(
                array![SET_OWNER_PREFIX, ctx.chain_id, ctx.account.into(), old_owner, new_owner]
                    .span()
            );
            assert(
                is_valid_stark_signature(proof, new_owner, signature_r, signature_s),
                errors::INVALID_OWNER_KEY
            );
            self.owner_public_key.write(new_owner);
            self.emit(OwnerChanged { old_owner, new_owner });
        }

        fn upgrade(ref self: ContractState, new_class_hash: ClassHash) {
            self.assert_only_owner();
            assert(!new_class_hash.is_zero(), errors::INVALID_CLASS_HASH);
            starknet::replace_class_syscall(new_class_hash).unwrap_syscall();
            self.emit(Upgraded { class_hash: new_class_hash });
        }
    }

    // ------------------------------------------------------------------
    // Views (§8)
    // ------------------------------------------------------------------

    #[external(v0)]
    impl SessionViewsImpl of ISessionViews<ContractState> {
        fn get_owner(self: @ContractState) -> felt252 {
            self.owner_public_key.read()
        }

        fn get_revocation_epoch(self: @ContractState) -> u64 {
            self.revocation_epoch.read()
        }

        fn get_session(self: @ContractState, session_key: felt252) -> SessionStatus {
            let state = self.session_state.read(session_key);
            let caps = self.session_caps.read(session_key);
            let renewal = self.session_renewal.read(session_key);
            let calls_used = self.session_calls_used.read(session_key);
            let epoch_valid = state.registered && state.epoch == self.revocation_epoch.read();
            let renewable = renewal.grace_period != 0;
            let calls_remaining = if calls_used < caps.max_calls {
                caps.max_calls - calls_used
            } else {
                0
            };
            let in_window = match window::check_window_exact(
                state.valid_after, state.valid_until, get_block_timestamp()
            ) {
                Result::Ok(()) => true,
                Result::Err(_) => false,
            };
            SessionStatus {
                registered: state.registered,
                revoked: state.revoked,
                epoch_valid,
                valid_after: state.valid_after,
                valid_until: state.valid_until,
                renewable,
                grace_deadline: if renewable {
                    window::grace_deadline(state.valid_until, renewal.grace_period)
                } else {
                    0
                },
                max_valid_until: renewal.max_valid_until,
                calls_used,
                calls_remaining,
                max_calls_per_tx: caps.max_calls_per_tx,
                max_fee_per_tx: caps.max_fee_per_tx,
                active: epoch_valid && !state.revoked && in_window && calls_remaining > 0,
            }
        }

        fn get_allowed_calls(self: @ContractState, session_key: felt252) -> Array<AllowedContract> {
            let lists = self.session_lists.read(session_key);
            let mut out = ArrayTrait::new();
            let mut i: u32 = 0;
            loop {
                if i == lists.contract_count {
                    break;
                }
                let contract = self.allowed_contract_at.read((session_key, i));
                let count = self.allowed_entrypoint_count.read((session_key, contract));
                let mut entrypoints = ArrayTrait::new();
                let mut j: u32 = 0;
                loop {
                    if j == count {
                        break;
                    }
                    entrypoints.append(self.allowed_entrypoint_at.read((session_key, contract, j)));
                    j += 1;
                };
                out.append(AllowedContract { contract, entrypoints });
                i += 1;
            };
            out
        }

        fn get_spending(self: @ContractState, session_key: felt252) -> Array<TokenSpending> {
            let lists = self.session_lists.read(session_key);
            let grants = StorageGrants { session_key };
            let mut out = ArrayTrait::new();
            let mut i: u32 = 0;
            loop {
                if i == lists.limit_count {
                    break;
                }
                let token = self.limit_token_at.read((session_key, i));
                match grants.spending_limit(token) {
                    Option::Some(budget) => {
                        let (limit, spent) = budget;
                        out.append(TokenSpending { token, limit, spent });
                    },
                    Option::None => {},
                }
                i += 1;
            };
            out
        }

        fn session_hash(self: @ContractState, policy: SessionPolicy) -> felt252 {
            let ctx = tx_context();
            compute_session_hash(@policy, self.revocation_epoch.read(), ctx.account, ctx.chain_id)
        }
    }

    // ------------------------------------------------------------------
    // Grants read from storage
    // ------------------------------------------------------------------

    /// What one registered session was granted, read from storage.
    #[derive(Copy, Drop)]
    struct StorageGrants {
        session_key: felt252,
    }

    /// `SessionGrants` needs the contract state; Cairo 2.1 cannot hold a
    /// snapshot of it in a struct, so storage grants are read through
    /// `unsafe_new_contract_state`, which reads the same storage.
    impl StorageSessionGrants of SessionGrants<StorageGrants> {
        fn contract_rule(self: @StorageGrants, contract: ContractAddress) -> ContractRule {
            let state = unsafe_new_contract_state();
            let rule = state.allowed_contract_rule.read((*self.session_key, contract));
            if rule == RULE_ANY_ENTRYPOINT {
                ContractRule::AnyEntrypoint(())
            } else if rule == RULE_LISTED_ENTRYPOINTS {
                ContractRule::ListedEntrypoints(())
            } else {
                ContractRule::NotAllowed(())
            }
        }

        fn is_entrypoint_allowed(
            self: @StorageGrants, contract: ContractAddress, selector: felt252
        ) -> bool {
            let state = unsafe_new_contract_state();
            state.allowed_entrypoint.read((*self.session_key, contract, selector))
        }

        fn spending_limit(self: @StorageGrants, token: ContractAddress) -> Option<(u256, u256)> {
            let state = unsafe_new_contract_state();
            let key = (*self.session_key, token);
            let tagged = state.limit_low_tagged.read(key);
            if tagged == 0 {
                return Option::None;
            }
            let low: u128 = match (tagged - LIMIT_TAG).try_into() {
                Option::Some(low) => low,
                Option::None => {
                    return Option::None;
                },
            };
            let limit = u256 { low, high: state.limit_high.read(key) };
            Option::Some((limit, state.spent.read(key)))
        }
    }

    /// Marks `limit_low_tagged` as set: `limit.low + 2^128` is never 0.
    const LIMIT_TAG: felt252 = 0x100000000000000000000000000000000;

    // ------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        /// Owner-signed declare / deploy-account transactions (§7.1).
        fn validate_owner_transaction(self: @ContractState) {
            let ctx = tx_context();
            assert(is_supported_version(ctx.version), errors::INVALID_TX_VERSION);
            match unwrap(parse_signature(ctx.signature)) {
                AccountSignature::Owner(sig) => {
                    assert(
                        is_valid_stark_signature(
                            ctx.tx_hash, self.owner_public_key.read(), sig.r, sig.s
                        ),
                        errors::INVALID_SIGNATURE
                    );
                },
                AccountSignature::Session(_) => {
                    panic_with_felt252(errors::ONLY_OWNER);
                },
            }
        }

        /// Owner-only entrypoints (§6): the account calling itself, in an
        /// owner-signed transaction, outside any session lifecycle call.
        fn assert_only_owner(self: @ContractState) {
            let ctx = tx_context();
            assert(ctx.caller == ctx.account, errors::ONLY_OWNER);
            assert(self.lifecycle_session_key.read() == 0, errors::ONLY_OWNER);
            let outside = self.outside_context.read();
            assert(outside != OUTSIDE_SESSION, errors::ONLY_OWNER);
            if outside == OUTSIDE_NONE {
                assert(is_owner_layout(ctx.signature), errors::ONLY_OWNER);
            }
        }

        /// §4.1a–c for a registered session: its state, if usable.
        fn usable_state(self: @ContractState, session_key: felt252) -> SessionState {
            let state = self.session_state.read(session_key);
            assert(state.registered, errors::SESSION_NOT_REGISTERED);
            assert(!state.revoked, errors::SESSION_REVOKED);
            assert(state.epoch == self.revocation_epoch.read(), errors::SESSION_EPOCH_REVOKED);
            state
        }

        /// §3.2 validate rows: checks an authorization. Returns true when
        /// the session still has to be registered from it, false when it is
        /// already registered with the same session hash.
        fn check_authorization(
            self: @ContractState, ctx: TxContext, session_key: felt252, authorization: @Authorization
        ) -> bool {
            let policy = authorization.policy;
            assert(*policy.session_key == session_key, errors::SESSION_INVALID_AUTHORIZATION);
            let hash = compute_session_hash(
                policy, self.revocation_epoch.read(), ctx.account, ctx.chain_id
            );
            assert(
                is_valid_stark_signature(
                    hash, self.owner_public_key.read(), *authorization.owner_r, *authorization.owner_s
                ),
                errors::SESSION_INVALID_AUTHORIZATION
            );
            if self.session_state.read(session_key).registered {
                assert(
                    self.session_hash_at_registration.read(session_key) == hash,
                    errors::SESSION_ALREADY_REGISTERED
                );
                return false;
            }
            unwrap(check_well_formed(policy, ctx.account));
            true
        }

        /// Everything `__validate__` checks for a session transaction (§4),
        /// with the clock floored to the hour.
        fn validate_session(
            self: @ContractState, ctx: TxContext, sig: @SessionSignature, calls: Span<Call>
        ) {
            // §4.1a–c, from storage or from a carried authorization (§3.2).
            let unregistered_policy = match sig.authorization {
                Option::Some(authorization) => {
                    if self.check_authorization(ctx, *sig.session_key, authorization) {
                        Option::Some(authorization.policy)
                    } else {
                        Option::None
                    }
                },
                Option::None => Option::None,
            };

            // §4.1d.
            assert(
                is_valid_stark_signature(ctx.tx_hash, *sig.session_key, *sig.r, *sig.s),
                errors::INVALID_SIGNATURE
            );

            let max_fee_per_tx = match unregistered_policy {
                Option::Some(policy) => {
                    let grants = PolicyGrants {
                        allowed_calls: policy.allowed_calls.span(),
                        spending_limits: policy.spending_limits.span(),
                    };
                    let renewal = *policy.renewal;
                    check_session_rules(
                        @grants,
                        *sig.session_key,
                        ctx,
                        calls,
                        SessionState {
                            registered: true,
                            revoked: false,
                            epoch: 0,
                            valid_after: *policy.valid_after,
                            valid_until: *policy.valid_until,
                        },
                        renewal.grace_period,
                        SessionCaps {
                            max_calls_per_tx: *policy.max_calls_per_tx,
                            max_calls: *policy.max_calls,
                            max_fee_per_tx: *policy.max_fee_per_tx,
                        },
                        0,
                        MODE_VALIDATE
                    );
                    *policy.max_fee_per_tx
                },
                Option::None => {
                    let session_key = *sig.session_key;
                    let state = self.usable_state(session_key);
                    let caps = self.session_caps.read(session_key);
                    let kind = classify(ctx, session_key, calls);
                    let grace_period = match kind {
                        CallsKind::Lifecycle(call) => {
                            if call == LifecycleCall::Renew(()) {
                                self.session_renewal.read(session_key).grace_period
                            } else {
                                0
                            }
                        },
                        CallsKind::Regular(_) => 0,
                    };
                    check_session_rules(
                        @StorageGrants { session_key },
                        session_key,
                        ctx,
                        calls,
                        state,
                        grace_period,
                        caps,
                        self.session_calls_used.read(session_key),
                        MODE_VALIDATE
                    );
                    caps.max_fee_per_tx
                },
            };

            // §4.5: the fee fields are the transaction's, and within the cap.
            let expected_hash = invoke_v3_hash(
                ctx.version, ctx.account, *sig.fee, ctx.chain_id, ctx.nonce, calls
            );
            assert(expected_hash == ctx.tx_hash, errors::SESSION_FEE_BOUNDS_MISMATCH);
            unwrap(check_fee_cap(*sig.fee, max_fee_per_tx));
        }

        /// What `__execute__` enforces and records for a session transaction
        /// (§3.2 execute row, §4): registers a carried authorization, then
        /// applies the exact clock and records calls and spending.
        fn enforce_session_execute(
            ref self: ContractState, ctx: TxContext, sig: @SessionSignature, calls: Span<Call>
        ) -> CallsKind {
            let session_key = *sig.session_key;
            match sig.authorization {
                Option::Some(authorization) => {
                    if !self.session_state.read(session_key).registered {
                        self.register(authorization.policy, ctx.account, ctx.chain_id);
                    }
                },
                Option::None => {},
            }
            let state = self.usable_state(session_key);
            let caps = self.session_caps.read(session_key);
            let calls_used = self.session_calls_used.read(session_key);
            let grants = StorageGrants { session_key };
            let kind = check_session_rules(
                @grants, session_key, ctx, calls, state, 0, caps, calls_used, MODE_EXECUTE
            );
            self.record_session_use(session_key, kind, calls_used, ctx, calls);
            kind
        }

        /// Everything a session-signed outside execution must pass (§11):
        /// the checks of validate and execute, with the exact clock, the
        /// signature over the outside-execution hash, and no fee cap (the
        /// relayer pays). Registers a carried authorization first.
        fn enforce_session_outside(
            ref self: ContractState,
            ctx: TxContext,
            sig: @SessionSignature,
            hash: felt252,
            calls: Span<Call>
        ) -> CallsKind {
            let session_key = *sig.session_key;
            match sig.authorization {
                Option::Some(authorization) => {
                    if self.check_authorization(ctx, session_key, authorization) {
                        self.register(authorization.policy, ctx.account, ctx.chain_id);
                    }
                },
                Option::None => {},
            }
            assert(
                is_valid_stark_signature(hash, session_key, *sig.r, *sig.s),
                errors::INVALID_SIGNATURE
            );
            let state = self.usable_state(session_key);
            let caps = self.session_caps.read(session_key);
            let calls_used = self.session_calls_used.read(session_key);
            let kind = check_session_rules(
                @StorageGrants { session_key },
                session_key,
                ctx,
                calls,
                state,
                0,
                caps,
                calls_used,
                MODE_OUTSIDE
            );
            self.record_session_use(session_key, kind, calls_used, ctx, calls);
            kind
        }

        /// §4.3f, §4.4: records the calls and spending of a session's
        /// regular calls, before they run.
        fn record_session_use(
            ref self: ContractState,
            session_key: felt252,
            kind: CallsKind,
            calls_used: u64,
            ctx: TxContext,
            calls: Span<Call>
        ) {
            match kind {
                CallsKind::Lifecycle(_) => {},
                CallsKind::Regular(count) => {
                    self.session_calls_used.write(session_key, calls_used + count.into());
                    let spends = unwrap(
                        tally_spending(@StorageGrants { session_key }, ctx.account, calls)
                    );
                    self.record_spending(session_key, spends.span());
                },
            }
        }

        /// Runs a session's calls; a lifecycle call runs with the session
        /// marked as the one managing itself (§4.6).
        fn execute_session_calls(
            ref self: ContractState, session_key: felt252, kind: CallsKind, calls: Span<Call>
        ) -> Array<Span<felt252>> {
            match kind {
                CallsKind::Lifecycle(_) => {
                    self.lifecycle_session_key.write(session_key);
                    let results = execute_calls(calls);
                    self.lifecycle_session_key.write(0);
                    results
                },
                CallsKind::Regular(_) => execute_calls(calls),
            }
        }

        fn record_spending(
            ref self: ContractState, session_key: felt252, mut spends: Span<TokenSpend>
        ) {
            loop {
                match spends.pop_front() {
                    Option::Some(spend) => {
                        let spend = *spend;
                        // tally_spending checked that this cannot overflow.
                        let spent = spend.spent + spend.amount;
                        self.spent.write((session_key, spend.token), spent);
                        self
                            .emit(
                                SpendingRecorded {
                                    session_key, token: spend.token, amount: spend.amount, spent
                                }
                            );
                    },
                    Option::None => {
                        break;
                    },
                };
            };
        }

        /// §3.1: stores a well-formed, new policy under the current epoch.
        fn register(
            ref self: ContractState,
            policy: @SessionPolicy,
            account: ContractAddress,
            chain_id: felt252
        ) {
            unwrap(check_well_formed(policy, account));
            let key = *policy.session_key;
            assert(!self.session_state.read(key).registered, errors::SESSION_ALREADY_REGISTERED);
            let epoch = self.revocation_epoch.read();
            let hash = compute_session_hash(policy, epoch, account, chain_id);

            let mut contracts = policy.allowed_calls.span();
            let mut contract_count: u32 = 0;
            loop {
                match contracts.pop_front() {
                    Option::Some(entry) => {
                        let contract = *entry.contract;
                        self.allowed_contract_at.write((key, contract_count), contract);
                        let mut entrypoints = entry.entrypoints.span();
                        if entrypoints.len() == 0 {
                            self.allowed_contract_rule.write((key, contract), RULE_ANY_ENTRYPOINT);
                        } else {
                            self
                                .allowed_contract_rule
                                .write((key, contract), RULE_LISTED_ENTRYPOINTS);
                            self.allowed_entrypoint_count.write((key, contract), entrypoints.len());
                            let mut j: u32 = 0;
                            loop {
                                match entrypoints.pop_front() {
                                    Option::Some(selector) => {
                                        self
                                            .allowed_entrypoint_at
                                            .write((key, contract, j), *selector);
                                        self
                                            .allowed_entrypoint
                                            .write((key, contract, *selector), true);
                                        j += 1;
                                    },
                                    Option::None => {
                                        break;
                                    },
                                };
                            };
                        }
                        contract_count += 1;
                    },
                    Option::None => {
                        break;
                    },
                };
            };

            let mut limits = policy.spending_limits.span();
            let mut limit_count: u32 = 0;
            loop {
                match limits.pop_front() {
                    Option::Some(limit) => {
                        let token = *limit.token;
                        let amount = *limit.limit;
                        self.limit_token_at.write((key, limit_count), token);
                        self.limit_low_tagged.write((key, token), amount.low.into() + LIMIT_TAG);
                        self.limit_high.write((key, token), amount.high);
                        limit_count += 1;
                    },
                    Option::None => {
                        break;
                    },
                };
            };

            let renewal = *policy.renewal;
            self
                .session_state
                .write(
                    key,
                    SessionState {
                        registered: true,
                        revoked: false,
                        epoch,
                        valid_after: *policy.valid_after,
                        valid_until: *policy.valid_until,
                    }
                );
            self
                .session_caps
                .write(
                    key,
                    SessionCaps {
                        max_calls_per_tx: *policy.max_calls_per_tx,
                        max_calls: *policy.max_calls,
                        max_fee_per_tx: *policy.max_fee_per_tx,
                    }
                );
            if renewal.grace_period != 0 {
                self
                    .session_renewal
                    .write(
                        key,
                        SessionRenewal {
                            grace_period: renewal.grace_period,
                            max_valid_until: renewal.max_valid_until,
                            period: renewal_period(policy),
                        }
                    );
            }
            self.session_lists.write(key, SessionLists { contract_count, limit_count });
            self.session_hash_at_registration.write(key, hash);
            self
                .emit(
                    SessionRegistered {
                        session_key: key,
                        session_hash: hash,
                        valid_after: *policy.valid_after,
                        valid_until: *policy.valid_until,
                    }
                );
        }
    }

    fn classify(ctx: TxContext, session_key: felt252, calls: Span<Call>) -> CallsKind {
        unwrap(classify_calls(calls, ctx.account, session_key))
    }

    /// The session rules shared by validate, execute and outside execution
    /// (§4.2–§4.4, §11): the calls' kind, then the time rule (lenient in
    /// MODE_VALIDATE, exact otherwise), the call targets (not in
    /// MODE_EXECUTE: validate checked them), the call caps and the spending
    /// budgets (MODE_EXECUTE and MODE_OUTSIDE tally again when recording).
    /// Returns the kind. `grace_period` is only read for renewals.
    fn check_session_rules<T, impl TGrants: SessionGrants<T>>(
        grants: @T,
        session_key: felt252,
        ctx: TxContext,
        calls: Span<Call>,
        state: SessionState,
        grace_period: u64,
        caps: SessionCaps,
        calls_used: u64,
        mode: u8
    ) -> CallsKind {
        let exact = mode != MODE_VALIDATE;
        let kind = classify(ctx, session_key, calls);
        match kind {
            CallsKind::Lifecycle(call) => {
                match call {
                    LifecycleCall::Renew(()) => {
                        // Exact grace rules run in renew_session itself.
                        if !exact {
                            unwrap(
                                window::check_renewal_lenient(
                                    state.valid_until, grace_period, ctx.now
                                )
                            );
                        }
                    },
                    LifecycleCall::Revoke(()) => {
                        check_time(state, ctx.now, exact);
                    },
                }
            },
            CallsKind::Regular(count) => {
                check_time(state, ctx.now, exact);
                if mode != MODE_EXECUTE {
                    // Targets cannot change between validate and execute.
                    unwrap(check_call_targets(grants, calls));
                }
                unwrap(check_call_caps(count, caps.max_calls_per_tx, calls_used, caps.max_calls));
                if mode == MODE_VALIDATE {
                    // Execute and outside execution tally when recording (§4.4).
                    unwrap(tally_spending(grants, ctx.account, calls));
                }
            },
        }
        kind
    }

    fn check_time(state: SessionState, now: u64, exact: bool) {
        if exact {
            unwrap(window::check_window_exact(state.valid_after, state.valid_until, now));
        } else {
            unwrap(window::check_window_lenient(state.valid_after, state.valid_until, now));
        }
    }

    /// `__validate__`/`__execute__` may only be called by the protocol, in a
    /// transaction of a supported version (§7.1).
    fn assert_protocol_call(ctx: TxContext) {
        assert(ctx.caller.is_zero(), errors::INVALID_CALLER);
        assert(is_supported_version(ctx.version), errors::INVALID_TX_VERSION);
    }

    fn execute_calls(mut calls: Span<Call>) -> Array<Span<felt252>> {
        let mut results = ArrayTrait::new();
        loop {
            match calls.pop_front() {
                Option::Some(call) => {
                    let result = starknet::call_contract_syscall(
                        *call.to, *call.selector, call.calldata.span()
                    )
                        .unwrap_syscall();
                    results.append(result);
                },
                Option::None => {
                    break;
                },
            };
        };
        results
    }
}
