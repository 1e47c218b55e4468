//! The checks and records of every session execution (§3.2, §4, §11): what
//! `__validate__` checks, what `__execute__` checks and records, and what a
//! session-signed outside execution must pass. The rules themselves are in
//! `enforcement` (and the pure modules of `policy`); this is where they meet
//! the stored session and its authorization.

use starknet::account::Call;
use starknet::storage::{StoragePathEntry, StoragePointerReadAccess, StoragePointerWriteAccess};
use crate::execution::{SignerContext, TxContext};
use crate::owner::OwnerComponent;
use crate::policy::calls::{CallsKind, Grant, policy_grants};
use crate::policy::enforce;
use crate::policy::fees::check_fee_cap;
use crate::signature::{
    Authorization, Errors as SignatureErrors, SessionSignature, is_valid_stark_signature,
};
use super::component::SessionsComponent::{
    ComponentState, HasComponent, InternalImpl, SpendingRecorded,
};
use super::enforcement::{Mode, SessionFacts, check_session_rules, facts_of_policy};
use super::node::{SessionStateTrait, StoredGrants, store_grant};

#[generate_trait]
pub impl SessionExecutionsImpl<
    TContractState,
    +HasComponent<TContractState>,
    +SignerContext<TContractState>,
    impl Owner: OwnerComponent::HasComponent<TContractState>,
    +Drop<TContractState>,
> of SessionExecutionsTrait<TContractState> {
    /// Everything `__validate__` checks for a session transaction (§3.2
    /// validate rows, §4 in the order of its table, §4.5), with the
    /// hour-floored clock. Writes nothing.
    fn validate_transaction(
        self: @ComponentState<TContractState>,
        signature: @SessionSignature,
        calls: Span<Call>,
        ctx: @TxContext,
    ) {
        let key = *signature.session_key;
        let mut authorized: Option<@Authorization> = None;
        if let Some(authorization) = signature.authorization {
            if self.check_authorization(ctx, key, authorization) {
                authorized = Some(authorization);
            }
        }
        assert(
            is_valid_stark_signature(*ctx.tx_hash, key, *signature.r, *signature.s),
            SignatureErrors::INVALID_SIGNATURE,
        );
        let max_fee_per_tx = match authorized {
            Some(authorization) => {
                let policy = authorization.policy;
                let facts = facts_of_policy(policy);
                let grants = policy_grants(policy);
                enforce(
                    check_session_rules(
                        @grants, facts, *ctx.account, *ctx.now, calls, Mode::Validate,
                    ),
                );
                *policy.max_fee_per_tx
            },
            None => {
                let node = self.Sessions_nodes.entry(key);
                let (state, admission) = self.usable(key);
                let facts = SessionFacts { session_key: key, state };
                enforce(
                    check_session_rules(
                        @node, facts, *ctx.account, *ctx.now, calls, Mode::Validate,
                    ),
                );
                admission.max_fee_per_tx
            },
        };
        enforce(check_fee_cap(*ctx.resource_bounds, *ctx.tip, max_fee_per_tx));
    }

    /// What `__execute__` enforces and records for a session transaction
    /// (§3.2 execute row, §4): registers a carried authorization, then
    /// applies the exact clock and records calls and spending.
    fn execute_transaction(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> CallsKind {
        let key = *signature.session_key;
        if let Some(authorization) = signature.authorization {
            if !self.Sessions_nodes.entry(key).state.read().is_registered() {
                self.register(authorization.policy, *ctx.account, *ctx.chain_id);
            }
        }
        self.enforce_and_record(key, calls, ctx, Mode::Execute)
    }

    /// Everything a session-signed outside execution must pass (§11):
    /// a carried authorization registers first, the session key signed
    /// `hash`, then the rules of §4 with the exact clock and no fee cap
    /// (the relayer pays); records calls and spending.
    fn authorize_outside_execution(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        hash: felt252,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> CallsKind {
        let key = *signature.session_key;
        if let Some(authorization) = signature.authorization {
            if self.check_authorization(ctx, key, authorization) {
                self.register(authorization.policy, *ctx.account, *ctx.chain_id);
            }
        }
        assert(
            is_valid_stark_signature(hash, key, *signature.r, *signature.s),
            SignatureErrors::INVALID_SIGNATURE,
        );
        self.enforce_and_record(key, calls, ctx, Mode::Outside)
    }

    /// §4 with the exact clock for a registered session, then §4.3f and
    /// §4.4's records, before the calls run.
    fn enforce_and_record(
        ref self: ComponentState<TContractState>,
        session_key: felt252,
        calls: Span<Call>,
        ctx: @TxContext,
        mode: Mode,
    ) -> CallsKind {
        let node = self.node(session_key);
        // In `__execute__`, `__validate__` of the same transaction checked
        // registration, revocation and the epoch, which nothing can have
        // changed since.
        let state = if mode == Mode::Execute {
            node.state.read()
        } else {
            let (state, _) = self.usable(session_key);
            state
        };
        let facts = SessionFacts { session_key, state };
        let checked = enforce(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, mode),
        );
        if let CallsKind::Regular(count) = checked.kind {
            let stored = self.Sessions_nodes.entry(session_key);
            let mut state = state;
            // check_session_rules checked that the calls fit.
            state.calls_remaining -= count.into();
            stored.state.write(state);
            for spend in checked.spends.span() {
                // tally_spending checked that the amount fits.
                let remaining = *spend.remaining - *spend.amount;
                let grant = Grant { rule: *spend.grant.rule, remaining: Some(remaining) };
                store_grant(stored, *spend.token, grant);
                self.emit(SpendingRecorded { session_key, token: *spend.token, remaining });
            }
        }
        checked.kind
    }
}
