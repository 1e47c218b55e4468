//! snforge tests of the session account (docs/spec.md; § numbers refer to it).
//!
//! - `unit::<module>`: the pure logic of one module of `contracts/src`,
//!   without deploying anything, with `fuzz_*` properties where one exists;
//! - `account::<rule>`: a spec rule through the deployed account's real
//!   entrypoints, cheatcodes standing in for the protocol;
//! - `fixtures`: what both share (keys, addresses, sample policies, the
//!   deployed account, [`fixtures::account::submit`] and its `Outcome`).
//!
//! Every test that sends something names how it ended the same way the
//! reference model and the SDK do: `Accepted`, `Rejected` (refused in
//! `__validate__`) or `Reverted` (refused in `__execute__`, or a relayed
//! outside execution that failed).

mod fixtures;

mod unit {
    mod authorization;
    mod calldata;
    mod calls;
    mod fees;
    mod node;
    mod outside_hash;
    mod p256;
    mod periods;
    mod policy;
    mod signature;
    mod spending;
    mod webauthn;
    mod window;
}

mod account {
    mod approvals;
    mod call_caps;
    mod calldata_rules;
    mod expiry;
    mod fee_budget;
    mod fee_cap;
    mod indirect_spending;
    mod outside_execution;
    mod outside_guard;
    mod owner;
    mod owner_kinds;
    mod periodic_limits;
    mod registration;
    mod renewal;
    mod revocation;
    mod session_allowances;
    mod session_data;
    mod session_transactions;
    mod spending_limits;
    mod src6;
    mod tx_fields;
}
