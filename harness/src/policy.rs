//! What the owner grants a session key: the Rust form of
//! `session_account::session::policy::SessionPolicy`, and its calldata.

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::Felt;

/// A session policy, fixed at registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// Stark public key of the session.
    pub session_key: Felt,
    /// First second (inclusive) at which the session may be used.
    pub valid_after: u64,
    /// First second at which the session is expired.
    pub valid_until: u64,
    /// Contracts the session may call.
    pub allowed_contracts: Vec<Felt>,
}

impl SessionPolicy {
    /// Cairo `Serde` encoding, as `register_session(policy)` takes it.
    pub fn to_calldata(&self) -> Vec<Felt> {
        let mut data = vec![
            self.session_key,
            Felt::from(self.valid_after),
            Felt::from(self.valid_until),
            Felt::from(self.allowed_contracts.len()),
        ];
        data.extend_from_slice(&self.allowed_contracts);
        data
    }
}

/// The contract's `get_session` view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub registered: bool,
    pub revoked: bool,
    pub valid_after: u64,
    pub valid_until: u64,
    /// Usable at the latest block's timestamp.
    pub active: bool,
}

impl SessionStatus {
    /// Decodes the view's return data.
    pub fn from_felts(data: &[Felt]) -> Option<Self> {
        let [registered, revoked, valid_after, valid_until, active] = data else { return None };
        Some(Self {
            registered: felt_to_bool(*registered)?,
            revoked: felt_to_bool(*revoked)?,
            valid_after: u64::try_from(*valid_after).ok()?,
            valid_until: u64::try_from(*valid_until).ok()?,
            active: felt_to_bool(*active)?,
        })
    }
}

pub(crate) fn felt_to_bool(value: Felt) -> Option<bool> {
    if value == Felt::ZERO {
        Some(false)
    } else if value == Felt::ONE {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_calldata_is_cairo_serde() {
        let policy = SessionPolicy {
            session_key: Felt::from(7u8),
            valid_after: 10,
            valid_until: 20,
            allowed_contracts: vec![Felt::from(0xaau8), Felt::from(0xbbu8)],
        };
        assert_eq!(
            policy.to_calldata(),
            [7u8, 10, 20, 2, 0xaa, 0xbb].map(Felt::from).to_vec()
        );
    }

    #[test]
    fn status_decodes_and_rejects_garbage() {
        let ok = SessionStatus::from_felts(&[1u8, 0, 5, 9, 1].map(Felt::from)).unwrap();
        assert!(ok.registered && !ok.revoked && ok.active);
        assert_eq!((ok.valid_after, ok.valid_until), (5, 9));
        assert!(SessionStatus::from_felts(&[2u8, 0, 5, 9, 1].map(Felt::from)).is_none());
        assert!(SessionStatus::from_felts(&[1u8, 0, 5].map(Felt::from)).is_none());
    }
}
