//! snforge tests of the session account (docs/spec.md; § numbers refer to it).
//!
//! - `test_<module>`: the pure logic of one module, without deploying
//!   anything, with `fuzz_*` properties where one exists;
//! - `test_<rule>`: a spec rule through the deployed account's real
//!   entrypoints, cheatcodes standing in for the protocol (`support`).

mod fixtures_p256;
mod mocks;
mod relaying;
mod support;

mod test_account;
mod test_approvals;

mod test_authorization;
mod test_call_caps;
mod test_calldata;
mod test_calldata_rules;
mod test_calls;
mod test_expiry;
mod test_fee_budget;
mod test_fee_cap;
mod test_fees;
mod test_indirect_spending;
mod test_node;
mod test_outside_execution;
mod test_outside_guard;
mod test_outside_hash;
mod test_owner;
mod test_owner_kinds;
mod test_p256;
mod test_periodic_limits;
mod test_periods;
mod test_policy;
mod test_registration;
mod test_renewal;
mod test_revocation;
mod test_session_allowances;
mod test_session_data;
mod test_session_transactions;
mod test_signature;
mod test_spending;
mod test_spending_limits;
mod test_tx_fields;
mod test_webauthn;
mod test_window;
mod unit_fixtures;
