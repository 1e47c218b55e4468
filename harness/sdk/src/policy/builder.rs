//! [`SessionPolicyBuilder`]: the one way the library, the CLI, the tests
//! and the fuzzer write a policy.
//!
//! ```
//! use session_account::policy::SessionPolicy;
//! use starknet_rust::core::types::{Felt, U256};
//!
//! let (key, game, token) = (Felt::from(0x5e55u16), Felt::from(0x6a3eu16), Felt::from(0x7070u16));
//! let policy = SessionPolicy::builder(key)
//!     .valid_between(1_000, 8_200)
//!     .renewable(600, 7_200, 50_000)
//!     .allow(game)
//!     .allow_entrypoints(token, [starknet_rust::macros::selector!("transfer")])
//!     .spending_limit(token, U256::from(100u8))
//!     .max_calls(100)
//!     .max_calls_per_tx(2)
//!     .max_fee_per_tx(10_u128.pow(17))
//!     .fee_budget(10_u128.pow(18))
//!     .build()
//!     .unwrap();
//! assert!(policy.is_renewable());
//! ```

use starknet_rust::core::types::{Felt, U256};

use super::calldata::{felt_to_u256, CalldataRule, Operator, ValueKind};
use super::{AllowedContract, RenewalPolicy, SessionPolicy, SpendingLimit};
use crate::contract::ContractError;

/// Builds a [`SessionPolicy`]. Until set, everything is the narrowest
/// grant: an empty window (so [`build`](Self::build) fails until
/// [`valid_between`](Self::valid_between) is called), not renewable, no
/// contracts, no spending limits, one call per transaction and one call in
/// all, and no fees (gasless only).
#[derive(Debug, Clone)]
#[must_use]
pub struct SessionPolicyBuilder {
    policy: SessionPolicy,
}

impl SessionPolicyBuilder {
    /// The narrowest grant to `session_key` (see above); the same as
    /// [`SessionPolicy::builder`].
    pub fn new(session_key: Felt) -> Self {
        Self {
            policy: SessionPolicy {
                session_key,
                valid_after: 0,
                valid_until: 0,
                renewal: RenewalPolicy::NONE,
                allowed_calls: vec![],
                calldata_rules: vec![],
                max_calls_per_tx: 1,
                max_calls: 1,
                spending_limits: vec![],
                max_fee_per_tx: 0,
                fee_budget: 0,
            },
        }
    }

    /// Usable from `valid_after` (inclusive) until `valid_until`
    /// (exclusive), unix seconds.
    pub fn valid_between(mut self, valid_after: u64, valid_until: u64) -> Self {
        self.policy.valid_after = valid_after;
        self.policy.valid_until = valid_until;
        self
    }

    /// Renewable (§5): within `grace_period` seconds after expiry the
    /// session may extend itself by `period` seconds from then, never past
    /// `max_valid_until`.
    pub fn renewable(mut self, grace_period: u64, period: u64, max_valid_until: u64) -> Self {
        self.policy.renewal = RenewalPolicy { grace_period, max_valid_until, period };
        self
    }

    /// Any entrypoint of `contract`.
    pub fn allow(self, contract: Felt) -> Self {
        self.allow_entrypoints(contract, [])
    }

    /// Only `entrypoints` of `contract` (none listed = any entrypoint).
    pub fn allow_entrypoints(
        mut self,
        contract: Felt,
        entrypoints: impl IntoIterator<Item = Felt>,
    ) -> Self {
        let entrypoints = entrypoints.into_iter().collect();
        self.policy.allowed_calls.push(AllowedContract { contract, entrypoints });
        self
    }

    /// The most the session may move of `token` over its life (§4.4).
    pub fn spending_limit(mut self, token: Felt, limit: U256) -> Self {
        match self.policy.spending_limits.iter_mut().find(|l| l.token == token) {
            Some(existing) => existing.limit = limit,
            None => self.policy.spending_limits.push(SpendingLimit::lifetime(token, limit)),
        }
        self
    }

    /// At most `amount` of `token` per `period` seconds, in fixed windows from
    /// `valid_after` (§4.9), on top of the lifetime limit (none, if
    /// [`spending_limit`](Self::spending_limit) is not called for `token`).
    pub fn periodic_limit(mut self, token: Felt, amount: u128, period: u64) -> Self {
        let limit = match self.policy.spending_limits.iter_mut().find(|l| l.token == token) {
            Some(existing) => existing,
            None => {
                self.policy
                    .spending_limits
                    .push(SpendingLimit::lifetime(token, U256::from_words(u128::MAX, u128::MAX)));
                self.policy.spending_limits.last_mut().expect("just pushed")
            }
        };
        limit.period = period;
        limit.period_limit = amount;
        self
    }

    /// A calldata rule (§4.8); its entrypoint must be listed
    /// ([`allow_entrypoints`](Self::allow_entrypoints)).
    pub fn calldata_rule(mut self, rule: CalldataRule) -> Self {
        self.policy.calldata_rules.push(rule);
        self
    }

    /// `transfer` of `token` only to `recipients` (a rule on its first
    /// argument). Lists `transfer` of `token` if the policy does not yet
    /// allow the token.
    pub fn recipient_allowlist(
        self,
        token: Felt,
        recipients: impl IntoIterator<Item = Felt>,
    ) -> Self {
        let values = recipients.into_iter().map(felt_to_u256).collect();
        self.transfer_rule(token, 0, ValueKind::Felt, Operator::OneOf, values)
    }

    /// At most `amount` of `token` in one `transfer` call (a rule on its
    /// amount; the lifetime and periodic limits bound the sum). Lists
    /// `transfer` of `token` if the policy does not yet allow the token.
    pub fn max_per_call(self, token: Felt, amount: U256) -> Self {
        self.transfer_rule(token, 1, ValueKind::U256, Operator::AtMost, vec![amount])
    }

    fn transfer_rule(
        mut self,
        token: Felt,
        offset: u32,
        kind: ValueKind,
        operator: Operator,
        values: Vec<U256>,
    ) -> Self {
        let transfer = starknet_rust::macros::selector!("transfer");
        match self.policy.allowed_calls.iter_mut().find(|a| a.contract == token) {
            None => self
                .policy
                .allowed_calls
                .push(AllowedContract { contract: token, entrypoints: vec![transfer] }),
            Some(entry)
                if !entry.entrypoints.is_empty() && !entry.entrypoints.contains(&transfer) =>
            {
                entry.entrypoints.push(transfer)
            }
            Some(_) => {}
        }
        self.calldata_rule(CalldataRule {
            contract: token,
            selector: transfer,
            offset,
            kind,
            operator,
            values,
        })
    }

    /// Most calls in one transaction (§4.3e); default 1.
    pub fn max_calls_per_tx(mut self, max: u32) -> Self {
        self.policy.max_calls_per_tx = max;
        self
    }

    /// Most calls over the session's life, reverted transactions included
    /// (§4.3f); default 1.
    pub fn max_calls(mut self, max: u64) -> Self {
        self.policy.max_calls = max;
        self
    }

    /// Most fee, in fri, one session transaction may commit the account to
    /// (§4.5).
    pub fn max_fee_per_tx(mut self, fri: u128) -> Self {
        self.policy.max_fee_per_tx = fri;
        self
    }

    /// Most fee, in fri, all the session's transactions may commit the
    /// account to, reverted ones included (§4.7); [`u128::MAX`] for no
    /// budget beyond the per-transaction cap.
    pub fn fee_budget(mut self, fri: u128) -> Self {
        self.policy.fee_budget = fri;
        self
    }

    /// The policy, if well formed (§1.1; the rule that the account itself is
    /// never an allowed contract needs the account: see
    /// [`SessionPolicy::check_well_formed`]).
    pub fn build(self) -> Result<SessionPolicy, ContractError> {
        self.policy.check_well_formed(Felt::ZERO)?;
        Ok(self.policy)
    }

    /// The policy as set, well formed or not (to test that the account
    /// refuses it).
    pub fn build_unchecked(self) -> SessionPolicy {
        self.policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_policies_list_transfer_and_add_their_rules() {
        let token = Felt::from(0x7070u16);
        let policy = SessionPolicy::builder(Felt::from(7u8))
            .valid_between(10, 20)
            .recipient_allowlist(token, [Felt::ONE, Felt::TWO])
            .max_per_call(token, U256::from(5u8))
            .periodic_limit(token, 100, 86_400)
            .build()
            .unwrap();
        let transfer = starknet_rust::macros::selector!("transfer");
        assert_eq!(
            policy.allowed_calls,
            vec![AllowedContract { contract: token, entrypoints: vec![transfer] }]
        );
        assert_eq!(policy.calldata_rules.len(), 2);
        assert_eq!(policy.calldata_rules[0].values, vec![U256::from(1u8), U256::from(2u8)]);
        assert_eq!(policy.calldata_rules[1].operator, Operator::AtMost);
        assert_eq!(
            policy.spending_limits,
            vec![SpendingLimit {
                token,
                limit: U256::from_words(u128::MAX, u128::MAX),
                period: 86_400,
                period_limit: 100
            }]
        );
        // A token allowed with any entrypoint lists none to bind a rule to.
        let any = SessionPolicy::builder(Felt::from(7u8))
            .valid_between(10, 20)
            .allow(token)
            .max_per_call(token, U256::from(5u8))
            .build();
        assert_eq!(any, Err(ContractError::SessionInvalidCalldataRule));
    }

    #[test]
    fn defaults_are_the_narrowest_grant() {
        let key = Felt::from(7u8);
        assert_eq!(SessionPolicy::builder(key).build(), Err(ContractError::SessionInvalidWindow));
        let policy = SessionPolicy::builder(key).valid_between(10, 20).build().unwrap();
        assert!(!policy.is_renewable());
        assert!(policy.allowed_calls.is_empty() && policy.spending_limits.is_empty());
        assert_eq!(
            (policy.max_calls_per_tx, policy.max_calls, policy.max_fee_per_tx, policy.fee_budget),
            (1, 1, 0, 0)
        );
    }

    #[test]
    fn build_refuses_what_the_account_would() {
        let key = Felt::from(7u8);
        let base = || SessionPolicy::builder(key).valid_between(10, 20);
        assert_eq!(base().renewable(60, 0, 100).build(), Err(ContractError::SessionInvalidRenewal));
        assert_eq!(base().max_calls(0).build(), Err(ContractError::SessionInvalidCallCaps));
        assert_eq!(
            base().allow(Felt::ONE).allow(Felt::ONE).build(),
            Err(ContractError::SessionDuplicateEntry)
        );
        let unchecked = base().max_calls_per_tx(0).build_unchecked();
        assert_eq!(unchecked.max_calls_per_tx, 0);
    }
}
