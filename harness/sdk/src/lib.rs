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
//! - [`keys`]: owner keys in encrypted keystore files;
//! - [`token`]: ERC-20 calls and amounts.
//!
//! It has no devnet, no test contracts and needs no Cairo toolchain: the
//! contract class is committed and embedded. Devnet, the reference model,
//! the fuzzer and the benchmarks are in `session-account-testkit`.
//!
//! ## Quick start: a dapp with a session
//!
//! The owner's wallet hands the dapp a session as one string (a
//! [`SessionToken`]); the dapp connects it to a node and executes, and a
//! refusal comes back as a [`SessionError`] carrying the facts:
//!
//! ```no_run
//! use session_account::token::{transfer_call, STRK};
//! use session_account::{Rpc, SessionClient, SessionError, SessionToken};
//! use starknet_rust::core::types::Felt;
//! use starknet_rust::providers::jsonrpc::HttpTransport;
//! use starknet_rust::providers::Url;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = SessionToken::decode(&std::env::var("SESSION_ACCOUNT_SESSION")?)?;
//! let node = Rpc::new(HttpTransport::new(Url::parse("http://127.0.0.1:5050")?));
//! let mut client = SessionClient::connect(node, token).await?;
//! let recipient = Felt::from_hex("0x123")?;
//! match client.execute(vec![transfer_call(STRK, recipient, 1_000)]).await {
//!     Ok(sent) => println!("sent {:#x}", sent.transaction_hash),
//!     Err(SessionError::SpendingLimit { limit, spent, .. }) => {
//!         println!("the session's limit is reached: {spent} of {limit} spent")
//!     }
//!     Err(SessionError::PeriodLimit { resets_at, .. }) => {
//!         println!("today's allowance is spent; it resets at {resets_at}")
//!     }
//!     Err(SessionError::Expired { .. } | SessionError::Revoked) => {
//!         println!("ask the owner for a new session")
//!     }
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The owner's side, granting that session: [`SessionPolicy::builder`],
//! then [`OwnerOperations::register_session`](account::OwnerOperations)
//! from an [`OwnerAccount`] (or an [`Authorization`](signature::Authorization)
//! the session's first transaction carries), then
//! [`SessionToken::encode`]. `examples/` has both sides as programs.
//!
//! Accounts are constructed at an [`AccountAt`] (an address on a chain),
//! never from two felts in a row.

#![warn(missing_docs)]

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

pub use account::{AccountAt, OwnerAccount, SessionAccount};
pub use contract::ContractError;
pub use policy::SessionPolicy;
pub use session_client::{SessionClient, SessionError};
pub use session_token::SessionToken;
pub use tx::TxError;

/// The README's snippets, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The JSON-RPC provider the SDK's examples and tools use.
pub type Rpc =
    starknet_rust::providers::JsonRpcClient<starknet_rust::providers::jsonrpc::HttpTransport>;
