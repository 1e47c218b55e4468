//! The account as an SRC-6 account (§7.1, §7.2) and its SRC-5 ids.

use session_account::execution::Errors as ExecutionErrors;
use session_account::interface::{
    IDeployableSafeDispatcher, IDeployableSafeDispatcherTrait, IOwnerDispatcher,
    IOwnerDispatcherTrait, ISRC5Dispatcher, ISRC5DispatcherTrait, ISRC5_ID,
    ISRC5_OUTSIDE_EXECUTION_V2_ID, ISRC6Dispatcher, ISRC6DispatcherTrait, ISRC6SafeDispatcher,
    ISRC6SafeDispatcherTrait, ISRC6_ID,
};
use session_account::owner::OwnerComponent::Errors as OwnerErrors;
use session_account::signature::Errors as SignatureErrors;
use session_account::signers::owner_key::OwnerKey;
use snforge_std::{
    CheatSpan, ContractClassTrait, DeclareResultTrait, cheat_caller_address, declare,
    start_cheat_signature, start_cheat_transaction_hash, start_cheat_transaction_version,
    stop_cheat_signature,
};
use starknet::VALIDATED;
use crate::fixtures::account::{
    OTHER_SECRET, Outcome, SESSION_SECRET, T0, TX_HASH, TX_V3_QUERY, as_owner, balance, owner_key,
    owner_signature, owner_tx, play, raw_tx, session_signature, setup, setup_with_session, sign,
    submit, transfer,
};
use crate::fixtures::mocks::{IMockTargetDispatcher, IMockTargetDispatcherTrait, call};

#[test]
fn constructor_sets_the_owner() {
    let env = setup();
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner(), owner_key());
}

#[test]
fn a_zero_owner_key_is_refused() {
    let class = declare("SessionAccount").unwrap().contract_class();
    match class.deploy(@array![0]) {
        Ok(_) => panic!("deployed with a zero owner"),
        Err(panic_data) => assert_eq!(*panic_data[0], OwnerErrors::INVALID_OWNER_KEY),
    }
}

#[test]
fn supports_src5_src6_and_snip9_v2() {
    let env = setup();
    let src5 = ISRC5Dispatcher { contract_address: env.account };
    assert!(src5.supports_interface(ISRC5_ID));
    assert!(src5.supports_interface(ISRC6_ID));
    assert!(src5.supports_interface(ISRC5_OUTSIDE_EXECUTION_V2_ID));
    assert!(!src5.supports_interface(0x1234));
    assert!(!src5.supports_interface(0));
}

#[test]
fn owner_transactions_run_their_calls_in_order() {
    let env = setup();
    let calls = array![play(env.target), transfer(env.token, 10), play(env.target)];
    assert_eq!(as_owner(env, calls, T0), Outcome::Accepted);
    assert_eq!(IMockTargetDispatcher { contract_address: env.target }.plays(), 2);
    assert_eq!(balance(env.token, env.account), 990);
}

#[test]
fn execute_returns_each_calls_result() {
    let env = setup();
    let tx = owner_tx(
        array![play(env.target), call(env.target, selector!("play"), array![42])], T0,
    );
    cheat_caller_address(env.account, 0.try_into().unwrap(), CheatSpan::TargetCalls(1));
    start_cheat_signature(env.account, tx.signature.span());
    start_cheat_transaction_version(env.account, 3);
    let results = ISRC6Dispatcher { contract_address: env.account }.__execute__(tx.calls.clone());
    assert_eq!(results.len(), 2);
    assert_eq!(*results[0], array![7].span());
    assert_eq!(*results[1], array![42].span());
}

#[test]
fn owner_signature_of_another_hash_or_key_is_rejected() {
    let env = setup();
    let (r, s) = sign(OTHER_SECRET, TX_HASH);
    assert_eq!(
        submit(env.account, @raw_tx(array![play(env.target)], array![r, s], T0)),
        Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE),
    );
    let mut tx = owner_tx(array![play(env.target)], T0);
    tx.hash = TX_HASH + 1;
    assert_eq!(submit(env.account, @tx), Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE));
}

#[test]
fn a_failing_call_reverts_the_owner_transaction() {
    let env = setup();
    let calls = array![transfer(env.token, 10), call(env.target, selector!("fail"), array![])];
    assert_eq!(as_owner(env, calls, T0), Outcome::Reverted('target/failed'));
    assert_eq!(balance(env.token, env.account), 1000);
}

#[test]
fn malformed_signatures_are_rejected_cleanly() {
    let env = setup();
    for signature in array![
        array![], array![1], array![1, 2, 3], array!['session-v2', 1, 2],
        array!['session-v2', 1, 2, 3, 4],
    ] {
        assert_eq!(
            submit(env.account, @raw_tx(array![play(env.target)], signature, T0)),
            Outcome::Rejected(SignatureErrors::MALFORMED_SIGNATURE),
        );
    }
}

#[test]
#[feature("safe_dispatcher")]
fn only_the_protocol_may_call_validate_and_execute() {
    let env = setup();
    let account = ISRC6SafeDispatcher { contract_address: env.account };
    start_cheat_signature(env.account, owner_signature(TX_HASH).span());
    start_cheat_transaction_hash(env.account, TX_HASH);
    start_cheat_transaction_version(env.account, 3);
    // The test contract is the caller here, not the protocol (0).
    let error = account.__validate__(array![play(env.target)]).unwrap_err();
    assert_eq!(*error[0], ExecutionErrors::INVALID_CALLER);
    let error = account.__execute__(array![play(env.target)]).unwrap_err();
    assert_eq!(*error[0], ExecutionErrors::INVALID_CALLER);
    stop_cheat_signature(env.account);
}

#[test]
fn only_version_3_transactions_are_accepted() {
    let env = setup();
    for version in array![0, 1, 2, 0x100000000000000000000000000000001] {
        let mut tx = owner_tx(array![play(env.target)], T0);
        tx.version = version;
        assert_eq!(
            submit(env.account, @tx), Outcome::Rejected(ExecutionErrors::INVALID_TX_VERSION),
        );
    }
    let mut query = owner_tx(array![play(env.target)], T0);
    query.version = TX_V3_QUERY;
    assert_eq!(submit(env.account, @query), Outcome::Accepted);
}

#[test]
fn is_valid_signature_accepts_only_the_owner() {
    let env = setup_with_session();
    let account = ISRC6Dispatcher { contract_address: env.account };
    let hash = 0xfeed;
    assert_eq!(account.is_valid_signature(hash, owner_signature(hash)), VALIDATED);
    assert_eq!(account.is_valid_signature(hash + 1, owner_signature(hash)), 0);
    let (r, s) = sign(OTHER_SECRET, hash);
    assert_eq!(account.is_valid_signature(hash, array![r, s]), 0);
    assert_eq!(account.is_valid_signature(hash, array![]), 0);
    assert_eq!(account.is_valid_signature(hash, array![1, 2, 3]), 0);
}

/// §7.2: a valid session signature is not a valid account signature, or a
/// session key could act outside its policy through any protocol that
/// trusts SRC-6 signatures.
#[test]
fn is_valid_signature_refuses_session_signatures() {
    let env = setup_with_session();
    let account = ISRC6Dispatcher { contract_address: env.account };
    let hash = 0xfeed;
    assert_eq!(account.is_valid_signature(hash, session_signature(SESSION_SECRET, hash, None)), 0);
    let (r, s) = sign(SESSION_SECRET, hash);
    assert_eq!(account.is_valid_signature(hash, array![r, s]), 0);
}

#[test]
#[feature("safe_dispatcher")]
fn declare_and_deploy_validation_accept_only_the_owner() {
    let env = setup();
    let deployable = IDeployableSafeDispatcher { contract_address: env.account };
    start_cheat_transaction_hash(env.account, TX_HASH);
    start_cheat_transaction_version(env.account, 3);
    start_cheat_signature(env.account, owner_signature(TX_HASH).span());
    assert_eq!(deployable.__validate_declare__(0x123), Ok(VALIDATED));
    assert_eq!(
        deployable.__validate_deploy__(0x123, 1, OwnerKey::Stark(owner_key())), Ok(VALIDATED),
    );
    start_cheat_signature(env.account, session_signature(SESSION_SECRET, TX_HASH, None).span());
    assert_eq!(*deployable.__validate_declare__(0x123).unwrap_err()[0], OwnerErrors::ONLY_OWNER);
    assert_eq!(
        *deployable.__validate_deploy__(0x123, 1, OwnerKey::Stark(owner_key())).unwrap_err()[0],
        OwnerErrors::ONLY_OWNER,
    );
    let (r, s) = sign(OTHER_SECRET, TX_HASH);
    start_cheat_signature(env.account, array![r, s].span());
    assert_eq!(
        *deployable.__validate_declare__(0x123).unwrap_err()[0], SignatureErrors::INVALID_SIGNATURE,
    );
    start_cheat_transaction_version(env.account, 1);
    start_cheat_signature(env.account, owner_signature(TX_HASH).span());
    assert_eq!(
        *deployable.__validate_deploy__(0x123, 1, OwnerKey::Stark(owner_key())).unwrap_err()[0],
        ExecutionErrors::INVALID_TX_VERSION,
    );
}
