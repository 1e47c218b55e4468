//! `bench`: gas per operation and account kind, and the fuzzer's throughput
//! against plain transfers, on embedded devnets; a JSON report and an SVG
//! chart.

use std::path::PathBuf;

use anyhow::Context as _;
use serde::Serialize;
use session_account_testkit::bench::{self, BenchReport};

use crate::output::{Output, Response};

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the JSON report.
    #[arg(long, default_value = "bench-report.json")]
    report: PathBuf,
    /// Where to write the gas chart (SVG).
    #[arg(long, default_value = "bench-gas.svg")]
    chart: PathBuf,
    /// Plain transfers sent to measure the devnet's ceiling.
    #[arg(long, default_value_t = 300)]
    transactions: u64,
    /// Fuzz cases run to measure the fuzzer (on one devnet, then on two).
    #[arg(long, default_value_t = 100)]
    cases: u64,
    /// Seed of the fuzz cases.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Gas only.
    #[arg(long)]
    skip_throughput: bool,
}

/// The report, and where it was written.
#[derive(Serialize)]
pub struct Benched {
    #[serde(flatten)]
    report: BenchReport,
    #[serde(skip)]
    report_path: PathBuf,
    #[serde(skip)]
    chart: PathBuf,
}

impl Response for Benched {
    fn text(&self) -> String {
        let report = &self.report;
        let mut text = format!(
            "{:<50} {:<22} {:>10} {:>10} {:>10} {:>8}\n",
            "operation", "account", "L2 gas", "validate", "execute", "vs base"
        );
        for r in &report.gas {
            let ratio = r.vs_baseline.map(|x| format!("{x:.2}x")).unwrap_or_default();
            text.push_str(&format!(
                "{:<50} {:<22} {:>10} {:>10} {:>10} {:>8}\n",
                r.operation,
                r.account.label(),
                r.l2_gas,
                r.validate_l2_gas,
                r.execute_l2_gas,
                ratio
            ));
        }
        if let Some(t) = &report.throughput {
            text.push('\n');
            text.push_str(&t.summary());
        }
        text.push_str("\ntargets:\n");
        for t in &report.targets {
            let met = if t.met { "met" } else { "MISSED" };
            text.push_str(&format!("  [{met}] {}: {} (target {})\n", t.name, t.measured, t.target));
        }
        text.push_str(&format!(
            "\nwrote {} and {}",
            self.report_path.display(),
            self.chart.display()
        ));
        text
    }
}

pub async fn run(args: Args, out: &Output) -> anyhow::Result<Benched> {
    let progress = out.progress();
    progress.step("measuring gas (fresh devnet)");
    let gas = bench::gas::measure(&bench::REVOKE_ALL_SESSIONS).await?;
    let write = |report: &BenchReport| -> anyhow::Result<()> {
        crate::output::write_report(&args.report, report)?;
        bench::chart::draw(&report.gas, &args.chart)
            .map_err(|e| anyhow::anyhow!("drawing {}: {e}", args.chart.display()))
    };
    let mut report = BenchReport {
        targets: bench::targets(&gas, None),
        gas,
        throughput: None,
        notes: bench::notes(),
    };
    // The gas figures are written first: a failing throughput run does not
    // lose them.
    write(&report)?;
    if !args.skip_throughput {
        progress.step(&format!(
            "measuring throughput: {} plain transfers, then {} fuzz cases on one devnet at a time",
            args.transactions, args.cases
        ));
        let (transactions, cases, seed) = (args.transactions, args.cases, args.seed);
        // Blocking, with its own runtimes: off this one.
        let measured = std::thread::scope(|scope| {
            scope.spawn(|| bench::throughput::measure(transactions, cases, seed)).join()
        })
        .map_err(|_| {
            anyhow::anyhow!(
                "the throughput bench panicked; the gas figures are in {}",
                args.report.display()
            )
        })?
        .with_context(|| {
            format!("measuring throughput; the gas figures are in {}", args.report.display())
        })?;
        report.targets = bench::targets(&report.gas, Some(&measured));
        report.throughput = Some(measured);
        write(&report)?;
    }
    Ok(Benched { report, report_path: args.report, chart: args.chart })
}
