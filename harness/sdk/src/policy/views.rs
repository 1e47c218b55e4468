//! The contract's views (docs/spec.md §8), decoded, and a reader for them.

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::{BlockId, BlockTag, Felt, FunctionCall, U256};
use starknet_rust::providers::{Provider, ProviderError};

use super::{AllowedContract, Binding, SessionPolicy};
use crate::contract::reader::FeltReader;
use crate::contract::selectors;

/// `get_session(session_key)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    /// The key was registered (§3).
    pub registered: bool,
    /// The key was revoked, by the owner or by the session itself; a key the
    /// owner revoked before registration reads `registered = false`,
    /// `revoked = true` (§6).
    pub revoked: bool,
    /// The session's epoch is the account's current revocation epoch.
    pub epoch_valid: bool,
    /// First second (unix time, inclusive) at which the session may be used.
    pub valid_after: u64,
    /// First second at which the session is expired; moved by renewals (§5).
    pub valid_until: u64,
    /// The policy's `grace_period` is not 0 (§5).
    pub renewable: bool,
    /// `valid_until + grace_period`, seconds: the session may renew itself
    /// until then (exclusive); 0 when not renewable.
    #[serde(with = "super::u128_dec")]
    pub grace_deadline: u128,
    /// Absolute bound on `valid_until` after any renewal; 0 when not
    /// renewable.
    pub max_valid_until: u64,
    /// Seconds one renewal extends the session by; 0 when not renewable.
    pub renewal_period: u64,
    /// Calls counted so far, reverted transactions included (§4.3f).
    pub calls_used: u64,
    /// `max_calls - calls_used`.
    pub calls_remaining: u64,
    /// Most calls in one transaction (§4.3e).
    pub max_calls_per_tx: u32,
    /// Most fee, in fri, one session transaction may commit the account to
    /// (§4.5).
    #[serde(with = "super::u128_dec")]
    pub max_fee_per_tx: u128,
    /// The fee budget, in fri (§4.7).
    #[serde(with = "super::u128_dec")]
    pub fee_budget: u128,
    /// Worst-case fees, in fri, of the session's transactions so far,
    /// reverted ones included (§4.7).
    #[serde(with = "super::u128_dec")]
    pub fee_used: u128,
    /// What is left of the fee budget, in fri: `fee_budget - fee_used`.
    #[serde(with = "super::u128_dec")]
    pub fee_remaining: u128,
    /// Usable at the latest block's timestamp: registered, not revoked, epoch
    /// valid, in its window, calls remaining.
    pub active: bool,
}

impl SessionStatus {
    fn read(r: &mut FeltReader) -> Option<Self> {
        Some(Self {
            registered: r.bool()?,
            revoked: r.bool()?,
            epoch_valid: r.bool()?,
            valid_after: r.int()?,
            valid_until: r.int()?,
            renewable: r.bool()?,
            grace_deadline: r.int()?,
            max_valid_until: r.int()?,
            renewal_period: r.int()?,
            calls_used: r.int()?,
            calls_remaining: r.int()?,
            max_calls_per_tx: r.int()?,
            max_fee_per_tx: r.int()?,
            fee_budget: r.int()?,
            fee_used: r.int()?,
            fee_remaining: r.int()?,
            active: r.bool()?,
        })
    }

    /// Decodes `get_session`'s result.
    pub fn from_felts(data: &[Felt]) -> Option<Self> {
        let mut r = FeltReader::new(data);
        let status = Self::read(&mut r)?;
        r.finish(status)
    }
}

/// What `get_session_data` returns (spec §8.1): the draft session SNIP's
/// `SessionData`, filled from the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnipSessionData {
    /// The last second the session is valid; 0 when not registered,
    /// revoked or of an older epoch.
    pub valid_until: u64,
    /// The policy's `max_calls`, saturated to `u32`.
    pub max_calls: u32,
    /// Calls counted so far (§4.3f), saturated to `u32`.
    pub calls_used: u32,
    /// Entrypoints listed over all the policy's contracts.
    pub allowed_entrypoints_len: u32,
}

impl SnipSessionData {
    /// Decodes `get_session_data`'s result.
    pub fn from_felts(data: &[Felt]) -> Option<Self> {
        let mut r = FeltReader::new(data);
        let value = Self {
            valid_until: r.int()?,
            max_calls: r.int()?,
            calls_used: r.int()?,
            allowed_entrypoints_len: r.int()?,
        };
        r.finish(value)
    }
}

/// A spender a session approved on a token (§4.10), as
/// `get_session_approvals` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionApproval {
    /// The contract the session's call approved on (limited or not).
    pub token: Felt,
    /// The spender: the approving call's first calldata word.
    pub spender: Felt,
}

impl SessionApproval {
    /// Decodes `get_session_approvals`'s result.
    pub fn list_from_felts(data: &[Felt]) -> Option<Vec<Self>> {
        let mut r = FeltReader::new(data);
        let list = r.array(|r| Some(Self { token: r.felt()?, spender: r.felt()? }))?;
        r.finish(list)
    }
}

/// One entry of `get_spending(session_key)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSpending {
    /// The limited token.
    pub token: Felt,
    /// The lifetime limit, in the token's base units (§4.4).
    #[serde(with = "super::u256_dec")]
    pub limit: U256,
    /// Spent so far against `limit`: metered and settled (§4.4).
    #[serde(with = "super::u256_dec")]
    pub spent: U256,
    /// Seconds per window of the periodic limit (§4.9); 0 = none, and the
    /// window fields are 0.
    #[serde(default)]
    pub period: u64,
    /// Most the session may move of `token` in one window (§4.9).
    #[serde(default, with = "super::u128_dec")]
    pub period_limit: u128,
    /// Spent in the window holding the view's block timestamp.
    #[serde(default, with = "super::u128_dec")]
    pub window_spent: u128,
    /// The first second of the next window, when what remains resets.
    #[serde(default, with = "super::u128_dec")]
    pub window_resets_at: u128,
}

impl TokenSpending {
    /// A limit on which nothing was spent yet, as registration leaves it:
    /// the window fields say when the first window ends, for a session
    /// starting at `valid_after`.
    pub fn unspent(limit: &super::SpendingLimit, valid_after: u64) -> Self {
        let resets = if limit.period == 0 { 0 } else { valid_after as u128 + limit.period as u128 };
        Self {
            token: limit.token,
            limit: limit.limit,
            spent: U256::from(0u8),
            period: limit.period,
            period_limit: limit.period_limit,
            window_spent: 0,
            window_resets_at: resets,
        }
    }

    /// What remains of the periodic limit in the current window, if there is
    /// one.
    pub fn window_remaining(&self) -> Option<u128> {
        (self.period != 0).then(|| self.period_limit.saturating_sub(self.window_spent))
    }

    fn read(r: &mut FeltReader) -> Option<Self> {
        Some(Self {
            token: r.felt()?,
            limit: r.u256()?,
            spent: r.u256()?,
            period: r.int()?,
            period_limit: r.int()?,
            window_spent: r.int()?,
            window_resets_at: r.int()?,
        })
    }

    /// Decodes `get_spending`'s result.
    pub fn list_from_felts(data: &[Felt]) -> Option<Vec<Self>> {
        let mut r = FeltReader::new(data);
        let list = r.array(Self::read)?;
        r.finish(list)
    }

    /// `limit - spent`.
    pub fn remaining(&self) -> U256 {
        if self.spent >= self.limit {
            U256::from(0u8)
        } else {
            self.limit - self.spent
        }
    }
}

fn read_allowed_call(r: &mut FeltReader) -> Option<AllowedContract> {
    Some(AllowedContract { contract: r.felt()?, entrypoints: r.array(FeltReader::felt)? })
}

/// Decodes `get_allowed_calls`'s result.
pub fn allowed_calls_from_felts(data: &[Felt]) -> Option<Vec<AllowedContract>> {
    let mut r = FeltReader::new(data);
    let list = r.array(read_allowed_call)?;
    r.finish(list)
}

/// `get_session_details(session_key)`: a session's whole state in one view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetails {
    /// What `get_session` returns.
    pub status: SessionStatus,
    /// What `get_allowed_calls` returns: the policy's allowed calls.
    pub allowed_calls: Vec<AllowedContract>,
    /// What `get_spending` returns, in policy order.
    pub spending: Vec<TokenSpending>,
}

impl SessionDetails {
    /// Decodes `get_session_details`'s result.
    pub fn from_felts(data: &[Felt]) -> Option<Self> {
        let mut r = FeltReader::new(data);
        let details = Self {
            status: SessionStatus::read(&mut r)?,
            allowed_calls: r.array(read_allowed_call)?,
            spending: r.array(TokenSpending::read)?,
        };
        r.finish(details)
    }
}

/// Errors reading a view.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The node failed the call (unreachable, no such contract, ...).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The view returned felts that do not decode as its result type.
    #[error("{view} returned data that does not decode: {data:?}")]
    Decode {
        /// The view's entrypoint name, e.g. `get_session`.
        view: &'static str,
        /// The felts it returned.
        data: Vec<Felt>,
    },
}

/// Reads the session account's views at the latest (pre-confirmed) block.
#[derive(Debug, Clone, Copy)]
pub struct AccountViews<'a, P> {
    provider: &'a P,
    account: Felt,
}

impl<'a, P: Provider + Sync> AccountViews<'a, P> {
    /// The views of the account at `account`, read through `provider`.
    pub fn new(provider: &'a P, account: Felt) -> Self {
        Self { provider, account }
    }

    async fn call(&self, selector: Felt, calldata: Vec<Felt>) -> Result<Vec<Felt>, ProviderError> {
        self.provider
            .call(
                FunctionCall {
                    contract_address: self.account,
                    entry_point_selector: selector,
                    calldata,
                },
                BlockId::Tag(BlockTag::PreConfirmed),
            )
            .await
    }

    /// A session's status (`get_session`); a key never registered reads all
    /// zero and false.
    pub async fn status(&self, session_key: Felt) -> Result<SessionStatus, ViewError> {
        let data = self.call(selectors::GET_SESSION, vec![session_key]).await?;
        SessionStatus::from_felts(&data).ok_or(ViewError::Decode { view: "get_session", data })
    }

    /// Each limited token's limit and what was spent (`get_spending`), in
    /// policy order.
    pub async fn spending(&self, session_key: Felt) -> Result<Vec<TokenSpending>, ViewError> {
        let data = self.call(selectors::GET_SPENDING, vec![session_key]).await?;
        TokenSpending::list_from_felts(&data)
            .ok_or(ViewError::Decode { view: "get_spending", data })
    }

    /// A session's status, allowed calls and spending, in one call.
    pub async fn session_details(&self, session_key: Felt) -> Result<SessionDetails, ViewError> {
        let data = self.call(selectors::GET_SESSION_DETAILS, vec![session_key]).await?;
        SessionDetails::from_felts(&data)
            .ok_or(ViewError::Decode { view: "get_session_details", data })
    }

    /// The contracts and entrypoints the session may call
    /// (`get_allowed_calls`).
    pub async fn allowed_calls(
        &self,
        session_key: Felt,
    ) -> Result<Vec<AllowedContract>, ViewError> {
        let data = self.call(selectors::GET_ALLOWED_CALLS, vec![session_key]).await?;
        allowed_calls_from_felts(&data).ok_or(ViewError::Decode { view: "get_allowed_calls", data })
    }

    /// The spenders the session approved, once per token, in the order
    /// the account recorded them (§4.10).
    pub async fn session_approvals(
        &self,
        session_key: Felt,
    ) -> Result<Vec<SessionApproval>, ViewError> {
        let data = self.call(selectors::GET_SESSION_APPROVALS, vec![session_key]).await?;
        SessionApproval::list_from_felts(&data)
            .ok_or(ViewError::Decode { view: "get_session_approvals", data })
    }

    /// The draft session SNIP's view of a session (spec §8.1).
    pub async fn session_data(&self, session_key: Felt) -> Result<SnipSessionData, ViewError> {
        let data = self.call(selectors::GET_SESSION_DATA, vec![session_key]).await?;
        SnipSessionData::from_felts(&data)
            .ok_or(ViewError::Decode { view: "get_session_data", data })
    }

    /// The account's current revocation epoch (`get_revocation_epoch`):
    /// each revoke-all increments it.
    pub async fn revocation_epoch(&self) -> Result<u64, ViewError> {
        let data = self.call(selectors::GET_REVOCATION_EPOCH, vec![]).await?;
        match data.as_slice() {
            [epoch] => u64::try_from(*epoch).map_err(|_| ViewError::Decode {
                view: "get_revocation_epoch",
                data: data.clone(),
            }),
            _ => Err(ViewError::Decode { view: "get_revocation_epoch", data }),
        }
    }

    /// How many times the owner key was rotated (`get_owner_rotations`,
    /// §7.3).
    pub async fn owner_rotations(&self) -> Result<u64, ViewError> {
        let data = self.call(selectors::GET_OWNER_ROTATIONS, vec![]).await?;
        match data.as_slice() {
            [n] => u64::try_from(*n)
                .map_err(|_| ViewError::Decode { view: "get_owner_rotations", data: data.clone() }),
            _ => Err(ViewError::Decode { view: "get_owner_rotations", data }),
        }
    }

    /// What an authorization signed now for this account on `chain_id` is
    /// bound to (§1.2): the current epoch and owner rotations.
    pub async fn binding(&self, chain_id: Felt) -> Result<Binding, ViewError> {
        Ok(Binding {
            account: self.account,
            chain_id,
            epoch: self.revocation_epoch().await?,
            owner_rotations: self.owner_rotations().await?,
        })
    }

    /// The owner's id (`get_owner`, §7.3): a Stark owner's public key, or
    /// the Poseidon hash of another kind's layout.
    pub async fn owner(&self) -> Result<Felt, ViewError> {
        let data = self.call(selectors::GET_OWNER, vec![]).await?;
        match data.as_slice() {
            [owner] => Ok(*owner),
            _ => Err(ViewError::Decode { view: "get_owner", data }),
        }
    }

    /// The owner's key, of any kind (§2.1, `get_owner_key`).
    pub async fn owner_key(&self) -> Result<crate::signers::OwnerKey, ViewError> {
        let data = self.call(selectors::GET_OWNER_KEY, vec![]).await?;
        crate::signers::OwnerKey::from_felts(&data)
            .ok_or(ViewError::Decode { view: "get_owner_key", data })
    }

    /// The contract's own computation of the session hash (§1.2).
    pub async fn session_hash(&self, policy: &SessionPolicy) -> Result<Felt, ViewError> {
        let data = self.call(selectors::SESSION_HASH, policy.to_calldata()).await?;
        match data.as_slice() {
            [hash] => Ok(*hash),
            _ => Err(ViewError::Decode { view: "session_hash", data }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_views_and_rejects_garbage() {
        let status: Vec<Felt> = [1u64, 0, 1, 5, 9, 1, 609, 20, 4, 2, 8, 3, 1000, 500, 120, 380, 1]
            .map(Felt::from)
            .to_vec();
        let s = SessionStatus::from_felts(&status).unwrap();
        assert!(s.registered && s.epoch_valid && s.active && s.renewable);
        assert_eq!(
            (s.calls_used, s.calls_remaining, s.grace_deadline, s.renewal_period),
            (2, 8, 609, 4)
        );
        assert_eq!((s.fee_budget, s.fee_used, s.fee_remaining), (500, 120, 380));
        let mut bad = status.clone();
        bad[0] = Felt::TWO;
        assert!(SessionStatus::from_felts(&bad).is_none());
        assert!(SessionStatus::from_felts(&status[..16]).is_none());

        // 100 over its life, 40 per 3600 s: 45 spent, 30 of them in the
        // window that resets at 7200.
        let spending = [1u64, 0x70, 100, 0, 45, 0, 3600, 40, 30, 7200].map(Felt::from);
        let list = TokenSpending::list_from_felts(&spending).unwrap();
        assert_eq!(list[0].remaining(), U256::from(55u8));
        assert_eq!(list[0].window_remaining(), Some(10));
        assert_eq!(list[0].window_resets_at, 7200);
        assert!(TokenSpending::list_from_felts(&spending[..9]).is_none());

        let approvals = [2u64, 0x70, 0x5e1, 0x71, 0x5e2].map(Felt::from);
        let list_of = SessionApproval::list_from_felts(&approvals).unwrap();
        assert_eq!(
            list_of[1],
            SessionApproval { token: Felt::from(0x71u8), spender: Felt::from(0x5e2u16) }
        );
        assert!(SessionApproval::list_from_felts(&approvals[..4]).is_none());

        let allowed = [2u64, 0x70, 0, 0xde, 2, 7, 8].map(Felt::from);
        let calls = allowed_calls_from_felts(&allowed).unwrap();
        assert_eq!(calls[1].entrypoints, vec![Felt::from(7u8), Felt::from(8u8)]);
        assert!(allowed_calls_from_felts(&allowed[..6]).is_none());

        let details: Vec<Felt> = [&status[..], &allowed[..], &spending[..]].concat();
        let d = SessionDetails::from_felts(&details).unwrap();
        assert_eq!((d.status, d.allowed_calls, d.spending), (s, calls, list));
        assert!(SessionDetails::from_felts(&details[..details.len() - 1]).is_none());
    }
}
