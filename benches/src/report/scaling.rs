//! The thread-scaling table: each map's throughput at N threads divided by its own at 1.

use super::{Results, ratio};
use std::fmt::Write;

/// Writes the table (nothing if the run has no 1-thread rows with rows at more threads).
pub(crate) fn write(md: &mut String, results: &Results) {
    let pairs: Vec<_> = (results.rows.iter())
        .filter(|r| r.threads > 1)
        .filter_map(|r| {
            let base = (results.rows.iter()).find(|b| b.id == r.id && b.threads == 1)?;
            Some((base, r))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    let c = &results.contenders;
    let _ = writeln!(
        md,
        "\n## Thread scaling (throughput at N threads / at 1 thread)\n"
    );
    let _ = writeln!(
        md,
        "Each map against itself: 2.00x at 2 threads is linear scaling. n/a: not run at both \
         counts.\n"
    );
    let _ = write!(md, "| Workload | Threads |");
    for name in c {
        let _ = write!(md, " {name} |");
    }
    let _ = writeln!(md, "\n|---|---:|{}", "---:|".repeat(c.len()));
    for (base, row) in pairs {
        let _ = write!(md, "| {} | {} |", row.workload, row.threads);
        for (one, many) in base.mops.iter().zip(&row.mops) {
            let cell = one
                .zip(*many)
                .map_or_else(|| "n/a".to_owned(), |(one, many)| ratio(many / one));
            let _ = write!(md, " {cell} |");
        }
        let _ = writeln!(md);
    }
}
