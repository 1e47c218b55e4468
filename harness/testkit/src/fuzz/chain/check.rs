//! What the fuzzer compares after every step that can change state: every
//! view of the account against the model (sessions' stored policy, status,
//! fee budget, allowed calls and spending; owner, rotations, epoch, nonce,
//! outside nonce), the test token's balances and allowances, and the
//! account's STRK against the fees the receipts say it paid.

use std::time::Instant;

use session_account::policy::views::AccountViews;
use session_account::token::{allowance, balance_of, STRK};
use starknet_rust::core::types::{BlockId, BlockTag, Felt, U256};
use starknet_rust::providers::Provider;

use super::super::{router_address, token_address, Reference, SLOTS, THIRD_PARTY};
use super::Chain;

impl Chain {
    /// Every view equals the model; the first difference otherwise.
    pub fn check(&self, reference: &Reference) -> Result<(), String> {
        let started = Instant::now();
        let result = self.read_and_compare(reference);
        self.add_time(|t| t.checks += started.elapsed());
        result
    }

    fn read_and_compare(&self, reference: &Reference) -> Result<(), String> {
        let model = &reference.model;
        self.runtime.block_on(async {
            let provider = &self.sandbox.provider;
            let account = self.account.address;
            let views = AccountViews::new(provider, account);
            ensure_eq(views.owner().await.expect("owner"), model.owner, || {
                "owner key".to_string()
            })?;
            ensure_eq(
                views.owner_rotations().await.expect("rotations"),
                model.owner_rotations,
                || "owner rotations".to_string(),
            )?;
            ensure_eq(views.revocation_epoch().await.expect("epoch"), model.epoch, || {
                "revocation epoch".to_string()
            })?;
            let nonce =
                provider.get_nonce(BlockId::Tag(BlockTag::Latest), account).await.expect("nonce");
            ensure_eq(nonce, Felt::from(reference.nonce), || "account nonce".to_string())?;
            if let Some(sent) = &reference.last_outside {
                let unused = session_account::outside::is_valid_outside_execution_nonce(
                    provider,
                    account,
                    sent.terms.nonce,
                )
                .await
                .expect("is_valid_outside_execution_nonce");
                ensure_eq(!unused, model.outside_nonces.contains(&sent.terms.nonce), || {
                    "last outside nonce used".to_string()
                })?;
            }
            let fees = self.fees.borrow().clone();
            for slot in 0..SLOTS {
                let key = Reference::key(slot);
                let status = views.status(key).await.expect("status");
                let Some(s) = model.sessions.get(&key) else {
                    ensure(!status.registered, || {
                        format!("slot {slot}: registered on chain, not in the model")
                    })?;
                    continue;
                };
                let what = |field: &'static str| move || format!("slot {slot}: {field}");
                ensure(status.registered, what("registered"))?;
                ensure_eq(status.revoked, s.revoked, what("revoked"))?;
                ensure_eq(status.epoch_valid, s.epoch == model.epoch, what("epoch"))?;
                ensure_eq(status.valid_until, s.valid_until, what("valid_until"))?;
                ensure_eq(
                    (status.calls_used, status.calls_remaining),
                    (s.calls_used, s.calls_remaining()),
                    what("calls used, remaining"),
                )?;
                ensure_eq(
                    (status.fee_budget, status.fee_used, status.fee_remaining),
                    (s.policy.fee_budget, s.fee_used, s.fee_remaining()),
                    what("fee budget, used, remaining"),
                )?;
                // What the account paid for the session's transactions
                // stays within what it recorded, and so within its budget.
                let paid = fees.by_session.get(&key).copied().unwrap_or(0);
                ensure(paid <= s.fee_used && s.fee_used <= s.policy.fee_budget, || {
                    format!(
                        "slot {slot}: paid {paid} fri in fees, recorded {} of a {} budget",
                        s.fee_used, s.policy.fee_budget
                    )
                })?;
                // The stored policy is the one granted (the renewal fields
                // read 0 for a session that is not renewable).
                let p = &s.policy;
                let renewable = p.is_renewable();
                let stored = (
                    status.valid_after,
                    status.max_calls_per_tx,
                    status.max_fee_per_tx,
                    status.renewable,
                );
                ensure_eq(
                    stored,
                    (p.valid_after, p.max_calls_per_tx, p.max_fee_per_tx, renewable),
                    what("policy"),
                )?;
                let renewal =
                    if renewable { (p.renewal.max_valid_until, p.renewal.period) } else { (0, 0) };
                ensure_eq(
                    (status.max_valid_until, status.renewal_period),
                    renewal,
                    what("max_valid_until, renewal period"),
                )?;
                let deadline = if renewable {
                    s.valid_until as u128 + p.renewal.grace_period as u128
                } else {
                    0
                };
                ensure_eq(status.grace_deadline, deadline, what("grace deadline"))?;
                let allowed = views.allowed_calls(key).await.expect("allowed calls");
                ensure_eq(allowed, p.allowed_calls.clone(), what("allowed calls"))?;
                let spending: Vec<(Felt, U256, U256)> = views
                    .spending(key)
                    .await
                    .expect("spending")
                    .into_iter()
                    .map(|e| (e.token, e.limit, e.spent))
                    .collect();
                let expected: Vec<(Felt, U256, U256)> = p
                    .spending_limits
                    .iter()
                    .map(|l| (l.token, l.limit, s.spent_of(l.token)))
                    .collect();
                ensure_eq(spending, expected, what("spending (token, limit, spent)"))?;
            }
            // Money: the test token's balances and allowances, and STRK.
            let token = token_address();
            for holder in [account, THIRD_PARTY] {
                let held =
                    U256::from(balance_of(provider, token, holder).await.expect("token balance"));
                ensure_eq(held, model.ledger.balance(token, holder), || {
                    format!("token balance of {holder:#x}")
                })?;
            }
            for (owner, spender) in [(account, router_address()), (THIRD_PARTY, account)] {
                let allowed = allowance(provider, token, owner, spender).await.expect("allowance");
                ensure_eq(allowed, model.ledger.allowance(token, owner, spender), || {
                    format!("token allowance of {owner:#x} to {spender:#x}")
                })?;
            }
            let strk = balance_of(provider, STRK, account).await.expect("STRK balance");
            ensure_eq(strk, self.strk_at_setup - fees.total, || {
                "account STRK: what it had after set-up minus the fees it paid".to_string()
            })?;
            Ok(())
        })
    }
}

pub(crate) fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

pub(crate) fn ensure_eq<T: PartialEq + std::fmt::Debug>(
    got: T,
    expected: T,
    what: impl FnOnce() -> String,
) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{}: chain has {got:?}, model says {expected:?}", what()))
    }
}
