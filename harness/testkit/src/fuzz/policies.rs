//! The policies a fuzz grant gives (§1.1): lifetime, renewal, caps, the
//! spending limit and fee budget, the agent policy (calldata rules on the
//! test token's `transfer`, §4.8; a periodic limit on it, §4.9), and the
//! flaws an owner should not be able to grant. The strategies that draw
//! them: [`super::strategies`].

use starknet_rust::core::types::{Felt, U256};

use super::ops::keep_off_boundaries;
use super::{
    hooked_token_address, router_address, session_key, token_address, FEE_CAP, HOUR, RECIPIENT,
};
use session_account::contract::selectors;
use session_account::policy::calldata::{MAX_RULES_PER_ENTRYPOINT, MAX_SET_VALUES};
use session_account::policy::{
    AllowedContract, CalldataRule, Operator, RenewalPolicy, SessionPolicy, SessionPolicyBuilder,
    SpendingLimit, ValueKind,
};

/// What a grant gives: lifetime, renewal, caps, limit and fee budget, and
/// the agent policy on the test token (calldata rules, a periodic limit).
#[derive(Debug, Clone, Copy)]
pub struct PolicyChoice {
    pub(crate) lifetime: u64,
    pub(crate) grace: u64,
    /// What one renewal extends by; 0 = the lifetime.
    pub(crate) period: u64,
    pub(crate) limit: Option<u128>,
    pub(crate) max_calls: u64,
    pub(crate) max_calls_per_tx: u32,
    pub(crate) transfer_only: bool,
    /// The router is among the allowed contracts.
    pub(crate) router: bool,
    /// A spending limit of [`HOOK_LIMIT`] on the hooked token too (which
    /// the session may not call): its balance is watched in every regular
    /// session execution.
    pub(crate) hooked: bool,
    pub(crate) fee_budget: u128,
    /// Calldata rules on the test token's `transfer` (§4.8); only with
    /// `transfer_only`, where `transfer` is listed.
    pub(crate) rules: RuleChoice,
    /// A periodic limit on the test token (§4.9): `(period, limit)`; only
    /// with a lifetime limit.
    pub(crate) window: Option<(u64, u128)>,
    /// `valid_until` on a whole hour, where the clock `__validate__` floors
    /// to reaches it (§4.2); otherwise kept 20 s off whole hours.
    pub(crate) until_on_the_hour: bool,
    pub(crate) flaw: Option<PolicyFlaw>,
}

/// The calldata rules a grant puts on the test token's `transfer` (§4.8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleChoice {
    /// A recipient allow-list of `size` addresses, the fuzzer's recipient
    /// among them or not.
    pub(crate) allowlist: Option<AllowList>,
    /// A bound on each `transfer` call's amount: at most, exactly or at
    /// least this much.
    pub(crate) per_call: Option<(PerCall, u128)>,
    /// A rule reading a u256 at offset 2 of `transfer`'s three words: past
    /// the calldata, so every `transfer` fails it (closed).
    pub(crate) past_calldata: bool,
}

/// How a per-call rule bounds a `transfer`'s amount (§4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerCall {
    AtMost,
    Exactly,
    AtLeast,
}

impl PerCall {
    pub(crate) fn operator(self) -> Operator {
        match self {
            PerCall::AtMost => Operator::AtMost,
            PerCall::Exactly => Operator::Equal,
            PerCall::AtLeast => Operator::AtLeast,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowList {
    pub(crate) size: usize,
    pub(crate) includes_recipient: bool,
}

impl AllowList {
    /// Its members: [`RECIPIENT`] last when included, strangers otherwise.
    pub(crate) fn members(self) -> Vec<Felt> {
        let mut members: Vec<Felt> =
            (0..self.size as u64).map(|i| Felt::from(0xa110_0000_u64 + i)).collect();
        if self.includes_recipient {
            *members.last_mut().expect("at least one member") = RECIPIENT;
        }
        members
    }
}

/// Policies an owner should not be able to grant, or that bind oddly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyFlaw {
    /// `valid_after == valid_until` (§1.1).
    EmptyWindow,
    /// Renewable, with `max_valid_until < valid_until` (§1.1).
    BadRenewal,
    /// Renewable with a renewal period of 0 (§1.1).
    ZeroPeriod,
    /// Renewable, but `max_valid_until == valid_until`: every renewal hits
    /// the limit (well formed).
    NoRoomToRenew,
    /// `max_calls_per_tx == 0` (§1.1).
    ZeroCallCap,
    /// The account itself among the allowed contracts (§1.1).
    AllowsTheAccount,
    /// The token listed twice (§1.1).
    DuplicateContract,
    /// A spending limit on the account itself (§1.1).
    LimitsTheAccount,
    /// Starts two hours from now (well formed, not yet valid).
    StartsLater,
    /// `valid_after = 0`: a renewal must still extend by one period only.
    StartedAtZero,
    /// A calldata rule on an entrypoint the policy does not list (§1.1).
    RuleOnUnlistedEntrypoint,
    /// A rule's set larger than `MAX_SET_VALUES` (§1.1).
    OversizedSet,
    /// A periodic limit with no period (§1.1).
    PeriodWithoutLength,
    /// One calldata rule more than `MAX_RULES_PER_ENTRYPOINT` on
    /// `transfer`, each of which every transfer passes (§1.1).
    TooManyRules,
}

impl PolicyChoice {
    /// A 2-hour, renewable policy with a 100-unit limit on the test token,
    /// the router allowed, and no fee budget beyond the cap.
    pub fn limited() -> Self {
        Self {
            lifetime: 2 * HOUR,
            grace: HOUR,
            period: 0,
            limit: Some(100),
            max_calls: 5,
            max_calls_per_tx: 2,
            transfer_only: false,
            router: true,
            hooked: false,
            fee_budget: u128::MAX,
            rules: RuleChoice::default(),
            window: None,
            until_on_the_hour: false,
            flaw: None,
        }
    }

    /// Only `transfer` of the test token, with these rules on it.
    pub fn ruled(self, rules: RuleChoice) -> Self {
        Self { transfer_only: true, rules, ..self }
    }

    /// With at most `limit` per window of `period` seconds.
    pub fn periodic(self, period: u64, limit: u128) -> Self {
        Self { window: Some((period, limit)), ..self }
    }

    pub fn lifetime(self, seconds: u64) -> Self {
        Self { lifetime: seconds, ..self }
    }

    pub fn not_renewable(self) -> Self {
        Self { grace: 0, ..self }
    }

    pub fn unlimited(self) -> Self {
        Self { limit: None, ..self }
    }

    pub fn max_calls(self, max_calls: u64) -> Self {
        Self { max_calls, ..self }
    }

    pub fn fee_budget(self, fee_budget: u128) -> Self {
        Self { fee_budget, ..self }
    }

    /// With a limit on the hooked token too.
    pub fn hooked(self) -> Self {
        Self { hooked: true, ..self }
    }

    /// Ending on a whole hour.
    pub fn ending_on_the_hour(self) -> Self {
        Self { until_on_the_hour: true, ..self }
    }

    pub fn flawed(self, flaw: PolicyFlaw) -> Self {
        Self { flaw: Some(flaw), ..self }
    }
}

/// The policy a grant at time `now` gives slot's key on `account`.
pub(crate) fn policy_for(
    account: Felt,
    slot: usize,
    choice: PolicyChoice,
    now: u64,
) -> SessionPolicy {
    let starts = match choice.flaw {
        Some(PolicyFlaw::StartsLater) => keep_off_boundaries(now + 2 * HOUR),
        _ => now - 60,
    };
    let valid_after = if choice.flaw == Some(PolicyFlaw::StartedAtZero) { 0 } else { starts };
    let ends = starts + 60 + choice.lifetime;
    let valid_until = match choice.until_on_the_hour {
        true => ends.div_ceil(HOUR) * HOUR,
        false => keep_off_boundaries(ends),
    };
    let period = if choice.period == 0 { choice.lifetime } else { choice.period };
    let token = token_address();
    let entrypoints = if choice.transfer_only { vec![selectors::TRANSFER] } else { vec![] };
    let mut builder = SessionPolicy::builder(session_key(slot).verifying_key().scalar())
        .valid_between(valid_after, valid_until)
        .allow_entrypoints(token, entrypoints.clone())
        .max_calls_per_tx(choice.max_calls_per_tx)
        .max_calls(choice.max_calls)
        .max_fee_per_tx(FEE_CAP)
        .fee_budget(choice.fee_budget);
    if choice.grace > 0 {
        builder = builder.renewable(choice.grace, period, valid_until + 3 * HOUR);
    }
    if choice.router {
        builder = builder.allow(router_address());
    }
    if let Some(limit) = choice.limit {
        builder = builder.spending_limit(token, U256::from(limit));
    }
    if choice.hooked {
        builder = builder.spending_limit(hooked_token_address(), U256::from(HOOK_LIMIT));
    }
    if let (Some((period, limit)), Some(_)) = (choice.window, choice.limit) {
        builder = builder.periodic_limit(token, limit, period);
    }
    if choice.transfer_only {
        builder = with_rules(builder, choice.rules, token);
    }
    let mut policy = builder.build_unchecked();
    if let Some(flaw) = choice.flaw {
        add_flaw(&mut policy, flaw, account, entrypoints, valid_until, period);
    }
    policy
}

/// `builder` with `rules` on `token`'s `transfer` (§4.8): a recipient
/// allow-list, a bound on each call's amount, a rule reading past the
/// calldata.
fn with_rules(
    mut builder: SessionPolicyBuilder,
    rules: RuleChoice,
    token: Felt,
) -> SessionPolicyBuilder {
    if let Some(list) = rules.allowlist {
        builder = builder.recipient_allowlist(token, list.members());
    }
    match rules.per_call {
        Some((PerCall::AtMost, bound)) => builder = builder.max_per_call(token, U256::from(bound)),
        Some((kind, amount)) => {
            builder = builder.calldata_rule(CalldataRule {
                contract: token,
                selector: selectors::TRANSFER,
                offset: 1,
                kind: ValueKind::U256,
                operator: kind.operator(),
                values: vec![U256::from(amount)],
            })
        }
        None => {}
    }
    if rules.past_calldata {
        builder = builder.calldata_rule(CalldataRule {
            contract: token,
            selector: selectors::TRANSFER,
            offset: 2,
            kind: ValueKind::U256,
            operator: Operator::AtLeast,
            values: vec![U256::from(0u8)],
        });
    }
    builder
}

/// Writes `flaw` into a policy built for `account` (§1.1): `entrypoints`
/// are those it lists on the test token, `valid_until` its end and
/// `period` its renewal period.
fn add_flaw(
    policy: &mut SessionPolicy,
    flaw: PolicyFlaw,
    account: Felt,
    entrypoints: Vec<Felt>,
    valid_until: u64,
    period: u64,
) {
    let token = token_address();
    match flaw {
        PolicyFlaw::StartsLater | PolicyFlaw::StartedAtZero => {}
        PolicyFlaw::EmptyWindow => policy.valid_after = policy.valid_until,
        PolicyFlaw::BadRenewal => {
            policy.renewal =
                RenewalPolicy { grace_period: HOUR, max_valid_until: valid_until - 1, period }
        }
        PolicyFlaw::ZeroPeriod => {
            policy.renewal =
                RenewalPolicy { grace_period: HOUR, max_valid_until: valid_until + HOUR, period: 0 }
        }
        PolicyFlaw::NoRoomToRenew => {
            policy.renewal =
                RenewalPolicy { grace_period: HOUR, max_valid_until: valid_until, period }
        }
        PolicyFlaw::ZeroCallCap => policy.max_calls_per_tx = 0,
        PolicyFlaw::AllowsTheAccount => policy.allowed_calls.push(AllowedContract::any(account)),
        PolicyFlaw::DuplicateContract => {
            policy.allowed_calls.push(AllowedContract { contract: token, entrypoints })
        }
        PolicyFlaw::RuleOnUnlistedEntrypoint => policy.calldata_rules.push(CalldataRule {
            contract: token,
            selector: selectors::APPROVE,
            offset: 0,
            kind: ValueKind::Felt,
            operator: Operator::Equal,
            values: vec![U256::from(1u8)],
        }),
        PolicyFlaw::TooManyRules => {
            only_transfer(policy, token);
            let on_transfer = |r: &&CalldataRule| r.selector == selectors::TRANSFER;
            let present = policy.calldata_rules.iter().filter(on_transfer).count();
            for _ in present..=MAX_RULES_PER_ENTRYPOINT {
                policy.calldata_rules.push(CalldataRule {
                    contract: token,
                    selector: selectors::TRANSFER,
                    offset: 1,
                    kind: ValueKind::U256,
                    operator: Operator::AtLeast,
                    values: vec![U256::from(0u8)],
                })
            }
        }
        PolicyFlaw::OversizedSet => {
            only_transfer(policy, token);
            policy.calldata_rules.push(CalldataRule {
                contract: token,
                selector: selectors::TRANSFER,
                offset: 0,
                kind: ValueKind::Felt,
                operator: Operator::OneOf,
                values: (0..=MAX_SET_VALUES as u64).map(U256::from).collect(),
            })
        }
        PolicyFlaw::PeriodWithoutLength => {
            let mut limit = SpendingLimit::lifetime(token, U256::from(100u8));
            limit.period_limit = 5;
            policy.spending_limits.retain(|l| l.token != token);
            policy.spending_limits.push(limit)
        }
        PolicyFlaw::LimitsTheAccount => {
            policy.spending_limits.push(SpendingLimit::lifetime(account, U256::from(1u8)))
        }
    }
}

/// `policy` allowing only `transfer` on `token`.
fn only_transfer(policy: &mut SessionPolicy, token: Felt) {
    policy.allowed_calls.retain(|a| a.contract != token);
    policy
        .allowed_calls
        .push(AllowedContract { contract: token, entrypoints: vec![selectors::TRANSFER] });
}

/// The spending limit a hooked policy sets on the hooked token.
pub(crate) const HOOK_LIMIT: u128 = 50;

/// Keeps `t` 20 s away from the boundaries of the windows `(valid_after,
/// period)` of periodic limits (§4.9), as from whole hours
/// ([`keep_off_boundaries`]), so the ordinary time moves land inside
/// windows and hours; the edges themselves are the work of
/// [`super::Op::TimeOnEdge`], whose divergences then name the edge. Never
/// moves backwards.
pub(crate) fn keep_off_windows(t: u64, windows: &[(u64, u64)]) -> u64 {
    let mut t = keep_off_boundaries(t);
    // Each pass moves past at most one boundary; a few settle any mix.
    for _ in 0..8 {
        let near = windows.iter().find_map(|&(after, period)| {
            let into = t.checked_sub(after)? % period;
            if into < 20 {
                Some(t + (20 - into))
            } else if into > period - 20 {
                Some(t + (period - into) + 20)
            } else {
                None
            }
        });
        match near {
            Some(later) => t = keep_off_boundaries(later),
            None => break,
        }
    }
    t
}
