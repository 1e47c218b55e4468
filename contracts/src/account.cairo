//! The session account contract. It owns storage, entrypoints and events,
//! and delegates every decision to the pure modules in `session` and
//! `signature`. Read alongside docs/spec.md.

#[starknet::contract]
mod SessionAccount {
    use array::{ArrayTrait, SpanTrait};
    use box::BoxTrait;
    use option::OptionTrait;
    use result::ResultTrait;
    use zeroable::Zeroable;
    use starknet::{ContractAddress, get_caller_address, get_contract_address, get_tx_info};
    use starknet::account::Call;

    use session_account::errors;
    use session_account::errors::unwrap_or_panic as unwrap;
    use session_account::interface::{
        ISRC6, ISRC5, IDeployable, ISessionAccount, ISRC5_ID, ISRC6_ID
    };
    use session_account::signature::{
        AccountSignature, SessionSignature, parse_signature, is_valid_stark_signature
    };
    use session_account::session::policy::SessionPolicy;
    use session_account::session::status::{SessionRecord, SessionStatus};
    use session_account::session::window;
    use session_account::session::calls::{SessionGrants, check_calls};
    use session_account::tx::is_supported_version;

    #[storage]
    struct Storage {
        owner_public_key: felt252,
        sessions: LegacyMap<felt252, SessionRecord>,
        session_allowed_contract: LegacyMap<(felt252, ContractAddress), bool>,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        SessionRegistered: SessionRegistered,
        SessionRevoked: SessionRevoked,
    }

    #[derive(Drop, starknet::Event)]
    struct SessionRegistered {
        #[key]
        session_key: felt252,
        valid_after: u64,
        valid_until: u64,
    }

    #[derive(Drop, starknet::Event)]
    struct SessionRevoked {
        #[key]
        session_key: felt252,
    }

    #[constructor]
    fn constructor(ref self: ContractState, owner_public_key: felt252) {
        assert(owner_public_key != 0, errors::INVALID_SIGNATURE);
        self.owner_public_key.write(owner_public_key);
    }

    #[external(v0)]
    impl SRC6Impl of ISRC6<ContractState> {
        fn __validate__(ref self: ContractState, calls: Array<Call>) -> felt252 {
            assert_protocol_call();
            let tx_info = get_tx_info().unbox();
            match unwrap(parse_signature(tx_info.signature)) {
                AccountSignature::Owner(sig) => {
                    assert(
                        is_valid_stark_signature(
                            tx_info.transaction_hash, self.owner_public_key.read(), sig.r, sig.s
                        ),
                        errors::INVALID_SIGNATURE
                    );
                },
                AccountSignature::Session(sig) => {
                    self.validate_session(sig, tx_info.transaction_hash, calls.span());
                },
            }
            starknet::VALIDATED
        }

        fn __execute__(ref self: ContractState, calls: Array<Call>) -> Array<Span<felt252>> {
            assert_protocol_call();
            let tx_info = get_tx_info().unbox();
            match unwrap(parse_signature(tx_info.signature)) {
                AccountSignature::Owner(_) => {},
                AccountSignature::Session(sig) => {
                    self.enforce_session_execute(sig.session_key);
                },
            }
            execute_calls(calls.span())
        }

        fn is_valid_signature(
            self: @ContractState, hash: felt252, signature: Array<felt252>
        ) -> felt252 {
            // Owner only: a session signature here would let anyone holding
            // a session key act for the account outside its policy.
            match parse_signature(signature.span()) {
                Result::Ok(parsed) => match parsed {
                    AccountSignature::Owner(sig) => {
                        if is_valid_stark_signature(
                            hash, self.owner_public_key.read(), sig.r, sig.s
                        ) {
                            starknet::VALIDATED
                        } else {
                            0
                        }
                    },
                    AccountSignature::Session(_) => 0,
                },
                Result::Err(_) => 0,
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
            interface_id == ISRC5_ID || interface_id == ISRC6_ID
        }
    }

    #[external(v0)]
    impl SessionAccountImpl of ISessionAccount<ContractState> {
        fn register_session(ref self: ContractState, policy: SessionPolicy) {
            assert_only_owner();
            let key = policy.session_key;
            assert(key != 0, errors::SESSION_INVALID_KEY);
            assert(!self.sessions.read(key).registered, errors::SESSION_ALREADY_REGISTERED);
            unwrap(window::check_window_well_formed(policy.valid_after, policy.valid_until));

            let account = get_contract_address();
            let mut contracts = policy.allowed_contracts.span();
            loop {
                match contracts.pop_front() {
                    Option::Some(contract) => {
                        assert(*contract != account, errors::SESSION_SELF_CALL);
                        self.session_allowed_contract.write((key, *contract), true);
                    },
                    Option::None => {
                        break;
                    },
                };
            };
            self
                .sessions
                .write(
                    key,
                    SessionRecord {
                        registered: true,
                        revoked: false,
                        valid_after: policy.valid_after,
                        valid_until: policy.valid_until,
                    }
                );
            self
                .emit(
                    SessionRegistered {
                        session_key: key,
                        valid_after: policy.valid_after,
                        valid_until: policy.valid_until,
                    }
                );
        }

        fn revoke_session(ref self: ContractState, session_key: felt252) {
            assert_only_owner();
            let mut record = self.sessions.read(session_key);
            assert(record.registered, errors::SESSION_NOT_REGISTERED);
            assert(!record.revoked, errors::SESSION_REVOKED);
            record.revoked = true;
            self.sessions.write(session_key, record);
            self.emit(SessionRevoked { session_key });
        }

        fn get_owner(self: @ContractState) -> felt252 {
            self.owner_public_key.read()
        }

        fn get_session(self: @ContractState, session_key: felt252) -> SessionStatus {
            let record = self.sessions.read(session_key);
            let now = starknet::get_block_timestamp();
            let in_window = window::check_window_exact(record.valid_after, record.valid_until, now)
                .is_ok();
            SessionStatus {
                registered: record.registered,
                revoked: record.revoked,
                valid_after: record.valid_after,
                valid_until: record.valid_until,
                active: record.registered && !record.revoked && in_window,
            }
        }

        fn is_contract_allowed(
            self: @ContractState, session_key: felt252, contract: ContractAddress
        ) -> bool {
            self.session_allowed_contract.read((session_key, contract))
        }
    }

    impl StorageGrants of SessionGrants<ContractState> {
        fn is_contract_allowed(
            self: @ContractState, session_key: felt252, contract: ContractAddress
        ) -> bool {
            self.session_allowed_contract.read((session_key, contract))
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        /// Owner-signed declare / deploy-account transactions.
        fn validate_owner_transaction(self: @ContractState) {
            let tx_info = get_tx_info().unbox();
            assert(is_supported_version(tx_info.version), errors::INVALID_TX_VERSION);
            match unwrap(parse_signature(tx_info.signature)) {
                AccountSignature::Owner(sig) => {
                    assert(
                        is_valid_stark_signature(
                            tx_info.transaction_hash, self.owner_public_key.read(), sig.r, sig.s
                        ),
                        errors::INVALID_SIGNATURE
                    );
                },
                AccountSignature::Session(_) => {
                    panic_with_felt252(errors::ONLY_OWNER);
                },
            }
        }

        /// Session rules that `__validate__` can check (docs/spec.md,
        /// "Validation"). The clock here is floored to the hour.
        fn validate_session(
            self: @ContractState, sig: SessionSignature, tx_hash: felt252, calls: Span<Call>
        ) {
            let record = self.sessions.read(sig.session_key);
            assert(record.registered, errors::SESSION_NOT_REGISTERED);
            assert(!record.revoked, errors::SESSION_REVOKED);
            unwrap(
                window::check_window_lenient(
                    record.valid_after, record.valid_until, starknet::get_block_timestamp()
                )
            );
            assert(
                is_valid_stark_signature(tx_hash, sig.session_key, sig.r, sig.s),
                errors::INVALID_SIGNATURE
            );
            unwrap(check_calls(self, sig.session_key, get_contract_address(), calls));
        }

        /// Session rules re-checked in `__execute__` with the exact clock.
        fn enforce_session_execute(self: @ContractState, session_key: felt252) {
            let record = self.sessions.read(session_key);
            unwrap(
                window::check_window_exact(
                    record.valid_after, record.valid_until, starknet::get_block_timestamp()
                )
            );
        }
    }

    /// `__validate__`/`__execute__` may only be called by the protocol, in a
    /// transaction of a supported version.
    fn assert_protocol_call() {
        assert(get_caller_address().is_zero(), errors::INVALID_CALLER);
        assert(is_supported_version(get_tx_info().unbox().version), errors::INVALID_TX_VERSION);
    }

    /// Admin entrypoints: reachable only by the account calling itself in
    /// an owner-signed transaction.
    fn assert_only_owner() {
        assert(get_caller_address() == get_contract_address(), errors::ONLY_OWNER);
        match parse_signature(get_tx_info().unbox().signature) {
            Result::Ok(parsed) => match parsed {
                AccountSignature::Owner(_) => {},
                AccountSignature::Session(_) => panic_with_felt252(errors::ONLY_OWNER),
            },
            Result::Err(_) => panic_with_felt252(errors::ONLY_OWNER),
        }
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
