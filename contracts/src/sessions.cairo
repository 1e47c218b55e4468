//! Sessions: the registry and lifecycle component, how a session is stored,
//! the rules every session execution passes, and what the owner signs.
//!
//! - `component`     SessionsComponent: registration, renewal, revocation,
//!                   revoke-all, views
//! - `transactions`  what every session execution is checked for and records
//!                   (validate, execute, outside executions)
//! - `enforcement`   the rules of §4, in order, for validate, execute and
//!                   outside executions
//! - `settlement`    the spending watch around the calls: what they moved
//!                   of each limited token, settled against the limit
//! - `registration`  registration by transaction or authorization (§3), and
//!                   storing a policy
//! - `node`          how one session is stored (storage node, packed slots,
//!                   the spending tally, periodic windows)
//! - `rules`         how calldata rules and their sets are stored
//! - `allowances`    the spenders a session approved, and clearing them
//! - `views`         what the views read of a stored session
//! - `authorization` the SNIP-12 session hash the owner signs (§1.2)

pub mod allowances;
pub mod authorization;
pub mod component;
pub mod enforcement;
pub mod node;
pub mod registration;
pub mod rules;
pub mod settlement;
pub mod transactions;
pub mod views;
pub use component::SessionsComponent;
