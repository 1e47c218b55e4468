//! What each operation sends: its calls, who signs them and how they
//! travel (a transaction or an outside execution), and its fee bounds.
//! The model judges exactly these; the chain sends exactly these.

use starknet_rust::core::types::{Call, Felt};

use super::ops::{AdminEntrypoint, Metered, Op, Spender};
use super::policies::{policy_for, PolicyChoice};
use super::{
    router_address, token_address, OwnerKind, Reference, AT_CAP, AT_CAP_HEAVY, HEAVY, OVER_CAP,
    OVER_CAP_BY_ONE, OVER_CAP_BY_ONE_HEAVY, OVER_CAP_HEAVY, RECIPIENT, SLOTS, STRANGER,
    THIRD_PARTY,
};
use crate::model::{Path, SessionSignature};
use session_account::account::encoding::encode_calls;
use session_account::account::owner::calls;
use session_account::contract::selectors;
use session_account::token::transfer_call;
use session_account::token::STRK;
use session_account::tx::FeeBounds;

/// The calls of a session operation.
pub(crate) fn op_calls(reference: &Reference, op: &Op) -> Vec<Call> {
    let account = reference.model.account;
    let token = token_address();
    match *op {
        Op::Transfer { slot, selector, amount, count, .. } => {
            let words = reference.amount_words(slot, amount);
            token_calls(account, selector, words, count)
        }
        Op::RouterPull { slot, amount, .. } => {
            vec![router_pull(account, reference.amount_words(slot, amount))]
        }
        Op::ApproveThenPull { slot, spender, increase, approved, pulled, .. } => {
            let spender = match spender {
                Spender::Router => router_address(),
                Spender::ThirdParty => THIRD_PARTY,
            };
            let selector =
                if increase { selectors::INCREASE_ALLOWANCE } else { selectors::APPROVE };
            let [low, high] = reference.amount_words(slot, approved);
            let approve = Call { to: token, selector, calldata: vec![spender, low, high] };
            vec![approve, router_pull(account, reference.amount_words(slot, pulled))]
        }
        Op::ThirdPartyThenPull { slot, amount, .. } => {
            let [low, high] = reference.amount_words(slot, amount);
            vec![
                Call {
                    to: token,
                    selector: selectors::TRANSFER_FROM_CAMEL,
                    calldata: vec![THIRD_PARTY, RECIPIENT, low, high],
                },
                router_pull(account, [low, high]),
            ]
        }
        Op::FeeBurn { .. } => {
            vec![Call {
                to: token,
                selector: selectors::TRANSFER_FROM,
                calldata: vec![STRANGER, RECIPIENT, Felt::ONE, Felt::ZERO],
            }]
        }
        Op::CallStranger { .. } => vec![transfer_call(STRK, RECIPIENT, 1)],
        Op::AdminSelfCall { slot, entrypoint, .. }
        | Op::StrangerCallsAdmin { slot, entrypoint } => {
            vec![admin_call(reference, account, slot, entrypoint)]
        }
        Op::Renew { .. } => vec![calls::renew_session(account)],
        Op::RevokeSelf { slot, .. } => vec![calls::revoke_session(account, Reference::key(slot))],
        Op::LifecycleBesideTransfer { slot, .. } => vec![
            calls::revoke_session(account, Reference::key(slot)),
            transfer_call(token, RECIPIENT, 1),
        ],
        Op::Forged { .. }
        | Op::OverFeeCap { .. }
        | Op::UnsupportedTxField { .. }
        | Op::RelayedOnEdge { .. } => {
            vec![transfer_call(token, RECIPIENT, 1)]
        }
        Op::OwnerOutside { .. } | Op::ArmHook { .. } => vec![transfer_call(token, RECIPIENT, 1)],
        _ => vec![],
    }
}

/// `count` calls of the test token's `selector` moving the amount
/// `[low, high]` from `account` (or the third party) to the recipient.
fn token_calls(
    account: Felt,
    selector: Metered,
    [low, high]: [Felt; 2],
    count: usize,
) -> Vec<Call> {
    let calldata = match selector {
        Metered::TransferFromSelf => vec![account, RECIPIENT, low, high],
        Metered::TransferFromThirdParty => vec![THIRD_PARTY, RECIPIENT, low, high],
        Metered::Unmetered => vec![account],
        _ => vec![RECIPIENT, low, high],
    };
    (0..count)
        .map(|_| Call {
            to: token_address(),
            selector: selector.selector(),
            calldata: calldata.clone(),
        })
        .collect()
}

/// The router's pull of the amount `[low, high]` of `account`'s test
/// tokens to the recipient (through the owner's allowance).
fn router_pull(account: Felt, [low, high]: [Felt; 2]) -> Call {
    Call {
        to: router_address(),
        selector: selectors::PULL,
        calldata: vec![token_address(), account, RECIPIENT, low, high],
    }
}

/// The call to an owner-only `entrypoint` of `account` that slot's session
/// tries (§4.6).
fn admin_call(
    reference: &Reference,
    account: Felt,
    slot: usize,
    entrypoint: AdminEntrypoint,
) -> Call {
    match entrypoint {
        AdminEntrypoint::RevokeAll => calls::revoke_all_sessions(account),
        AdminEntrypoint::Upgrade => calls::upgrade(account, Felt::from(0xc1a55_u64)),
        AdminEntrypoint::SetOwner => Call {
            to: account,
            selector: selectors::SET_OWNER,
            calldata: vec![Reference::key(slot), Felt::ONE, Felt::TWO],
        },
        AdminEntrypoint::RegisterSession => calls::register_session(
            account,
            &policy_for(account, slot, PolicyChoice::limited(), reference.now),
        ),
        AdminEntrypoint::RevokeOther => {
            calls::revoke_session(account, Reference::key((slot + 1) % SLOTS))
        }
        AdminEntrypoint::Validate => Call {
            to: account,
            selector: starknet_rust::macros::selector!("__validate__"),
            calldata: encode_calls(&[transfer_call(token_address(), RECIPIENT, 1)]),
        },
    }
}

/// The owner's call approving the router for `amount` test tokens.
pub(crate) fn approve_router(amount: u128) -> Call {
    Call {
        to: token_address(),
        selector: selectors::APPROVE,
        calldata: vec![router_address(), Felt::from(amount), Felt::ZERO],
    }
}

/// Slot, route and signing of an operation a session signs.
pub(crate) fn session_op(op: &Op) -> Option<(usize, Path, SessionSignature)> {
    match *op {
        Op::Transfer { slot, path, .. }
        | Op::RouterPull { slot, path, .. }
        | Op::ApproveThenPull { slot, path, .. }
        | Op::ThirdPartyThenPull { slot, path, .. }
        | Op::CallStranger { slot, path }
        | Op::AdminSelfCall { slot, path, .. }
        | Op::Renew { slot, path }
        | Op::RevokeSelf { slot, path }
        | Op::LifecycleBesideTransfer { slot, path } => Some((slot, path, SessionSignature::Valid)),
        Op::Forged { slot, signing, path } => Some((slot, path, signing)),
        Op::RelayedOnEdge { slot, .. } => Some((slot, Path::Gasless, SessionSignature::Valid)),
        Op::OverFeeCap { slot, .. }
        | Op::FeeBurn { slot, .. }
        | Op::UnsupportedTxField { slot, .. } => {
            Some((slot, Path::Direct, SessionSignature::Valid))
        }
        _ => None,
    }
}

/// The fee bounds of slot's direct session transaction `op`: heavy when it
/// carries an authorization by a P-256 or passkey owner (room for its
/// verification) or one whose policy has calldata rules (room for storing
/// them: a 32-address set is 64 writes).
pub(crate) fn session_bounds(reference: &Reference, op: &Op, slot: usize) -> FeeBounds {
    let heavy = reference.pending[slot].as_ref().is_some_and(|a| {
        OwnerKind::of(reference.owner_number(a.signer)) != OwnerKind::Stark
            || !a.policy.calldata_rules.is_empty()
    });
    direct_bounds(op, heavy)
}

/// The fee bounds a direct session operation is sent with; `heavy` as
/// [`session_bounds`] says (the same caps otherwise).
fn direct_bounds(op: &Op, heavy: bool) -> FeeBounds {
    match (op, heavy) {
        (Op::OverFeeCap { by_one: false, .. }, false) => OVER_CAP,
        (Op::OverFeeCap { by_one: false, .. }, true) => OVER_CAP_HEAVY,
        (Op::OverFeeCap { by_one: true, .. }, false) => OVER_CAP_BY_ONE,
        (Op::OverFeeCap { by_one: true, .. }, true) => OVER_CAP_BY_ONE_HEAVY,
        (Op::FeeBurn { at_cap: true, .. }, false) => AT_CAP,
        (Op::FeeBurn { at_cap: true, .. }, true) => AT_CAP_HEAVY,
        (_, false) => FeeBounds::DEVNET,
        (_, true) => HEAVY,
    }
}
