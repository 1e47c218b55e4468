//! The checks and records of every session execution (§3.2, §4, §11): what
//! `__validate__` checks and records (registration by authorization, calls
//! and fee), what `__execute__` checks and records (the exact clock, the
//! spending tally), what a session-signed outside execution must pass, and
//! the settlement of what actually left the account once the calls ran. The
//! rules themselves are in `enforcement` and the pure modules of `policy`;
//! this is where they meet the stored session.

use starknet::ContractAddress;
use starknet::account::Call;
use starknet::storage::{
    StoragePathEntry, StoragePointerReadAccess, StoragePointerWriteAccess, VecTrait,
};
use crate::execution::{SignerContext, TxContext};
use crate::interface::{IERC20BalanceDispatcher, IERC20BalanceDispatcherTrait};
use crate::owner::OwnerComponent;
use crate::policy::calls::{CallsKind, Grant};
use crate::policy::enforce;
use crate::policy::fees::{check_fee_budget, check_fee_cap};
use crate::policy::spending::Errors as SpendingErrors;
use crate::signature::{Errors as SignatureErrors, SessionSignature, is_valid_stark_signature};
use super::component::SessionsComponent::{
    ComponentState, HasComponent, InternalImpl, SpendingRecorded,
};
use super::enforcement::{Checked, Mode, SessionFacts, check_session_rules};
use super::node::{StoredGrants, store_grant};

/// What a session execution spends of each limited token, watched around
/// its calls (§4.4): the account's balance before them, what the calls were
/// metered for (already recorded), and what was left after that.
#[derive(Drop)]
pub struct SpendingWatch {
    pub session_key: felt252,
    pub account: ContractAddress,
    pub tokens: Array<WatchedToken>,
}

#[derive(Copy, Drop)]
pub struct WatchedToken {
    pub token: ContractAddress,
    pub balance_before: u256,
    pub metered: u256,
    /// The token's grant after the metered amount was recorded; `None` when
    /// no call metered it (read only if it is needed).
    pub grant: Option<Grant>,
}

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
        let checked = enforce(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, Mode::Validate),
        );
        let fee = enforce(check_fee_cap(*ctx.resource_bounds, *ctx.tip, admission.max_fee_per_tx));
        enforce(check_fee_budget(fee, usage.fee_remaining));
        let mut usage = usage;
        // check_session_rules checked that the calls fit.
        usage.calls_remaining -= checked.counted;
        usage.fee_remaining -= fee;
        self.Sessions_nodes.entry(key).usage.write(usage);
    }

    /// What `__execute__` checks and records for a session transaction
    /// before its calls run (§4): the exact clock, and the spending tally.
    /// Returns the watch to settle once the calls ran.
    fn execute_transaction(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        calls: Span<Call>,
        ctx: @TxContext,
    ) -> SpendingWatch {
        let key = *signature.session_key;
        let node = self.node(key);
        let facts = SessionFacts {
            session_key: key, state: node.state.read(), usage: Default::default(),
        };
        let checked = enforce(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, Mode::Execute),
        );
        self.record_spending(key, *ctx.account, checked)
    }

    /// Everything a session-signed outside execution must pass (§11): a
    /// carried authorization registers first, the session key signed
    /// `hash`, then the rules of §4 with the exact clock; records the calls
    /// (the relayer pays the fee) and the spending tally. Returns the watch
    /// to settle once the calls ran.
    fn authorize_outside_execution(
        ref self: ComponentState<TContractState>,
        signature: @SessionSignature,
        hash: felt252,
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
        let checked = enforce(
            check_session_rules(@node, facts, *ctx.account, *ctx.now, calls, Mode::Outside),
        );
        usage.calls_remaining -= checked.counted;
        self.Sessions_nodes.entry(key).usage.write(usage);
        self.record_spending(key, *ctx.account, checked)
    }

    /// §4.4, once the calls ran: counts against the limit what left the
    /// account beyond what the calls were metered for (a contract pulling an
    /// allowance, a bridge burning a balance), and reverts with
    /// `session/spending-limit` if that exceeds what remains. Emits
    /// `SpendingRecorded` for each token the execution spent.
    fn settle_spending(ref self: ComponentState<TContractState>, watch: SpendingWatch) {
        let node = self.node(watch.session_key);
        let stored = self.Sessions_nodes.entry(watch.session_key);
        for watched in watch.tokens.span() {
            let watched = *watched;
            let after = IERC20BalanceDispatcher { contract_address: watched.token }
                .balance_of(watch.account);
            let left = if after < watched.balance_before {
                watched.balance_before - after
            } else {
                0
            };
            if left > watched.metered {
                let extra = left - watched.metered;
                let grant = match watched.grant {
                    Some(grant) => grant,
                    None => StoredGrants::grant(@node, watched.token),
                };
                let remaining = grant.remaining.unwrap_or(0);
                assert(extra <= remaining, SpendingErrors::SPENDING_LIMIT);
                let remaining = remaining - extra;
                store_grant(
                    stored, watched.token, Grant { rule: grant.rule, remaining: Some(remaining) },
                );
                self
                    .emit(
                        SpendingRecorded {
                            session_key: watch.session_key, token: watched.token, remaining,
                        },
                    );
            } else if let Some(grant) = watched.grant {
                let remaining = grant.remaining.unwrap_or(0);
                self
                    .emit(
                        SpendingRecorded {
                            session_key: watch.session_key, token: watched.token, remaining,
                        },
                    );
            }
        }
    }

    /// §4.4: records what the checked calls are metered for, before they
    /// run, and reads the account's balance of every limited token of the
    /// session to watch what the calls move.
    fn record_spending(
        ref self: ComponentState<TContractState>,
        session_key: felt252,
        account: ContractAddress,
        checked: Checked,
    ) -> SpendingWatch {
        let mut tokens = array![];
        if let CallsKind::Regular(_) = checked.kind {
            let stored = self.Sessions_nodes.entry(session_key);
            let node = self.node(session_key);
            for i in 0..node.tokens.len() {
                let token = node.tokens.at(i).read();
                let mut metered = 0;
                let mut grant = None;
                for spend in checked.spends.span() {
                    if *spend.token == token {
                        // tally_spending checked that the amount fits.
                        let recorded = Grant {
                            rule: *spend.grant.rule,
                            remaining: Some(*spend.remaining - *spend.amount),
                        };
                        store_grant(stored, token, recorded);
                        metered = *spend.amount;
                        grant = Some(recorded);
                    }
                }
                let balance_before = IERC20BalanceDispatcher { contract_address: token }
                    .balance_of(account);
                tokens.append(WatchedToken { token, balance_before, metered, grant });
            }
        }
        SpendingWatch { session_key, account, tokens }
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
