//! How the components turn the verdicts of the pure checks (`policy`,
//! `signature`, `signers`), which return `Result<T, felt252>` so they can be
//! tested without deploying anything, into transaction failures.

/// The value of `result`, or a panic with its error string (one of the
/// `Errors` strings of docs/spec.md §10).
pub fn unwrap_or_panic<T, +Drop<T>>(result: Result<T, felt252>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => core::panic_with_felt252(error),
    }
}
