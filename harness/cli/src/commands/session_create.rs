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

use crate::context::{parse_duration, parse_token, value, Context, SESSION_ENV};
use crate::output::{utc, when, Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Allowed contract, with optional entrypoints: `STRK`, `0x123`, `0x123:swap,quote`.
    #[arg(long = "allow", required = true, value_parser = parse_allow)]
    allow: Vec<(Felt, Vec<Felt>)>,
    /// Spending limit `TOKEN:AMOUNT` (18 decimals) over the session's life,
    /// e.g. `STRK:100`, or per period with `/PERIOD` (`hour`, `day`, `week`
    /// or a duration like `12h`), e.g. `STRK:100/day`; both may be given.
    #[arg(long = "limit", value_parser = parse_limit)]
    limits: Vec<Limit>,
    /// At most `TOKEN:AMOUNT` in one `transfer` call, e.g. `STRK:5` (a
    /// calldata rule; list the token's `transfer`, e.g. `--allow STRK:transfer`).
    #[arg(long = "max-per-transfer", value_parser = parse_token_amount)]
    max_per_transfer: Vec<(Felt, U256)>,
    /// The only recipients `transfer` may pay, comma-separated:
    /// `TOKEN:0x1,0x2`, or `0x1,0x2` for every token given to --limit or
    /// --max-per-transfer (a calldata rule, at most 32 addresses).
    #[arg(long = "recipients", value_parser = parse_recipients)]
    recipients: Vec<(Option<Felt>, Vec<Felt>)>,
    /// Lifetime from now, e.g. `1h`, `7d`.
    #[arg(long, default_value = "24h", value_parser = value::duration)]
    valid_for: u64,
    /// Grace period for renewal after expiry (0: not renewable).
    #[arg(long, default_value = "0", value_parser = value::duration)]
    grace: u64,
    /// What one renewal extends the session by (default: --valid-for).
    #[arg(long, value_parser = value::duration)]
    renewal_period: Option<u64>,
    /// Renewals never extend past now + this.
    #[arg(long, default_value = "30d", value_parser = value::duration)]
    renew_limit: u64,
    #[arg(long, default_value_t = 100)]
    max_calls: u64,
    #[arg(long, default_value_t = 5)]
    max_calls_per_tx: u32,
    /// Most fee (STRK) one session transaction may commit the account to.
    #[arg(long, default_value = "1", value_parser = value::amount)]
    max_fee: u128,
    /// Most fee (STRK) all the session's transactions may commit the account
    /// to, reverted ones included; 0 = gasless only, `unlimited` = no budget
    /// beyond --max-fee.
    #[arg(long, default_value = "10", value_parser = parse_fee_budget)]
    fee_budget: u128,
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
            "session {} created\n{how}\nvalid from {}\nvalid until {}\ntoken saved to {} \
             (export it with `session export`; ${SESSION_ENV} also works)",
            self.session_public_key,
            utc(self.valid_after),
            when(self.valid_until, self.valid_after),
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

/// A `--limit`: over the session's life, or per period (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Lifetime(Felt, U256),
    Periodic { token: Felt, amount: u128, period: u64 },
}

/// `TOKEN:AMOUNT` or `TOKEN:AMOUNT/PERIOD`, the amount in whole tokens (18
/// decimals).
fn parse_limit(text: &str) -> Result<Limit> {
    let (token, amount) = text.split_once(':').with_context(|| {
        format!("{text:?}: write a limit as TOKEN:AMOUNT or TOKEN:AMOUNT/PERIOD, e.g. STRK:100/day")
    })?;
    let token = parse_token(token)?;
    let (amount, period) = match amount.split_once('/') {
        Some((amount, period)) => (amount, Some(parse_period(period)?)),
        None => (amount, None),
    };
    let amount = parse_amount(amount, 18).map_err(anyhow::Error::msg)?;
    Ok(match period {
        Some(period) => Limit::Periodic { token, amount, period },
        None => Limit::Lifetime(token, U256::from(amount)),
    })
}

/// `--fee-budget`: an amount in STRK, or `unlimited`.
fn parse_fee_budget(text: &str) -> Result<u128> {
    match text {
        "unlimited" => Ok(u128::MAX),
        text => parse_amount(text, 18).map_err(anyhow::Error::msg),
    }
}

/// `hour`, `day`, `week`, or a duration (`12h`).
fn parse_period(text: &str) -> Result<u64> {
    let seconds = match text {
        "hour" => 3600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        other => parse_duration(other)?,
    };
    if seconds == 0 {
        bail!("{text:?}: a period of 0 seconds is no period");
    }
    Ok(seconds)
}

/// `TOKEN:AMOUNT` of `--max-per-transfer`.
fn parse_token_amount(text: &str) -> Result<(Felt, U256)> {
    let (token, amount) = text
        .split_once(':')
        .with_context(|| format!("{text:?}: write TOKEN:AMOUNT, e.g. STRK:5"))?;
    Ok((parse_token(token)?, U256::from(parse_amount(amount, 18).map_err(anyhow::Error::msg)?)))
}

/// `--recipients`: `TOKEN:0x1,0x2` (that token) or `0x1,0x2` (`None`: every
/// token the limits name).
fn parse_recipients(text: &str) -> Result<(Option<Felt>, Vec<Felt>)> {
    let (token, list) = match text.split_once(':') {
        Some((token, list)) => (Some(parse_token(token)?), list),
        None => (None, text),
    };
    let recipients = crate::context::parse_calldata(list)?;
    if recipients.is_empty() {
        bail!("{text:?}: name at least one recipient, e.g. --recipients STRK:0x123");
    }
    Ok((token, recipients))
}

/// Whether `allowed` lists `transfer` of `token` (a rule needs it listed).
fn lists_transfer(policy: &SessionPolicy, token: Felt) -> bool {
    let transfer = get_selector_from_name("transfer").expect("a valid name");
    policy.allowed_calls.iter().any(|a| a.contract == token && a.entrypoints.contains(&transfer))
}

/// The policy the arguments describe, starting at `now`.
fn policy(args: &Args, session_key: Felt, now: u64, account: Felt) -> Result<SessionPolicy> {
    let lifetime = args.valid_for;
    let valid_until = now.checked_add(lifetime).context("--valid-for is too long")?;
    // Valid from now: `--valid-for 2h` is two hours from now.
    let mut builder = SessionPolicy::builder(session_key)
        .valid_between(now, valid_until)
        .max_calls_per_tx(args.max_calls_per_tx)
        .max_calls(args.max_calls)
        .max_fee_per_tx(args.max_fee)
        .fee_budget(args.fee_budget);
    let grace = args.grace;
    if grace > 0 {
        let period = args.renewal_period.unwrap_or(lifetime);
        let limit = now.saturating_add(args.renew_limit).max(valid_until);
        builder = builder.renewable(grace, period, limit);
    }
    for (contract, entrypoints) in &args.allow {
        builder = builder.allow_entrypoints(*contract, entrypoints.iter().copied());
    }
    // The tokens --recipients applies to when it names none.
    let mut limited: Vec<Felt> = vec![];
    for limit in &args.limits {
        let (token, next) = match *limit {
            Limit::Lifetime(token, amount) => (token, builder.spending_limit(token, amount)),
            Limit::Periodic { token, amount, period } => {
                (token, builder.periodic_limit(token, amount, period))
            }
        };
        builder = next;
        if !limited.contains(&token) {
            limited.push(token);
        }
    }
    let mut ruled: Vec<Felt> = vec![];
    for &(token, amount) in &args.max_per_transfer {
        if !limited.contains(&token) {
            limited.push(token);
        }
        ruled.push(token);
        builder = builder.max_per_call(token, amount);
    }
    for (token, recipients) in &args.recipients {
        let tokens = match *token {
            Some(token) => vec![token],
            None if limited.is_empty() => bail!(
                "--recipients without a token: name it (TOKEN:0x1,0x2), or give the token \
                 --limit or --max-per-transfer"
            ),
            None => limited.clone(),
        };
        for token in tokens {
            if !ruled.contains(&token) {
                ruled.push(token);
            }
            builder = builder.recipient_allowlist(token, recipients.clone());
        }
    }
    let unchecked = builder.clone().build_unchecked();
    if let Some(token) = ruled.iter().find(|t| !lists_transfer(&unchecked, **t)) {
        bail!(
            "--max-per-transfer and --recipients bound `transfer` of {token:#x}, but --allow \
             grants it whole: list its entrypoints instead, e.g. --allow {token:#x}:transfer"
        );
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
    fn agent_limits_and_rules() {
        let argv = ["test", "--allow", "STRK:transfer"];
        let p = policy(
            &Cli::parse_from(argv.iter().chain(&[
                "--limit",
                "STRK:1000",
                "--limit",
                "STRK:100/day",
                "--max-per-transfer",
                "STRK:5",
                "--recipients",
                "0x7,0x8",
            ]))
            .args,
            Felt::ONE,
            1000,
            Felt::TWO,
        )
        .unwrap();
        let strk = parse_token("STRK").unwrap();
        let limit = p.spending_limits.iter().find(|l| l.token == strk).unwrap();
        let unit = session_account::token::STRK_UNIT;
        assert_eq!(limit.limit, U256::from(1000 * unit));
        assert_eq!((limit.period, limit.period_limit), (86_400, 100 * unit));
        assert_eq!(p.calldata_rules.len(), 2);
        assert_eq!(p.calldata_rules[0].values, vec![U256::from(5 * unit)]);
        assert_eq!(p.calldata_rules[1].values, vec![U256::from(7u8), U256::from(8u8)]);
    }

    #[test]
    fn rules_need_the_entrypoint_listed_and_a_token() {
        let error = policy(&args(&["--max-per-transfer", "STRK:5"]), Felt::ONE, 1000, Felt::TWO)
            .unwrap_err();
        assert!(error.to_string().contains(":transfer"), "{error}");
        let error =
            policy(&args(&["--recipients", "0x7"]), Felt::ONE, 1000, Felt::TWO).unwrap_err();
        assert!(error.to_string().contains("name it (TOKEN:0x1,0x2)"), "{error}");
        assert!(parse_limit("STRK:1/0s").is_err());
        assert!(parse_limit("STRK:1/fortnight").is_err());
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
