//! The checks and records of every session execution (§3.2, §4, §11): what
//! `__validate__` checks and records (registration by authorization, calls
//! and fee), what `__execute__` checks and records (the exact clock, the
//! spending tally, the spenders approved), and what a session-signed outside execution must pass.
//! The rules themselves are in `enforcement` and the pure modules of
//! `policy`; the spending watch around the calls is in `settlement`; this
//! is where they meet the stored session.

use starknet::account::Call;
use starknet::storage::{StoragePathEntry, StoragePointerReadAccess, StoragePointerWriteAccess};
use crate::execution::{SignerContext, TxContext};
use crate::owner::OwnerComponent;
use crate::policy::calls::{CallsKind, LifecycleCall, classify_calls};
use crate::policy::fees::{check_fee_budget, check_fee_cap, check_tx_fields};
use crate::signature::{Errors as SignatureErrors, SessionSignature, is_valid_stark_signature};
use crate::verdict::unwrap_or_panic;
use super::allowances::record_approvals;
use super::component::SessionsComponent::{
    ComponentState, HasComponent, InternalImpl, SessionOutsideExecution, SessionTransaction,
};
use super::enforcement::{
    Mode, SessionFacts, check_classified, check_session_rules, renewal_checked,
};
use super::node::StoredGrants;
use super::registration::SessionRegistrationImpl;
use super::settlement::{SpendingSettlementImpl, SpendingWatch};

#[generate_trait]
pub impl SessionExecutionsImpl<
    TContractState,
    +HasComponent<TContractState>,
    +SignerContext<TContractState>,
    impl Owner: OwnerComponent::HasComponent<TContractState>,
    +Drop<TContractState>,
> of SessionExecutionsTrait<TContractState> {
    /// Everything `__validate__` checks for a session transaction, in the
    /// order of §4's table, with the hour-floored clock; then records what
    /// a transaction costs the session whatever `__execute__` does: a
    /// carried authorization registers the session (§3.2), and the calls
    /// and the worst-case fee are counted (§4.3f, §4.7).
    ///
    /// Emits `SessionTransaction`.
    fn validate_transaction(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        calls: Span<Call>,
        ctx: @TxContext,
    ) {
        let key = *signature.session_key;
        self.register_authorization(signature, ctx);
        assert(
            is_valid_stark_signature(*ctx.tx_hash, key, *signature.r, *signature.s),
            SignatureErrors::INVALID_SIGNATURE,
        );
        let (state, admission) = self.usable(key);
        let node = self.node(key);
        let usage = node.usage.read();
        let facts = SessionFacts { session_key: key, state, usage };
        let checked = unwrap_or_panic(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, Mode::Validate),
        );
        unwrap_or_panic(
            check_tx_fields(
                *ctx.paymaster_data,
                *ctx.account_deployment_data,
                *ctx.nonce_data_availability_mode,
                *ctx.fee_data_availability_mode,
            ),
        );
        let fee = unwrap_or_panic(
            check_fee_cap(*ctx.resource_bounds, *ctx.tip, admission.max_fee_per_tx),
        );
        unwrap_or_panic(check_fee_budget(fee, usage.fee_remaining));
        let mut usage = usage;
        // check_session_rules checked that the calls fit.
        usage.calls_remaining -= checked.counted;
        usage.fee_remaining -= fee;
        self.Sessions_nodes.entry(key).usage.write(usage);
        self.emit(SessionTransaction { session_key: key, calls: checked.counted, fee });
    }

    /// What `__execute__` checks and records for a session transaction
    /// before its calls run (§4): the exact clock, and the spending tally.
    /// Returns the watch to settle once the calls ran.
    fn execute_transaction(
        ref self: ComponentState<TContractState>,
        session_key: felt252,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> SpendingWatch {
        let key = session_key;
        let kind = unwrap_or_panic(classify_calls(calls, *ctx.account, key));
        if kind == CallsKind::Lifecycle(LifecycleCall::Renew) {
            // Nothing of the state to read: `renew_session` checks it.
            return self
                .record_spending(
                    key, *ctx.account, Default::default(), *ctx.now, renewal_checked(),
                );
        }
        let node = self.node(key);
        let state = node.state.read();
        let facts = SessionFacts { session_key: key, state, usage: Default::default() };
        let checked = unwrap_or_panic(
            check_classified(@node, facts, *ctx.account, *ctx.now, calls, kind, Mode::Execute),
        );
        record_approvals(self.Sessions_nodes.entry(key), @checked.tally);
        self.record_spending(key, *ctx.account, state, *ctx.now, checked)
    }

    /// Everything a session-signed outside execution must pass (§11): a
    /// carried authorization registers first, the session key signed
    /// `hash`, then the rules of §4 with the exact clock; records the calls
    /// (the relayer pays the fee) and the spending tally. Returns the watch
    /// to settle once the calls ran.
    ///
    /// Emits `SessionOutsideExecution`.
    fn authorize_outside_execution(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        hash: felt252,
        nonce: felt252,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> SpendingWatch {
        let key = *signature.session_key;
        self.register_authorization(signature, ctx);
        assert(
            is_valid_stark_signature(hash, key, *signature.r, *signature.s),
            SignatureErrors::INVALID_SIGNATURE,
        );
        let (state, _) = self.usable(key);
        let node = self.node(key);
        let mut usage = node.usage.read();
        let facts = SessionFacts { session_key: key, state, usage };
        let checked = unwrap_or_panic(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, Mode::Outside),
        );
        usage.calls_remaining -= checked.counted;
        self.Sessions_nodes.entry(key).usage.write(usage);
        self.emit(SessionOutsideExecution { session_key: key, calls: checked.counted, nonce });
        record_approvals(self.Sessions_nodes.entry(key), @checked.tally);
        self.record_spending(key, *ctx.account, state, *ctx.now, checked)
    }

    /// §3.2: registers the session a signature's authorization grants, if
    /// it still needs registering.
    fn register_authorization(
        ref self: ComponentState<TContractState>, signature: @SessionSignature, ctx: @TxContext,
    ) {
        if let Some(authorization) = signature.authorization {
            if self.check_authorization(ctx, *signature.session_key, authorization) {
                self.register(authorization.policy, *ctx.account, *ctx.chain_id);
            }
        }
    }
}
