//! `policy show`: what the session may do, and what it used: fee cap and
//! budget, allowed calls, calldata rules, spending limits (over the
//! session's life and in the current window), and the spenders it approved
//! (what `session revoke --owner --clear-allowances` sets back to zero).

use serde::Serialize;
use session_account::policy::{
    AllowedContract, SessionApproval, SessionDetails, SessionPolicy, TokenSpending,
};
use session_account::token::format_u256;
use starknet_rust::core::types::U256;

use super::session_status::FeeBudget;
use super::SessionSelector;
use crate::context::{token_name, Context};
use crate::output::{span, when, Amount, Response};

#[derive(Serialize)]
pub struct PolicyShown {
    policy: SessionPolicy,
    allowed_calls: Vec<AllowedContract>,
    spending: Vec<TokenSpending>,
    fee: FeeBudget,
    approvals: Vec<SessionApproval>,
    /// The window in force: the account's once registered (renewals move
    /// `valid_until`), else the token's policy.
    valid_after: u64,
    valid_until: u64,
    /// The chain's time when this was read (unix seconds).
    now: u64,
}

impl Response for PolicyShown {
    fn text(&self) -> String {
        let mut text = format!(
            "valid from   {}\nvalid until  {}\nfee cap      {} STRK per transaction\n\
             fee budget   {}\nallowed calls",
            when(self.valid_after, self.now),
            when(self.valid_until, self.now),
            Amount(self.policy.max_fee_per_tx),
            self.fee.line()
        );
        for a in &self.allowed_calls {
            let entrypoints = if a.entrypoints.is_empty() {
                "any entrypoint".to_string()
            } else {
                a.entrypoints.iter().map(|e| format!("{e:#x}")).collect::<Vec<_>>().join(", ")
            };
            text.push_str(&format!("\n  {:<10} {entrypoints}", token_name(a.contract)));
        }
        if !self.policy.calldata_rules.is_empty() {
            text.push_str("\ncalldata rules");
        }
        for r in &self.policy.calldata_rules {
            let values = r.values.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>();
            text.push_str(&format!(
                "\n  {:<10} {:#x}: word {} ({:?}) {:?} {}",
                token_name(r.contract),
                r.selector,
                r.offset,
                r.kind,
                r.operator,
                values.join(", ")
            ));
        }
        text.push_str("\nspending limits");
        if self.spending.is_empty() {
            text.push_str("\n  none");
        }
        for s in &self.spending {
            text.push_str(&format!(
                "\n  {:<10} {}",
                token_name(s.token),
                spending_line(s, self.now)
            ));
        }
        if !self.approvals.is_empty() {
            text.push_str(
                "\nspenders it approved (allowances outlive the session: revoke with \
                 --clear-allowances)",
            );
        }
        for a in &self.approvals {
            text.push_str(&format!("\n  {:<10} {:#x}", token_name(a.token), a.spender));
        }
        text
    }
}

/// What was used of one token's limits: over the session's life and, with a
/// periodic limit (§4.9), in the current window and when it resets.
pub(crate) fn spending_line(s: &TokenSpending, now: u64) -> String {
    let mut line = if s.limit == U256::from_words(u128::MAX, u128::MAX) {
        format!("{} used (no lifetime limit)", format_u256(s.spent))
    } else {
        format!("{} / {} used", format_u256(s.spent), format_u256(s.limit))
    };
    if let Some(remaining) = s.window_remaining() {
        line.push_str(&format!(
            "; {} / {} this {} window ({} left, resets {})",
            format_u256(U256::from(s.window_spent)),
            format_u256(U256::from(s.period_limit)),
            span(s.period),
            format_u256(U256::from(remaining)),
            when(u64::try_from(s.window_resets_at).unwrap_or(u64::MAX), now)
        ));
    }
    line
}

pub async fn run(selector: SessionSelector, ctx: &Context) -> anyhow::Result<PolicyShown> {
    let client = ctx.connect(selector.session.as_deref()).await?;
    let token = client.token();
    let SessionDetails { status, allowed_calls, spending } = client.details().await?;
    let approvals = if status.registered { client.approvals().await? } else { vec![] };
    let (allowed_calls, spending, fee) = if status.registered {
        (allowed_calls, spending, FeeBudget::of(&status))
    } else {
        let spending = token
            .policy
            .spending_limits
            .iter()
            .map(|l| TokenSpending::unspent(l, token.policy.valid_after))
            .collect();
        (token.policy.allowed_calls.clone(), spending, FeeBudget::unused(token.policy.fee_budget))
    };
    let (valid_after, valid_until) = if status.registered {
        (status.valid_after, status.valid_until)
    } else {
        (token.policy.valid_after, token.policy.valid_until)
    };
    Ok(PolicyShown {
        policy: token.policy.clone(),
        allowed_calls,
        spending,
        fee,
        approvals,
        valid_after,
        valid_until,
        now: ctx.chain_time().await?,
    })
}
