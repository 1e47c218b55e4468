//! The adversarial corpus (harness/testkit/src/fuzz/corpus/), one test per
//! attack: every step matches the model on a fresh devnet, and the attack
//! itself is refused as written next to its name below (rejected in
//! `__validate__`, reverted in `__execute__`, or refused in an execution a
//! contract nests inside the last step), which must also be what the corpus
//! table says.

use session_account::contract::ContractError::{self, *};
use session_account_testkit::fuzz::corpus::{self, Refusal};
use session_account_testkit::model::Verdict;

/// Refused in `__validate__` with `error`: not included, no fee.
fn rejected(error: ContractError) -> Refusal {
    Refusal::Step(Verdict::Rejected(Some(error)))
}

/// Refused in `__execute__` with `error`: included, fee paid.
fn reverted(error: ContractError) -> Refusal {
    Refusal::Step(Verdict::Reverted(Some(error)))
}

/// Refused before `__validate__` by the node itself (e.g. a nonce already
/// used), with no error of the account's.
fn rejected_by_the_node() -> Refusal {
    Refusal::Step(Verdict::Rejected(None))
}

/// Reverted by another contract the calls reached (a token), not the account.
fn reverted_by_a_contract() -> Refusal {
    Refusal::Step(Verdict::Reverted(None))
}

/// The last step goes through; the execution of the account a contract
/// starts inside it is refused with `error`.
fn nested(error: ContractError) -> Refusal {
    Refusal::Nested(error)
}

macro_rules! attacks {
    ($($name:ident => $refusal:expr),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let attack = corpus::attack(stringify!($name));
                assert_eq!(
                    attack.refused,
                    $refusal,
                    "the corpus table expects another refusal for {}",
                    attack.name
                );
                corpus::run(&attack).unwrap();
            }
        )*

        #[test]
        fn every_attack_has_a_test() {
            let tested = [$(stringify!($name)),*];
            for attack in corpus::attacks() {
                let name = attack.name;
                assert!(tested.contains(&name), "attack {name} has no test in tests/corpus.rs");
            }
        }
    };
}

attacks! {
    approval_outlives_revoke => reverted_by_a_contract(),
    recipient_not_in_allowlist => rejected(SessionCalldataRule),
    recipient_not_in_allowlist_gasless => reverted(SessionCalldataRule),
    amount_over_per_call_bound => rejected(SessionCalldataRule),
    rule_offset_past_calldata => rejected(SessionCalldataRule),
    multicall_splits_per_call_bound => reverted(SessionPeriodLimit),
    spending_across_window_boundary => reverted(SessionPeriodLimit),
    window_rollover_refills_only_the_window => rejected(SessionSpendingLimit),
    rule_on_unlisted_entrypoint => rejected(SessionInvalidCalldataRule),
    oversized_rule_set => rejected(SessionInvalidCalldataRule),
    periodic_limit_without_period => rejected(SessionInvalidPeriod),
    webauthn_wrong_type => rejected(WebAuthnWrongType),
    webauthn_challenge_one_char_off => rejected(WebAuthnWrongChallenge),
    webauthn_wrong_origin => rejected(WebAuthnWrongOrigin),
    webauthn_wrong_rp_id => rejected(WebAuthnWrongRpId),
    webauthn_user_not_present => rejected(WebAuthnUserNotPresent),
    webauthn_user_not_verified => rejected(WebAuthnUserNotVerified),
    webauthn_truncated_authenticator_data => rejected(WebAuthnMalformed),
    webauthn_other_passkey => rejected(WebAuthnInvalidSignature),
    p256_other_key => rejected(InvalidSignature),
    passkey_authorization_after_rotation_to_p256 => rejected(SessionInvalidAuthorization),
    passkey_authorization_tampered => reverted(SessionInvalidAuthorization),
    renew_after_revoke_all => rejected(SessionEpochRevoked),
    renew_after_revoke_all_gasless => reverted(SessionEpochRevoked),
    renew_after_revoke => rejected(SessionRevoked),
    renew_past_grace => reverted(SessionExpired),
    renew_not_renewable => rejected(SessionNotRenewable),
    renew_early => rejected(SessionNotExpired),
    renewal_spam_fee_burn => rejected(SessionFeeBudget),
    fee_burn_at_cap => rejected(SessionFeeBudget),
    reverting_calls_count => rejected(SessionCallLimit),
    gasless_only_session => rejected(SessionFeeBudget),
    indirect_pull_beyond_limit => reverted(SessionSpendingLimit),
    indirect_pull_gasless => reverted(SessionSpendingLimit),
    third_party_transfer_from => rejected(SessionSpendingLimit),
    renewal_jump => rejected(SessionNotExpired),
    authorization_after_rotation_back => rejected(SessionInvalidAuthorization),
    session_revoke_all => rejected(SessionSelfCall),
    session_revoke_all_gasless => reverted(SessionSelfCall),
    session_upgrade => rejected(SessionSelfCall),
    session_upgrade_gasless => reverted(SessionSelfCall),
    session_set_owner => rejected(SessionSelfCall),
    session_registers_session => rejected(SessionSelfCall),
    session_revokes_another => reverted(SessionSelfCall),
    session_revokes_another_directly => rejected(SessionSelfCall),
    increase_allowance_bypass => rejected(SessionSpendingLimit),
    approve_bypass => reverted(SessionSpendingLimit),
    transfer_from_bypass => rejected(SessionSpendingLimit),
    multicall_split => rejected(SessionSpendingLimit),
    high_u256_word => rejected(SessionSpendingLimit),
    non_u128_amount => rejected(SessionMalformedCalldata),
    expiry_inside_the_rounded_hour => reverted(SessionExpired),
    expired_gasless => reverted(SessionExpired),
    authorization_after_revoke_all => rejected(SessionInvalidAuthorization),
    authorization_after_owner_rotation => reverted(SessionInvalidAuthorization),
    authorization_other_chain => rejected(SessionInvalidAuthorization),
    authorization_other_account => reverted(SessionInvalidAuthorization),
    authorization_tampered => rejected(SessionInvalidAuthorization),
    authorization_replay_after_revoke => rejected(SessionRevoked),
    authorization_over_registered => reverted(SessionAlreadyRegistered),
    fee_drain => rejected(SessionFeeAboveCap),
    forged_session_signature => rejected(InvalidSignature),
    forged_outside_signature => reverted(InvalidSignature),
    session_key_as_owner_outside => reverted(InvalidSignature),
    session_key_as_owner => rejected(InvalidSignature),
    outside_replay => reverted(OutsideNonceUsed),
    outside_replay_late => reverted(OutsideExpired),
    transaction_replay => rejected_by_the_node(),
    call_outside_the_policy => rejected(SessionContractNotAllowed),
    unregistered_key => reverted(SessionNotRegistered),
    too_many_calls => rejected(SessionTooManyCalls),
    unmetered_selector => rejected(SessionUnmeteredSelector),
    empty_multicall => reverted(SessionNoCalls),
    authorization_allowing_the_account => rejected(SessionSelfCall),
    renew_past_max_valid_until => reverted(SessionRenewalLimit),
    stranger_registers_a_session => reverted(OnlyOwner),
    stranger_revokes_a_session => reverted(OnlyOwner),
    stranger_sets_the_owner => reverted(OnlyOwner),
    stranger_revokes_all => reverted(OnlyOwner),
    stranger_upgrades => reverted(OnlyOwner),
    stranger_calls_validate => reverted(InvalidCaller),
    execute_at_valid_until => reverted(SessionExpired),
    execute_one_second_before_valid_after => reverted(SessionNotYetValid),
    spending_sum_wraps => rejected(SessionSpendingLimit),
    spending_wraps_past_what_was_spent => rejected(SessionSpendingLimit),
    outside_at_execute_after => reverted(OutsideTooEarly),
    outside_at_execute_before => reverted(OutsideExpired),
    outside_relayed_by_another_caller => reverted(OutsideInvalidCaller),
    renew_at_the_grace_deadline => reverted(SessionExpired),
    before_valid_after => rejected(SessionNotYetValid),
    revoked_session => reverted(SessionRevoked),
    approval_hidden_behind_a_pull => reverted(SessionSpendingLimit),
    approved_spender_pulls_later => rejected(SessionSpendingLimit),
    third_party_transfer_from_beside_a_pull => reverted(SessionSpendingLimit),
    owner_revokes_a_leaked_unused_authorization => rejected(SessionRevoked),
    session_spends_the_owners_outside_nonce => reverted(OutsideNonceUsed),
    hooked_token_nests_an_outside_execution_in_a_transaction => nested(OutsideReentrant),
    hooked_token_nests_an_outside_execution_in_an_outside_execution => nested(OutsideReentrant),
    hooked_token_nests_the_owners_outside_execution => nested(OutsideReentrant),
    paymaster_data_the_account_ignores => rejected(SessionUnsupportedTxField),
    fee_on_l2_data_availability => rejected(SessionUnsupportedTxField),
    spending_limit_on_the_account => rejected(SessionInvalidLimitToken),
    authorization_for_another_key => rejected(SessionInvalidAuthorization),
    felt_after_the_authorization => rejected(MalformedSignature),
    felt_after_the_authorization_gasless => reverted(MalformedSignature),
    too_many_rules_on_an_entrypoint => rejected(SessionInvalidCalldataRule),
    amount_over_exact_amount => rejected(SessionCalldataRule),
    spending_in_the_windows_last_second => reverted(SessionPeriodLimit),
    validate_at_valid_until_on_the_hour => rejected(SessionExpired),
    unlimited_token_approval_outlives_revoke => reverted_by_a_contract(),
    rotation_to_a_key_that_never_signed => reverted(InvalidOwnerKey),
    rotation_to_a_passkey_that_never_signed => reverted(InvalidOwnerKey),
    session_signature_passes_as_the_owners => rejected(InvalidSignature),
    webauthn_challenge_inside_another_member => rejected(WebAuthnWrongChallenge),
    outside_one_second_before_valid_after => reverted(SessionNotYetValid),
    fee_one_fri_over_the_cap => rejected(SessionFeeAboveCap),
    lifecycle_call_beside_a_transfer => rejected(SessionSelfCall),
    amount_under_the_minimum => rejected(SessionCalldataRule),
    indirect_spending_fills_the_window => reverted(SessionPeriodLimit),
    session_key_signs_as_the_owner_for_a_dapp => rejected(InvalidSignature),
    renew_one_second_before_expiry => reverted(SessionNotExpired),
    session_key_declares_a_class => rejected(OnlyOwner),
}
