//! `session status`: the session as the account sees it now: state,
//! window, calls, fee budget, spending.

use serde::Serialize;
use session_account::policy::{SessionDetails, SessionStatus, TokenSpending};

use super::SessionSelector;
use crate::context::{token_name, Context};
use crate::output::{fields, span, utc, when, Amount, Hex, Response};

#[derive(Serialize)]
pub struct Status {
    session_public_key: Hex,
    account: Hex,
    /// What the session can do now, in a few words.
    state: &'static str,
    status: SessionStatus,
    spending: Vec<TokenSpending>,
    /// The token still carries the owner's authorization: the session is
    /// registered by its first transaction.
    pending_authorization: bool,
    /// The window and fee budget in force: the account's once registered,
    /// else the token's policy.
    valid_after: u64,
    valid_until: u64,
    fee: FeeBudget,
    /// The chain's time when this was read (unix seconds).
    now: u64,
}

/// A fee budget and what was used of it.
#[derive(Serialize, Clone, Copy)]
pub struct FeeBudget {
    pub budget: Amount,
    pub used: Amount,
    pub remaining: Amount,
}

impl FeeBudget {
    pub fn of(status: &SessionStatus) -> Self {
        Self {
            budget: Amount(status.fee_budget),
            used: Amount(status.fee_used),
            remaining: Amount(status.fee_remaining),
        }
    }

    /// A session not registered yet: nothing used.
    pub fn unused(budget: u128) -> Self {
        Self { budget: Amount(budget), used: Amount(0), remaining: Amount(budget) }
    }

    /// `used / budget STRK used, left STRK left` (or gasless only, unlimited).
    pub fn line(&self) -> String {
        match self.budget.0 {
            0 => "0 (gasless only)".to_string(),
            u128::MAX => format!("unlimited ({} STRK used)", self.used),
            _ => format!("{} / {} STRK used, {} STRK left", self.used, self.budget, self.remaining),
        }
    }
}

impl Response for Status {
    fn text(&self) -> String {
        let s = &self.status;
        let calls = format!(
            "{} used, {} remaining ({} per tx)",
            s.calls_used, s.calls_remaining, s.max_calls_per_tx
        );
        let mut rows = vec![
            ("session".to_string(), self.session_public_key.to_string()),
            ("state".to_string(), self.state.to_string()),
            ("valid from".to_string(), when(self.valid_after, self.now)),
            ("valid until".to_string(), when(self.valid_until, self.now)),
            ("calls".to_string(), calls),
            ("fee cap".to_string(), format!("{} STRK per transaction", Amount(s.max_fee_per_tx))),
            ("fee budget".to_string(), self.fee.line()),
        ];
        if s.renewable {
            let renewal = format!(
                "until {}, by {} each time (never past {})",
                when(u64::try_from(s.grace_deadline).unwrap_or(u64::MAX), self.now),
                span(s.renewal_period),
                utc(s.max_valid_until)
            );
            rows.push(("renewable".to_string(), renewal));
        }
        for e in &self.spending {
            rows.push((token_name(e.token), super::policy_show::spending_line(e, self.now)));
        }
        let rows: Vec<(&str, String)> =
            rows.iter().map(|(label, value)| (label.as_str(), value.clone())).collect();
        fields(&rows)
    }
}

/// The session's state in a few words, saying what an active session can
/// still do when its fee budget limits it (docs/spec.md §4.7).
fn state(status: &SessionStatus, carries_authorization: bool) -> &'static str {
    if status.active {
        if status.fee_budget == 0 {
            "active, gasless only (no fee budget)"
        } else if status.fee_remaining == 0 {
            "active, gasless only: fee budget used up"
        } else if status.fee_remaining < status.max_fee_per_tx {
            "active; fee budget nearly used up (transactions that may cost more than what is \
             left are refused; gasless still works)"
        } else {
            "active"
        }
    } else if !status.registered && status.revoked {
        "revoked before registration (no authorization can register it)"
    } else if !status.registered && carries_authorization {
        "authorized (registers with its first transaction)"
    } else if !status.registered {
        "not registered"
    } else if status.revoked {
        "revoked"
    } else if !status.epoch_valid {
        "revoked (revoke-all)"
    } else if status.calls_remaining == 0 {
        "call limit reached"
    } else {
        "outside its time window"
    }
}

pub async fn run(selector: SessionSelector, ctx: &Context) -> anyhow::Result<Status> {
    let client = ctx.connect(selector.session.as_deref()).await?;
    let SessionDetails { status, spending, .. } = client.details().await?;
    let now = ctx.chain_time().await?;
    let token = client.token();
    let carried = token.authorization.is_some();
    // Before registration, the policy in the token is the truth.
    let (valid_after, valid_until, fee) = if status.registered {
        (status.valid_after, status.valid_until, FeeBudget::of(&status))
    } else {
        (
            token.policy.valid_after,
            token.policy.valid_until,
            FeeBudget::unused(token.policy.fee_budget),
        )
    };
    Ok(Status {
        session_public_key: Hex(token.session_public_key()),
        account: Hex(token.account),
        state: state(&status, carried),
        status,
        spending,
        pending_authorization: carried,
        valid_after,
        valid_until,
        fee,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(fee_budget: u128, fee_remaining: u128) -> SessionStatus {
        SessionStatus {
            registered: true,
            revoked: false,
            epoch_valid: true,
            valid_after: 0,
            valid_until: 100,
            renewable: false,
            grace_deadline: 0,
            max_valid_until: 0,
            renewal_period: 0,
            calls_used: 0,
            calls_remaining: 3,
            max_calls_per_tx: 1,
            max_fee_per_tx: 100,
            fee_budget,
            fee_used: fee_budget.saturating_sub(fee_remaining),
            fee_remaining,
            active: true,
        }
    }

    #[test]
    fn an_active_session_says_what_its_fee_budget_still_allows() {
        assert_eq!(state(&active(1000, 500), false), "active");
        assert!(state(&active(1000, 50), false).starts_with("active; fee budget nearly used up"));
        assert_eq!(state(&active(1000, 0), false), "active, gasless only: fee budget used up");
        assert_eq!(state(&active(0, 0), false), "active, gasless only (no fee budget)");
    }

    #[test]
    fn a_key_revoked_before_registration_is_not_called_authorized() {
        let revoked =
            SessionStatus { registered: false, revoked: true, active: false, ..active(0, 0) };
        assert!(state(&revoked, true).starts_with("revoked before registration"));
    }
}
