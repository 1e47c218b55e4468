//! `session create`: a new session key and its policy, registered by an
//! owner transaction, or (`--authorize`) by the session's own first
//! transaction carrying the owner's authorization (§3.2). With a passkey
//! held by a browser (`--assertion FILE`, `-` for stdin) the command prints
//! the challenge to assert and reads the browser's assertion
//! (`PublicKeyCredential.toJSON()`): one tap grants the session.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use serde::Serialize;
use session_account::account::OwnerOperations;
use session_account::policy::views::AccountViews;
use session_account::policy::{session_hash, SessionPolicy};
use session_account::session_token::{chain_name, SessionToken};
use session_account::signature::Authorization;
use session_account::signers::{challenge, Assertion};
use session_account::token::parse_amount;
use starknet_rust::core::types::{Felt, U256};
use starknet_rust::core::utils::get_selector_from_name;
use starknet_rust::signers::SigningKey;

use crate::context::{parse_duration, parse_token, Context, SESSION_ENV};
use crate::output::{Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
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
    /// What one renewal extends the session by (default: --valid-for).
    #[arg(long)]
    renewal_period: Option<String>,
    /// Renewals never extend past now + this.
    #[arg(long, default_value = "30d")]
    renew_limit: String,
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
    /// With --authorize: the owner is a passkey held by a browser. Prints the
    /// challenge, then reads the assertion JSON (`AuthenticationResponseJSON`)
    /// from this file, or from stdin with `-`.
    #[arg(long, requires = "authorize")]
    assertion: Option<PathBuf>,
    /// Owner keystore (default: the account's, or $SESSION_ACCOUNT_OWNER_KEY).
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// Where to write the session token (default: the home folder's session).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
pub struct Created {
    session_public_key: Hex,
    valid_after: u64,
    valid_until: u64,
    /// The owner transaction that registered it; `None` when authorized.
    registered_in: Option<Hex>,
    authorized: bool,
    path: PathBuf,
}

impl Response for Created {
    fn text(&self) -> String {
        let how = match self.registered_in {
            Some(hash) => format!("registered in {hash}"),
            None => "authorized: the first session transaction registers it".into(),
        };
        format!(
            "session {} created\n{how}\nvalid from {} until {}\ntoken saved to {} \
             (export it with `session export`; ${SESSION_ENV} also works)",
            self.session_public_key,
            self.valid_after,
            self.valid_until,
            self.path.display()
        )
    }
}

/// `0x123`, `STRK` or `0x123:swap,quote`: a contract and its entrypoints.
fn parse_allow(text: &str) -> Result<(Felt, Vec<Felt>)> {
    let (contract, entrypoints) = text.split_once(':').unwrap_or((text, ""));
    let entrypoints = entrypoints
        .split(',')
        .filter(|e| !e.is_empty())
        .map(|e| {
            get_selector_from_name(e).with_context(|| format!("{e:?} is not an entrypoint name"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((parse_token(contract)?, entrypoints))
}

/// `TOKEN:AMOUNT`, the amount in whole tokens (18 decimals).
fn parse_limit(text: &str) -> Result<(Felt, U256)> {
    let (token, amount) = text
        .split_once(':')
        .with_context(|| format!("{text:?}: write a limit as TOKEN:AMOUNT, e.g. STRK:100"))?;
    Ok((parse_token(token)?, U256::from(parse_amount(amount, 18).map_err(anyhow::Error::msg)?)))
}

/// The policy the arguments describe, starting at `now`.
fn policy(args: &Args, session_key: Felt, now: u64, account: Felt) -> Result<SessionPolicy> {
    let lifetime = parse_duration(&args.valid_for)?;
    let valid_until = now.checked_add(lifetime).context("--valid-for is too long")?;
    let fee_budget = match args.fee_budget.as_str() {
        "unlimited" => u128::MAX,
        text => parse_amount(text, 18).map_err(anyhow::Error::msg)?,
    };
    // Valid from now: `--valid-for 2h` is two hours from now.
    let mut builder = SessionPolicy::builder(session_key)
        .valid_between(now, valid_until)
        .max_calls_per_tx(args.max_calls_per_tx)
        .max_calls(args.max_calls)
        .max_fee_per_tx(parse_amount(&args.max_fee, 18).map_err(anyhow::Error::msg)?)
        .fee_budget(fee_budget);
    let grace = parse_duration(&args.grace)?;
    if grace > 0 {
        let period = match &args.renewal_period {
            Some(text) => parse_duration(text)?,
            None => lifetime,
        };
        let limit = now.saturating_add(parse_duration(&args.renew_limit)?).max(valid_until);
        builder = builder.renewable(grace, period, limit);
    }
    for allowed in &args.allow {
        let (contract, entrypoints) = parse_allow(allowed)?;
        builder = builder.allow_entrypoints(contract, entrypoints);
    }
    for limit in &args.limits {
        let (token, amount) = parse_limit(limit)?;
        builder = builder.spending_limit(token, amount);
    }
    let policy =
        builder.build().map_err(|e| anyhow!("the account would refuse this policy: {e}"))?;
    policy
        .check_well_formed(account)
        .map_err(|e| anyhow!("the account would refuse this policy: {e}"))?;
    Ok(policy)
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> Result<Created> {
    let record = ctx.load_account()?;
    let chain_id = ctx.chain_id().await?;
    if chain_id != record.chain_id {
        bail!(
            "the node is on chain {}, but the account is on {}",
            chain_name(chain_id),
            chain_name(record.chain_id)
        );
    }
    let provider = ctx.provider();
    let now = session_account::tx::latest_timestamp(&provider).await?;
    let session_key = SigningKey::from_random();
    let policy = policy(&args, session_key.verifying_key().scalar(), now, record.address)?;
    let (authorization, registered_in) = if args.authorize {
        let binding = AccountViews::new(&provider, record.address).binding(chain_id).await?;
        let authorization = match &args.assertion {
            Some(source) => {
                let hash = session_hash(&policy, &binding);
                browser_authorization(policy.clone(), hash, source, out)?
            }
            None => {
                let owner = ctx.owner_key(&record, args.keystore.as_deref())?;
                Authorization::sign_by(policy.clone(), &owner, &binding)?
            }
        };
        (Some(authorization), None)
    } else {
        let owner = ctx.owner(&record, args.keystore.as_deref())?;
        let progress = out.progress();
        progress.step("registering the session (owner transaction)");
        let confirmed = owner.register_session(&policy).await?;
        (None, Some(Hex(confirmed.transaction_hash)))
    };
    let (valid_after, valid_until) = (policy.valid_after, policy.valid_until);
    let token =
        SessionToken { session_key, account: record.address, chain_id, policy, authorization };
    let path = ctx.save_session(&token, args.out.as_deref())?;
    Ok(Created {
        session_public_key: Hex(token.session_public_key()),
        valid_after,
        valid_until,
        authorized: registered_in.is_none(),
        registered_in,
        path,
    })
}

/// The authorization of `policy` by a passkey a browser holds: prints the
/// challenge of `hash` (on stderr, so `--json` stays one document) and
/// reads the assertion from `source` (`-`: stdin).
fn browser_authorization(
    policy: SessionPolicy,
    hash: Felt,
    source: &Path,
    out: &Output,
) -> Result<Authorization> {
    let challenge = challenge(hash);
    out.notice(&format!(
        "ask the passkey to assert this challenge (base64url), e.g. \
         navigator.credentials.get({{ publicKey: {{ challenge, rpId, userVerification }} }}):\n\
         {challenge}\nthen give PublicKeyCredential.toJSON() of the assertion"
    ));
    let json = if source == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read the assertion from stdin")?
    } else {
        std::fs::read_to_string(source)
            .with_context(|| format!("cannot read the assertion {}", source.display()))?
    };
    let assertion = Assertion::from_response_json(&json)?;
    let asserted =
        assertion.challenge().context("the assertion's clientDataJSON has no challenge")?;
    if asserted != challenge {
        bail!(
            "the assertion is of challenge {asserted}, not this session's {challenge}: \
             assert the challenge printed above"
        );
    }
    Ok(Authorization { policy, owner_signature: assertion.to_felts() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn args(extra: &[&str]) -> Args {
        let mut argv = vec!["test", "--allow", "STRK"];
        argv.extend_from_slice(extra);
        Cli::parse_from(argv).args
    }

    #[test]
    fn valid_for_counts_from_now() {
        let p = policy(&args(&["--valid-for", "2h"]), Felt::ONE, 1000, Felt::TWO).unwrap();
        assert_eq!((p.valid_after, p.valid_until), (1000, 1000 + 7200));
        assert!(!p.is_renewable());
        let p = policy(
            &args(&["--grace", "1h", "--renewal-period", "30m"]),
            Felt::ONE,
            1000,
            Felt::TWO,
        )
        .unwrap();
        assert_eq!((p.renewal.grace_period, p.renewal.period), (3600, 1800));
        assert_eq!(p.fee_budget, 10 * session_account::token::STRK_UNIT);
    }

    #[test]
    fn refuses_what_the_account_would() {
        let error = policy(&args(&["--max-calls", "0"]), Felt::ONE, 1000, Felt::TWO).unwrap_err();
        assert!(error.to_string().contains("session/invalid-call-caps"), "{error}");
        let account = parse_token("0x1234").unwrap();
        let error = policy(&args(&["--allow", "0x1234"]), Felt::ONE, 1000, account).unwrap_err();
        assert!(error.to_string().contains("session/self-call-forbidden"), "{error}");
    }
}
