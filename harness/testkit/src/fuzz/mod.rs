//! State-machine fuzzing of session flows against the reference model
//! ([`crate::model`]): proptest generates operation sequences; each runs on
//! an embedded devnet through the library, and after every step the
//! on-chain verdict (accepted / rejected in validate / reverted in execute)
//! and the contract error must equal the model's. After every step that
//! can change state, so must every session's stored policy, status, fee
//! budget and spending, the owner, its rotations, the epoch, the account's
//! nonce, the last outside nonce, the test token's balances and allowances,
//! and the account's STRK: what it paid in fees, which must stay within
//! each session's fee budget.
//!
//! - [`ops`]: the operations and the policies grants give;
//! - [`owners`]: owner keys of every kind, and tampered owner signatures;
//! - [`authenticator`]: the passkeys, asserted by 1Password's `passkey` crate;
//! - [`strategies`]: how proptest draws them;
//! - [`reference`]: [`SessionFlows`], the proptest reference state machine
//!   (the model's side of a case);
//! - [`sends`]: what each operation sends (calls, signer, route, fee bounds);
//! - [`chain`]: the system under test, [`Chain`];
//! - [`campaign`]: long seeded campaigns for the `fuzz` command, on
//!   several devnets in parallel;
//! - [`shards`]: a campaign cut into shards for many machines, and the
//!   merge of their reports;
//! - [`corpus`]: named attacks, scripted as operation sequences the model
//!   judges.
//!
//! Owners come in every kind (§2.1): owner key number `n` is a Stark key,
//! a P-256 key or a passkey as `n % 3` says ([`OwnerKind::of`]); each case
//! draws its first owner's number, and rotations move between kinds.
//!
//! Time is devnet time: before each operation devnet is set to the model's
//! clock, kept at least 20 s away from hour boundaries and from every
//! session's deadlines so a transaction's block time is never ambiguous.

pub mod authenticator;
pub mod campaign;
pub mod chain;
pub mod corpus;
pub mod ops;
pub mod owners;
pub mod policies;
pub mod reference;
pub mod sends;
pub mod shards;
pub mod strategies;

pub use crate::model::SessionSignature;
pub use campaign::{campaign, CampaignConfig, CampaignReport, Divergence, Phase};
pub use chain::{Blocks, Chain, ChainTimes};
pub use ops::{
    AdminEntrypoint, Amount, Grant, HookSigner, Metered, Op, RelayEdge, Spender, TimeEdge, TxField,
};
pub use owners::{OwnerKind, Tamper};
pub use policies::{AllowList, PerCall, PolicyChoice, PolicyFlaw, RuleChoice};
pub use reference::{Reference, SessionFlows};
pub use shards::{merge, MergeError, Shard, ShardRun};

use starknet_rust::core::chain_id;
use starknet_rust::core::types::Felt;
use starknet_rust::macros::felt;
use starknet_rust::signers::SigningKey;

use crate::devnet::sandbox::deterministic_address;
use session_account::account::{counterfactual_address, NewAccount};
use session_account::contract::ContractArtifact;
use session_account::signers::OwnerSigner;
use session_account::tx::FeeBounds;

pub(crate) use owners::{owner_id, owner_key};
pub(crate) use session_account::token::STRK_UNIT;
pub(crate) const HOUR: u64 = 3600;
/// Devnet's first block.
pub(crate) const START: u64 = crate::devnet::FIXED_START;
/// Session keys a case uses.
pub(crate) const SLOTS: usize = 3;
/// The chain the embedded devnet runs.
pub(crate) const CHAIN_ID: Felt = chain_id::SEPOLIA;
/// STRK (fri) the account holds at the start, for fees.
pub(crate) const STRK_FUNDS: u128 = 1000 * STRK_UNIT;
/// Test tokens the account holds at the start: what sessions move.
pub(crate) const TOKEN_FUNDS: u128 = 1_000;
/// Test tokens the third party lets each case's account move for it.
pub(crate) const THIRD_PARTY_ALLOWANCE: u128 = 300;
/// A devnet predeployed account (index 2 of the default seed): a third party
/// that allowed the account to move its test tokens, and that sets up each
/// case's account (it deploys and funds it).
pub(crate) const THIRD_PARTY_INDEX: usize = 2;
pub(crate) const THIRD_PARTY: Felt =
    felt!("0xfe0f5387c7197f2e1a554c86bbab9497dce1abc481062973711ea4220878eb");
/// An address that never allowed the account anything.
pub(crate) const STRANGER: Felt = felt!("0x5752a");
/// Where session calls send tokens.
pub(crate) const RECIPIENT: Felt = Felt::TWO;
/// Every session's fee cap (§4.5).
pub(crate) const FEE_CAP: u128 = 100 * STRK_UNIT;
/// Fee bounds above [`FEE_CAP`] (200 STRK), still within what the account
/// holds, so only the account's cap can refuse them.
pub(crate) const OVER_CAP: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (20_000_000, 10_000_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 0,
};
/// Fee bounds of [`FEE_CAP`] and one fri: [`AT_CAP`] with 100 fri less tip
/// per L2 gas unit, and one unit of L1 gas at 2e9 + 1 fri.
pub(crate) const OVER_CAP_BY_ONE: FeeBounds = FeeBounds {
    l1_gas: (1, 2_000_000_001),
    l2_gas: (20_000_000, 2_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 4_997_998_999_900,
};
/// [`OVER_CAP_BY_ONE`] with room for a P-256 or passkey authorization's
/// verification: still [`FEE_CAP`] and one fri.
pub(crate) const OVER_CAP_BY_ONE_HEAVY: FeeBounds = FeeBounds {
    l1_gas: (1, 2_000_000_001),
    l2_gas: (400_000_000, 2_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 247_999_949_995,
};
/// Fee bounds of exactly [`FEE_CAP`], mostly tip: the most one session
/// transaction may commit the account to (the fee-burn attack).
pub(crate) const AT_CAP: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (20_000_000, 2_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 4_997_999_000_000,
};
/// Fee bounds of owner transactions and relayed outside executions, and of
/// session transactions that carry an authorization by a P-256 or passkey
/// owner: a P-256 verification takes more L2 gas than
/// [`FeeBounds::DEVNET`] allows (docs/bench: about 45 M for an owner
/// transaction, 65 M for a passkey's).
pub(crate) const HEAVY: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (400_000_000, 2_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 0,
};
/// [`OVER_CAP`] with room for a P-256 or passkey authorization's
/// verification (400 STRK, within what the account holds).
pub(crate) const OVER_CAP_HEAVY: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (400_000_000, 1_000_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 0,
};
/// [`AT_CAP`] with room for a P-256 or passkey authorization's
/// verification: still exactly [`FEE_CAP`], mostly tip.
pub(crate) const AT_CAP_HEAVY: FeeBounds = FeeBounds {
    l1_gas: (0, 2_000_000_000),
    l2_gas: (400_000_000, 2_000_000_000),
    l1_data_gas: (10_000, 2_000_000_000),
    tip: 247_999_950_000,
};
/// How long a signed outside execution stays usable, each way from now.
pub(crate) const OUTSIDE_WINDOW: u64 = 600;

pub(crate) fn session_key(slot: usize) -> SigningKey {
    SigningKey::from_secret_scalar(Felt::from(0x5e55_0000_u64 + slot as u64))
}

/// Where a case's account lives: deployed by owner key number `first_owner`
/// with `salt`.
pub(crate) fn account_address(salt: Felt, first_owner: u64) -> Felt {
    static CLASS_HASH: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    let class_hash = *CLASS_HASH
        .get_or_init(|| crate::classes::account_class().class_hash().expect("class hash"));
    counterfactual_address(&owner_key(first_owner).owner_key(), NewAccount { class_hash, salt })
}

/// Where `artifact` lives when deployed with salt 1 and no constructor
/// arguments, as `Chain::start` deploys the test contracts.
fn at_salt_one(artifact: ContractArtifact) -> Felt {
    deterministic_address(artifact.class_hash().expect("class hash"), Felt::ONE, &[])
}

/// The test token sessions move.
pub(crate) fn token_address() -> Felt {
    static ADDRESS: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    *ADDRESS.get_or_init(|| at_salt_one(crate::classes::test_token()))
}

/// The test router, which pulls allowances given to it.
pub(crate) fn router_address() -> Felt {
    static ADDRESS: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    *ADDRESS.get_or_init(|| at_salt_one(crate::classes::test_router()))
}

/// The hooked token, whose `balance_of` makes a call it was armed with.
pub(crate) fn hooked_token_address() -> Felt {
    static ADDRESS: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    *ADDRESS.get_or_init(|| at_salt_one(crate::classes::hooked_token()))
}

/// `arm`, `disarm` and `hook_result` of the hooked token.
pub(crate) const ARM: Felt = starknet_rust::macros::selector!("arm");
pub(crate) const DISARM: Felt = starknet_rust::macros::selector!("disarm");
pub(crate) const HOOK_RESULT: Felt = starknet_rust::macros::selector!("hook_result");

/// The view batcher the checks read through.
pub(crate) fn view_batch_address() -> Felt {
    static ADDRESS: std::sync::OnceLock<Felt> = std::sync::OnceLock::new();
    *ADDRESS.get_or_init(|| at_salt_one(crate::classes::view_batch()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_bounds_sit_where_the_fuzzer_needs_them() {
        assert_eq!(AT_CAP.max_fee(), Some(FEE_CAP));
        assert_eq!(AT_CAP_HEAVY.max_fee(), Some(FEE_CAP));
        assert_eq!(OVER_CAP_BY_ONE.max_fee(), Some(FEE_CAP + 1));
        assert_eq!(OVER_CAP_BY_ONE_HEAVY.max_fee(), Some(FEE_CAP + 1));
        assert!(OVER_CAP.max_fee().unwrap() > FEE_CAP);
        assert!(OVER_CAP_HEAVY.max_fee().unwrap() > FEE_CAP);
        assert!(OVER_CAP_HEAVY.max_fee().unwrap() < STRK_FUNDS / 2);
        assert!(HEAVY.max_fee().unwrap() < FEE_CAP / 100);
        assert!(FeeBounds::DEVNET.max_fee().unwrap() < FEE_CAP / 1000);
    }
}
