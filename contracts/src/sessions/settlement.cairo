//! Where a session execution's spending is settled (§4.4): the tally the
//! calls were metered for is recorded before they run, the account's
//! balance of every limited token is read around them, and once they ran
//! the transaction counts, per token, the larger of what its calls were
//! metered for and what they moved: what left the account's balance, plus
//! what the spenders it approved may still take, plus what it moved of
//! someone else's tokens. Whatever exceeds what remained reverts the
//! execution with `session/spending-limit`. A token with a periodic limit
//! (§4.9) counts the same amounts, metered then watched, in the window of
//! the execution's exact clock: `session/period-limit` when they exceed
//! what remains of the window.
//!
//! The running signer is held for the whole of it (a session transaction's
//! signature; a session outside execution's guard, §11), so nothing the
//! tokens call can run another session execution in between, and what is
//! written back is read from storage, not from a copy taken before the
//! calls.

use starknet::ContractAddress;
use starknet::storage::{
    StorageMapReadAccess, StorageMapWriteAccess, StoragePathEntry, StoragePointerReadAccess,
    VecTrait,
};
use crate::execution::SignerContext;
use crate::interface::{IWatchedTokenDispatcher, IWatchedTokenDispatcherTrait};
use crate::owner::OwnerComponent;
use crate::policy::calls::{CallsKind, Grant};
use crate::policy::periods::{PeriodicLimit, charge, window_index};
use crate::policy::spending::{
    Approval, Errors as SpendingErrors, add_amounts, exposure, moved_amount,
};
use crate::verdict::unwrap_or_panic;
use super::component::SessionsComponent::{
    ComponentState, HasComponent, InternalImpl, SpendingRecorded,
};
use super::enforcement::Checked;
use super::node::{SessionState, StoredGrants, store_grant};

/// What a session execution spends of each limited token, watched around
/// its calls (§4.4).
#[derive(Drop)]
pub struct SpendingWatch {
    pub session_key: felt252,
    pub account: ContractAddress,
    pub tokens: Array<WatchedToken>,
    /// The spenders the calls approve, per token.
    pub approvals: Span<Approval>,
}

#[derive(Copy, Drop)]
pub struct WatchedToken {
    pub token: ContractAddress,
    pub balance_before: u256,
    /// What the calls were metered for (already recorded).
    pub metered: u256,
    /// The part of `metered` that moves someone else's tokens.
    pub third_party: u256,
    /// Whether a call approves a spender of the token.
    pub approves: bool,
    /// The token's grant after the metered amount was recorded; `None` when
    /// no call metered it.
    pub grant: Option<Grant>,
    /// The token's periodic limit (`period` 0 when none), and the window
    /// of the execution's clock.
    pub periodic: PeriodicLimit,
    pub window: u64,
}

#[generate_trait]
pub impl SpendingSettlementImpl<
    TContractState,
    +HasComponent<TContractState>,
    +SignerContext<TContractState>,
    impl Owner: OwnerComponent::HasComponent<TContractState>,
    +Drop<TContractState>,
> of SpendingSettlementTrait<TContractState> {
    /// §4.4, before the calls: records what the checked calls are metered
    /// for, against the lifetime limit and, at `now` (the exact clock), the
    /// periodic one (§4.9); and reads the account's balance of every
    /// limited token of the session (the first `limited_tokens` of its
    /// `tokens`: all of them) to watch what the calls move. Lifecycle calls
    /// are not watched.
    fn record_spending(
        ref self: ComponentState<TContractState>,
        session_key: felt252,
        account: ContractAddress,
        state: SessionState,
        now: u64,
        checked: Checked,
    ) -> SpendingWatch {
        let mut tokens = array![];
        let Checked { kind, counted: _, tally } = checked;
        if let CallsKind::Regular(_) = kind {
            let stored = self.Sessions_nodes.entry(session_key);
            let node = self.node(session_key);
            for i in 0..state.limited_tokens {
                let token = node.tokens.at(i.into()).read();
                let mut watched = WatchedToken {
                    token,
                    balance_before: 0,
                    metered: 0,
                    third_party: 0,
                    approves: false,
                    grant: None,
                    periodic: Default::default(),
                    window: 0,
                };
                if state.periodic {
                    watched.periodic = node.periods.read(token);
                    if watched.periodic.period != 0 {
                        watched
                            .window = window_index(state.valid_after, watched.periodic.period, now);
                    }
                }
                for spend in tally.spends.span() {
                    if *spend.token == token {
                        // tally_spending checked that the amount fits.
                        let recorded = Grant {
                            rule: *spend.grant.rule,
                            remaining: Some(*spend.remaining - *spend.amount),
                        };
                        store_grant(stored, token, recorded);
                        watched.metered = *spend.amount;
                        watched.third_party = *spend.third_party;
                        watched.approves = *spend.approves;
                        watched.grant = Some(recorded);
                        if watched.periodic.period != 0 {
                            self.charge_window(session_key, watched, *spend.amount);
                        }
                    }
                }
                watched
                    .balance_before = IWatchedTokenDispatcher { contract_address: token }
                    .balance_of(account);
                tokens.append(watched);
            }
        }
        SpendingWatch { session_key, account, tokens, approvals: tally.approvals.span() }
    }

    /// §4.9: counts `amount` more of `watched.token` in the window of the
    /// execution; `session/period-limit` if the window has not that much
    /// left. Reads the window's tally from storage.
    fn charge_window(
        ref self: ComponentState<TContractState>,
        session_key: felt252,
        watched: WatchedToken,
        amount: u256,
    ) {
        let node = self.Sessions_nodes.entry(session_key);
        let tally = node.windows.read(watched.token);
        let charged = unwrap_or_panic(charge(watched.periodic, tally, watched.window, amount));
        node.windows.write(watched.token, charged);
    }

    /// §4.4, once the calls ran: counts against the limit what the calls
    /// moved beyond what they were metered for, and reverts with
    /// `session/spending-limit` if that exceeds what remains. Emits
    /// `SpendingRecorded` for each token a call targets or of which the
    /// calls moved more than metered.
    fn settle_spending(ref self: ComponentState<TContractState>, watch: SpendingWatch) {
        let node = self.node(watch.session_key);
        let stored = self.Sessions_nodes.entry(watch.session_key);
        for watched in watch.tokens.span() {
            let watched = *watched;
            let moved = unwrap_or_panic(moved_by_calls(@watch, watched));
            if moved > watched.metered {
                let extra = moved - watched.metered;
                // Read back: the recorded tally, whatever a copy says.
                let grant = StoredGrants::grant(@node, watched.token);
                let remaining = grant.remaining.unwrap_or(0);
                assert(extra <= remaining, SpendingErrors::SPENDING_LIMIT);
                let remaining = remaining - extra;
                if watched.periodic.period != 0 {
                    self.charge_window(watch.session_key, watched, extra);
                }
                store_grant(
                    stored, watched.token, Grant { rule: grant.rule, remaining: Some(remaining) },
                );
                self
                    .emit(
                        SpendingRecorded {
                            session_key: watch.session_key,
                            token: watched.token,
                            spent: moved,
                            remaining,
                        },
                    );
            } else if let Some(grant) = watched.grant {
                self
                    .emit(
                        SpendingRecorded {
                            session_key: watch.session_key,
                            token: watched.token,
                            spent: watched.metered,
                            remaining: grant.remaining.unwrap_or(0),
                        },
                    );
            }
        }
    }
}

/// What the calls moved of one watched token (§4.4): the decrease of the
/// account's balance, plus what each spender the calls approved may still
/// take of what they granted it, plus the third parties' tokens they moved.
/// Reads the allowances only when a call approved.
fn moved_by_calls(watch: @SpendingWatch, watched: WatchedToken) -> Result<u256, felt252> {
    let token = IWatchedTokenDispatcher { contract_address: watched.token };
    let after = token.balance_of(*watch.account);
    let decrease = if after < watched.balance_before {
        watched.balance_before - after
    } else {
        0
    };
    if !watched.approves && watched.third_party == 0 {
        return Ok(decrease);
    }
    let mut exposed: u256 = 0;
    if watched.approves {
        for approval in *watch.approvals {
            if *approval.token == watched.token {
                let allowance = token.allowance(*watch.account, *approval.spender);
                exposed = add_amounts(exposed, exposure(allowance, *approval.amount))?;
            }
        }
    }
    moved_amount(decrease, exposed, watched.third_party)
}
