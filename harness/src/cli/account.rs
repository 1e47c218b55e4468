//! `account declare | deploy | status | revoke-all | rotate-owner`.

use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use clap::Subcommand;
use serde_json::json;
use session_account::account::owner::owner_account;
use session_account::account::{counterfactual_address, deploy_account, OwnerAccount, OwnerOperations};
use session_account::contract::declare::declare;
use session_account::contract::ContractArtifact;
use session_account::devnet::client::TokenUnit;
use session_account::devnet::{DevnetClient, STRK};
use session_account::keys::{load_owner_key, save_keystore, KEYSTORE_PASSWORD_ENV};
use session_account::policy::views::AccountViews;
use session_account::token::{balance_of, format_amount, parse_amount};
use starknet_rust::accounts::SingleOwnerAccount;
use starknet_rust::core::types::{BlockId, BlockTag, Felt};
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::context::{parse_felt, AccountRecord, Context, Rpc};
use super::output::{Output, Progress};

/// Environment variable holding the private key of the account paying for
/// `account declare` on a real network.
pub const DECLARER_KEY_ENV: &str = "SESSION_ACCOUNT_DECLARER_KEY";

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Declare the session account class (devnet: paid by a predeployed account).
    Declare {
        /// Existing funded account paying for the declaration (key in $SESSION_ACCOUNT_DECLARER_KEY).
        #[arg(long)]
        from: Option<String>,
    },
    /// Deploy a session account owned by the owner key (counterfactual DEPLOY_ACCOUNT v3).
    Deploy {
        /// Owner key: an encrypted keystore (password in $SESSION_ACCOUNT_KEYSTORE_PASSWORD).
        /// Without it, $SESSION_ACCOUNT_OWNER_KEY is used.
        #[arg(long)]
        keystore: Option<PathBuf>,
        /// Create a new owner key and save it as an encrypted keystore here.
        #[arg(long, conflicts_with = "keystore")]
        new_keystore: Option<PathBuf>,
        /// Address salt.
        #[arg(long, default_value = "0x1")]
        salt: String,
        /// Devnet only: mint this much to the new address before deploying.
        #[arg(long)]
        mint: Option<String>,
        /// Token to mint: STRK (pays the deploy fee) or ETH.
        #[arg(long, default_value = "STRK")]
        mint_token: String,
        /// Sponsored: the relayer deploys the account through the universal
        /// deployer and pays, so the account needs no STRK.
        #[arg(long, env = "SESSION_ACCOUNT_RELAYER")]
        relayer: Option<String>,
    },
    /// Show the account: address, owner, balance, revocation epoch.
    Show,
    /// The embedded account class: Sierra class hash, compiled class hash, sizes.
    Class,
    /// Owner: revoke every session at once.
    RevokeAll {
        #[arg(long)]
        keystore: Option<PathBuf>,
    },
    /// Owner: rotate the owner key to a new encrypted keystore.
    RotateOwner {
        #[arg(long)]
        keystore: Option<PathBuf>,
        /// Where to save the new owner key (encrypted, same password).
        #[arg(long)]
        new_keystore: PathBuf,
    },
}

/// The account, signed by its owner (key from `keystore` or the record's).
pub fn owner(ctx: &Context, record: &AccountRecord, keystore: Option<PathBuf>) -> Result<OwnerAccount<Rpc>> {
    let keystore = keystore.or_else(|| record.keystore.clone());
    let key = load_owner_key(keystore.as_deref())?;
    if key.verifying_key().scalar() != record.owner_public_key {
        bail!("that owner key is not this account's owner ({:#x})", record.owner_public_key);
    }
    Ok(owner_account(ctx.provider(), key, record.address, record.chain_id))
}

async fn declarer(ctx: &Context, from: Option<String>, chain_id: Felt) -> Result<SingleOwnerAccount<Rpc, LocalWallet>> {
    let (address, key) = match from {
        Some(address) => {
            let key = std::env::var(DECLARER_KEY_ENV).with_context(|| format!("--from needs the account's key in ${DECLARER_KEY_ENV}"))?;
            (parse_felt(&address)?, SigningKey::from_secret_scalar(parse_felt(&key)?))
        }
        None => {
            let accounts = DevnetClient::new(ctx.rpc_url.clone()).predeployed_accounts().await.context(
                "not a devnet (no predeployed accounts): pass --from ADDRESS of a funded account to pay for the declaration",
            )?;
            let first = accounts.first().context("devnet has no predeployed accounts")?;
            (first.address, SigningKey::from_secret_scalar(first.private_key))
        }
    };
    Ok(owner_account(ctx.provider(), key, address, chain_id))
}

pub async fn run(command: AccountCommand, ctx: &Context, out: &Output) -> Result<()> {
    match command {
        AccountCommand::Declare { from } => {
            let chain_id = ctx.chain_id().await?;
            let progress = out.progress();
            progress.step("declaring the session account class");
            let class_hash = declare(&declarer(ctx, from, chain_id).await?, &ContractArtifact::session_account()).await?;
            progress.finish();
            out.print(&json!({ "class_hash": format!("{class_hash:#066x}") }), || format!("class hash  {class_hash:#066x}"));
        }
        AccountCommand::Deploy { keystore, new_keystore, salt, mint, mint_token, relayer } => {
            deploy(ctx, out, keystore, new_keystore, salt, mint, &mint_token, relayer).await?
        }
        AccountCommand::Class => {
            let artifact = ContractArtifact::session_account();
            let class_hash = artifact.class_hash()?;
            let casm = artifact.casm()?;
            let sierra = artifact.flattened()?;
            out.print(
                &json!({
                    "class_hash": format!("{class_hash:#066x}"),
                    "compiled_class_hash": format!("{:#066x}", casm.compiled_class_hash),
                    "sierra_json_bytes": artifact.sierra_json().len(),
                    "sierra_program_felts": sierra.sierra_program.len(),
                    "casm_json_bytes": casm.json_bytes,
                    "casm_bytecode_felts": casm.bytecode_felts,
                }),
                || {
                    format!(
                        "class hash           {class_hash:#066x}\ncompiled class hash  {:#066x}\nSierra               {} bytes JSON, {} program felts\nCASM                 {} bytes JSON, {} bytecode felts",
                        casm.compiled_class_hash,
                        artifact.sierra_json().len(),
                        sierra.sierra_program.len(),
                        casm.json_bytes,
                        casm.bytecode_felts
                    )
                },
            );
        }
        AccountCommand::Show => {
            let record = ctx.load_account()?;
            let provider = ctx.provider();
            let views = AccountViews::new(&provider, record.address);
            let balance = balance_of(&provider, STRK, record.address).await?;
            let epoch = views.revocation_epoch().await?;
            let owner = views.owner().await?;
            out.print(
                &json!({
                    "address": format!("{:#066x}", record.address),
                    "owner_public_key": format!("{owner:#066x}"),
                    "class_hash": format!("{:#066x}", record.class_hash),
                    "strk_balance": balance.to_string(),
                    "revocation_epoch": epoch,
                }),
                || {
                    format!(
                        "address           {:#066x}\nowner key         {owner:#066x}\nclass hash        {:#066x}\nSTRK balance      {}\nrevocation epoch  {epoch}",
                        record.address,
                        record.class_hash,
                        format_amount(balance, 18)
                    )
                },
            );
        }
        AccountCommand::RevokeAll { keystore } => {
            let record = ctx.load_account()?;
            let progress = out.progress();
            progress.step("revoking every session (owner transaction)");
            let confirmed = owner(ctx, &record, keystore)?.revoke_all_sessions().await?;
            progress.finish();
            let epoch = AccountViews::new(&ctx.provider(), record.address).revocation_epoch().await?;
            out.print(
                &json!({ "transaction_hash": format!("{:#066x}", confirmed.transaction_hash), "revocation_epoch": epoch }),
                || format!("all sessions revoked (epoch {epoch})\ntransaction  {:#066x}", confirmed.transaction_hash),
            );
        }
        AccountCommand::RotateOwner { keystore, new_keystore } => {
            let mut record = ctx.load_account()?;
            let password = std::env::var(KEYSTORE_PASSWORD_ENV)
                .with_context(|| format!("the new keystore's password must be in ${KEYSTORE_PASSWORD_ENV}"))?;
            let owner_account = owner(ctx, &record, keystore)?;
            let new_key = SigningKey::from_random();
            save_keystore(&new_key, &new_keystore, &password)?;
            let progress = out.progress();
            progress.step("rotating the owner key (owner transaction)");
            let confirmed = owner_account.set_owner(record.owner_public_key, &new_key).await?;
            progress.finish();
            record.owner_public_key = new_key.verifying_key().scalar();
            record.keystore = Some(new_keystore.clone());
            ctx.save_account(&record)?;
            out.print(
                &json!({
                    "transaction_hash": format!("{:#066x}", confirmed.transaction_hash),
                    "owner_public_key": format!("{:#066x}", record.owner_public_key),
                    "keystore": new_keystore,
                }),
                || format!("owner key rotated to {:#066x}\nkeystore     {}\ntransaction  {:#066x}", record.owner_public_key, new_keystore.display(), confirmed.transaction_hash),
            );
        }
    }
    Ok(())
}

async fn deploy(
    ctx: &Context,
    out: &Output,
    keystore: Option<PathBuf>,
    new_keystore: Option<PathBuf>,
    salt: String,
    mint: Option<String>,
    mint_token: &str,
    relayer: Option<String>,
) -> Result<()> {
    let chain_id = ctx.chain_id().await?;
    let (owner_key, keystore) = match new_keystore {
        Some(path) => {
            let password = std::env::var(KEYSTORE_PASSWORD_ENV)
                .with_context(|| format!("--new-keystore needs a password in ${KEYSTORE_PASSWORD_ENV}"))?;
            let key = SigningKey::from_random();
            save_keystore(&key, &path, &password)?;
            (key, Some(path))
        }
        None => (load_owner_key(keystore.as_deref())?, keystore),
    };
    let salt = parse_felt(&salt)?;
    let artifact = ContractArtifact::session_account();
    let class_hash = artifact.class_hash()?;
    let owner_public_key = owner_key.verifying_key().scalar();
    let address = counterfactual_address(class_hash, salt, owner_public_key);
    let provider = ctx.provider();
    let progress = out.progress();
    let progress_step = |p: &Progress, s: &str| p.step(s);

    progress_step(&progress, "checking the class is declared");
    if let Err(e) = starknet_rust::providers::Provider::get_class(&provider, BlockId::Tag(BlockTag::PreConfirmed), class_hash).await {
        if matches!(e, starknet_rust::providers::ProviderError::StarknetError(starknet_rust::core::types::StarknetError::ClassHashNotFound)) {
            progress_step(&progress, "declaring the session account class");
            declare(&declarer(ctx, None, chain_id).await?, &artifact).await?;
        } else {
            return Err(e.into());
        }
    }
    if let Some(amount) = mint {
        let amount = parse_amount(&amount, 18).map_err(anyhow::Error::msg)?;
        let unit = match super::context::parse_token(mint_token)? {
            t if t == STRK => TokenUnit::Fri,
            t if t == session_account::devnet::ETH => TokenUnit::Wei,
            _ => bail!("--mint-token must be STRK or ETH"),
        };
        progress_step(&progress, "minting to the new address (devnet_mint)");
        DevnetClient::new(ctx.rpc_url.clone())
            .mint(address, amount, unit)
            .await
            .context("--mint works on devnet only; on other networks fund the address first")?;
    }
    let confirmed = match relayer {
        Some(relayer) => {
            progress_step(&progress, "deploying through the universal deployer (the relayer pays)");
            let relayer = super::context::relayer_account(ctx, &relayer).await?;
            let factory = starknet_rust::contract::ContractFactory::new_with_udc(
                class_hash,
                relayer.account(),
                starknet_rust::contract::UdcSelector::New,
            );
            let deployment = factory.deploy_v3(vec![owner_public_key], salt, false);
            if deployment.deployed_address() != address {
                bail!("the universal deployer would deploy elsewhere ({:#x})", deployment.deployed_address());
            }
            let sent = deployment.send().await.map_err(session_account::tx::from_account_error)?;
            session_account::tx::wait_for_receipt(&provider, sent.transaction_hash, session_account::tx::DEFAULT_RECEIPT_TIMEOUT).await?
        }
        None => {
            let balance = balance_of(&provider, STRK, address).await?;
            if balance == 0 {
                bail!("fund {address:#066x} with STRK before deploying (on devnet: --mint 100), or let a relayer pay (--relayer)");
            }
            progress_step(&progress, "sending DEPLOY_ACCOUNT");
            deploy_account(ctx.provider(), class_hash, chain_id, &owner_key, salt).await?
        }
    };
    progress.finish();
    let record = AccountRecord { address, class_hash, chain_id, salt, owner_public_key, keystore: keystore.clone() };
    ctx.save_account(&record)?;
    out.print(
        &json!({
            "address": format!("{address:#066x}"),
            "class_hash": format!("{class_hash:#066x}"),
            "owner_public_key": format!("{owner_public_key:#066x}"),
            "transaction_hash": format!("{:#066x}", confirmed.transaction_hash),
            "keystore": keystore,
        }),
        || {
            format!(
                "account deployed\naddress      {address:#066x}\nowner key    {owner_public_key:#066x}\ntransaction  {:#066x}\nsaved to     {}",
                confirmed.transaction_hash,
                ctx.home.join("account.json").display()
            )
        },
    );
    Ok(())
}
