//! The tail-latency table.

use crate::tails::{Percentiles, SAMPLE_EVERY, Tails};
use std::fmt::Write;

/// Writes the table (nothing if tail latency was not measured).
pub(crate) fn write(md: &mut String, tails: Option<&Tails>) {
    let Some(t) = tails else {
        return;
    };
    let _ = writeln!(
        md,
        "\n## Tail latency: {}, {} threads\n",
        t.workload, t.threads
    );
    let _ = writeln!(
        md,
        "{} keys, {:.1} s per map. One operation in {SAMPLE_EVERY} (by trace position) is timed \
         with two `Instant` reads around it; each sample includes about {:.0} ns of timing (the \
         median of back-to-back reads). Nanoseconds, nearest rank, both threads' samples \
         together. n/a: not run.\n",
        t.keys,
        t.duration.as_secs_f64(),
        t.timer_ns
    );
    let w = t.write;
    let _ = writeln!(
        md,
        "| Map | get p50 | get p99 | get p99.9 | {w} p50 | {w} p99 | {w} p99.9 | samples (get / {w}) |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in &t.rows {
        let _ = write!(md, "| {} |", row.name);
        for p in [row.get, row.write] {
            match p {
                Some(p) => {
                    let _ = write!(md, " {} | {} | {} |", p.p50, p.p99, p.p999);
                }
                None => md.push_str(" n/a | n/a | n/a |"),
            }
        }
        let count =
            |p: Option<Percentiles>| p.map_or_else(|| "0".to_owned(), |p| p.samples.to_string());
        let _ = writeln!(md, " {} / {} |", count(row.get), count(row.write));
    }
}
