//! A ready-to-use playground: an embedded devnet with the session account
//! class declared, and a funded predeployed account to pay for set-up. The
//! demo, the end-to-end tests, the fuzzer and the benchmarks start here.

use starknet_rust::accounts::{Account, SingleOwnerAccount};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::client::{DevnetClient, DevnetError, PredeployedAccount, TokenUnit};
use super::embedded::{DevnetOptions, EmbeddedDevnet, EmbeddedDevnetError};
use crate::classes::{declare, DeclareError};
use session_account::account::deploy::{counterfactual_address, deploy_account, NewAccount};
use session_account::account::owner::{owner_account, OwnerAccount};
use session_account::account::session::SessionAccount;
use session_account::account::AccountAt;
use session_account::contract::artifacts::ContractArtifact;
use session_account::signers::OwnerSigner;
use session_account::tx::{self, Confirmed, TxError};

pub use session_account::Rpc;
/// A predeployed devnet account (OpenZeppelin class), signed by its key.
pub type FundedAccount = SingleOwnerAccount<Rpc, LocalWallet>;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Start(#[from] EmbeddedDevnetError),
    #[error(transparent)]
    Devnet(#[from] DevnetError),
    #[error(transparent)]
    Declare(#[from] DeclareError),
    #[error("deploying the account failed: {0}")]
    Deploy(TxError),
    #[error("devnet has no predeployed accounts")]
    NoPredeployedAccounts,
}

/// A session account deployed in a sandbox.
#[derive(Clone)]
pub struct DeployedAccount {
    pub address: Felt,
    pub owner_key: SigningKey,
    pub deploy_tx: Felt,
}

impl std::fmt::Debug for DeployedAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeployedAccount")
            .field("address", &format_args!("{:#x}", self.address))
            .finish_non_exhaustive()
    }
}

/// Where [`Sandbox::deploy_contract`] deploys `class_hash` with `salt` and
/// `calldata`, on any network.
pub fn deterministic_address(class_hash: Felt, salt: Felt, calldata: &[Felt]) -> Felt {
    starknet_rust::core::utils::get_contract_address(salt, class_hash, calldata, Felt::ZERO)
}

pub struct Sandbox {
    pub devnet: EmbeddedDevnet,
    pub provider: Rpc,
    pub devnet_client: DevnetClient,
    pub chain_id: Felt,
    pub predeployed: Vec<PredeployedAccount>,
    /// Class hash of the declared session account.
    pub account_class_hash: Felt,
    /// Transaction that declared it.
    pub declare_tx: Option<Felt>,
}

impl Sandbox {
    /// Starts a devnet and declares the session account class from the
    /// first predeployed account.
    pub async fn start(options: DevnetOptions) -> Result<Self, SandboxError> {
        let devnet = EmbeddedDevnet::start(options).await?;
        let provider = devnet.provider();
        let devnet_client = devnet.client();
        let chain_id = devnet.chain_id();
        let predeployed = devnet_client.predeployed_accounts().await?;
        if predeployed.is_empty() {
            return Err(SandboxError::NoPredeployedAccounts);
        }
        let mut sandbox = Self {
            devnet,
            provider,
            devnet_client,
            chain_id,
            predeployed,
            account_class_hash: Felt::ZERO,
            declare_tx: None,
        };
        let funder = sandbox.funded_account(0);
        sandbox.account_class_hash = declare(&funder, &crate::classes::account_class()).await?;
        Ok(sandbox)
    }

    /// Predeployed account `index`, ready to send transactions.
    pub fn funded_account(&self, index: usize) -> FundedAccount {
        let account = &self.predeployed[index];
        owner_account(
            self.devnet.provider(),
            SigningKey::from_secret_scalar(account.private_key),
            AccountAt { address: account.address, chain_id: self.chain_id },
        )
    }

    /// Counterfactually deploys a session account owned by `owner_key`:
    /// computes its address, mints `fund_fri` STRK to it, and sends its
    /// owner-signed DEPLOY_ACCOUNT v3.
    pub async fn deploy_account(
        &self,
        owner_key: SigningKey,
        salt: Felt,
        fund_fri: u128,
    ) -> Result<DeployedAccount, SandboxError> {
        let (address, deploy_tx) = self.deploy_account_of(&owner_key, salt, fund_fri).await?;
        Ok(DeployedAccount { address, owner_key, deploy_tx })
    }

    /// [`Self::deploy_account`] for an owner of any kind (§2.1): returns the
    /// account's address and its DEPLOY_ACCOUNT's hash.
    pub async fn deploy_account_of<O: OwnerSigner + Send + Sync>(
        &self,
        owner: &O,
        salt: Felt,
        fund_fri: u128,
    ) -> Result<(Felt, Felt), SandboxError> {
        let new = NewAccount { class_hash: self.account_class_hash, salt };
        let address = counterfactual_address(&owner.owner_key(), new);
        self.devnet_client.mint(address, fund_fri, TokenUnit::Fri).await?;
        let confirmed = deploy_account(self.devnet.provider(), owner, new, self.chain_id)
            .await
            .map_err(SandboxError::Deploy)?;
        Ok((address, confirmed.transaction_hash))
    }

    /// Deploys a session account owned by `owner_key` through the universal
    /// deployer, paid by predeployed account 0: the account never holds
    /// STRK (for gasless use).
    pub async fn deploy_unfunded_account(
        &self,
        owner_key: SigningKey,
        salt: Felt,
    ) -> Result<DeployedAccount, SandboxError> {
        let calldata = vec![owner_key.verifying_key().scalar()];
        let (address, deploy_tx) = self.udc_deploy(self.account_class_hash, salt, calldata).await?;
        Ok(DeployedAccount { address, owner_key, deploy_tx })
    }

    /// Declares `artifact` (if needed) and deploys it through the universal
    /// deployer, not unique (the address depends only on the class, `salt`
    /// and `calldata`: [`deterministic_address`]), paid by predeployed
    /// account 0. Returns its address.
    pub async fn deploy_contract(
        &self,
        artifact: &ContractArtifact,
        salt: Felt,
        calldata: Vec<Felt>,
    ) -> Result<Felt, SandboxError> {
        let class_hash = declare(&self.funded_account(0), artifact).await?;
        Ok(self.udc_deploy(class_hash, salt, calldata).await?.0)
    }

    /// Deploys `class_hash` through the universal deployer, not unique,
    /// paid by predeployed account 0; its address and deploy transaction.
    async fn udc_deploy(
        &self,
        class_hash: Felt,
        salt: Felt,
        calldata: Vec<Felt>,
    ) -> Result<(Felt, Felt), SandboxError> {
        use starknet_rust::contract::{ContractFactory, UdcSelector};
        let funder = self.funded_account(0);
        let factory = ContractFactory::new_with_udc(class_hash, &funder, UdcSelector::New);
        let deployment = factory.deploy_v3(calldata, salt, false);
        let address = deployment.deployed_address();
        let sent =
            deployment.send().await.map_err(|e| SandboxError::Deploy(tx::from_account_error(e)))?;
        tx::wait_for_receipt(&self.provider, sent.transaction_hash, tx::DEFAULT_RECEIPT_TIMEOUT)
            .await
            .map_err(SandboxError::Deploy)?;
        Ok((address, sent.transaction_hash))
    }

    /// A relayer paying from predeployed account `index`.
    pub fn relayer(&self, index: usize) -> session_account::outside::AccountRelayer<FundedAccount> {
        session_account::outside::AccountRelayer::new(self.funded_account(index))
    }

    /// The deployed account, signed by its owner.
    pub fn owner(&self, account: &DeployedAccount) -> OwnerAccount<Rpc> {
        owner_account(
            self.devnet.provider(),
            account.owner_key.clone(),
            AccountAt { address: account.address, chain_id: self.chain_id },
        )
    }

    /// The deployed account, signed by a session key.
    pub fn session(
        &self,
        account: &DeployedAccount,
        session_key: SigningKey,
    ) -> SessionAccount<Rpc, LocalWallet> {
        let public_key = session_key.verifying_key().scalar();
        SessionAccount::new(
            self.devnet.provider(),
            LocalWallet::from_signing_key(session_key),
            public_key,
            AccountAt { address: account.address, chain_id: self.chain_id },
        )
    }

    /// Sends `calls` from predeployed account `index`.
    pub async fn execute_funded(
        &self,
        index: usize,
        calls: Vec<starknet_rust::core::types::Call>,
    ) -> Result<Confirmed, TxError> {
        let account = self.funded_account(index);
        debug_assert_eq!(account.address(), self.predeployed[index].address);
        tx::execute(&account, calls).await
    }
}
