//! Accounts that plug into starknet-rust's `Account` / `ConnectedAccount` /
//! `ExecutionEncoder` traits.
//!
//! - [`SessionAccount`]: signs with a session key; what apps use.
//! - [`OwnerAccount`]: signs with the owner key; deploys the account and
//!   manages sessions ([`OwnerOperations`]).

pub mod deploy;
pub mod encoding;
pub mod owner;
pub mod session;

pub use deploy::{counterfactual_address, deploy_account, AccountDeployment};
pub use owner::{OwnerAccount, OwnerOperations};
pub use session::{SessionAccount, SessionSignError};
