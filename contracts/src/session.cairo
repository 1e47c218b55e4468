//! The session policy engine, as pure functions over plain data. The
//! contract (`account.cairo`) reads storage and the clock, then asks these
//! modules for a verdict; the Cairo tests in contracts/tests call them
//! directly.
//!
//! - `policy`  what the owner grants (the registration input)
//! - `status`  what is stored for a registered session, and the status view
//! - `window`  where expiry is enforced: the time-window rules
//! - `calls`   which calls a session may make

mod policy;
mod status;
mod window;
mod calls;
