//! # session-account
//!
//! The Rust SDK of the session-key account: a Starknet account whose owner
//! grants session keys a narrow, time-limited policy, enforced by the
//! contract in `__validate__` and `__execute__` (see `docs/spec.md` in the
//! repository).
//!
//! - [`account`]: [`SessionAccount`](account::SessionAccount) and the owner
//!   account, both plain starknet-rust `Account`s; deployment;
//! - [`policy`]: the policy and its builder, the session hash, the metering
//!   of spending, and the views;
//! - [`signature`]: the signature layouts and the owner's authorization;
//! - [`signers`]: owner keys of every kind (Stark, P-256, passkeys) and
//!   the [`OwnerSigner`](signers::OwnerSigner) that signs as the owner;
//! - [`session_token`], [`session_client`]: a session as one portable
//!   string, and using it like a wallet (auto-renewal, gasless, typed
//!   errors);
//! - [`outside`]: gasless execution (SNIP-9 v2) through a
//!   [`Relayer`](outside::Relayer);
//! - [`tx`]: sending transactions, fee bounds, and telling rejections from
//!   reverts;
//! - [`contract`]: the compiled class and the contract's typed errors;
//! - [`keys`]: owner keys from keystores or the environment;
//! - [`token`]: ERC-20 calls and amounts.
//!
//! It has no devnet, no test contracts and needs no Cairo toolchain: the
//! contract class is committed and embedded. Devnet, the reference model,
//! the fuzzer and the benchmarks are in `session-account-testkit`.

pub mod account;
pub mod contract;
pub mod invoke;
pub mod keys;
pub mod outside;
pub mod policy;
pub mod session_client;
pub mod session_token;
pub mod signature;
pub mod signers;
pub mod token;
pub mod tx;

/// The JSON-RPC provider the SDK's examples and tools use.
pub type Rpc =
    starknet_rust::providers::JsonRpcClient<starknet_rust::providers::jsonrpc::HttpTransport>;
