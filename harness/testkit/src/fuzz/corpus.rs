//! The adversarial corpus: named attacks, each a short scripted sequence of
//! fuzz operations. The model judges every step and the chain must agree
//! step by step (as in the fuzzer); the last step is the attack, and the
//! model must refuse it with the named error (or, for an attack a contract
//! starts inside the last step, refuse that nested execution). Many are holes found in
//! existing session accounts (docs/spec.md says which rule closes each).
//! tests/corpus.rs runs every entry as its own test.

use crate::model::{Path, Verdict};
use session_account::contract::ContractError;
use session_account::tx::FeeBounds;

use super::{
    hooked_token_address, AdminEntrypoint, Amount, Chain, Grant, HookSigner, Metered, Op,
    PolicyChoice, PolicyFlaw, Reference, SessionFlows, SessionSignature, Spender, TxField, FEE_CAP,
};
use proptest_state_machine::ReferenceStateMachine;

/// One attack: set-up operations, then the attacking operation.
pub struct Attack {
    pub name: &'static str,
    pub what: &'static str,
    pub steps: Vec<Op>,
    /// How the account must refuse the attack.
    pub refused: Refusal,
}

/// How the account must refuse an attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The last step, with this verdict.
    Step(Verdict),
    /// The execution of the account that a contract starts while the last
    /// step runs (the hooked token's outside execution), with this error;
    /// the last step itself goes through.
    Nested(ContractError),
}

const D: Path = Path::Direct;
const G: Path = Path::Gasless;

fn grant(policy: PolicyChoice) -> Op {
    Op::Grant { slot: 0, policy, how: Grant::ByTransaction }
}

fn authorize(policy: PolicyChoice, how: Grant) -> Op {
    Op::Grant { slot: 0, policy, how }
}

fn spend(selector: Metered, amount: Amount, count: usize, path: Path) -> Op {
    Op::Transfer { slot: 0, selector, amount, count, path }
}

fn approve_then_pull(spender: Spender, approved: Amount, pulled: Amount) -> Op {
    Op::ApproveThenPull { slot: 0, spender, increase: false, approved, pulled, path: D }
}

fn admin(entrypoint: AdminEntrypoint, path: Path) -> Op {
    Op::AdminSelfCall { slot: 0, entrypoint, path }
}

fn past_expiry() -> Op {
    Op::TimeToDeadline { slot: 0, grace: false, after: true }
}

fn before_expiry() -> Op {
    Op::TimeToDeadline { slot: 0, grace: false, after: false }
}

fn renew(path: Path) -> Op {
    Op::Renew { slot: 0, path }
}

fn burn(at_cap: bool) -> Op {
    Op::FeeBurn { slot: 0, at_cap }
}

/// What `n` session transactions with the usual fee bounds may cost.
fn usual_fees(n: u128) -> u128 {
    n * FeeBounds::DEVNET.max_fee().expect("fits")
}

fn rejected(e: ContractError) -> Refusal {
    Refusal::Step(Verdict::Rejected(Some(e)))
}

fn reverted(e: ContractError) -> Refusal {
    Refusal::Step(Verdict::Reverted(Some(e)))
}

fn arm_hook(signer: HookSigner) -> Op {
    Op::ArmHook { signer }
}

/// Every attack in the corpus.
pub fn attacks() -> Vec<Attack> {
    use ContractError::*;
    let limited = PolicyChoice::limited;
    let attack = |name, what, steps, refused| Attack { name, what, steps, refused };
    vec![
        attack(
            "renew_after_revoke_all",
            "a session in its grace period renews itself after the owner's revoke-all",
            vec![grant(limited()), past_expiry(), Op::RevokeAll, Op::Renew { slot: 0, path: D }],
            rejected(SessionEpochRevoked),
        ),
        attack(
            "renew_after_revoke_all_gasless",
            "the same renewal, relayed as an outside execution",
            vec![grant(limited()), past_expiry(), Op::RevokeAll, Op::Renew { slot: 0, path: G }],
            reverted(SessionEpochRevoked),
        ),
        attack(
            "renew_after_revoke",
            "a revoked session renews itself in its grace period",
            vec![
                grant(limited()),
                past_expiry(),
                Op::OwnerRevoke { slot: 0 },
                Op::Renew { slot: 0, path: D },
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "renew_past_grace",
            "a session renews itself 30 s after its grace period, which the hour-floored \
             validate clock still allows",
            vec![
                grant(limited()),
                Op::TimeToDeadline { slot: 0, grace: true, after: true },
                Op::Renew { slot: 0, path: D },
            ],
            reverted(SessionExpired),
        ),
        attack(
            "renew_not_renewable",
            "a session without a grace period renews itself",
            vec![grant(limited().not_renewable()), past_expiry(), Op::Renew { slot: 0, path: D }],
            rejected(SessionNotRenewable),
        ),
        attack(
            "renew_early",
            "a live session renews itself to extend its life (refused in validate, free of \
             fees)",
            vec![grant(limited()), renew(D)],
            rejected(SessionNotExpired),
        ),
        attack(
            "renewal_spam_fee_burn",
            "a live session sends renewals in the hour of its expiry, each reverting and \
             charged: the fee budget stops it",
            vec![
                grant(limited().fee_budget(usual_fees(2))),
                before_expiry(),
                renew(D),
                renew(D),
                renew(D),
            ],
            rejected(SessionFeeBudget),
        ),
        attack(
            "fee_burn_at_cap",
            "reverting calls (a stranger's transfer_from) with fee bounds at the cap, \
             mostly tip: the budget stops the burn",
            vec![grant(limited().fee_budget(2 * FEE_CAP)), burn(true), burn(true), burn(true)],
            rejected(SessionFeeBudget),
        ),
        attack(
            "reverting_calls_count",
            "reverting calls to burn fees without using calls: each counts against \
             max_calls",
            vec![grant(limited().max_calls(2)), burn(false), burn(false), burn(false)],
            rejected(SessionCallLimit),
        ),
        attack(
            "gasless_only_session",
            "a session with a zero fee budget sends a transaction the account would pay for",
            vec![grant(limited().fee_budget(0)), spend(Metered::Transfer, Amount::One, 1, D)],
            rejected(SessionFeeBudget),
        ),
        attack(
            "indirect_pull_beyond_limit",
            "a router the owner approved long ago pulls more than the session's limit",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                Op::RouterPull { slot: 0, amount: Amount::OverByOne, path: D },
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "indirect_pull_gasless",
            "the same pull, relayed as an outside execution",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, G),
                Op::RouterPull { slot: 0, amount: Amount::Remaining, path: G },
                Op::RouterPull { slot: 0, amount: Amount::One, path: G },
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "third_party_transfer_from",
            "transfer_from of a third party's tokens it allowed the account, past the limit",
            vec![grant(limited()), spend(Metered::TransferFromThirdParty, Amount::OverByOne, 1, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "renewal_jump",
            "a session whose valid_after is 0 renews, then tries again to reach \
             max_valid_until",
            vec![
                grant(limited().flawed(PolicyFlaw::StartedAtZero)),
                past_expiry(),
                renew(D),
                renew(D),
            ],
            rejected(SessionNotExpired),
        ),
        attack(
            "session_revoke_all",
            "a session calls revoke_all_sessions on its account",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeAll, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_revoke_all_gasless",
            "a session-signed outside execution calls revoke_all_sessions",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeAll, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "session_upgrade",
            "a session upgrades its account",
            vec![grant(limited()), admin(AdminEntrypoint::Upgrade, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_upgrade_gasless",
            "a session-signed outside execution upgrades the account",
            vec![grant(limited()), admin(AdminEntrypoint::Upgrade, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "session_set_owner",
            "a session makes its own key the owner",
            vec![grant(limited()), admin(AdminEntrypoint::SetOwner, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_registers_session",
            "a session registers another session with a wider policy",
            vec![grant(limited()), admin(AdminEntrypoint::RegisterSession, D)],
            rejected(SessionSelfCall),
        ),
        attack(
            "session_revokes_another",
            "a session revokes another session",
            vec![grant(limited()), admin(AdminEntrypoint::RevokeOther, G)],
            reverted(SessionSelfCall),
        ),
        attack(
            "increase_allowance_bypass",
            "after spending the whole limit through increase_allowance, increaseAllowance \
             asks for more",
            vec![
                grant(limited()),
                spend(Metered::IncreaseAllowance, Amount::Remaining, 1, D),
                spend(Metered::IncreaseAllowanceCamel, Amount::One, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "approve_bypass",
            "approve one more than the limit, to transfer_from it later",
            vec![grant(limited()), spend(Metered::Approve, Amount::OverByOne, 1, G)],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "transfer_from_bypass",
            "transfer_from the account itself, past the limit",
            vec![grant(limited()), spend(Metered::TransferFromSelf, Amount::OverByOne, 1, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "multicall_split",
            "two calls each within the limit, together over it",
            vec![grant(limited()), spend(Metered::Transfer, Amount::Remaining, 2, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "high_u256_word",
            "an amount whose high word is set, which a low-word check would miss",
            vec![grant(limited()), spend(Metered::Transfer, Amount::HighWord, 1, D)],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "non_u128_amount",
            "an amount word that is not a u128, to wrap a metering sum",
            vec![grant(limited()), spend(Metered::Approve, Amount::NotU128, 1, D)],
            rejected(SessionMalformedCalldata),
        ),
        attack(
            "expiry_inside_the_rounded_hour",
            "a transaction 30 s after expiry, which validate's hour-floored clock still \
             allows",
            vec![grant(limited()), past_expiry(), spend(Metered::Transfer, Amount::One, 1, D)],
            reverted(SessionExpired),
        ),
        attack(
            "expired_gasless",
            "the same, relayed: outside executions use the exact clock",
            vec![grant(limited()), past_expiry(), spend(Metered::Transfer, Amount::One, 1, G)],
            reverted(SessionExpired),
        ),
        attack(
            "authorization_after_revoke_all",
            "an unused authorization used after the owner's revoke-all",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RevokeAll,
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_after_owner_rotation",
            "an unused authorization signed by the previous owner key",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RotateOwner { back: false },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_after_rotation_back",
            "an unused authorization signed by key A, after the owner rotated A→B→A",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::RotateOwner { back: false },
                Op::RotateOwner { back: true },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_other_chain",
            "an authorization signed for another chain",
            vec![
                authorize(limited(), Grant::ForOtherChain),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_other_account",
            "an authorization signed for another account",
            vec![
                authorize(limited(), Grant::ForOtherAccount),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_tampered",
            "an authorization whose carried policy was widened after signing",
            vec![
                authorize(limited(), Grant::Tampered),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidAuthorization),
        ),
        attack(
            "authorization_replay_after_revoke",
            "the authorization of a revoked session, carried again",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::OwnerRevoke { slot: 0 },
                authorize(limited(), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "authorization_over_registered",
            "an authorization with a new policy for a key already registered",
            vec![
                grant(limited().unlimited()),
                Op::OwnerRevoke { slot: 0 },
                authorize(limited().lifetime(5 * 3600), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionAlreadyRegistered),
        ),
        attack(
            "fee_drain",
            "a session transaction whose fee bounds exceed the session's fee cap",
            vec![grant(limited()), Op::OverFeeCap { slot: 0 }],
            rejected(SessionFeeAboveCap),
        ),
        attack(
            "forged_session_signature",
            "a session transaction signed by another key",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::Forged, path: D },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "forged_outside_signature",
            "a session-signed outside execution whose signature covers another execution",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::Forged, path: G },
            ],
            reverted(InvalidSignature),
        ),
        attack(
            "session_key_as_owner_outside",
            "a session key signs an outside execution in the owner layout \
             (is_valid_signature misuse)",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::OwnerLayout, path: G },
            ],
            reverted(InvalidSignature),
        ),
        attack(
            "session_key_as_owner",
            "a session key signs a transaction in the owner layout",
            vec![
                grant(limited()),
                Op::Forged { slot: 0, signing: SessionSignature::OwnerLayout, path: D },
            ],
            rejected(InvalidSignature),
        ),
        attack(
            "outside_replay",
            "a relayer submits an executed outside execution again",
            vec![grant(limited()), spend(Metered::Transfer, Amount::One, 1, G), Op::ReplayOutside],
            reverted(OutsideNonceUsed),
        ),
        attack(
            "outside_replay_late",
            "a refused outside execution, submitted again after its window",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::OverByOne, 1, G),
                Op::TimeForward { seconds: 3600 },
                Op::ReplayOutside,
            ],
            reverted(OutsideExpired),
        ),
        attack(
            "transaction_replay",
            "an included session transaction sent again",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::ReplayTransaction,
            ],
            Refusal::Step(Verdict::Rejected(None)),
        ),
        attack(
            "call_outside_the_policy",
            "a session calls a contract its policy does not list",
            vec![grant(limited()), Op::CallStranger { slot: 0, path: D }],
            rejected(SessionContractNotAllowed),
        ),
        attack(
            "unregistered_key",
            "a key the owner never granted",
            vec![
                grant(limited()),
                Op::Transfer {
                    slot: 1,
                    selector: Metered::Transfer,
                    amount: Amount::One,
                    count: 1,
                    path: G,
                },
            ],
            reverted(SessionNotRegistered),
        ),
        attack(
            "too_many_calls",
            "more calls in one transaction than the policy allows",
            vec![grant(limited()), spend(Metered::Transfer, Amount::Zero, 3, D)],
            rejected(SessionTooManyCalls),
        ),
        attack(
            "unmetered_selector",
            "a selector the account cannot meter on a limited token (a token-specific way \
             to move funds)",
            vec![grant(limited()), spend(Metered::Unmetered, Amount::One, 1, D)],
            rejected(SessionUnmeteredSelector),
        ),
        attack(
            "empty_multicall",
            "a transaction with no calls, to burn a call-limit check",
            vec![grant(limited()), spend(Metered::Transfer, Amount::One, 0, G)],
            reverted(SessionNoCalls),
        ),
        attack(
            "authorization_allowing_the_account",
            "an owner-signed authorization whose policy lets the session call the account \
             itself",
            vec![
                authorize(limited().flawed(PolicyFlaw::AllowsTheAccount), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionSelfCall),
        ),
        attack(
            "renew_past_max_valid_until",
            "a renewal beyond the policy's absolute bound",
            vec![
                grant(limited().flawed(PolicyFlaw::NoRoomToRenew)),
                past_expiry(),
                Op::Renew { slot: 0, path: D },
            ],
            reverted(SessionRenewalLimit),
        ),
        attack(
            "before_valid_after",
            "a session used before its window opens",
            vec![
                grant(limited().flawed(PolicyFlaw::StartsLater)),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionNotYetValid),
        ),
        attack(
            "revoked_session",
            "a session keeps transacting after the owner revoked it",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, D),
                Op::OwnerRevoke { slot: 0 },
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            reverted(SessionRevoked),
        ),
        attack(
            "approval_hidden_behind_a_pull",
            "approve a third party for the whole limit and, in the same transaction, make \
             an allowed router pull as much through the owner's old allowance: 2x the limit \
             would leave the account (§4.4 counts the approval on top of the decrease)",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                approve_then_pull(Spender::ThirdParty, Amount::Remaining, Amount::Remaining),
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "approved_spender_pulls_later",
            "approve a third party for the whole limit, let it pull outside any session \
             transaction, then spend more: the approval was counted in full",
            vec![
                grant(limited()),
                approve_then_pull(Spender::ThirdParty, Amount::Remaining, Amount::Zero),
                Op::SpenderPulls { over: false },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionSpendingLimit),
        ),
        attack(
            "third_party_transfer_from_beside_a_pull",
            "move a third party's tokens and, in the same transaction, pull as much of the \
             account's: both count",
            vec![
                Op::OwnerApproveRouter { amount: 1_000_000 },
                grant(limited()),
                Op::ThirdPartyThenPull { slot: 0, amount: Amount::Remaining, path: G },
            ],
            reverted(SessionSpendingLimit),
        ),
        attack(
            "owner_revokes_a_leaked_unused_authorization",
            "an authorization leaks before its first use; the owner revokes the key, which \
             was never registered: the authorization can no longer register it",
            vec![
                authorize(limited(), Grant::ByAuthorization),
                Op::OwnerRevoke { slot: 0 },
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionRevoked),
        ),
        attack(
            "session_spends_the_owners_outside_nonce",
            "a session relays an outside execution with the nonce the owner's pending one \
             carries: the owner's still runs (separate nonce spaces), and only its own \
             replay is refused",
            vec![
                grant(limited()),
                spend(Metered::Transfer, Amount::One, 1, G),
                Op::OwnerOutside { reuse: true },
                Op::OwnerOutside { reuse: true },
            ],
            reverted(OutsideNonceUsed),
        ),
        attack(
            "hooked_token_nests_an_outside_execution_in_a_transaction",
            "a limited token whose balance_of submits the session's own outside execution \
             while a session transaction's balance watch reads it (§4.4, §11)",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Session(0)),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
        attack(
            "hooked_token_nests_an_outside_execution_in_an_outside_execution",
            "the same hook inside a session-signed outside execution's watch, where the \
             outer one would write back stale grants if the inner one ran",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Session(0)),
                spend(Metered::Transfer, Amount::One, 1, G),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
        attack(
            "hooked_token_nests_the_owners_outside_execution",
            "the hook submits an owner-signed outside execution while a session \
             transaction runs: no execution of the account starts inside a session's",
            vec![
                grant(limited().hooked()),
                arm_hook(HookSigner::Owner),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            Refusal::Nested(OutsideReentrant),
        ),
        attack(
            "paymaster_data_the_account_ignores",
            "a session transaction carrying paymaster_data the account does not read",
            vec![
                grant(limited()),
                Op::UnsupportedTxField { slot: 0, field: TxField::PaymasterData },
            ],
            rejected(SessionUnsupportedTxField),
        ),
        attack(
            "fee_on_l2_data_availability",
            "a session transaction asking for L2 fee data availability",
            vec![
                grant(limited()),
                Op::UnsupportedTxField { slot: 0, field: TxField::FeeDataAvailability },
            ],
            rejected(SessionUnsupportedTxField),
        ),
        attack(
            "spending_limit_on_the_account",
            "an authorization whose policy limits spending of the account itself",
            vec![
                authorize(limited().flawed(PolicyFlaw::LimitsTheAccount), Grant::ByAuthorization),
                spend(Metered::Transfer, Amount::One, 1, D),
            ],
            rejected(SessionInvalidLimitToken),
        ),
    ]
}

/// Runs `attack` on a fresh account of `chain`: every step must match the
/// model, and the model must refuse the last step as the attack says.
/// Returns the model's state after the attack.
pub fn run_on(chain: &Chain, attack: &Attack) -> Result<Reference, String> {
    let mut state = chain.new_case();
    for op in &attack.steps {
        let before = state.clone();
        state = SessionFlows::apply(state, op);
        chain.step(&before, &state, op).map_err(|e| format!("{}: {e}", attack.name))?;
    }
    chain.check(&state).map_err(|e| format!("{}: at the end, {e}", attack.name))?;
    let judged = match attack.refused {
        Refusal::Step(_) => state.expected.map(Refusal::Step),
        // The last step went through, and its nested execution ended as
        // the hook recorded (the chain's record was checked above).
        Refusal::Nested(_) => {
            let recorded = state.model.ledger.hook_result(hooked_token_address());
            let nested = ContractError::ALL.iter().find(|e| e.felt() == recorded);
            match (state.expected, nested) {
                (Some(Verdict::Accepted), Some(e)) => Some(Refusal::Nested(*e)),
                (other, _) => other.map(Refusal::Step),
            }
        }
    };
    match judged {
        Some(refusal) if refusal == attack.refused => Ok(state),
        other => Err(format!(
            "{}: the model judged the attack {other:?}, the corpus says {:?}",
            attack.name, attack.refused
        )),
    }
}

/// Runs `attack` on a fresh devnet (see [`run_on`]).
pub fn run(attack: &Attack) -> Result<(), String> {
    run_on(&Chain::start(), attack).map(|_| ())
}

/// The attack named `name`.
pub fn attack(name: &str) -> Attack {
    attacks()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no attack named {name}"))
}
