//! Owners of every kind (§2.1, §2.3, §7): a Stark key, a raw P-256 key and
//! a passkey (WebAuthn) deploy the account, sign its transactions, answer
//! `is_valid_signature`, authorize sessions, sign outside executions, and
//! rotate to any other kind. Signatures of one kind never pass for another.

use core::poseidon::poseidon_hash_span;
use session_account::interface::{
    IDeployableSafeDispatcher, IDeployableSafeDispatcherTrait, IOwnerDispatcher,
    IOwnerDispatcherTrait, ISRC6Dispatcher, ISRC6DispatcherTrait, ISessionViewsDispatcher,
    ISessionViewsDispatcherTrait,
};
use session_account::owner::OwnerComponent::Errors as OwnerErrors;
use session_account::owner::SET_OWNER_PREFIX;
use session_account::sessions::authorization::session_hash;
use session_account::signature::{
    Authorization, Errors as SignatureErrors, P256Signature, P256_MAGIC, WEBAUTHN_MAGIC,
};
use session_account::signers::base64url::challenge_of;
use session_account::signers::bytes::{append_u256, sha256};
use session_account::signers::owner_key::{OwnerKey, owner_id};
use session_account::signers::p256::P256PublicKey;
use session_account::signers::webauthn::{Assertion, Errors as WebAuthnErrors, WebAuthnSigner};
use snforge_std::signature::secp256r1_curve::{Secp256r1CurveKeyPairImpl, Secp256r1CurveSignerImpl};
use snforge_std::{
    ContractClassTrait, DeclareResultTrait, declare, start_cheat_signature,
    start_cheat_transaction_hash, start_cheat_transaction_version, stop_cheat_signature,
};
use starknet::secp256_trait::Secp256PointTrait;
use starknet::{ContractAddress, SyscallResultTrait, VALIDATED};
use crate::fixtures::account::{
    CHAIN, Env, OWNER_SECRET, Outcome, T0, TX_HASH, authorized_tx, binding, owner_key, policy,
    raw_tx, setup_owned_by, sign, stark, submit, transfer,
};
use crate::fixtures::mocks::call;
use crate::fixtures::relaying::{execution, hash as outside_hash, relay};

const P256_SECRET: u256 = 0xa11ce;
const PASSKEY_SECRET: u256 = 0xb0b;
const OTHER_P256_SECRET: u256 = 0xe7e;
const RP_ID: felt252 = 'app.example.com';

fn p256_public(secret: u256) -> P256PublicKey {
    let pair = Secp256r1CurveKeyPairImpl::from_secret_key(secret);
    let (x, y) = pair.public_key.get_coordinates().unwrap_syscall();
    P256PublicKey { x, y }
}

fn p256_sign(secret: u256, digest: u256) -> (u256, u256) {
    Secp256r1CurveKeyPairImpl::from_secret_key(secret).sign(digest).unwrap()
}

fn rp_id_hash() -> u256 {
    let mut rp_id: ByteArray = "";
    rp_id.append_word(RP_ID, 15);
    sha256(@rp_id)
}

fn p256_owner(secret: u256) -> OwnerKey {
    OwnerKey::P256(p256_public(secret))
}

fn passkey_owner(secret: u256) -> OwnerKey {
    OwnerKey::WebAuthn(
        WebAuthnSigner {
            key: p256_public(secret),
            rp_id_hash: rp_id_hash(),
            origin: "https://app.example.com",
            require_user_verification: true,
        },
    )
}

/// A passkey's assertion for `hash`, as a browser serializes it (user
/// present and verified).
fn assertion(secret: u256, hash: felt252) -> Assertion {
    let mut data: ByteArray = "";
    append_u256(ref data, rp_id_hash());
    data.append_byte(0x05);
    data.append_word(0, 4);
    let mut json: ByteArray = "{";
    let type_offset = json.len();
    json.append(@"\"type\":\"webauthn.get\",");
    let challenge_offset = json.len();
    json.append(@"\"challenge\":\"");
    json.append(@challenge_of(hash));
    json.append(@"\",");
    let origin_offset = json.len();
    json.append(@"\"origin\":\"https://app.example.com\",\"crossOrigin\":false}");
    let mut signed = data.clone();
    append_u256(ref signed, sha256(@json));
    let (r, s) = p256_sign(secret, sha256(@signed));
    Assertion {
        authenticator_data: data,
        client_data_json: json,
        type_offset,
        challenge_offset,
        origin_offset,
        r,
        s,
    }
}

/// `owner`'s signature of `hash` in its layout (§2.1); `secret` signs.
fn owner_sig(owner: @OwnerKey, secret: u256, hash: felt252) -> Array<felt252> {
    let signature = match owner {
        OwnerKey::Stark(_) => {
            let (r, s) = sign(secret.try_into().unwrap(), hash);
            stark(r, s)
        },
        OwnerKey::P256(_) => {
            let (r, s) = p256_sign(secret, hash.into());
            let mut out = array![P256_MAGIC];
            P256Signature { r, s }.serialize(ref out);
            return out;
        },
        OwnerKey::WebAuthn(_) => {
            let mut out = array![WEBAUTHN_MAGIC];
            assertion(secret, hash).serialize(ref out);
            return out;
        },
    };
    let mut out = array![];
    signature.serialize(ref out);
    out
}

/// Every kind, with the secret that signs for it.
fn kinds() -> Array<(OwnerKey, u256)> {
    array![
        (OwnerKey::Stark(owner_key()), OWNER_SECRET.into()), (p256_owner(P256_SECRET), P256_SECRET),
        (passkey_owner(PASSKEY_SECRET), PASSKEY_SECRET),
    ]
}

fn register_call(env: Env) -> starknet::account::Call {
    let mut calldata = array![];
    policy(env).serialize(ref calldata);
    call(env.account, selector!("register_session"), calldata)
}

fn registered(env: Env) -> bool {
    ISessionViewsDispatcher { contract_address: env.account }
        .get_session(crate::fixtures::account::session_key())
        .valid_until != 0
}

#[test]
fn every_kind_signs_owner_transactions() {
    for (owner, secret) in kinds() {
        let env = setup_owned_by(@owner);
        let tx = raw_tx(array![register_call(env)], owner_sig(@owner, secret, TX_HASH), T0);
        assert_eq!(submit(env.account, @tx), Outcome::Accepted);
        assert!(registered(env));
    }
}

#[test]
fn a_signature_of_another_hash_or_kind_is_refused() {
    let p256 = p256_owner(P256_SECRET);
    let passkey = passkey_owner(PASSKEY_SECRET);
    let stark_owner = OwnerKey::Stark(owner_key());
    let invalid = Outcome::Rejected(SignatureErrors::INVALID_SIGNATURE);
    // Another hash, another key of the same kind.
    let env = setup_owned_by(@p256);
    let calls = array![register_call(env)];
    let other_hash = raw_tx(calls.clone(), owner_sig(@p256, P256_SECRET, TX_HASH + 1), T0);
    assert_eq!(submit(env.account, @other_hash), invalid);
    let other_key = raw_tx(calls.clone(), owner_sig(@p256, OTHER_P256_SECRET, TX_HASH), T0);
    assert_eq!(submit(env.account, @other_key), invalid);
    // Another kind: a Stark signature, and a passkey of the same P-256 key.
    let stark_sig = raw_tx(
        calls.clone(), owner_sig(@stark_owner, OWNER_SECRET.into(), TX_HASH), T0,
    );
    assert_eq!(submit(env.account, @stark_sig), invalid);
    let as_passkey = raw_tx(calls.clone(), owner_sig(@passkey, P256_SECRET, TX_HASH), T0);
    assert_eq!(submit(env.account, @as_passkey), invalid);
    // A passkey owner: its assertion of another hash fails on the challenge.
    let env = setup_owned_by(@passkey);
    let calls = array![register_call(env)];
    let other_hash = raw_tx(calls.clone(), owner_sig(@passkey, PASSKEY_SECRET, TX_HASH + 1), T0);
    assert_eq!(
        submit(env.account, @other_hash), Outcome::Rejected(WebAuthnErrors::WRONG_CHALLENGE),
    );
    let raw = raw_tx(calls, owner_sig(@p256, PASSKEY_SECRET, TX_HASH), T0);
    assert_eq!(submit(env.account, @raw), invalid);
    assert!(!registered(env));
}

#[test]
fn is_valid_signature_answers_for_every_kind_and_never_panics() {
    let hash = 0x5e55;
    for (owner, secret) in kinds() {
        let env = setup_owned_by(@owner);
        let account = ISRC6Dispatcher { contract_address: env.account };
        assert_eq!(account.is_valid_signature(hash, owner_sig(@owner, secret, hash)), VALIDATED);
        assert_eq!(account.is_valid_signature(hash + 1, owner_sig(@owner, secret, hash)), 0);
        assert_eq!(account.is_valid_signature(hash, array![]), 0);
        assert_eq!(account.is_valid_signature(hash, array!['p256', 1, 2]), 0);
        assert_eq!(account.is_valid_signature(hash, array!['webauthn', 1]), 0);
    }
}

#[test]
fn every_kind_authorizes_a_session() {
    for (owner, secret) in kinds() {
        let env = setup_owned_by(@owner);
        let hash = session_hash(@policy(env), binding(env.account, 0));
        let mut sig = owner_sig(@owner, secret, hash).span();
        let authorization = Authorization {
            policy: policy(env), owner_signature: Serde::deserialize(ref sig).unwrap(),
        };
        let tx = authorized_tx(array![transfer(env.token, 10)], T0, @authorization);
        assert_eq!(submit(env.account, @tx), Outcome::Accepted);
        assert!(registered(env));
    }
}

#[test]
fn every_kind_signs_outside_executions() {
    for (owner, secret) in kinds() {
        let env = setup_owned_by(@owner);
        let e = execution(array![register_call(env)], 7);
        let signature = owner_sig(@owner, secret, outside_hash(env, @e));
        assert_eq!(relay(env, e, signature, T0), Outcome::Accepted);
        assert!(registered(env));
    }
}

#[test]
#[feature("safe_dispatcher")]
fn every_kind_deploys_with_its_own_signature() {
    for (owner, secret) in kinds() {
        let env = setup_owned_by(@owner);
        let deployable = IDeployableSafeDispatcher { contract_address: env.account };
        start_cheat_transaction_hash(env.account, TX_HASH);
        start_cheat_transaction_version(env.account, 3);
        start_cheat_signature(env.account, owner_sig(@owner, secret, TX_HASH).span());
        assert_eq!(deployable.__validate_deploy__(0x123, 1, owner.clone()), Ok(VALIDATED));
        start_cheat_signature(env.account, owner_sig(@owner, secret, TX_HASH + 1).span());
        assert!(deployable.__validate_deploy__(0x123, 1, owner).is_err());
        stop_cheat_signature(env.account);
    }
}

#[test]
fn an_ill_formed_owner_cannot_deploy() {
    let class = declare("SessionAccount").unwrap().contract_class();
    let key = p256_public(P256_SECRET);
    let off_curve = OwnerKey::P256(P256PublicKey { x: key.x, y: key.y + 1 });
    let Some(OwnerKey::WebAuthn(signer)) = Option::Some(passkey_owner(PASSKEY_SECRET)) else {
        panic!("a passkey")
    };
    let mut no_origin = signer.clone();
    no_origin.origin = "";
    let mut no_rp = signer.clone();
    no_rp.rp_id_hash = 0;
    for owner in array![
        OwnerKey::Stark(0), off_curve, OwnerKey::WebAuthn(no_origin), OwnerKey::WebAuthn(no_rp),
    ] {
        let mut calldata = array![];
        owner.serialize(ref calldata);
        let error = class.deploy(@calldata).unwrap_err();
        assert_eq!(*error[0], OwnerErrors::INVALID_OWNER_KEY);
    }
}

/// `set_owner_key(new, proof)`, `new_secret` proving it holds `new`.
fn rotate_call(
    account: ContractAddress, old: @OwnerKey, new: @OwnerKey, new_secret: u256,
) -> starknet::account::Call {
    let message = poseidon_hash_span(
        array![SET_OWNER_PREFIX, CHAIN, account.into(), owner_id(old), owner_id(new)].span(),
    );
    let proof = owner_sig(new, new_secret, message);
    let mut calldata = array![];
    new.serialize(ref calldata);
    proof.serialize(ref calldata);
    call(account, selector!("set_owner_key"), calldata)
}

#[test]
fn the_owner_rotates_from_any_kind_to_any_kind() {
    let stark_owner = OwnerKey::Stark(owner_key());
    let steps = array![
        (stark_owner.clone(), OWNER_SECRET.into()), (p256_owner(P256_SECRET), P256_SECRET),
        (passkey_owner(PASSKEY_SECRET), PASSKEY_SECRET), (stark_owner, OWNER_SECRET.into()),
    ];
    let env = setup_owned_by(@OwnerKey::Stark(owner_key()));
    let owner = IOwnerDispatcher { contract_address: env.account };
    let mut current: (OwnerKey, u256) = (OwnerKey::Stark(owner_key()), OWNER_SECRET.into());
    let mut rotations = 0;
    for (next, next_secret) in steps.span().slice(1, 3) {
        let (old, old_secret) = current.clone();
        let rotate = rotate_call(env.account, @old, next, *next_secret);
        let tx = raw_tx(array![rotate], owner_sig(@old, old_secret, TX_HASH), T0);
        assert_eq!(submit(env.account, @tx), Outcome::Accepted);
        rotations += 1;
        assert_eq!(owner.get_owner_key(), next.clone());
        assert_eq!(owner.get_owner(), owner_id(next));
        assert_eq!(owner.get_owner_rotations(), rotations);
        // The old owner no longer signs (unless it is the new one).
        if old != next.clone() {
            let again = raw_tx(
                array![register_call(env)], owner_sig(@old, old_secret, TX_HASH), T0,
            );
            assert!(submit(env.account, @again) != Outcome::Accepted);
        }
        current = (next.clone(), *next_secret);
    }
    assert_eq!(owner.get_owner(), owner_key());
}

#[test]
fn a_rotation_needs_the_new_keys_proof() {
    let env = setup_owned_by(@OwnerKey::Stark(owner_key()));
    let new = p256_owner(P256_SECRET);
    // Proven by another P-256 key.
    let rotate = rotate_call(env.account, @OwnerKey::Stark(owner_key()), @new, OTHER_P256_SECRET);
    let tx = raw_tx(
        array![rotate], owner_sig(@OwnerKey::Stark(owner_key()), OWNER_SECRET.into(), TX_HASH), T0,
    );
    assert_eq!(submit(env.account, @tx), Outcome::Reverted(OwnerErrors::INVALID_OWNER_KEY));
    assert_eq!(IOwnerDispatcher { contract_address: env.account }.get_owner(), owner_key());
    // A proof that does not parse.
    let mut calldata = array![];
    new.serialize(ref calldata);
    array![1, 2, 3].serialize(ref calldata);
    let bad = call(env.account, selector!("set_owner_key"), calldata);
    let tx = raw_tx(
        array![bad], owner_sig(@OwnerKey::Stark(owner_key()), OWNER_SECRET.into(), TX_HASH), T0,
    );
    assert_eq!(submit(env.account, @tx), Outcome::Reverted(OwnerErrors::INVALID_OWNER_KEY));
}

#[test]
fn a_stark_owners_calldata_is_its_key_alone() {
    let mut calldata = array![];
    OwnerKey::Stark(0x1234).serialize(ref calldata);
    assert_eq!(calldata, array![0x1234]);
    let mut calldata = array![];
    p256_owner(P256_SECRET).serialize(ref calldata);
    assert_eq!(calldata.len(), 5);
    assert_eq!(*calldata[0], 'p256');
}
