//! `account deploy`: a session account owned by the owner key, deployed
//! counterfactually (DEPLOY_ACCOUNT v3, the account pays), or through the
//! universal deployer by a relayer (the account never needs STRK).

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use serde::Serialize;
use session_account::account::{counterfactual_address, deploy_account};
use session_account::contract::ContractArtifact;
use session_account::keys::{load_owner_key, save_keystore, KEYSTORE_PASSWORD_ENV};
use session_account::token::{balance_of, parse_amount, ETH, STRK};
use session_account::tx;
use session_account_testkit::classes::declare;
use session_account_testkit::devnet::{DevnetClient, TokenUnit};
use starknet_rust::contract::{ContractFactory, UdcSelector};
use starknet_rust::core::types::{BlockId, BlockTag, StarknetError};
use starknet_rust::providers::{Provider, ProviderError};
use starknet_rust::signers::SigningKey;

use crate::context::{parse_felt, parse_token, AccountRecord, Context};
use crate::output::{fields, Hex, Output, Response};

#[derive(clap::Args)]
pub struct Args {
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
}

#[derive(Serialize)]
pub struct Deployed {
    address: Hex,
    class_hash: Hex,
    /// The owner's public key (the private key is in the keystore, or the
    /// environment).
    owner_public_key: Hex,
    transaction_hash: Hex,
    keystore: Option<PathBuf>,
    record: PathBuf,
}

impl Response for Deployed {
    fn text(&self) -> String {
        let rows = fields(&[
            ("address", self.address.to_string()),
            ("owner public key", self.owner_public_key.to_string()),
            ("transaction", self.transaction_hash.to_string()),
            ("saved to", self.record.display().to_string()),
        ]);
        format!("account deployed\n{rows}")
    }
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Deployed> {
    let chain_id = ctx.chain_id().await?;
    let (owner_key, keystore) = match args.new_keystore {
        Some(path) => {
            let password = std::env::var(KEYSTORE_PASSWORD_ENV).with_context(|| {
                format!("--new-keystore needs a password in ${KEYSTORE_PASSWORD_ENV}")
            })?;
            let key = SigningKey::from_random();
            save_keystore(&key, &path, &password)?;
            (key, Some(path))
        }
        None => (load_owner_key(args.keystore.as_deref())?, args.keystore),
    };
    let salt = parse_felt(&args.salt)?;
    let artifact = ContractArtifact::session_account();
    let class_hash = artifact.class_hash()?;
    let owner_public_key = owner_key.verifying_key().scalar();
    let address = counterfactual_address(class_hash, salt, owner_public_key);
    let provider = ctx.provider();
    let progress = out.progress();

    progress.step("checking the class is declared");
    match provider.get_class(BlockId::Tag(BlockTag::PreConfirmed), class_hash).await {
        Ok(_) => {}
        Err(ProviderError::StarknetError(StarknetError::ClassHashNotFound)) => {
            progress.step("declaring the session account class");
            declare(&ctx.declarer(None, chain_id).await?, &artifact).await?;
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(amount) = args.mint {
        let amount = parse_amount(&amount, 18).map_err(anyhow::Error::msg)?;
        let unit = match parse_token(&args.mint_token)? {
            t if t == STRK => TokenUnit::Fri,
            t if t == ETH => TokenUnit::Wei,
            _ => bail!("--mint-token must be STRK or ETH"),
        };
        progress.step("minting to the new address (devnet_mint)");
        DevnetClient::new(ctx.rpc_url.clone())
            .mint(address, amount, unit)
            .await
            .context("--mint works on devnet only; on other networks fund the address first")?;
    }
    let confirmed = match args.relayer {
        Some(relayer) => {
            progress.step("deploying through the universal deployer (the relayer pays)");
            let relayer = ctx.relayer(&relayer).await?;
            let factory =
                ContractFactory::new_with_udc(class_hash, relayer.account(), UdcSelector::New);
            let deployment = factory.deploy_v3(vec![owner_public_key], salt, false);
            if deployment.deployed_address() != address {
                bail!(
                    "the universal deployer would deploy elsewhere ({:#x})",
                    deployment.deployed_address()
                );
            }
            let sent = deployment.send().await.map_err(tx::from_account_error)?;
            tx::wait_for_receipt(&provider, sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
                .await?
        }
        None => {
            if balance_of(&provider, STRK, address).await? == 0 {
                bail!(
                    "fund {address:#066x} with STRK before deploying (on devnet: --mint 100), \
                     or let a relayer pay (--relayer)"
                );
            }
            progress.step("sending DEPLOY_ACCOUNT");
            deploy_account(ctx.provider(), class_hash, chain_id, &owner_key, salt).await?
        }
    };
    let record = AccountRecord {
        address,
        class_hash,
        chain_id,
        salt,
        owner_public_key,
        keystore: keystore.clone(),
    };
    ctx.save_account(&record)?;
    Ok(Deployed {
        address: Hex(address),
        class_hash: Hex(class_hash),
        owner_public_key: Hex(owner_public_key),
        transaction_hash: Hex(confirmed.transaction_hash),
        keystore,
        record: ctx.account_path(),
    })
}
