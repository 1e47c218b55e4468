//! The adversarial corpus (harness/testkit/src/fuzz/corpus/), one test per
//! attack: every step matches the model on a fresh devnet, and the attack
//! itself is refused with the error the corpus names.

use session_account_testkit::fuzz::corpus;

macro_rules! attacks {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                corpus::run(&corpus::attack(stringify!($name))).unwrap();
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

attacks!(
    approval_outlives_revoke,
    recipient_not_in_allowlist,
    recipient_not_in_allowlist_gasless,
    amount_over_per_call_bound,
    rule_offset_past_calldata,
    multicall_splits_per_call_bound,
    spending_across_window_boundary,
    window_rollover_refills_only_the_window,
    rule_on_unlisted_entrypoint,
    oversized_rule_set,
    periodic_limit_without_period,
    webauthn_wrong_type,
    webauthn_challenge_one_char_off,
    webauthn_wrong_origin,
    webauthn_wrong_rp_id,
    webauthn_user_not_present,
    webauthn_user_not_verified,
    webauthn_truncated_authenticator_data,
    webauthn_other_passkey,
    p256_other_key,
    passkey_authorization_after_rotation_to_p256,
    passkey_authorization_tampered,
    renew_after_revoke_all,
    renew_after_revoke_all_gasless,
    renew_after_revoke,
    renew_past_grace,
    renew_not_renewable,
    renew_early,
    renewal_spam_fee_burn,
    fee_burn_at_cap,
    reverting_calls_count,
    gasless_only_session,
    indirect_pull_beyond_limit,
    indirect_pull_gasless,
    third_party_transfer_from,
    renewal_jump,
    authorization_after_rotation_back,
    session_revoke_all,
    session_revoke_all_gasless,
    session_upgrade,
    session_upgrade_gasless,
    session_set_owner,
    session_registers_session,
    session_revokes_another,
    increase_allowance_bypass,
    approve_bypass,
    transfer_from_bypass,
    multicall_split,
    high_u256_word,
    non_u128_amount,
    expiry_inside_the_rounded_hour,
    expired_gasless,
    authorization_after_revoke_all,
    authorization_after_owner_rotation,
    authorization_other_chain,
    authorization_other_account,
    authorization_tampered,
    authorization_replay_after_revoke,
    authorization_over_registered,
    fee_drain,
    forged_session_signature,
    forged_outside_signature,
    session_key_as_owner_outside,
    session_key_as_owner,
    outside_replay,
    outside_replay_late,
    transaction_replay,
    call_outside_the_policy,
    unregistered_key,
    too_many_calls,
    unmetered_selector,
    empty_multicall,
    authorization_allowing_the_account,
    renew_past_max_valid_until,
    before_valid_after,
    revoked_session,
    approval_hidden_behind_a_pull,
    approved_spender_pulls_later,
    third_party_transfer_from_beside_a_pull,
    owner_revokes_a_leaked_unused_authorization,
    session_spends_the_owners_outside_nonce,
    hooked_token_nests_an_outside_execution_in_a_transaction,
    hooked_token_nests_an_outside_execution_in_an_outside_execution,
    hooked_token_nests_the_owners_outside_execution,
    paymaster_data_the_account_ignores,
    fee_on_l2_data_availability,
    spending_limit_on_the_account,
);
