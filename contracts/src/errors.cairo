//! Every error string the account can fail with (docs/spec.md §10). Short,
//! stable, one per distinct reason; the Rust library maps each one to a
//! typed error (harness/src/contract/errors.rs) and the reference model
//! predicts them. Never reuse a string for a second reason.

// Protocol-level guards (§7.1).
const INVALID_CALLER: felt252 = 'account/invalid-caller';
const INVALID_TX_VERSION: felt252 = 'account/invalid-tx-version';
const ONLY_OWNER: felt252 = 'account/only-owner';

// Signatures (§2), owner administration (§6, §7.3).
const INVALID_SIGNATURE: felt252 = 'account/invalid-signature';
const MALFORMED_SIGNATURE: felt252 = 'account/malformed-signature';
const INVALID_OWNER_KEY: felt252 = 'account/invalid-owner-key';
const INVALID_CLASS_HASH: felt252 = 'account/invalid-class-hash';

// Session registry (§1.1, §3, §4.1).
const SESSION_NOT_REGISTERED: felt252 = 'session/not-registered';
const SESSION_ALREADY_REGISTERED: felt252 = 'session/already-registered';
const SESSION_REVOKED: felt252 = 'session/revoked';
const SESSION_EPOCH_REVOKED: felt252 = 'session/epoch-revoked';
const SESSION_EXPIRED: felt252 = 'session/expired';
const SESSION_NOT_YET_VALID: felt252 = 'session/not-yet-valid';
const SESSION_INVALID_KEY: felt252 = 'session/invalid-key';
const SESSION_INVALID_WINDOW: felt252 = 'session/invalid-window';
const SESSION_INVALID_RENEWAL: felt252 = 'session/invalid-renewal';
const SESSION_INVALID_CALL_CAPS: felt252 = 'session/invalid-call-caps';
const SESSION_DUPLICATE_ENTRY: felt252 = 'session/duplicate-entry';
const SESSION_INVALID_AUTHORIZATION: felt252 = 'session/invalid-authorization';

// Calls (§4.3).
const SESSION_NO_CALLS: felt252 = 'session/no-calls';
const SESSION_SELF_CALL: felt252 = 'session/self-call-forbidden';
const SESSION_CONTRACT_NOT_ALLOWED: felt252 = 'session/contract-not-allowed';
const SESSION_ENTRYPOINT_NOT_ALLOWED: felt252 = 'session/entrypoint-not-allowed';
const SESSION_TOO_MANY_CALLS: felt252 = 'session/too-many-calls';
const SESSION_CALL_LIMIT: felt252 = 'session/call-limit';

// Spending (§4.4).
const SESSION_SPENDING_LIMIT: felt252 = 'session/spending-limit';
const SESSION_MALFORMED_CALLDATA: felt252 = 'session/malformed-calldata';
const SESSION_UNMETERED_SELECTOR: felt252 = 'session/unmetered-selector';

// Fees (§4.5).
const SESSION_FEE_BOUNDS_MISMATCH: felt252 = 'session/fee-bounds-mismatch';
const SESSION_FEE_ABOVE_CAP: felt252 = 'session/fee-above-cap';

// Renewal (§5).
const SESSION_NOT_RENEWABLE: felt252 = 'session/not-renewable';
const SESSION_NOT_EXPIRED: felt252 = 'session/not-expired';
const SESSION_RENEWAL_LIMIT: felt252 = 'session/renewal-limit';

// Outside execution (§11).
const OUTSIDE_INVALID_CALLER: felt252 = 'outside/invalid-caller';
const OUTSIDE_TOO_EARLY: felt252 = 'outside/too-early';
const OUTSIDE_EXPIRED: felt252 = 'outside/expired';
const OUTSIDE_NONCE_USED: felt252 = 'outside/nonce-used';
const OUTSIDE_REENTRANT: felt252 = 'outside/reentrant-call';

/// Returns the value of `result`, or panics with its error string.
fn unwrap_or_panic<T, impl TDrop: Drop<T>>(result: Result<T, felt252>) -> T {
    match result {
        Result::Ok(value) => value,
        Result::Err(error) => panic_with_felt252(error),
    }
}
