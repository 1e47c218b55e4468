//! Facts about the transaction being validated or executed.

/// INVOKE, DECLARE and DEPLOY_ACCOUNT v3: the only versions accepted.
const TX_V3: felt252 = 3;
/// v3 in query mode (fee estimation, simulation): 2^128 + 3.
const TX_V3_QUERY: felt252 = 0x100000000000000000000000000000003;

/// Whether `version` is a transaction version this account accepts.
fn is_supported_version(version: felt252) -> bool {
    version == TX_V3 || version == TX_V3_QUERY
}
