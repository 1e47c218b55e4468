//! What the owner grants a session key (docs/spec.md §1.1): the Rust form of
//! `session_account::policy::SessionPolicy`, its calldata, the rules a
//! policy must meet, a builder, its session hash (§1.2), the metering of
//! spending (§4.4) and the status views (§8).

pub mod builder;
pub mod calldata;
pub mod hash;
pub mod metering;
pub mod periods;
pub mod views;

use serde::{Deserialize, Serialize};
use starknet_rust::core::types::{Felt, U256};

use crate::contract::ContractError;

pub use builder::SessionPolicyBuilder;
pub use calldata::{CalldataRule, Operator, ValueKind};
pub use hash::{session_hash, Binding};
pub use views::{SessionApproval, SessionDetails, SessionStatus, SnipSessionData, TokenSpending};

/// Renewal settings (§5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RenewalPolicy {
    /// Seconds after `valid_until` during which the session may renew
    /// itself; 0 = not renewable.
    pub grace_period: u64,
    /// Absolute bound on `valid_until` after any renewal.
    pub max_valid_until: u64,
    /// Seconds one renewal extends the session by, from the time of the
    /// renewal; at least 1 when renewable.
    pub period: u64,
}

impl RenewalPolicy {
    /// Not renewable.
    pub const NONE: RenewalPolicy =
        RenewalPolicy { grace_period: 0, max_valid_until: 0, period: 0 };
}

/// A contract the session may call, and which of its entrypoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedContract {
    /// The contract's address; never the account itself (§1.1).
    pub contract: Felt,
    /// Allowed selectors; empty = any entrypoint.
    pub entrypoints: Vec<Felt>,
}

impl AllowedContract {
    /// Any entrypoint of `contract`.
    pub fn any(contract: Felt) -> Self {
        Self { contract, entrypoints: vec![] }
    }
}

/// The most a session may move of one token over its life and, optionally,
/// per period (§4.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingLimit {
    /// The token's contract address; neither 0 nor the account (§1.1).
    pub token: Felt,
    /// Most the session may move of `token` over its life, in the token's
    /// base units (§4.4).
    #[serde(with = "u256_dec")]
    pub limit: U256,
    /// Seconds of one window of the periodic limit; 0 = none.
    #[serde(default)]
    pub period: u64,
    /// Most the session may move of `token` in one window; 0 when `period`
    /// is 0.
    #[serde(default, with = "u128_dec")]
    pub period_limit: u128,
}

impl SpendingLimit {
    /// A lifetime limit only.
    pub fn lifetime(token: Felt, limit: U256) -> Self {
        Self { token, limit, period: 0, period_limit: 0 }
    }

    /// The periodic limit, if any: `(period, period_limit)`.
    pub fn periodic(&self) -> Option<(u64, u128)> {
        (self.period != 0).then_some((self.period, self.period_limit))
    }
}

/// A session policy, fixed at registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// Stark public key of the session.
    pub session_key: Felt,
    /// First second (inclusive) at which the session may be used.
    pub valid_after: u64,
    /// First second at which the session is expired.
    pub valid_until: u64,
    /// Whether and how the session may renew itself (§5).
    pub renewal: RenewalPolicy,
    /// The contracts the session may call, and which entrypoints (§4.3).
    pub allowed_calls: Vec<AllowedContract>,
    /// What the session may pass to listed entrypoints (§4.8).
    #[serde(default)]
    pub calldata_rules: Vec<CalldataRule>,
    /// Most calls in one transaction (§4.3e); at least 1.
    pub max_calls_per_tx: u32,
    /// Most calls over the session's life, reverted transactions and
    /// lifecycle calls included (§4.3f); at least 1.
    pub max_calls: u64,
    /// At most one limit per token (§4.4, §4.9).
    pub spending_limits: Vec<SpendingLimit>,
    /// Most fee, in fri, one session transaction may commit the account to.
    #[serde(with = "u128_dec")]
    pub max_fee_per_tx: u128,
    /// Most fee, in fri, the session's transactions may commit the account
    /// to over its life, reverted ones included (§4.7); 0 = gasless only,
    /// [`u128::MAX`] = no budget beyond `max_fee_per_tx`.
    #[serde(with = "u128_dec")]
    pub fee_budget: u128,
}

impl SessionPolicy {
    /// A builder for a policy granted to `session_key` (§1.1): see
    /// [`SessionPolicyBuilder`] for its defaults.
    pub fn builder(session_key: Felt) -> SessionPolicyBuilder {
        SessionPolicyBuilder::new(session_key)
    }

    /// Cairo `Serde` encoding, as `register_session(policy)` and the
    /// authorization (§2.2) carry it.
    pub fn to_calldata(&self) -> Vec<Felt> {
        let mut data = vec![
            self.session_key,
            Felt::from(self.valid_after),
            Felt::from(self.valid_until),
            Felt::from(self.renewal.grace_period),
            Felt::from(self.renewal.max_valid_until),
            Felt::from(self.renewal.period),
            Felt::from(self.allowed_calls.len()),
        ];
        for allowed in &self.allowed_calls {
            data.push(allowed.contract);
            data.push(Felt::from(allowed.entrypoints.len()));
            data.extend_from_slice(&allowed.entrypoints);
        }
        data.push(Felt::from(self.calldata_rules.len()));
        for rule in &self.calldata_rules {
            rule.encode(&mut data);
        }
        data.push(Felt::from(self.max_calls_per_tx));
        data.push(Felt::from(self.max_calls));
        data.push(Felt::from(self.spending_limits.len()));
        for limit in &self.spending_limits {
            data.push(limit.token);
            data.push(Felt::from(limit.limit.low()));
            data.push(Felt::from(limit.limit.high()));
            data.push(Felt::from(limit.period));
            data.push(Felt::from(limit.period_limit));
        }
        data.push(Felt::from(self.max_fee_per_tx));
        data.push(Felt::from(self.fee_budget));
        data
    }

    /// The rules of §1.1 a policy for `account` must meet to be registered,
    /// in the order the contract checks them; the error it would refuse
    /// the policy with otherwise.
    pub fn check_well_formed(&self, account: Felt) -> Result<(), ContractError> {
        if self.session_key == Felt::ZERO {
            return Err(ContractError::SessionInvalidKey);
        }
        if self.valid_after >= self.valid_until {
            return Err(ContractError::SessionInvalidWindow);
        }
        let renewal = self.renewal;
        if renewal.grace_period != 0
            && (renewal.max_valid_until < self.valid_until || renewal.period == 0)
        {
            return Err(ContractError::SessionInvalidRenewal);
        }
        if self.max_calls_per_tx == 0 || self.max_calls == 0 {
            return Err(ContractError::SessionInvalidCallCaps);
        }
        if self.allowed_calls.iter().any(|a| a.contract == account) {
            return Err(ContractError::SessionSelfCall);
        }
        for (index, allowed) in self.allowed_calls.iter().enumerate() {
            let listed_before =
                self.allowed_calls[..index].iter().any(|a| a.contract == allowed.contract);
            let duplicate_entrypoint = allowed
                .entrypoints
                .iter()
                .enumerate()
                .any(|(i, e)| allowed.entrypoints[..i].contains(e));
            if listed_before || duplicate_entrypoint {
                return Err(ContractError::SessionDuplicateEntry);
            }
        }
        for (index, limit) in self.spending_limits.iter().enumerate() {
            if self.spending_limits[..index].iter().any(|l| l.token == limit.token) {
                return Err(ContractError::SessionDuplicateEntry);
            }
        }
        if self.spending_limits.iter().any(|l| l.token == Felt::ZERO || l.token == account) {
            return Err(ContractError::SessionInvalidLimitToken);
        }
        if self.spending_limits.iter().any(|l| l.period == 0 && l.period_limit != 0) {
            return Err(ContractError::SessionInvalidPeriod);
        }
        calldata::check_rules_well_formed(&self.calldata_rules, |contract, selector| {
            self.allowed_calls
                .iter()
                .any(|a| a.contract == contract && a.entrypoints.contains(&selector))
        })
    }

    /// The periodic limit on `token`, if any: `(period, period_limit)`.
    pub fn periodic_limit_for(&self, token: Felt) -> Option<(u64, u128)> {
        self.spending_limits.iter().find(|l| l.token == token).and_then(SpendingLimit::periodic)
    }

    /// The spending limit on `token`, if any.
    pub fn limit_for(&self, token: Felt) -> Option<U256> {
        self.spending_limits.iter().find(|l| l.token == token).map(|l| l.limit)
    }

    /// Whether the session may be renewed (§5).
    pub fn is_renewable(&self) -> bool {
        self.renewal.grace_period > 0
    }
}

/// u128 amounts as decimal strings in JSON (they exceed JSON numbers).
pub(crate) mod u128_dec {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|_| serde::de::Error::custom(format!("not a u128: {text:?}")))
    }
}

/// u256 amounts as decimal strings in JSON (they exceed JSON numbers).
pub(crate) mod u256_dec {
    use serde::{Deserialize, Deserializer, Serializer};
    use starknet_rust::core::types::U256;

    pub fn serialize<S: Serializer>(value: &U256, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_decimal(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<U256, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_decimal(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a u256: {text:?}")))
    }

    pub fn to_decimal(value: U256) -> String {
        value.to_string()
    }

    pub fn parse_decimal(text: &str) -> Option<U256> {
        let big: num_bigint::BigUint = text.parse().ok()?;
        if big.bits() > 256 {
            return None;
        }
        let mask = (num_bigint::BigUint::from(1u8) << 128) - 1u8;
        let low = u128::try_from(&big & &mask).ok()?;
        let high = u128::try_from(big >> 128).ok()?;
        Some(U256::from_words(low, high))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> SessionPolicy {
        SessionPolicy::builder(Felt::from(0x5e55u16))
            .valid_between(1000, 5000)
            .renewable(600, 4000, 20000)
            .allow(Felt::from(0x7070u16))
            .allow_entrypoints(Felt::from(0xde7u16), [Felt::ONE, Felt::TWO])
            .max_calls_per_tx(3)
            .max_calls(10)
            .spending_limit(Felt::from(0x7070u16), U256::from(100u8))
            .max_fee_per_tx(1_000_000)
            .fee_budget(5_000_000)
            .build()
            .unwrap()
    }

    #[test]
    fn policy_calldata_is_cairo_serde() {
        let data: Vec<u64> =
            sample().to_calldata().iter().map(|f| u64::try_from(*f).unwrap()).collect();
        assert_eq!(
            data,
            vec![
                0x5e55, 1000, 5000, 600, 20000, 4000, // key, window, renewal
                2, 0x7070, 0, 0xde7, 2, 1, 2, // allowed calls
                0, // calldata rules
                3, 10, // caps
                1, 0x7070, 100, 0, 0, 0, // limits
                1_000_000, 5_000_000 // fees
            ]
        );
    }

    #[test]
    fn well_formedness_follows_the_spec_order() {
        let account = Felt::from(0xaccu16);
        assert_eq!(sample().check_well_formed(account), Ok(()));
        let broken = |f: &dyn Fn(&mut SessionPolicy)| {
            let mut p = sample();
            f(&mut p);
            p.check_well_formed(account).unwrap_err()
        };
        assert_eq!(broken(&|p| p.session_key = Felt::ZERO), ContractError::SessionInvalidKey);
        assert_eq!(broken(&|p| p.valid_after = p.valid_until), ContractError::SessionInvalidWindow);
        assert_eq!(broken(&|p| p.renewal.period = 0), ContractError::SessionInvalidRenewal);
        assert_eq!(
            broken(&|p| p.renewal.max_valid_until = p.valid_until - 1),
            ContractError::SessionInvalidRenewal
        );
        assert_eq!(broken(&|p| p.max_calls = 0), ContractError::SessionInvalidCallCaps);
        assert_eq!(
            broken(&|p| p.allowed_calls.push(AllowedContract::any(account))),
            ContractError::SessionSelfCall
        );
        assert_eq!(
            broken(&|p| p.allowed_calls[1].entrypoints.push(Felt::ONE)),
            ContractError::SessionDuplicateEntry
        );
        assert_eq!(
            broken(&|p| p.spending_limits.push(p.spending_limits[0])),
            ContractError::SessionDuplicateEntry
        );
        // Not renewable: the other renewal fields are free.
        let mut p = sample();
        p.renewal = RenewalPolicy { grace_period: 0, max_valid_until: 0, period: 0 };
        assert_eq!(p.check_well_formed(account), Ok(()));
    }

    #[test]
    fn u256_round_trips_through_decimal() {
        let big = U256::from_words(5, 7);
        let text = u256_dec::to_decimal(big);
        assert_eq!(u256_dec::parse_decimal(&text), Some(big));
        assert_eq!(u256_dec::parse_decimal("12"), Some(U256::from(12u8)));
        assert_eq!(u256_dec::parse_decimal(&"9".repeat(80)), None);
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(serde_json::from_str::<SessionPolicy>(&json).unwrap(), sample());
    }
}
