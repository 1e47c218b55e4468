//! Every error string the account can fail with. Short, stable, and
//! documented in docs/spec.md; the Rust library maps each one to a typed
//! error (harness/src/errors.rs). Never reuse a string for a second reason.

// Protocol-level guards.
const INVALID_CALLER: felt252 = 'account/invalid-caller';
const INVALID_TX_VERSION: felt252 = 'account/invalid-tx-version';
const ONLY_OWNER: felt252 = 'account/only-owner';

// Signatures.
const INVALID_SIGNATURE: felt252 = 'account/invalid-signature';
const MALFORMED_SIGNATURE: felt252 = 'account/malformed-signature';

// Sessions.
const SESSION_NOT_REGISTERED: felt252 = 'session/not-registered';
const SESSION_ALREADY_REGISTERED: felt252 = 'session/already-registered';
const SESSION_REVOKED: felt252 = 'session/revoked';
const SESSION_EXPIRED: felt252 = 'session/expired';
const SESSION_NOT_YET_VALID: felt252 = 'session/not-yet-valid';
const SESSION_INVALID_WINDOW: felt252 = 'session/invalid-window';
const SESSION_INVALID_KEY: felt252 = 'session/invalid-key';
const SESSION_CONTRACT_NOT_ALLOWED: felt252 = 'session/contract-not-allowed';
const SESSION_SELF_CALL: felt252 = 'session/self-call-forbidden';
const SESSION_NO_CALLS: felt252 = 'session/no-calls';

/// Returns the value of `result`, or panics with its error string.
fn unwrap_or_panic<T, impl TDrop: Drop<T>>(result: Result<T, felt252>) -> T {
    match result {
        Result::Ok(value) => value,
        Result::Err(error) => panic_with_felt252(error),
    }
}
