//! The contract's error strings (the `Errors` modules of contracts/src,
//! docs/spec.md §10), each mapped to one typed variant.
//!
//! Devnet and full nodes report a failed `__validate__` or a reverted
//! `__execute__` as text that embeds the panic felt, either as the short
//! string (`'session/expired'`) or as its hex encoding. [`ContractError::find`]
//! recognises both.

use starknet_rust::core::types::Felt;
use starknet_rust::core::utils::cairo_short_string_to_felt;

macro_rules! contract_errors {
    ($( $(#[$doc:meta])* $variant:ident => $text:literal, )*) => {
        /// A failure reported by the session account contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
        pub enum ContractError {
            $( $(#[$doc])* #[error($text)] $variant, )*
        }

        impl ContractError {
            /// Every error, in the order of docs/spec.md §10.
            pub const ALL: &'static [ContractError] = &[$(ContractError::$variant,)*];

            /// The exact string the contract panics with.
            pub const fn as_str(&self) -> &'static str {
                match self { $( ContractError::$variant => $text, )* }
            }
        }
    };
}

contract_errors! {
    /// `__validate__`/`__execute__` called by something other than the protocol (§7.1).
    InvalidCaller => "account/invalid-caller",
    /// Only v3 transactions (and their query form) are accepted (§7.1).
    InvalidTxVersion => "account/invalid-tx-version",
    /// An owner-only entrypoint reached other than by an owner-signed transaction (§6).
    OnlyOwner => "account/only-owner",
    /// An ECDSA signature does not verify (§2, §4.1d).
    InvalidSignature => "account/invalid-signature",
    /// The signature has no valid layout (§2).
    MalformedSignature => "account/malformed-signature",
    /// New owner key zero or not proven (§7.3).
    InvalidOwnerKey => "account/invalid-owner-key",
    /// Upgrade to class hash 0 (§6).
    InvalidClassHash => "account/invalid-class-hash",
    /// No session is registered under this key (§4.1a).
    SessionNotRegistered => "session/not-registered",
    /// This key was registered before (§3).
    SessionAlreadyRegistered => "session/already-registered",
    /// The session was revoked (§4.1b).
    SessionRevoked => "session/revoked",
    /// The session belongs to an older epoch: revoke-all ended it (§4.1c).
    SessionEpochRevoked => "session/epoch-revoked",
    /// At or after `valid_until` (or past the grace period) (§4.2, §5).
    SessionExpired => "session/expired",
    /// Before `valid_after` (§4.2).
    SessionNotYetValid => "session/not-yet-valid",
    /// Session key 0 (§1.1).
    SessionInvalidKey => "session/invalid-key",
    /// `valid_after >= valid_until` (§1.1).
    SessionInvalidWindow => "session/invalid-window",
    /// Renewable with `max_valid_until < valid_until` or a period of 0 (§1.1).
    SessionInvalidRenewal => "session/invalid-renewal",
    /// A call cap of 0 (§1.1).
    SessionInvalidCallCaps => "session/invalid-call-caps",
    /// A contract, entrypoint or token listed twice (§1.1).
    SessionDuplicateEntry => "session/duplicate-entry",
    /// A spending limit on the zero address or on the account itself (§1.1).
    SessionInvalidLimitToken => "session/invalid-limit-token",
    /// A periodic limit without a period (§1.1).
    SessionInvalidPeriod => "session/invalid-period",
    /// A calldata rule on an entrypoint the policy does not list, with the wrong number of
    /// operands, a felt rule's operand not a felt, or too many rules on one entrypoint (§1.1).
    SessionInvalidCalldataRule => "session/invalid-calldata-rule",
    /// Authorization not signed by the owner for this account, chain, epoch, owner rotation
    /// and policy (§3.2).
    SessionInvalidAuthorization => "session/invalid-authorization",
    /// A session transaction with no calls (§4.3a).
    SessionNoCalls => "session/no-calls",
    /// A call to the account other than the session's own lifecycle call, alone (§4.3b).
    SessionSelfCall => "session/self-call-forbidden",
    /// A call to a contract the session was not granted (§4.3c).
    SessionContractNotAllowed => "session/contract-not-allowed",
    /// A call to an entrypoint not in the contract's list (§4.3d).
    SessionEntrypointNotAllowed => "session/entrypoint-not-allowed",
    /// A call whose calldata breaks one of its entrypoint's rules, or is too short for one
    /// (§4.8).
    SessionCalldataRule => "session/calldata-rule",
    /// More calls than `max_calls_per_tx` (§4.3e).
    SessionTooManyCalls => "session/too-many-calls",
    /// Would exceed `max_calls` over the session's life (§4.3f).
    SessionCallLimit => "session/call-limit",
    /// Would exceed a token's spending limit (§4.4).
    SessionSpendingLimit => "session/spending-limit",
    /// Would exceed what remains of a token's periodic limit in the current window (§4.9).
    SessionPeriodLimit => "session/period-limit",
    /// Metered calldata of the wrong length, or an amount word not a u128 (§4.4).
    SessionMalformedCalldata => "session/malformed-calldata",
    /// A selector that cannot be metered, on a token with a limit (§4.4).
    SessionUnmeteredSelector => "session/unmetered-selector",
    /// A session transaction with paymaster data, account deployment data, or a
    /// data-availability mode other than L1 (§4.5).
    SessionUnsupportedTxField => "session/unsupported-tx-field",
    /// The transaction may cost more than `max_fee_per_tx` (§4.5).
    SessionFeeAboveCap => "session/fee-above-cap",
    /// The transaction may cost more than what is left of the session's fee budget (§4.7).
    SessionFeeBudget => "session/fee-budget",
    /// Renewal of a non-renewable session (§5).
    SessionNotRenewable => "session/not-renewable",
    /// Renewal before `valid_until` (§5).
    SessionNotExpired => "session/not-expired",
    /// Renewal would not extend past now (§5).
    SessionRenewalLimit => "session/renewal-limit",
    /// `renew_session` called other than by the account itself (§5).
    SessionRenewNotSelfCall => "session/renew-not-self-call",
    /// `renew_session` in an execution no session signed (§5).
    SessionRenewNotSession => "session/renew-not-session",
    /// Outside execution submitted by someone other than its named caller (§11).
    OutsideInvalidCaller => "outside/invalid-caller",
    /// Outside execution before its `execute_after` (§11).
    OutsideTooEarly => "outside/too-early",
    /// Outside execution at or after its `execute_before` (§11).
    OutsideExpired => "outside/expired",
    /// Outside execution nonce already used (§11).
    OutsideNonceUsed => "outside/nonce-used",
    /// Outside execution started from inside another (§11).
    OutsideReentrant => "outside/reentrant-call",
    /// WebAuthn authenticator data shorter than 37 bytes (§2.3).
    WebAuthnMalformed => "webauthn/malformed",
    /// A WebAuthn assertion for another relying party (§2.3).
    WebAuthnWrongRpId => "webauthn/wrong-rp-id",
    /// The authenticator did not see the user present (§2.3).
    WebAuthnUserNotPresent => "webauthn/user-not-present",
    /// The owner requires user verification and the authenticator did not verify the user
    /// (§2.3).
    WebAuthnUserNotVerified => "webauthn/user-not-verified",
    /// No `"type":"webauthn.get"` member at the type offset (§2.3).
    WebAuthnWrongType => "webauthn/wrong-type",
    /// No member at the challenge offset with the base64url of the hash signed (§2.3).
    WebAuthnWrongChallenge => "webauthn/wrong-challenge",
    /// No member at the origin offset with the owner's origin (§2.3).
    WebAuthnWrongOrigin => "webauthn/wrong-origin",
    /// The P-256 signature of a WebAuthn assertion does not verify (§2.3).
    WebAuthnInvalidSignature => "webauthn/invalid-signature",
}

impl ContractError {
    /// The error as the felt the contract panics with.
    pub fn felt(&self) -> Felt {
        cairo_short_string_to_felt(self.as_str()).expect("error strings are short ASCII")
    }

    /// Parses the exact error string.
    pub fn from_message(message: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.as_str() == message)
    }

    /// Finds the contract error carried in a node's failure text, in either
    /// short-string or hex form. When several appear (nested calls), the
    /// innermost one, which the node prints first, wins.
    pub fn find(text: &str) -> Option<Self> {
        let lower = text.to_ascii_lowercase();
        Self::ALL
            .iter()
            .filter_map(|e| {
                let hex = format!("{:#x}", e.felt());
                let by_text = text.find(e.as_str());
                let by_hex = find_hex_word(&lower, &hex);
                by_text.into_iter().chain(by_hex).min().map(|pos| (pos, *e))
            })
            .min_by_key(|(pos, _)| *pos)
            .map(|(_, e)| e)
    }
}

/// Position of `hex` in `text` as a whole hex word (not a prefix of a longer one).
fn find_hex_word(text: &str, hex: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(offset) = text[start..].find(hex) {
        let pos = start + offset;
        let end = pos + hex.len();
        if !text[end..].starts_with(|c: char| c.is_ascii_hexdigit()) {
            return Some(pos);
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_a_distinct_short_string() {
        let mut seen = std::collections::HashSet::new();
        for e in ContractError::ALL {
            assert!(e.as_str().len() <= 31, "{} is too long for a felt", e.as_str());
            assert!(seen.insert(e.as_str()), "{} is used twice", e.as_str());
            assert_eq!(ContractError::from_message(e.as_str()), Some(*e));
        }
    }

    #[test]
    fn finds_errors_in_node_messages() {
        let text = "Transaction execution has failed:\n0: Error in the called contract (0x1234):\n\
                    Execution failed. Failure reason: \
                    0x73657373696f6e2f65787069726564 ('session/expired').";
        assert_eq!(ContractError::find(text), Some(ContractError::SessionExpired));
        let hex_only = format!("Failure reason: {:#x}.", ContractError::SessionRevoked.felt());
        assert_eq!(ContractError::find(&hex_only), Some(ContractError::SessionRevoked));
        assert_eq!(ContractError::find("Failure reason: 'u256_sub Overflow'"), None);
    }
}
