//! The fuzzer's passkeys, asserted by a software authenticator and WebAuthn
//! client from crates.io (1Password's `passkey`: a CTAP2 authenticator
//! behind a client that writes `clientDataJSON` and checks the origin
//! against the relying party, as a browser does), not by this project's own
//! [`SoftwarePasskey`](session_account::signers::SoftwarePasskey). The
//! credential's key is fixed by the owner's number, so the account's owner
//! id is the same at every signature.

use coset::iana;
use passkey::authenticator::{Authenticator, CoseKeyPair, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::{
    AttestationConveyancePreference, CredentialRequestOptions, PublicKeyCredentialRequestOptions,
    UserVerificationRequirement,
};
use passkey::types::{Bytes, Passkey};
use session_account::signers::{
    Assertion, OwnerKey, OwnerSignError, OwnerSigner, P256Owner, WebAuthnOwner,
};
use starknet_rust::core::types::Felt;

/// A passkey whose assertions 1Password's authenticator and client make.
#[derive(Clone)]
pub struct CratePasskey {
    key: P256Owner,
    owner: WebAuthnOwner,
    rp_id: String,
}

impl CratePasskey {
    pub fn new(key: P256Owner, rp_id: &str, origin: &str) -> Self {
        let owner = WebAuthnOwner::new(key.public_key(), rp_id, origin, true);
        Self { key, owner, rp_id: rp_id.to_string() }
    }

    /// The credential's key (for assertions tampered with after signing).
    pub fn key(&self) -> &P256Owner {
        &self.key
    }

    /// The owner the account stores.
    pub fn owner(&self) -> &WebAuthnOwner {
        &self.owner
    }

    /// The assertion of `hash`'s challenge, as the crate's client returns it.
    async fn assert(&self, hash: Felt) -> Result<Assertion, OwnerSignError> {
        let failed = |what: String| OwnerSignError::P256(format!("the authenticator: {what}"));
        let secret = p256::SecretKey::from_slice(&self.key.secret_bytes())
            .map_err(|e| failed(e.to_string()))?;
        let pair = CoseKeyPair::from_secret_key(&secret, iana::Algorithm::ES256);
        let credential = Passkey {
            key: pair.private,
            credential_id: Bytes::from(self.owner.rp_id_hash[..16].to_vec()),
            rp_id: self.rp_id.clone(),
            user_handle: None,
            username: None,
            user_display_name: None,
            counter: None,
            extensions: Default::default(),
        };
        let authenticator = Authenticator::new(Aaguid::new_empty(), Some(credential), Verified);
        let mut client = Client::new(authenticator);
        let origin = url::Url::parse(&self.owner.origin).map_err(|e| failed(e.to_string()))?;
        let request = request_options(hash, &self.rp_id);
        let asserted = client
            .authenticate(&origin, request, DefaultClientData)
            .await
            .map_err(|e| failed(format!("{e:?}")))?;
        let response = asserted.response;
        Ok(Assertion::from_parts(
            response.authenticator_data.to_vec(),
            response.client_data_json.to_vec(),
            &response.signature,
        )?)
    }
}

/// What a relying party asks a passkey for the owner's signature of
/// `hash`: its challenge, user verification required.
pub fn request_options(hash: Felt, rp_id: &str) -> CredentialRequestOptions {
    CredentialRequestOptions {
        public_key: PublicKeyCredentialRequestOptions {
            challenge: Bytes::from(hash.to_bytes_be().to_vec()),
            timeout: None,
            rp_id: Some(rp_id.to_string()),
            allow_credentials: None,
            user_verification: UserVerificationRequirement::Required,
            hints: None,
            attestation: AttestationConveyancePreference::None,
            attestation_formats: None,
            extensions: None,
        },
    }
}

impl OwnerSigner for CratePasskey {
    fn owner_key(&self) -> OwnerKey {
        OwnerKey::WebAuthn(self.owner.clone())
    }

    /// The crate's client is async but does no I/O: it runs to completion
    /// here, on whatever thread asks.
    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        Ok(futures_executor::block_on(self.assert(hash))?.to_felts())
    }
}

/// The user is present and verified, as after a tap with a fingerprint.
struct Verified;

#[async_trait::async_trait]
impl UserValidationMethod for Verified {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Self::PasskeyItem>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck { presence, verification })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_account::signers::SoftwarePasskey;

    #[test]
    fn the_crates_assertions_are_the_owners() {
        let key = P256Owner::from_secret_bytes(&[5; 32]).unwrap();
        let passkey =
            CratePasskey::new(key.clone(), "fuzz.example.com", "https://fuzz.example.com");
        let ours = SoftwarePasskey::new(key, "fuzz.example.com", "https://fuzz.example.com");
        assert_eq!(passkey.owner_key(), ours.owner_key());
        let signature = passkey.sign_hash(Felt::from(42u8)).unwrap();
        let assertion = futures_executor::block_on(passkey.assert(Felt::from(42u8))).unwrap();
        assert_eq!(signature[0], session_account::signers::WEBAUTHN_MAGIC);
        assert_eq!(
            assertion.challenge(),
            Some(session_account::signers::challenge(Felt::from(42u8)))
        );
        // Flags: user present and verified.
        assert_eq!(assertion.authenticator_data[32] & 0x05, 0x05);
    }
}
