//! `demo`: the main job, an end-to-end session demo on an embedded devnet.

use session_account_testkit::demo::{self, DemoReport};
use session_account_testkit::devnet::embedded::DEFAULT_SEED;
use session_account_testkit::devnet::DevnetOptions;

use crate::output::{Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Seed of the predeployed accounts.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u32,
}

pub async fn run(args: Args, out: &Output) -> anyhow::Result<DemoReport> {
    let progress = out.progress();
    let options = DevnetOptions { seed: args.seed, ..DevnetOptions::default() };
    Ok(demo::run(options, |step| progress.step(step)).await?)
}

impl Response for DemoReport {
    fn text(&self) -> String {
        self.to_string()
    }
}
