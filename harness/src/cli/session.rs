//! `session create | register | import | export | status | renew | revoke`
//! and `policy show`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use session_account::account::OwnerOperations;
use session_account::policy::{AllowedContract, SessionPolicy, SpendingLimit};
use session_account::session_client::SessionClient;
use session_account::session_token::{chain_name, SessionToken};
use session_account::signature::Authorization;
use session_account::token::{format_amount, format_u256 as amount, parse_amount};
use starknet_rust::core::types::U256;
use starknet_rust::core::utils::get_selector_from_name;
use starknet_rust::signers::SigningKey;

use super::account::owner;
use super::context::{parse_duration, parse_felt, parse_token, token_name, Context, Rpc, SESSION_ENV};
use super::output::Output;

#[derive(Args)]
pub struct SessionSelector {
    /// Session token file (default: $SESSION_ACCOUNT_SESSION, else the home folder's session).
    #[arg(long)]
    pub session: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum SessionCommand {
    /// Create a session key and policy; register it (owner tx) or authorize it.
    Create(CreateArgs),
    /// Owner: register the current session with an owner transaction.
    Register {
        #[command(flatten)]
        selector: SessionSelector,
        #[arg(long)]
        keystore: Option<PathBuf>,
    },
    /// Store a session token given on stdin or in an environment variable.
    Import {
        /// Read the token from this environment variable (default: stdin).
        #[arg(long)]
        from_env: Option<String>,
        /// Where to store it (default: the home folder's session).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the current session token (it holds the session's private key).
    Export {
        #[command(flatten)]
        selector: SessionSelector,
    },
    /// Show the session's on-chain status.
    Status {
        #[command(flatten)]
        selector: SessionSelector,
    },
    /// Renew the session (only expired, renewable sessions inside their grace period).
    Renew {
        #[command(flatten)]
        selector: SessionSelector,
    },
    /// Revoke the session (signed by the session itself, or by the owner with --owner).
    Revoke {
        #[command(flatten)]
        selector: SessionSelector,
        /// Revoke with an owner transaction instead.
        #[arg(long)]
        owner: bool,
        #[arg(long)]
        keystore: Option<PathBuf>,
    },
    /// Owner: revoke every session at once (O(1)).
    RevokeAll {
        #[arg(long)]
        keystore: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct CreateArgs {
    /// Allowed contract, with optional entrypoints: `STRK`, `0x123`, `0x123:swap,quote`.
    #[arg(long = "allow", required = true)]
    allow: Vec<String>,
    /// Spending limit `TOKEN:AMOUNT` (18 decimals), e.g. `STRK:100`.
    #[arg(long = "limit")]
    limits: Vec<String>,
    /// Lifetime from now, e.g. `1h`, `7d`.
    #[arg(long, default_value = "24h")]
    valid_for: String,
    /// Grace period for renewal after expiry (0: not renewable).
    #[arg(long, default_value = "0")]
    grace: String,
    /// Renewals never extend past now + this.
    #[arg(long, default_value = "30d")]
    renew_limit: String,
    /// What one renewal extends the session by (default: --valid-for).
    #[arg(long)]
    renewal_period: Option<String>,
    #[arg(long, default_value_t = 100)]
    max_calls: u64,
    #[arg(long, default_value_t = 5)]
    max_calls_per_tx: u32,
    /// Most fee (STRK) one session transaction may commit the account to.
    #[arg(long, default_value = "1")]
    max_fee: String,
    /// Most fee (STRK) all the session's transactions may commit the account
    /// to, reverted ones included; 0 = gasless only, `unlimited` = no budget
    /// beyond --max-fee.
    #[arg(long, default_value = "10")]
    fee_budget: String,
    /// Carry an owner-signed authorization in the first session transaction
    /// instead of registering now (no owner transaction, no fee now).
    #[arg(long)]
    authorize: bool,
    /// Owner keystore (default: the account's, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// Where to write the session token (default: the home folder's session).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn parse_allow(text: &str) -> Result<AllowedContract> {
    let (contract, entrypoints) = text.split_once(':').unwrap_or((text, ""));
    let entrypoints = entrypoints
        .split(',')
        .filter(|e| !e.is_empty())
        .map(|e| get_selector_from_name(e).with_context(|| format!("{e:?} is not an entrypoint name")))
        .collect::<Result<Vec<_>>>()?;
    Ok(AllowedContract { contract: parse_token(contract)?, entrypoints })
}

fn parse_limit(text: &str) -> Result<SpendingLimit> {
    let (token, amount) = text.split_once(':').with_context(|| format!("{text:?}: write a limit as TOKEN:AMOUNT, e.g. STRK:100"))?;
    Ok(SpendingLimit { token: parse_token(token)?, limit: U256::from(parse_amount(amount, 18).map_err(anyhow::Error::msg)?) })
}

pub async fn run(command: SessionCommand, ctx: &Context, out: &Output) -> Result<()> {
    match command {
        SessionCommand::Create(args) => create(args, ctx, out).await,
        SessionCommand::Register { selector, keystore } => {
            let token = ctx.load_session(selector.session.as_deref())?;
            let record = ctx.load_account()?;
            let progress = out.progress();
            progress.step("registering the session (owner transaction)");
            let confirmed = owner(ctx, &record, keystore)?.register_session(&token.policy).await?;
            progress.finish();
            out.print(
                &json!({ "transaction_hash": format!("{:#066x}", confirmed.transaction_hash) }),
                || format!("session registered\ntransaction  {:#066x}", confirmed.transaction_hash),
            );
            Ok(())
        }
        SessionCommand::Import { from_env, out: file } => {
            let text = match &from_env {
                Some(var) => std::env::var(var).with_context(|| format!("${var} is not set"))?,
                None => {
                    let mut text = String::new();
                    std::io::stdin().read_to_string(&mut text).context("reading the token from stdin")?;
                    text
                }
            };
            let token = SessionToken::decode(&text)?;
            let chain_id = ctx.chain_id().await?;
            token.check_chain(chain_id)?;
            let path = ctx.save_session(&token, file.as_deref())?;
            out.print(
                &json!({
                    "session_public_key": format!("{:#066x}", token.session_public_key()),
                    "account": format!("{:#066x}", token.account),
                    "chain": chain_name(token.chain_id),
                    "path": path,
                }),
                || format!("session {:#066x} imported\naccount  {:#066x}\nsaved to {}", token.session_public_key(), token.account, path.display()),
            );
            Ok(())
        }
        SessionCommand::Export { selector } => {
            let token = ctx.load_session(selector.session.as_deref())?;
            let text = token.encode();
            out.print(&json!({ "token": text }), || text.clone());
            Ok(())
        }
        SessionCommand::Status { selector } => {
            let client = connect(ctx, selector).await?;
            let status = client.status().await?;
            let spending = client.spending().await?;
            let carried = client.token().authorization.is_some();
            out.print(
                &json!({
                    "session_public_key": format!("{:#066x}", client.token().session_public_key()),
                    "account": format!("{:#066x}", client.token().account),
                    "status": status,
                    "spending": spending,
                    "pending_authorization": carried,
                }),
                || {
                    let state = if status.active {
                        "active"
                    } else if !status.registered && carried {
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
                    };
                    // Before registration, the policy in the token is the truth.
                    let policy = &client.token().policy;
                    let (after, until) = if status.registered {
                        (status.valid_after, status.valid_until)
                    } else {
                        (policy.valid_after, policy.valid_until)
                    };
                    let mut text = format!(
                        "session      {:#066x}\nstate        {state}\nvalid        {} .. {}\ncalls        {} used, {} remaining ({} per tx)\nfee cap      {} STRK",
                        client.token().session_public_key(),
                        after,
                        until,
                        status.calls_used,
                        status.calls_remaining,
                        status.max_calls_per_tx,
                        format_amount(status.max_fee_per_tx, 18),
                    );
                    text.push_str(&format!("\nfee budget   {}", fee_budget_line(&status)));
                    if status.renewable {
                        text.push_str(&format!(
                            "\nrenewable    until {}, by {} s each time (never past {})",
                            status.grace_deadline, status.renewal_period, status.max_valid_until
                        ));
                    }
                    for s in &spending {
                        text.push_str(&format!("\n{:<12} {} / {} used", token_name(s.token), amount(s.spent), amount(s.limit)));
                    }
                    text
                },
            );
            Ok(())
        }
        SessionCommand::Renew { selector } => {
            let mut client = connect(ctx, selector).await?;
            let progress = out.progress();
            progress.step("renewing the session");
            let confirmed = client.renew().await?;
            progress.finish();
            let status = client.status().await?;
            out.print(
                &json!({ "transaction_hash": format!("{:#066x}", confirmed.transaction_hash), "valid_until": status.valid_until }),
                || format!("session renewed until {}\ntransaction  {:#066x}", status.valid_until, confirmed.transaction_hash),
            );
            Ok(())
        }
        SessionCommand::Revoke { selector, owner: by_owner, keystore } => {
            let progress = out.progress();
            progress.step("revoking the session");
            let confirmed = if by_owner {
                let token = ctx.load_session(selector.session.as_deref())?;
                let record = ctx.load_account()?;
                owner(ctx, &record, keystore)?.revoke_session(token.session_public_key()).await?
            } else {
                connect(ctx, selector).await?.revoke().await?
            };
            progress.finish();
            out.print(
                &json!({ "transaction_hash": format!("{:#066x}", confirmed.transaction_hash) }),
                || format!("session revoked\ntransaction  {:#066x}", confirmed.transaction_hash),
            );
            Ok(())
        }
        SessionCommand::RevokeAll { keystore } => {
            super::account::run(super::account::AccountCommand::RevokeAll { keystore }, ctx, out).await
        }
    }
}


/// The selected session, connected to the node (chain checked).
pub async fn connect(ctx: &Context, selector: SessionSelector) -> Result<SessionClient<Rpc>> {
    let token = ctx.load_session(selector.session.as_deref())?;
    Ok(SessionClient::connect(ctx.provider(), token).await?)
}

async fn create(args: CreateArgs, ctx: &Context, out: &Output) -> Result<()> {
    let record = ctx.load_account()?;
    let chain_id = ctx.chain_id().await?;
    if chain_id != record.chain_id {
        bail!("the node is on chain {}, but the account is on {}", chain_name(chain_id), chain_name(record.chain_id));
    }
    let owner_account = owner(ctx, &record, args.keystore.clone())?;
    let provider = ctx.provider();
    let now = session_account::tx::latest_timestamp(&provider).await?;
    let session_key = SigningKey::from_random();
    let lifetime = parse_duration(&args.valid_for)?;
    let valid_until = now + lifetime;
    let grace = parse_duration(&args.grace)?;
    let period = match &args.renewal_period {
        Some(text) => parse_duration(text)?,
        None => lifetime,
    };
    let fee_budget = match args.fee_budget.as_str() {
        "unlimited" => u128::MAX,
        text => parse_amount(text, 18).map_err(anyhow::Error::msg)?,
    };
    let mut builder = SessionPolicy::builder(session_key.verifying_key().scalar())
        .valid_between(now, valid_until)
        .max_calls_per_tx(args.max_calls_per_tx)
        .max_calls(args.max_calls)
        .max_fee_per_tx(parse_amount(&args.max_fee, 18).map_err(anyhow::Error::msg)?)
        .fee_budget(fee_budget);
    if grace > 0 {
        builder = builder.renewable(grace, period, (now + parse_duration(&args.renew_limit)?).max(valid_until));
    }
    for allowed in &args.allow {
        let allowed = parse_allow(allowed)?;
        builder = builder.allow_entrypoints(allowed.contract, allowed.entrypoints);
    }
    for limit in &args.limits {
        let limit = parse_limit(limit)?;
        builder = builder.spending_limit(limit.token, limit.limit);
    }
    let policy = builder.build().map_err(|e| anyhow::anyhow!("the account would refuse this policy: {e}"))?;
    policy.check_well_formed(record.address).map_err(|e| anyhow::anyhow!("the account would refuse this policy: {e}"))?;
    let (authorization, registered_in) = if args.authorize {
        let binding = session_account::policy::views::AccountViews::new(&provider, record.address).binding(chain_id).await?;
        let owner_key = session_account::keys::load_owner_key(args.keystore.as_deref().or(record.keystore.as_deref()))?;
        (Some(Authorization::sign(policy.clone(), &owner_key, &binding)?), None)
    } else {
        let progress = out.progress();
        progress.step("registering the session (owner transaction)");
        let confirmed = owner_account.register_session(&policy).await?;
        progress.finish();
        (None, Some(confirmed.transaction_hash))
    };
    let token = SessionToken { session_key, account: record.address, chain_id, policy, authorization };
    let path = ctx.save_session(&token, args.out.as_deref())?;
    out.print(
        &json!({
            "session_public_key": format!("{:#066x}", token.session_public_key()),
            "valid_until": token.policy.valid_until,
            "registered_in": registered_in.map(|h| format!("{h:#066x}")),
            "authorized": registered_in.is_none(),
            "path": path,
        }),
        || {
            let how = match registered_in {
                Some(hash) => format!("registered in {hash:#066x}"),
                None => "authorized: the first session transaction registers it".into(),
            };
            format!(
                "session {:#066x} created\n{how}\nvalid until {}\ntoken saved to {} (export it with `session export`; ${SESSION_ENV} also works)",
                token.session_public_key(),
                token.policy.valid_until,
                path.display()
            )
        },
    );
    Ok(())
}

/// `used / budget STRK used, left STRK left` (or "gasless only", "unlimited").
fn fee_budget_line(status: &session_account::policy::SessionStatus) -> String {
    match status.fee_budget {
        0 => "0 (gasless only)".to_string(),
        u128::MAX => format!("unlimited ({} STRK used)", format_amount(status.fee_used, 18)),
        budget => format!(
            "{} / {} STRK used, {} STRK left",
            format_amount(status.fee_used, 18),
            format_amount(budget, 18),
            format_amount(status.fee_remaining, 18)
        ),
    }
}

pub async fn policy_show(ctx: &Context, out: &Output, selector: SessionSelector) -> Result<()> {
    let client = connect(ctx, selector).await?;
    let token = client.token();
    let status = client.status().await?;
    let (allowed, spending) = if status.registered {
        let provider = ctx.provider();
        let views = session_account::policy::views::AccountViews::new(&provider, token.account);
        (views.allowed_calls(token.session_public_key()).await?, client.spending().await?)
    } else {
        let spending = token
            .policy
            .spending_limits
            .iter()
            .map(|l| session_account::policy::TokenSpending { token: l.token, limit: l.limit, spent: U256::from(0u8) })
            .collect();
        (token.policy.allowed_calls.clone(), spending)
    };
    let fees = if status.registered {
        json!({ "fee_budget": status.fee_budget.to_string(), "fee_used": status.fee_used.to_string(), "fee_remaining": status.fee_remaining.to_string() })
    } else {
        json!({ "fee_budget": token.policy.fee_budget.to_string(), "fee_used": "0", "fee_remaining": token.policy.fee_budget.to_string() })
    };
    let budget_line = if status.registered {
        fee_budget_line(&status)
    } else {
        let pending = session_account::policy::SessionStatus {
            fee_budget: token.policy.fee_budget,
            fee_used: 0,
            fee_remaining: token.policy.fee_budget,
            ..status
        };
        fee_budget_line(&pending)
    };
    out.print(&json!({ "policy": token.policy, "allowed_calls": allowed, "spending": spending, "fees": fees }), || {
        let mut text = format!(
            "fee cap      {} STRK per transaction\nfee budget   {budget_line}\nallowed calls",
            format_amount(token.policy.max_fee_per_tx, 18)
        );
        for a in &allowed {
            let entrypoints = if a.entrypoints.is_empty() {
                "any entrypoint".to_string()
            } else {
                a.entrypoints.iter().map(|e| format!("{e:#x}")).collect::<Vec<_>>().join(", ")
            };
            text.push_str(&format!("\n  {:<10} {entrypoints}", token_name(a.contract)));
        }
        text.push_str("\nspending limits");
        if spending.is_empty() {
            text.push_str("\n  none");
        }
        for s in &spending {
            text.push_str(&format!("\n  {:<10} {} / {} used", token_name(s.token), amount(s.spent), amount(s.limit)));
        }
        text
    });
    Ok(())
}

/// For commands that take a felt list.
pub fn parse_calldata(text: &str) -> Result<Vec<starknet_rust::core::types::Felt>> {
    text.split(',').filter(|s| !s.trim().is_empty()).map(parse_felt).collect()
}
