//! `policy show`: what the session may do, and what it used: fee cap and
//! budget, allowed calls, spending limits.

use serde::Serialize;
use session_account::policy::{AllowedContract, SessionDetails, SessionPolicy, TokenSpending};
use session_account::token::format_u256;
use starknet_rust::core::types::U256;

use super::session_status::FeeBudget;
use super::SessionSelector;
use crate::context::{token_name, Context};
use crate::output::{Amount, Response};

#[derive(Serialize)]
pub struct PolicyShown {
    policy: SessionPolicy,
    allowed_calls: Vec<AllowedContract>,
    spending: Vec<TokenSpending>,
    fee: FeeBudget,
}

impl Response for PolicyShown {
    fn text(&self) -> String {
        let mut text = format!(
            "fee cap      {} STRK per transaction\nfee budget   {}\nallowed calls",
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
        text.push_str("\nspending limits");
        if self.spending.is_empty() {
            text.push_str("\n  none");
        }
        for s in &self.spending {
            text.push_str(&format!(
                "\n  {:<10} {} / {} used",
                token_name(s.token),
                format_u256(s.spent),
                format_u256(s.limit)
            ));
        }
        text
    }
}

pub async fn run(selector: SessionSelector, ctx: &Context) -> anyhow::Result<PolicyShown> {
    let client = ctx.connect(selector.session.as_deref()).await?;
    let token = client.token();
    let SessionDetails { status, allowed_calls, spending } = client.details().await?;
    let (allowed_calls, spending, fee) = if status.registered {
        (allowed_calls, spending, FeeBudget::of(&status))
    } else {
        let spending = token
            .policy
            .spending_limits
            .iter()
            .map(|l| TokenSpending { token: l.token, limit: l.limit, spent: U256::from(0u8) })
            .collect();
        (token.policy.allowed_calls.clone(), spending, FeeBudget::unused(token.policy.fee_budget))
    };
    Ok(PolicyShown { policy: token.policy.clone(), allowed_calls, spending, fee })
}
