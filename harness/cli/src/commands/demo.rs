//! `demo`: the main job, an end-to-end session demo on an embedded devnet.

use session_account_testkit::demo::{self, DemoOwner, DemoReport};
use session_account_testkit::devnet::embedded::DEFAULT_SEED;
use session_account_testkit::devnet::DevnetOptions;

use crate::output::{Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
    /// Who owns the account: a Stark key (registers the session in an owner
    /// transaction) or a passkey (`webauthn`: a software authenticator
    /// asserts the session once; the session's first transaction registers it).
    #[arg(long, value_enum, default_value_t = Owner::Stark)]
    owner: Owner,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Owner {
    Stark,
    Webauthn,
}

pub async fn run(args: Args, out: &Output) -> anyhow::Result<DemoReport> {
    let progress = out.progress();
    let options = DevnetOptions { seed: args.seed, ..DevnetOptions::default() };
    let owner = match args.owner {
        Owner::Stark => DemoOwner::Stark,
        Owner::Webauthn => DemoOwner::WebAuthn,
    };
    Ok(demo::run_with(options, owner, |step| progress.step(step)).await?)
}

impl Response for DemoReport {
    fn text(&self) -> String {
        self.to_string()
    }
}
