//! session_account: a Starknet account owned by a Stark key, a P-256 key or
//! a passkey, which grants session keys narrow, time-limited policies and
//! enforces them on-chain.
//! The normative description is docs/spec.md; § numbers refer to it.
//!
//! Where things live:
//! - `account`            the contract: wires the components, dispatches
//!                        `__validate__`/`__execute__` to the owner or
//!                        session path
//! - `interface`          every public interface, view type and interface id
//! - `owner`              OwnerComponent: the owner key (any kind),
//!                        `is_valid_signature`,
//!                        owner-only entrypoints, key rotation, upgrade
//! - `sessions`           SessionsComponent: registry, lifecycle, views, and
//!                        the checks of every session execution
//! - `policy`             pure rules: window (expiry), calls, spending
//!                        (the tally), fees
//! - `outside_execution`  OutsideExecutionComponent: SNIP-9 v2 (gasless)
//! - `src5`               SRC5Component: interface introspection
//! - `signature`          owner and session signature layouts
//! - `signers`            how each kind of owner key verifies: P-256,
//!                        WebAuthn (passkeys)
//! - `execution`          who signed the running execution; running calls
//! - `packing`            how small values share a storage slot
//! - `snip12`             the SNIP-12 hashing both signed messages share
//! - `verdict`            how a pure check's error becomes a transaction
//!                        failure

pub mod account;
pub mod execution;
pub mod interface;
pub mod outside_execution;
pub mod owner;
pub mod packing;
pub mod policy;
pub mod sessions;
pub mod signature;
pub mod signers;
pub mod snip12;
pub mod src5;
pub mod verdict;
