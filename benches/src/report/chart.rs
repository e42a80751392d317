//! The SVG chart of a run.

use super::Results;
use crate::svg;

/// The chart: one panel per thread count, one bar group per workload.
pub fn chart(results: &Results) -> String {
    let mut threads: Vec<usize> = results.rows.iter().map(|r| r.threads).collect();
    threads.sort_unstable();
    threads.dedup();
    let panels: Vec<svg::Panel> = threads
        .iter()
        .map(|&t| svg::Panel {
            title: format!("{t} thread{}", if t == 1 { "" } else { "s" }),
            groups: results
                .rows
                .iter()
                .filter(|r| r.threads == t)
                .map(|r| svg::Group {
                    label: r.workload.clone(),
                    values: r.mops.clone(),
                })
                .collect(),
        })
        .collect();
    svg::render(
        "masstree vs peers: throughput",
        &results.contenders,
        "Mops/s (range scans: Mscans/s; full scan: Mkeys/s)",
        &panels,
    )
}
