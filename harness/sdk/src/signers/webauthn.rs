//! A passkey owner (§2.1, §2.3): the credential's P-256 key bound to a
//! relying party and an origin. The owner signs a hash by having its
//! passkey assert the hash's challenge; the account checks the assertion as
//! the WebAuthn specification asks of a relying party.
//!
//! [`Assertion::from_response_json`] takes what a browser's
//! `PublicKeyCredential.toJSON()` returns (`AuthenticationResponseJSON`),
//! finds where the `type`, `challenge` and `origin` members stand in its
//! `clientDataJSON` (whatever their order and whatever else it holds), and
//! lays it out for the account. [`SoftwarePasskey`] asserts like a
//! platform authenticator, for devnet and tests.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use starknet_rust::core::types::Felt;

use super::bytes::byte_array_felts;
use super::p256::{P256Owner, P256PublicKey};
use super::{u256_felts, OwnerKey, OwnerSignError, OwnerSigner, WEBAUTHN_MAGIC};

/// A passkey owner as the account stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAuthnOwner {
    /// The credential's P-256 public key.
    pub key: P256PublicKey,
    /// SHA-256 of the relying party id.
    pub rp_id_hash: [u8; 32],
    /// The origin the browser reports, e.g. `https://app.example.com`.
    pub origin: String,
    /// Whether the authenticator must have verified the user.
    pub require_user_verification: bool,
}

impl WebAuthnOwner {
    /// The owner for credential `key` of relying party `rp_id` (e.g.
    /// `app.example.com`, hashed here) used from `origin`.
    pub fn new(
        key: P256PublicKey,
        rp_id: &str,
        origin: &str,
        require_user_verification: bool,
    ) -> Self {
        Self {
            key,
            rp_id_hash: Sha256::digest(rp_id.as_bytes()).into(),
            origin: origin.to_string(),
            require_user_verification,
        }
    }

    /// `x, y, rp_id_hash, origin, require_user_verification` (§12.1).
    pub fn to_felts(&self) -> Vec<Felt> {
        let mut out = self.key.to_felts();
        out.extend(u256_felts(&self.rp_id_hash));
        out.extend(byte_array_felts(self.origin.as_bytes()));
        out.push(Felt::from(self.require_user_verification as u8));
        out
    }
}

/// The challenge a passkey signs for `hash` (§2.3): base64url, without
/// padding, of its 32 big-endian bytes.
pub fn challenge(hash: Felt) -> String {
    URL_SAFE_NO_PAD.encode(hash.to_bytes_be())
}

/// Why an assertion cannot be laid out for the account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebAuthnError {
    /// Not JSON, or a `response` member is missing (the text says which).
    #[error("the assertion is not AuthenticationResponseJSON: {0}")]
    Json(String),
    /// The named `response` member is not base64url.
    #[error("`{0}` is not base64url")]
    Base64(&'static str),
    /// `clientDataJSON` lacks the named top-level member (`type`,
    /// `challenge` or `origin`), whose offset the account needs.
    #[error("clientDataJSON has no top-level `{0}` member")]
    MissingMember(&'static str),
    /// The signature is not a DER-encoded P-256 signature.
    #[error("the signature is not a DER-encoded P-256 signature")]
    Signature,
}

/// An assertion in the account's layout (§12.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// `authenticatorData` as the authenticator returned it: rpIdHash,
    /// flags, counter, then any extensions.
    pub authenticator_data: Vec<u8>,
    /// `clientDataJSON`, byte for byte as signed.
    pub client_data_json: Vec<u8>,
    /// Where the `"type"` member of `client_data_json` starts, at its
    /// opening quote (§2.3).
    pub type_offset: u32,
    /// Where the `"challenge"` member starts, at its opening quote.
    pub challenge_offset: u32,
    /// Where the `"origin"` member starts, at its opening quote.
    pub origin_offset: u32,
    /// The P-256 signature's `r`, big-endian.
    pub r: [u8; 32],
    /// The P-256 signature's `s`, big-endian.
    pub s: [u8; 32],
}

impl Assertion {
    /// From the raw parts an authenticator returns: the signature DER-encoded,
    /// as WebAuthn transmits it.
    pub fn from_parts(
        authenticator_data: Vec<u8>,
        client_data_json: Vec<u8>,
        der_signature: &[u8],
    ) -> Result<Self, WebAuthnError> {
        let signature = p256::ecdsa::Signature::from_der(der_signature)
            .map_err(|_| WebAuthnError::Signature)?;
        let (r, s) = signature.split_bytes();
        let offset = |name: &'static str| {
            member_offset(&client_data_json, name).ok_or(WebAuthnError::MissingMember(name))
        };
        Ok(Self {
            type_offset: offset("type")?,
            challenge_offset: offset("challenge")?,
            origin_offset: offset("origin")?,
            authenticator_data,
            client_data_json,
            r: r.into(),
            s: s.into(),
        })
    }

    /// From a browser's `PublicKeyCredential.toJSON()`
    /// (`AuthenticationResponseJSON`: `response.clientDataJSON`,
    /// `response.authenticatorData` and `response.signature`, base64url).
    pub fn from_response_json(json: &str) -> Result<Self, WebAuthnError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| WebAuthnError::Json(e.to_string()))?;
        let field = |name: &'static str| -> Result<Vec<u8>, WebAuthnError> {
            let text = value["response"][name]
                .as_str()
                .ok_or_else(|| WebAuthnError::Json(format!("no response.{name}")))?;
            URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .map_err(|_| WebAuthnError::Base64(name))
        };
        Self::from_parts(
            field("authenticatorData")?,
            field("clientDataJSON")?,
            &field("signature")?,
        )
    }

    /// The assertion as a browser's `PublicKeyCredential.toJSON()` gives it
    /// (`AuthenticationResponseJSON`, the signature DER-encoded), for the
    /// credential `credential_id`: what [`Self::from_response_json`] reads.
    pub fn to_response_json(&self, credential_id: &[u8]) -> String {
        let der = p256::ecdsa::Signature::from_scalars(self.r, self.s)
            .map(|signature| signature.to_der().as_bytes().to_vec())
            .unwrap_or_default();
        let id = URL_SAFE_NO_PAD.encode(credential_id);
        serde_json::json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(&self.client_data_json),
                "authenticatorData": URL_SAFE_NO_PAD.encode(&self.authenticator_data),
                "signature": URL_SAFE_NO_PAD.encode(der),
                "userHandle": null,
            },
        })
        .to_string()
    }

    /// The challenge `clientDataJSON` says was asserted (base64url), to
    /// compare with [`challenge`] of the hash it should sign.
    pub fn challenge(&self) -> Option<String> {
        let client_data: serde_json::Value = serde_json::from_slice(&self.client_data_json).ok()?;
        Some(client_data["challenge"].as_str()?.to_string())
    }

    /// `['webauthn', authenticator_data, client_data_json, offsets, r, s]`.
    pub fn to_felts(&self) -> Vec<Felt> {
        let mut out = vec![WEBAUTHN_MAGIC];
        out.extend(byte_array_felts(&self.authenticator_data));
        out.extend(byte_array_felts(&self.client_data_json));
        out.extend([self.type_offset, self.challenge_offset, self.origin_offset].map(Felt::from));
        out.extend(u256_felts(&self.r));
        out.extend(u256_felts(&self.s));
        out
    }

    /// The digest the credential signed: `SHA-256(authenticatorData ‖
    /// SHA-256(clientDataJSON))`.
    pub fn signed_digest(authenticator_data: &[u8], client_data_json: &[u8]) -> [u8; 32] {
        let mut message = authenticator_data.to_vec();
        message.extend(Sha256::digest(client_data_json));
        Sha256::digest(&message).into()
    }
}

/// Where member `name` of `json`'s top-level object starts, at its opening
/// quote: the offset the account checks (§2.3). Strings are skipped whole,
/// so text inside another member's value is never taken for a member.
fn member_offset(json: &[u8], name: &str) -> Option<u32> {
    let key = format!("\"{name}\"");
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut expecting_key = false;
    for (i, &byte) in json.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'{' | b'[' => {
                depth += 1;
                expecting_key = byte == b'{';
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => expecting_key = depth == 1,
            b'"' => {
                if depth == 1 && expecting_key && json[i..].starts_with(key.as_bytes()) {
                    return u32::try_from(i).ok();
                }
                expecting_key = false;
                in_string = true;
            }
            _ => {}
        }
    }
    None
}

/// A passkey held in software: it asserts as a platform authenticator does
/// (user present and verified, counter 0, `clientDataJSON` with
/// `crossOrigin`), for devnet and tests. Not a hardware-backed key.
#[derive(Debug, Clone)]
pub struct SoftwarePasskey {
    key: P256Owner,
    owner: WebAuthnOwner,
}

impl SoftwarePasskey {
    /// A passkey of `key` for relying party `rp_id` at `origin`; its owner
    /// requires user verification.
    pub fn new(key: P256Owner, rp_id: &str, origin: &str) -> Self {
        let owner = WebAuthnOwner::new(key.public_key(), rp_id, origin, true);
        Self { key, owner }
    }

    /// The credential's key (it signs the assertions).
    pub fn key(&self) -> &P256Owner {
        &self.key
    }

    /// The owner the account stores for this passkey.
    pub fn owner(&self) -> &WebAuthnOwner {
        &self.owner
    }

    /// The assertion of the challenge of `hash`.
    pub fn assert(&self, hash: Felt) -> Result<Assertion, OwnerSignError> {
        let mut authenticator_data = self.owner.rp_id_hash.to_vec();
        authenticator_data.push(0x05);
        authenticator_data.extend(0u32.to_be_bytes());
        let client_data_json = serde_json::json!({
            "type": "webauthn.get",
            "challenge": challenge(hash),
            "origin": self.owner.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes();
        let digest = Assertion::signed_digest(&authenticator_data, &client_data_json);
        let (r, s) = self.key.sign_digest(&digest)?;
        let der = p256::ecdsa::Signature::from_scalars(r, s)
            .map_err(|e| OwnerSignError::P256(e.to_string()))?
            .to_der();
        Ok(Assertion::from_parts(authenticator_data, client_data_json, der.as_bytes())?)
    }
}

impl OwnerSigner for SoftwarePasskey {
    fn owner_key(&self) -> OwnerKey {
        OwnerKey::WebAuthn(self.owner.clone())
    }

    fn sign_hash(&self, hash: Felt) -> Result<Vec<Felt>, OwnerSignError> {
        Ok(self.assert(hash)?.to_felts())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assertion_round_trips_through_its_json() {
        let passkey = SoftwarePasskey::new(
            P256Owner::from_secret_bytes(&[9; 32]).unwrap(),
            "localhost",
            "http://localhost",
        );
        let assertion = passkey.assert(Felt::from(77u8)).unwrap();
        let json = assertion.to_response_json(b"credential");
        assert_eq!(Assertion::from_response_json(&json).unwrap(), assertion);
        assert_eq!(assertion.challenge(), Some(challenge(Felt::from(77u8))));
    }

    #[test]
    fn members_are_found_where_they_stand_and_nowhere_else() {
        let json = br#"{"type":"webauthn.get","note":"\",\"challenge\":\"x\"","challenge":"abc","origin":"https://a.example","nested":{"type":"no"}}"#;
        assert_eq!(member_offset(json, "type"), Some(1));
        let challenge = member_offset(json, "challenge").unwrap() as usize;
        assert!(json[challenge..].starts_with(br#""challenge":"abc""#));
        assert_eq!(member_offset(json, "missing"), None);
        let reordered = br#"{"origin":"o","challenge":"c","type":"webauthn.get"}"#;
        assert_eq!(member_offset(reordered, "origin"), Some(1));
        assert_eq!(member_offset(reordered, "type"), Some(30));
    }

    #[test]
    fn the_challenge_is_43_base64url_characters() {
        let hash = Felt::from_hex_unchecked(
            "0x5a1e5e6c1d3f2b4a6978877665544332211ffeeddccbbaa9988776655443322",
        );
        // The vector of contracts/tests/unit/p256.cairo (Python's base64).
        assert_eq!(challenge(hash), "BaHl5sHT8rSml4h3ZlVEMyIR_-7dzLuqmYh3ZlVEMyI");
        assert_eq!(challenge(Felt::ZERO).len(), 43);
    }

    #[test]
    fn a_software_passkey_signs_what_p256_verifies() {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let passkey = SoftwarePasskey::new(
            P256Owner::from_secret_bytes(&[7u8; 32]).unwrap(),
            "a.example",
            "https://a.example",
        );
        let hash = Felt::from(0x5e55u16);
        let assertion = passkey.assert(hash).unwrap();
        let text = String::from_utf8(assertion.client_data_json.clone()).unwrap();
        assert!(text.contains(&format!("\"challenge\":\"{}\"", challenge(hash))));
        let digest =
            Assertion::signed_digest(&assertion.authenticator_data, &assertion.client_data_json);
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(
            &[&[4u8][..], &passkey.owner.key.x, &passkey.owner.key.y].concat(),
        )
        .unwrap();
        let signature = p256::ecdsa::Signature::from_scalars(assertion.r, assertion.s).unwrap();
        assert!(key.verify_prehash(&digest, &signature).is_ok());
        assert_eq!(assertion.to_felts()[0], WEBAUTHN_MAGIC);
    }
}
