//! The gas chart: L2 gas per operation, one bar per account kind, drawn as
//! SVG with plotters.

use std::path::Path;

use plotters::prelude::*;

use super::gas::{AccountKind, GasRow};

fn color(kind: AccountKind) -> RGBColor {
    match kind {
        AccountKind::Baseline => RGBColor(120, 120, 120),
        AccountKind::Owner => RGBColor(31, 119, 180),
        AccountKind::OwnerP256 => RGBColor(148, 103, 189),
        AccountKind::OwnerPasskey => RGBColor(255, 127, 14),
        AccountKind::Session => RGBColor(44, 160, 44),
        AccountKind::SessionLimited => RGBColor(214, 39, 40),
    }
}

/// A short label for an operation, for the x axis.
fn short(operation: &str) -> String {
    operation
        .replace("register session (owner tx)", "register")
        .replace(
            "transfer x1, first tx carrying an authorization by the owner (P-256)",
            "first tx + auth (P-256)",
        )
        .replace(
            "transfer x1, first tx carrying an authorization by the owner (passkey)",
            "first tx + auth (passkey)",
        )
        .replace("transfer x1, first tx carrying an authorization", "first tx + auth")
        .replace(" (session tx)", "")
        .replace("revoke session (owner tx)", "revoke")
        .replace("revoke-all with ", "revoke-all ")
        .replace(" sessions", "")
}

/// Draws `rows` to `path` (SVG).
pub fn draw(rows: &[GasRow], path: &Path) -> Result<(), String> {
    let mut operations: Vec<&str> = Vec::new();
    for r in rows {
        if !operations.contains(&r.operation.as_str()) {
            operations.push(&r.operation);
        }
    }
    let max = rows.iter().map(|r| r.l2_gas).max().unwrap_or(1) as f64 * 1.15;
    let root = SVGBackend::new(path, (1280, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .caption("L2 gas per transaction (devnet receipts)", ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(0f64..operations.len() as f64, 0f64..max)
        .map_err(|e| e.to_string())?;
    let labels = operations.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(operations.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - i as f64 - 0.5).abs() < 1e-6 {
                labels.get(i).map(|o| short(o)).unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("L2 gas")
        .y_label_formatter(&|y| format!("{:.1}M", y / 1e6))
        .draw()
        .map_err(|e| e.to_string())?;
    let width = 0.8 / AccountKind::ALL.len() as f64;
    for (k, kind) in AccountKind::ALL.iter().enumerate() {
        let bars: Vec<Rectangle<(f64, f64)>> = operations
            .iter()
            .enumerate()
            .filter_map(|(i, op)| {
                let r = rows.iter().find(|r| r.operation == *op && r.account == *kind)?;
                let x0 = i as f64 + 0.1 + k as f64 * width;
                Some(Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.9, r.l2_gas as f64)],
                    color(*kind).filled(),
                ))
            })
            .collect();
        let c = color(*kind);
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(kind.label())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
