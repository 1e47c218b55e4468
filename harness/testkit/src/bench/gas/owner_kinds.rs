//! Gas of owners of other kinds than a Stark key (spec §2.1): a transfer,
//! a registration and a session's first transaction carrying the owner's
//! authorization, for a P-256 and a passkey owner.

use session_account::account::AccountAt;
use session_account::account::KeyedOwnerAccount;
use session_account::account::SessionAccount;
use session_account::contract::ContractArtifact;
use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::signers::{OwnerSigner, P256Owner, SoftwarePasskey};
use session_account::token::{transfer_call, STRK, STRK_UNIT};
use session_account::tx::{execute_with_bounds, latest_timestamp, FeeBounds};
use starknet_rust::core::types::Felt;
use starknet_rust::signers::LocalWallet;

use super::{
    calls, failed, key, policy, AccountKind, Bench, BenchError, FIRST_WITH_AUTHORIZATION, HOUR,
    REGISTER, TRANSFER_1,
};

/// Fee bounds for transactions an owner of P-256 or passkey kind signs (or
/// authorizes): room for the secp256r1 and SHA-256 syscalls, below a
/// session's fee cap.
const P256_BOUNDS: FeeBounds = FeeBounds {
    l2_gas: (200_000_000, 20_000_000_000),
    l1_data_gas: (20_000, 20_000_000_000),
    ..FeeBounds::DEVNET
};

impl Bench {
    /// A transfer, a registration, and a session's first transaction
    /// carrying the owner's authorization, for a P-256 and a passkey owner
    /// (each account deployed through the universal deployer, funded, and
    /// warmed up by one unmeasured transfer).
    pub(super) async fn measure_owner_kinds(&mut self, recipient: Felt) -> Result<(), BenchError> {
        let p256 = || P256Owner::from_secret_bytes(&[0x25; 32]).expect("a P-256 secret");
        let passkey = SoftwarePasskey::new(
            P256Owner::from_secret_bytes(&[0x26; 32]).expect("a P-256 secret"),
            "app.example.com",
            "https://app.example.com",
        );
        self.measure_owner_kind(AccountKind::OwnerP256, p256(), 31, recipient).await?;
        self.measure_owner_kind(AccountKind::OwnerPasskey, passkey, 32, recipient).await
    }

    async fn measure_owner_kind<O: OwnerSigner + Send + Sync>(
        &mut self,
        kind: AccountKind,
        owner: O,
        salt: u64,
        recipient: Felt,
    ) -> Result<(), BenchError> {
        let address = self
            .sandbox
            .deploy_contract(
                &ContractArtifact::session_account(),
                Felt::from(salt),
                owner.owner_key().to_felts(),
            )
            .await
            .map_err(failed("deploying an account"))?;
        self.sandbox
            .devnet_client
            .mint(address, 1000 * STRK_UNIT, crate::devnet::TokenUnit::Fri)
            .await
            .map_err(failed("minting"))?;
        let chain_id = self.sandbox.chain_id;
        let account = KeyedOwnerAccount::new(
            self.sandbox.devnet.provider(),
            owner,
            AccountAt { address, chain_id },
        );
        let transfer = || vec![transfer_call(STRK, recipient, 1_000)];
        execute_with_bounds(&account, transfer(), P256_BOUNDS)
            .await
            .map_err(failed(format!("warm-up ({kind:?})")))?;
        self.send_with(TRANSFER_1, kind, &account, transfer(), P256_BOUNDS).await?;
        let now =
            latest_timestamp(&self.sandbox.provider).await.map_err(failed("the latest block"))?;
        let registered = policy(&key(40 + salt), true, now, 30 * 24 * HOUR);
        let register = vec![calls::register_session(address, &registered)];
        self.send_with(REGISTER, kind, &account, register, P256_BOUNDS).await?;
        let carried = policy(&key(50 + salt), true, now, 30 * 24 * HOUR);
        let binding = Binding::new_account(address, chain_id);
        let authorization = Authorization::sign_by(carried, account.owner(), &binding)
            .map_err(failed("signing an authorization"))?;
        let session = SessionAccount::new(
            self.sandbox.devnet.provider(),
            LocalWallet::from_signing_key(key(50 + salt)),
            key(50 + salt).verifying_key().scalar(),
            AccountAt { address, chain_id },
        )
        .with_authorization(authorization);
        let operation = format!("{FIRST_WITH_AUTHORIZATION} by the {}", kind.label());
        self.send_with(&operation, AccountKind::SessionLimited, &session, transfer(), P256_BOUNDS)
            .await
    }
}
