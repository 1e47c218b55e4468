//! # session-account
//!
//! A Starknet account whose owner grants session keys a narrow,
//! time-limited policy, enforced by the contract in `__validate__` and
//! `__execute__` (see `docs/spec.md`).
//!
//! This crate is the Rust side:
//! - [`account`]: [`SessionAccount`](account::SessionAccount) and the owner
//!   account, both plain starknet-rust `Account`s;
//! - [`policy`], [`signature`]: the policy and signature layouts;
//! - [`contract`]: the compiled classes and the contract's typed errors;
//! - [`tx`]: sending transactions and telling rejections from reverts;
//! - [`session_token`], [`session_client`]: a session as one portable
//!   string, and using it like a wallet (auto-renewal, typed errors);
//! - [`keys`]: owner keys from keystores or the environment;
//! - [`model`]: the reference model of the spec, for the fuzzer;
//! - [`outside`]: gasless execution (SNIP-9 v2) through a [`outside::Relayer`];
//! - [`devnet`]: devnet methods, and (feature `devnet`) an embedded devnet
//!   and the [`demo`].
//!
//! Dapps that only sign with session keys use the default features, which
//! do not pull in devnet or the Cairo compiler. The contract class is
//! committed in `harness/classes/` and embedded; building the crate needs no
//! Cairo toolchain.

pub mod account;
pub mod contract;
pub mod devnet;
pub mod keys;
pub mod model;
pub mod outside;
pub mod policy;
pub mod session_client;
pub mod session_token;
pub mod signature;
pub mod token;
pub mod tx;

#[cfg(feature = "devnet")]
pub mod demo;
#[cfg(feature = "cli")]
pub mod bench;
#[cfg(feature = "cli")]
pub mod fuzz;
