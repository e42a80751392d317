//! The DRAM-bound family's section: its key count and each map's load times (its throughput
//! rows are in the throughput table, named `DRAM: ...`).

use crate::dram::Family;
use std::fmt::Write;

/// Writes the section (nothing if the family did not run).
pub(crate) fn write(md: &mut String, contenders: &[&str], family: Option<&Family>) {
    let Some(f) = family else {
        return;
    };
    let _ = writeln!(md, "\n## DRAM-bound family: {} keys per key set\n", f.keys);
    let _ = writeln!(
        md,
        "The `DRAM: ...` rows of the throughput table. Each map loads each key set once (plain \
         single-threaded inserts, untimed in those rows), runs the family's workloads on it \
         (read-only ones first) and is dropped before the next map loads. Load time, seconds \
         (n/a: not loaded):\n"
    );
    let _ = write!(md, "| Key set |");
    for name in contenders {
        let _ = write!(md, " {name} |");
    }
    let _ = writeln!(md, "\n|---|{}", "---:|".repeat(contenders.len()));
    for load in &f.loads {
        let _ = write!(md, "| {} |", load.key_set);
        for s in &load.seconds {
            let cell = s.map_or_else(|| "n/a".to_owned(), |s| format!("{s:.2}"));
            let _ = write!(md, " {cell} |");
        }
        let _ = writeln!(md);
    }
}
