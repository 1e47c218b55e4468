//! Assertions on `Result<T, felt252>` (Cairo 2.1 has no `PartialEq` for
//! `Result`).

/// The value of `result`; panics with `message` if it is an error.
fn assert_ok<T, impl TDrop: Drop<T>>(result: Result<T, felt252>, message: felt252) -> T {
    match result {
        Result::Ok(value) => value,
        Result::Err(_) => panic_with_felt252(message),
    }
}

/// Panics with `message` unless `result` is exactly the error `expected`.
fn assert_err<T, impl TDrop: Drop<T>>(result: Result<T, felt252>, expected: felt252, message: felt252) {
    match result {
        Result::Ok(_) => panic_with_felt252(message),
        Result::Err(error) => assert(error == expected, message),
    }
}
