//! Accounts that plug into starknet-rust's `Account` / `ConnectedAccount` /
//! `ExecutionEncoder` traits.
//!
//! - [`SessionAccount`]: signs with a session key; what apps use.
//! - [`OwnerAccount`]: signs with a Stark owner key; deploys the account
//!   and manages sessions ([`OwnerOperations`]).
//! - [`KeyedOwnerAccount`]: the same for an owner of any kind (a P-256
//!   key, a passkey: [`crate::signers`]).

use starknet_rust::core::types::Felt;

pub mod deploy;
pub mod encoding;
pub mod keyed_owner;
pub mod owner;
pub mod session;

pub use deploy::{counterfactual_address, deploy_account, AccountDeployment, NewAccount};
pub use keyed_owner::KeyedOwnerAccount;
pub use owner::{owner_account, OwnerAccount, OwnerOperations, OwnerSigned};
pub use session::{SessionAccount, SessionSignError};

/// Where an account lives: its address, on a chain. The account
/// constructors take it rather than two felts in a row, so an address and a
/// chain id cannot be swapped without the compiler noticing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountAt {
    /// The account contract's address.
    pub address: Felt,
    /// The chain's id (e.g. `SN_SEPOLIA` as a short string).
    pub chain_id: Felt,
}
