//! `session export`: the current session as one token string, to hand to
//! an app (it holds the session's private key).

use serde::Serialize;

use super::SessionSelector;
use crate::context::Context;
use crate::output::Response;

#[derive(Serialize)]
pub struct Exported {
    token: String,
}

impl Response for Exported {
    fn text(&self) -> String {
        self.token.clone()
    }
}

pub fn run(selector: SessionSelector, ctx: &Context) -> anyhow::Result<Exported> {
    let token = ctx.load_session(selector.session.as_deref())?;
    Ok(Exported { token: token.encode() })
}
