//! Accounts that plug into starknet-rust's `Account` / `ConnectedAccount` /
//! `ExecutionEncoder` traits.
//!
//! - [`SessionAccount`]: signs with a session key; what apps use.
//! - [`OwnerAccount`]: signs with a Stark owner key; deploys the account
//!   and manages sessions ([`OwnerOperations`]).
//! - [`KeyedOwnerAccount`]: the same for an owner of any kind (a P-256
//!   key, a passkey: [`crate::signers`]).

pub mod deploy;
pub mod encoding;
pub mod keyed_owner;
pub mod owner;
pub mod session;

pub use deploy::{counterfactual_address, deploy_account, AccountDeployment};
pub use keyed_owner::KeyedOwnerAccount;
pub use owner::{OwnerAccount, OwnerOperations};
pub use session::{SessionAccount, SessionSignError};
