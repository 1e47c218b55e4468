//! Registration (§3): an owner transaction's `register_session` or the
//! authorization a session's first transaction carries are checked here,
//! and a well-formed policy is stored in its node: grants, entrypoints and
//! their calldata rules, limits and periods, caps, window and renewal.

use starknet::ContractAddress;
use starknet::storage::{
    Mutable, MutableVecTrait, StorageMapWriteAccess, StoragePath, StoragePathEntry,
    StoragePointerReadAccess, StoragePointerWriteAccess,
};
use crate::execution::{SignerContext, TxContext};
use crate::owner::OwnerComponent;
use crate::owner::OwnerComponent::InternalImpl as OwnerInternal;
use crate::policy::calls::{ContractRule, SessionGrants, policy_grants};
use crate::policy::periods::PeriodicLimit;
use crate::policy::{SessionPolicy, check_well_formed};
use crate::signature::Authorization;
use crate::verdict::unwrap_or_panic;
use super::authorization::session_hash;
use super::component::SessionsComponent::{
    ComponentState, Errors, HasComponent, InternalImpl, SessionRegistered,
};
use super::node::{
    SessionAdmission, SessionNode, SessionRenewal, SessionState, SessionStateTrait, SessionTotals,
    SessionUsage, store_grant,
};
use super::rules::store_rule;

#[generate_trait]
pub impl SessionRegistrationImpl<
    TContractState,
    +HasComponent<TContractState>,
    +SignerContext<TContractState>,
    impl Owner: OwnerComponent::HasComponent<TContractState>,
    +Drop<TContractState>,
> of SessionRegistrationTrait<TContractState> {
    /// §3.2 validate rows: checks an authorization. Returns true when
    /// the session still has to be registered from it, false when it is
    /// already registered with the same session hash.
    fn check_authorization(
        self: @ComponentState<TContractState>,
        ctx: @TxContext,
        session_key: felt252,
        authorization: @Authorization,
    ) -> bool {
        let policy = authorization.policy;
        assert(*policy.session_key == session_key, Errors::INVALID_AUTHORIZATION);
        let hash = session_hash(policy, self.binding(*ctx.account, *ctx.chain_id));
        let owner = get_dep_component!(self, Owner);
        assert(
            owner.is_owner_signature(hash, authorization.owner_signature),
            Errors::INVALID_AUTHORIZATION,
        );
        let node = self.Sessions_nodes.entry(session_key);
        let state = node.state.read();
        if state.is_registered() {
            assert(node.hash.read() == hash, Errors::ALREADY_REGISTERED);
            return false;
        }
        assert(!state.revoked, Errors::REVOKED);
        unwrap_or_panic(check_well_formed(policy, *ctx.account));
        true
    }

    /// §3.1: stores a well-formed, new policy under the current epoch;
    /// a key registered before (`session/already-registered`), or
    /// revoked before it was ever registered (`session/revoked`), cannot
    /// be.
    ///
    /// Emits `SessionRegistered`.
    fn register(
        ref self: ComponentState<TContractState>,
        policy: @SessionPolicy,
        account: ContractAddress,
        chain_id: felt252,
    ) {
        unwrap_or_panic(check_well_formed(policy, account));
        let key = *policy.session_key;
        let node: StoragePath<Mutable<SessionNode>> = self.Sessions_nodes.entry(key);
        let state = node.state.read();
        assert(!state.is_registered(), Errors::ALREADY_REGISTERED);
        assert(!state.revoked, Errors::REVOKED);
        let binding = self.binding(account, chain_id);
        let hash = session_hash(policy, binding);
        store_policy(node, policy, binding.epoch, hash);
        self
            .emit(
                SessionRegistered {
                    session_key: key,
                    session_hash: hash,
                    valid_after: *policy.valid_after,
                    valid_until: *policy.valid_until,
                },
            );
    }
}

/// Stores a policy's grants, caps and window (§3.1), in `epoch`.
pub fn store_policy(
    node: StoragePath<Mutable<SessionNode>>, policy: @SessionPolicy, epoch: u64, hash: felt252,
) {
    let grants = policy_grants(policy);
    for entry in policy.allowed_calls.span() {
        let contract = *entry.contract;
        node.contracts.push(contract);
        let listed = node.entrypoints.entry(contract);
        for selector in entry.entrypoints.span() {
            listed.push(*selector);
            node.entrypoint_grants.write((contract, *selector), 1);
        }
        store_grant(node, contract, grants.grant(contract));
    }
    for rule in policy.calldata_rules.span() {
        store_rule(node, rule);
    }
    let mut periodic = false;
    for limit in policy.spending_limits.span() {
        let token = *limit.token;
        node.tokens.push(token);
        node.limits.write(token, *limit.limit);
        if *limit.period != 0 {
            node
                .periods
                .write(token, PeriodicLimit { period: *limit.period, limit: *limit.period_limit });
            periodic = true;
        }
        // A limited token the session may not call keeps its tally too.
        let grant = grants.grant(token);
        if grant.rule == ContractRule::NotAllowed {
            store_grant(node, token, grant);
        }
    }
    node
        .state
        .write(
            SessionState {
                valid_after: *policy.valid_after,
                valid_until: *policy.valid_until,
                max_calls_per_tx: *policy.max_calls_per_tx,
                revoked: false,
                limited_tokens: policy.spending_limits.len(),
                periodic,
            },
        );
    node.admission.write(SessionAdmission { epoch, max_fee_per_tx: *policy.max_fee_per_tx });
    let usage = SessionUsage {
        calls_remaining: *policy.max_calls, fee_remaining: *policy.fee_budget,
    };
    node.usage.write(usage);
    node
        .totals
        .write(SessionTotals { max_calls: *policy.max_calls, fee_budget: *policy.fee_budget });
    let renewal = *policy.renewal;
    if renewal.grace_period != 0 {
        node
            .renewal
            .write(
                SessionRenewal {
                    grace_period: renewal.grace_period,
                    max_valid_until: renewal.max_valid_until,
                    period: renewal.period,
                },
            );
    }
    node.hash.write(hash);
}
