//! The session policy engine, as pure functions over plain data. The
//! contract (`account.cairo`) reads storage and the clock, then asks these
//! modules for a verdict; the Cairo tests in contracts/tests call them
//! directly.
//!
//! - `policy`    what the owner grants (§1.1) and its well-formedness
//! - `hash`      the session hash the owner signs (§1.2)
//! - `window`    where expiry is enforced: time window and grace (§4.2, §5)
//! - `calls`     which calls a session may make (§4.3, §4.6)
//! - `spending`  where the spending tally is computed (§4.4)
//! - `status`    what is stored per session, and the views (§8)

mod policy;
mod hash;
mod window;
mod calls;
mod spending;
mod status;
