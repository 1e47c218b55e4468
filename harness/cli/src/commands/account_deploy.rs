//! `account deploy`: a session account owned by a Stark key, a P-256 key or
//! a passkey (`--owner`, spec §2.1), deployed counterfactually
//! (DEPLOY_ACCOUNT v3 signed by the owner, the account pays), or through the
//! universal deployer by a relayer (the account never needs STRK; the only
//! way for a passkey held by a browser, which this machine cannot sign with).

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use serde::Serialize;
use session_account::account::{counterfactual_address, deploy_account, NewAccount};
use session_account::contract::ContractArtifact;
use session_account::signers::{AnyOwner, OwnerKey, OwnerSigner};
use session_account::token::{balance_of, ETH, STRK};
use session_account::tx;
use session_account_testkit::classes::declare;
use session_account_testkit::devnet::{DevnetClient, TokenUnit};
use starknet_rust::contract::{ContractFactory, UdcSelector};
use starknet_rust::core::types::{BlockId, BlockTag, Felt, StarknetError};
use starknet_rust::providers::{Provider, ProviderError};

use crate::context::{value, AccountRecord, Context};
use crate::output::{fields, Hex, Output, Response};
use crate::owner::{self, OwnerKind, OwnerSecret};

#[derive(clap::Args)]
pub struct Args {
    /// The owner's kind: a Stark key, a raw P-256 key (secure enclave,
    /// hardware key) or a passkey (WebAuthn).
    #[arg(long, value_enum, default_value_t = OwnerKind::Stark)]
    owner: OwnerKind,
    /// Owner key (Stark or P-256): an encrypted keystore (password in
    /// $SESSION_ACCOUNT_KEYSTORE_PASSWORD). Without it, a Stark owner's key
    /// is read from $SESSION_ACCOUNT_OWNER_KEY.
    #[arg(long)]
    keystore: Option<PathBuf>,
    /// Create a new owner key of --owner's kind and save it here: an
    /// encrypted keystore, or for a passkey a software passkey file (mode
    /// 0600; devnet, not a hardware-backed key).
    #[arg(long, conflicts_with_all = ["keystore", "passkey", "credential"])]
    new_keystore: Option<PathBuf>,
    /// Passkey owner: an existing software passkey file.
    #[arg(long, conflicts_with = "credential")]
    passkey: Option<PathBuf>,
    /// Passkey owner held by a browser: the `RegistrationResponseJSON` its
    /// `navigator.credentials.create()` returned (`PublicKeyCredential.toJSON()`).
    /// Needs --relayer: this machine cannot sign for it.
    #[arg(long, requires = "relayer")]
    credential: Option<PathBuf>,
    /// Passkey owner: the relying party id it is bound to.
    #[arg(long, default_value = "localhost")]
    rp_id: String,
    /// Passkey owner: the origin its browser reports.
    #[arg(long, default_value = "http://localhost")]
    origin: String,
    /// Address salt.
    #[arg(long, default_value = "0x1", value_parser = value::felt)]
    salt: Felt,
    /// Devnet only: mint this much to the new address before deploying.
    #[arg(long, value_parser = value::amount)]
    mint: Option<u128>,
    /// Token to mint: STRK (pays the deploy fee) or ETH.
    #[arg(long, default_value = "STRK", value_parser = value::token)]
    mint_token: Felt,
    /// Sponsored: the relayer deploys the account through the universal
    /// deployer and pays, so the account needs no STRK.
    #[arg(long, env = "SESSION_ACCOUNT_RELAYER")]
    relayer: Option<String>,
}

#[derive(Serialize)]
pub struct Deployed {
    address: Hex,
    class_hash: Hex,
    owner_kind: OwnerKind,
    /// The owner's id (§7.3): a Stark owner's public key, for other kinds
    /// the Poseidon hash of its key. The secret stays in its file.
    owner_id: Hex,
    transaction_hash: Hex,
    keystore: Option<PathBuf>,
    passkey: Option<PathBuf>,
    record: PathBuf,
}

impl Response for Deployed {
    fn text(&self) -> String {
        let rows = fields(&[
            ("address", self.address.to_string()),
            ("owner", format!("{} {}", self.owner_kind.describe(), self.owner_id)),
            ("transaction", self.transaction_hash.to_string()),
            ("saved to", self.record.display().to_string()),
        ]);
        format!("account deployed\n{rows}")
    }
}

/// The new account's owner: its key, and its secret when this machine holds it.
fn owner_of(args: &Args) -> anyhow::Result<(OwnerKey, Option<AnyOwner>, OwnerSecret)> {
    if let Some(path) = &args.new_keystore {
        let (owner, secret) = owner::create(args.owner, path, &args.rp_id, &args.origin)?;
        return Ok((owner.owner_key(), Some(owner), secret));
    }
    if let Some(path) = &args.credential {
        if args.owner != OwnerKind::Webauthn {
            bail!("--credential is a passkey's: pass --owner webauthn");
        }
        let json = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let key = owner::passkey_from_registration(&json, &args.rp_id, &args.origin, true)?;
        return Ok((key, None, OwnerSecret::ExternalPasskey));
    }
    let secret = match (&args.keystore, &args.passkey, args.owner) {
        (Some(path), None, OwnerKind::Stark | OwnerKind::P256) => {
            OwnerSecret::Keystore { path: path.clone() }
        }
        (None, Some(path), OwnerKind::Webauthn) => {
            OwnerSecret::SoftwarePasskey { path: path.clone() }
        }
        (None, None, OwnerKind::Stark) => OwnerSecret::Environment,
        (_, _, OwnerKind::Webauthn) => {
            bail!("a passkey owner needs --new-keystore FILE, --passkey FILE or --credential FILE")
        }
        (_, Some(_), _) => bail!("--passkey is for --owner webauthn"),
        (None, None, OwnerKind::P256) => {
            bail!("a P-256 owner needs --keystore FILE or --new-keystore FILE")
        }
    };
    let owner = owner::load(args.owner, &secret)?;
    Ok((owner.owner_key(), Some(owner), secret))
}

pub async fn run(args: Args, ctx: &Context, out: &Output) -> anyhow::Result<Deployed> {
    let chain_id = ctx.chain_id().await?;
    let (owner_key, owner, secret) = owner_of(&args)?;
    let salt = args.salt;
    let artifact = ContractArtifact::session_account();
    let class_hash = artifact.class_hash()?;
    let new = NewAccount { class_hash, salt };
    let address = counterfactual_address(&owner_key, new);
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
        let unit = match args.mint_token {
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
            let deployment = factory.deploy_v3(owner_key.to_felts(), salt, false);
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
            let Some(owner) = owner else {
                bail!("this machine cannot sign for a browser's passkey: deploy with --relayer");
            };
            if balance_of(&provider, STRK, address).await? == 0 {
                bail!(
                    "fund {address:#066x} with STRK before deploying (on devnet: --mint 100), \
                     or let a relayer pay (--relayer)"
                );
            }
            progress.step("sending DEPLOY_ACCOUNT");
            deploy_account(ctx.provider(), &owner, new, chain_id).await?
        }
    };
    let record = AccountRecord::new(address, class_hash, chain_id, salt, &owner_key, &secret);
    ctx.save_account(&record)?;
    Ok(Deployed {
        address: Hex(address),
        class_hash: Hex(class_hash),
        owner_kind: record.owner_kind,
        owner_id: Hex(record.owner_id),
        transaction_hash: Hex(confirmed.transaction_hash),
        keystore: record.keystore,
        passkey: record.passkey,
        record: ctx.account_path(),
    })
}
