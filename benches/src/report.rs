//! The results of a throughput run and their markdown report: the issue's targets (met or not,
//! with the numbers), throughput per contender, our ratio to each peer, and memory per key.

use std::fmt::Write;

use crate::batch::BatchLookup;
use crate::memory::{MEMORY_KEYS, MemoryRow};
use crate::pin_cost::PinCost;
use crate::svg;

/// Index of our map in every row (contenders are listed ours first): `InlineMassTree`, the
/// configuration the targets are measured on (`u64` values inline, as masstree 0.9.5's default
/// `MassTree<u64>` stores them).
pub const OURS: usize = 0;

/// Our variants at the front of every row (`InlineMassTree`, then `MassTree` with boxed values);
/// the peers follow.
pub const OUR_VARIANTS: usize = 2;

/// Throughput of every contender on one workload at one thread count.
#[derive(Clone, Debug)]
pub struct Row {
    /// Workload name (for tables).
    pub workload: String,
    /// Workload id (for targets).
    pub id: String,
    /// Threads.
    pub threads: usize,
    /// Millions per second per contender (`None`: the contender cannot run this workload):
    /// operations, or scans for the range-scan workloads (`Mscans/s` in their names), or keys
    /// read for the full scan (`Mkeys/s`).
    pub mops: Vec<Option<f64>>,
}

impl Row {
    /// The fastest peer (not ours): its index and Mops/s.
    pub fn best_peer(&self) -> Option<(usize, f64)> {
        self.mops
            .iter()
            .enumerate()
            .skip(OUR_VARIANTS)
            .filter_map(|(i, m)| m.map(|m| (i, m)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Our throughput divided by contender `i`'s.
    pub fn ratio_to(&self, i: usize) -> Option<f64> {
        Some(self.mops[OURS]? / self.mops[i]?)
    }
}

/// How a run was made (printed in the report's header).
#[derive(Clone, Debug)]
pub struct Context {
    /// The command line.
    pub command: String,
    /// Date and time.
    pub date: String,
    /// CPU, cores, memory.
    pub machine: String,
    /// `rustc --version`.
    pub rustc: String,
    /// The commit measured.
    pub commit: String,
    /// Keys per workload, time per cell, runs per cell, and the like.
    pub settings: String,
}

/// Everything a throughput run measured.
#[derive(Clone, Debug)]
pub struct Results {
    /// Contender names, ours first.
    pub contenders: Vec<&'static str>,
    /// One row per (workload, thread count).
    pub rows: Vec<Row>,
    /// Memory per key, one row per contender.
    pub memory: Vec<MemoryRow>,
    /// Keys loaded for the memory measurement.
    pub memory_keys: usize,
    /// The pipelined batch lookup measurement (`None`: not run).
    pub batch: Option<BatchLookup>,
    /// The cost of `pin()` per operation (`None`: not run).
    pub pin_cost: Option<PinCost>,
}

/// The outcome of one target.
struct Target {
    what: String,
    met: bool,
    numbers: String,
}

fn ratio(x: f64) -> String {
    format!("{x:.2}x")
}

fn mops(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.2}"))
}

fn index_of(results: &Results, name: &str) -> usize {
    results
        .contenders
        .iter()
        .position(|&c| c == name)
        .unwrap_or_else(|| panic!("no contender named {name}"))
}

/// "Our ratio to X is at least `bound` on `rows`", listing every miss.
fn ratio_target(
    results: &Results,
    what: String,
    rows: &[&Row],
    bound: f64,
    rival: impl Fn(&Row) -> Option<(usize, f64)>,
) -> Target {
    if rows.is_empty() {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    }
    let mut misses = Vec::new();
    let mut worst: Option<(f64, String)> = None;
    for row in rows {
        let (Some(ours), Some((i, theirs))) = (row.mops[OURS], rival(row)) else {
            continue;
        };
        let r = ours / theirs;
        let line = format!(
            "{} @{}t: {} ({:.2} vs {} {:.2})",
            row.workload,
            row.threads,
            ratio(r),
            ours,
            results.contenders[i],
            theirs
        );
        if worst.as_ref().is_none_or(|(w, _)| r < *w) {
            worst = Some((r, line.clone()));
        }
        if r < bound {
            misses.push(line);
        }
    }
    let numbers = if misses.is_empty() {
        format!(
            "all {} cells met; lowest: {}",
            rows.len(),
            worst.map_or_else(String::new, |(_, l)| l)
        )
    } else {
        format!(
            "{} of {} cells missed: {}",
            misses.len(),
            rows.len(),
            misses.join("; ")
        )
    };
    Target {
        what,
        met: misses.is_empty(),
        numbers,
    }
}

fn targets(results: &Results) -> Vec<Target> {
    let all: Vec<&Row> = results.rows.iter().collect();
    let seed = index_of(results, "masstree 0.9.5");
    let skip = index_of(results, "SkipMap");
    let congee = index_of(results, "congee");
    let btrees = [
        index_of(results, "RwLock<BTreeMap>"),
        index_of(results, "Mutex<BTreeMap>"),
    ];
    let pick = |i: usize| move |row: &Row| row.mops[i].map(|m| (i, m));
    let short_lookups: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.threads == 1 && (r.id == "lookup_8B" || r.id == "lookup_16B"))
        .collect();
    let zipf50: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "zipf_50_50")
        .collect();
    let seq: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "insert_sequential")
        .collect();
    let range_scans: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "range_100_fwd" || r.id == "range_100_rev")
        .collect();
    let mut out = vec![
        ratio_target(
            results,
            "every workload >= 1.0x the best peer".to_owned(),
            &all,
            1.0,
            Row::best_peer,
        ),
        ratio_target(
            results,
            "every workload >= 1.3x masstree 0.9.5".to_owned(),
            &all,
            1.3,
            pick(seed),
        ),
        ratio_target(
            results,
            "single-threaded 8/16-byte lookups >= 1.0x BTreeMap (the faster of RwLock/Mutex<BTreeMap>)"
                .to_owned(),
            &short_lookups,
            1.0,
            |row| {
                btrees
                    .iter()
                    .filter_map(|&i| row.mops[i].map(|m| (i, m)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
            },
        ),
        ratio_target(
            results,
            "Zipfian 50/50 >= 1.0x SkipMap".to_owned(),
            &zipf50,
            1.0,
            pick(skip),
        ),
        ratio_target(
            results,
            "sequential inserts >= congee".to_owned(),
            &seq,
            1.0,
            pick(congee),
        ),
        ratio_target(
            results,
            "100-key range scans: at least 1.5x RwLock<BTreeMap>".to_owned(),
            &range_scans,
            1.5,
            pick(btrees[0]),
        ),
    ];
    out.push(memory_target(results));
    out.push(batch_target(results));
    out.push(pin_cost_target(results));
    out
}

/// Per-operation pinning keeps at least this fraction of a held guard's throughput.
const PIN_EACH_FLOOR: f64 = 0.75;

fn pin_cost_target(results: &Results) -> Target {
    let what = format!(
        "`pin()` per operation >= {PIN_EACH_FLOOR}x a held guard (boxed values, cache-resident)"
    );
    let Some(c) = results.pin_cost else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    let (get, update) = c.ratios();
    Target {
        what,
        met: get >= PIN_EACH_FLOOR && update >= PIN_EACH_FLOOR,
        numbers: format!(
            "{} keys, 1 thread: get {:.2} vs {:.2} Mops/s ({}), update {:.2} vs {:.2} Mops/s ({})",
            c.keys,
            c.get_each,
            c.get_held,
            ratio(get),
            c.update_each,
            c.update_held,
            ratio(update)
        ),
    }
}

fn batch_target(results: &Results) -> Target {
    let what = "pipelined batch lookup (`get_many`) >= 2x single lookups on 10M keys".to_owned();
    let Some(b) = results.batch else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    Target {
        what,
        met: b.speedup() >= 2.0 && b.keys >= 10_000_000,
        numbers: format!(
            "{} keys, 8 B, 1 thread: get_many {:.2} Mops/s vs get {:.2} Mops/s ({})",
            b.keys,
            b.batched,
            b.single,
            ratio(b.speedup())
        ),
    }
}

fn memory_target(results: &Results) -> Target {
    let what = "memory per key <= the smallest peer".to_owned();
    let Some(ours) = results.memory.first() else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    let mut met = true;
    let mut parts = Vec::new();
    for (k, kind) in MEMORY_KEYS.iter().enumerate() {
        let smallest = results
            .memory
            .iter()
            .skip(OUR_VARIANTS)
            .filter_map(|row| row.bytes_per_key[k].map(|b| (row.name, b)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let (Some(mine), Some((name, theirs))) = (ours.bytes_per_key[k], smallest) else {
            continue;
        };
        met &= mine <= theirs;
        parts.push(format!(
            "{} B keys: {mine:.1} B/key vs {name} {theirs:.1} B/key ({})",
            kind.key_len(),
            ratio(mine / theirs)
        ));
    }
    Target {
        what,
        met,
        numbers: parts.join("; "),
    }
}

/// The markdown report; `chart` is the SVG's file name, linked from it.
pub fn markdown(results: &Results, ctx: &Context, chart: &str) -> String {
    let mut md = String::new();
    let c = &results.contenders;
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Generated by `{}`; do not edit by hand (rerun the command).\n",
        ctx.command
    );
    let _ = writeln!(md, "- Date: {}", ctx.date);
    let _ = writeln!(md, "- Machine: {}", ctx.machine);
    let _ = writeln!(md, "- Toolchain: {}", ctx.rustc);
    let _ = writeln!(md, "- Commit: {}", ctx.commit);
    let _ = writeln!(md, "- Settings: {}\n", ctx.settings);
    let _ = writeln!(md, "![throughput chart]({chart})\n");

    let _ = writeln!(md, "## Targets\n");
    let _ = writeln!(md, "| Target | Status | Numbers |\n|---|---|---|");
    for t in targets(results) {
        let status = if t.met { "met" } else { "**not met**" };
        let _ = writeln!(md, "| {} | {status} | {} |", t.what, t.numbers);
    }

    let _ = writeln!(md, "\n## Throughput (median of the runs)\n");
    let _ = writeln!(
        md,
        "Millions per second: operations (Mops/s), except where a workload names its unit: \
         the range scans count scans (Mscans/s; each reads 100 entries) and the full scan counts \
         keys read (Mkeys/s). YCSB-E counts operations (scans of 1-100 entries, and inserts). \
         n/a: the map cannot run the workload (congee: 8-byte keys only, no reverse scans; \
         masstree 0.9.5: scans of keys over 8 bytes skip entries, see Method).\n"
    );
    let _ = write!(md, "| Workload | Threads |");
    for name in c {
        let _ = write!(md, " {name} |");
    }
    let _ = writeln!(md, " best peer | vs best peer | vs 0.9.5 |");
    let _ = writeln!(md, "|---|---:|{}---|---:|---:|", "---:|".repeat(c.len()));
    let seed = index_of(results, "masstree 0.9.5");
    for row in &results.rows {
        let _ = write!(md, "| {} | {} |", row.workload, row.threads);
        for (i, m) in row.mops.iter().enumerate() {
            if i < OUR_VARIANTS {
                let _ = write!(md, " **{}** |", mops(*m));
            } else {
                let _ = write!(md, " {} |", mops(*m));
            }
        }
        let best = row.best_peer();
        let vs_best = best.and_then(|(i, _)| row.ratio_to(i));
        let _ = writeln!(
            md,
            " {} | {} | {} |",
            best.map_or("n/a", |(i, _)| c[i]),
            vs_best.map_or_else(|| "n/a".to_owned(), ratio),
            row.ratio_to(seed).map_or_else(|| "n/a".to_owned(), ratio)
        );
    }

    let _ = writeln!(md, "\n## Our throughput divided by each peer's\n");
    let _ = write!(md, "| Workload | Threads |");
    for name in &c[1..] {
        let _ = write!(md, " {name} |");
    }
    let _ = writeln!(md, "\n|---|---:|{}", "---:|".repeat(c.len() - 1));
    for row in &results.rows {
        let _ = write!(md, "| {} | {} |", row.workload, row.threads);
        for i in 1..c.len() {
            let cell = row.ratio_to(i).map_or_else(|| "n/a".to_owned(), ratio);
            let _ = write!(md, " {cell} |");
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(
        md,
        "\n## Memory per key ({} keys, `u64` values)\n",
        results.memory_keys
    );
    let _ = write!(md, "| Map |");
    for kind in MEMORY_KEYS {
        let _ = write!(md, " {} B keys (bytes/key) |", kind.key_len());
    }
    let _ = writeln!(md, "\n|---|{}", "---:|".repeat(MEMORY_KEYS.len()));
    for row in &results.memory {
        let _ = write!(md, "| {} |", row.name);
        for b in &row.bytes_per_key {
            let _ = write!(
                md,
                " {} |",
                b.map_or_else(|| "n/a".to_owned(), |b| format!("{b:.1}"))
            );
        }
        let _ = writeln!(md);
    }
    md.push_str(METHOD);
    md
}

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

const METHOD: &str = "
## Method

- One process runs every map side by side (`benches/src/bin/throughput.rs`), all on the same
  global allocator (the system allocator behind a counting wrapper that only counts during the
  memory measurement).
- Our map runs twice. `masstree Inline` is `InlineMassTree<[u8], u64>`: `u64` values stored in
  the leaves and read by copy, the configuration of masstree 0.9.5's default `MassTree<u64>`.
  Every target and ratio is measured on it. `masstree Boxed` is `MassTree<[u8], u64>`: boxed
  values read as `&u64`, what a map of any non-`Pod` value type pays.
- The pipelined batch lookup: 10M random 8-byte keys loaded into `masstree Inline`, then 2M
  random present keys looked up on one thread, one `get` at a time and through `get_many` in
  groups of 16 (median of the runs, the two ways alternating).
- The cost of `pin()` per operation: `masstree Boxed` with the workload's key count (8-byte
  keys), 1M random lookups and 1M random updates (each retires a boxed value) on one thread,
  once under one guard held for the whole pass and once with `map.pin()` around every
  operation (median of the runs, the ways alternating).
- Steady workloads load their keys untimed, then each thread replays its own pre-drawn trace of
  operations (so no random-number generation is timed) for a fixed time; a thread re-pins its
  guard every 256 operations. Mops/s = operations of all threads / wall time.
- Insert workloads insert every key into a fresh map (threads take contiguous stripes of the key
  order), repeated with fresh maps for the cell's time; map creation and drop are untimed.
- Zipfian: YCSB's scrambled Zipfian, theta 0.99, generated in `benches/src/zipf.rs`. YCSB keys are
  `user` plus 19 digits (23 bytes). Remove-heavy: half the keys loaded, then 50% removes, 25%
  inserts, 25% gets over all keys, uniform.
- \"update\" is each map's cheapest way to give an existing key a new value: read-modify-write
  where the map offers it (ours `update`, congee `compute_if_present`, BTreeMap `get_mut`), a blind
  overwrite otherwise (masstree 0.9.5 `insert_value_with_guard`, SkipMap `insert`, TreeIndex
  `upsert_sync`).
- congee is an ART over 8-byte integer keys: it runs only the 8-byte workloads (n/a elsewhere).
- Memory per key: bytes requested from the allocator by a map holding the keys, divided by the
  key count; the key set itself is allocated before counting starts. Maps that copy keys pay for
  their copies; allocator per-block overhead is not included.
- Scans use each map's ordered-range API from a start key: ours `MapRef::range(..).values()`
  (`.rev()` for reverse; the scans only sum values, so ours does not decode keys, as the other
  maps hand out references to theirs), masstree 0.9.5 `scan_intra_leaf_batch`/`scan_rev_batch` (its fastest scans: visitor
  callbacks; its iterator copies each key into a `Vec`), `TreeIndex::range`, `SkipMap::range`,
  `BTreeMap::range` under the read lock or the mutex, congee `range` (ascending only, copied into
  a buffer: n/a for reverse scans). Each scan sums the values it reads. masstree 0.9.5 is n/a
  for YCSB-E: its ascending scans from a start key skip entries once keys longer than 8 bytes
  share an 8-byte slice (half of the 100-entry scans over 200k YCSB keys disagree with a
  `BTreeMap`; `benches/src/contenders.rs` has the test); on 8-byte keys they agree.
- \"range 100 fwd/rev\": 8-byte keys, all loaded; each operation starts at a uniformly random
  loaded key and reads the 100 entries from it up (fwd) or down (rev); reported in Mscans/s
  (scans per second; entries read per second are 100 times that). \"full scan\": each thread
  iterates every key of the map (8-byte keys) over and over; reported in Mkeys/s (keys read per
  second, all threads together).
- YCSB-E: 23-byte `user` keys, half of them loaded; 95% scans from a Zipfian-chosen loaded key,
  of 1 to 100 entries (uniform, YCSB's `maxscanlength` 100), and 5% inserts of keys not loaded
  (uniform; a trace replays its inserts as replacements once it wraps around). Mops/s counts
  scans and inserts alike.
- On a 2-core machine shared with other work, numbers at 2 threads are noisy; the thread counts
  are a list (`--threads 1,2,4,8,16`) for bigger machines.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Results {
        let contenders = crate::contenders::names(crate::contenders::Lineup::All);
        let row = |id: &str, threads, mops: [f64; 8]| Row {
            workload: id.to_owned(),
            id: id.to_owned(),
            threads,
            mops: mops.iter().map(|&m| (m > 0.0).then_some(m)).collect(),
        };
        Results {
            contenders,
            rows: vec![
                row("lookup_8B", 1, [10.0, 30.0, 5.0, 6.0, 3.0, 12.0, 8.0, 7.0]),
                row("zipf_50_50", 2, [10.0, 30.0, 5.0, 6.0, 3.0, 4.0, 2.0, 1.0]),
                row(
                    "insert_sequential",
                    1,
                    [4.0, 30.0, 1.0, 2.0, 1.0, 5.0, 1.0, 1.0],
                ),
                row(
                    "range_100_fwd",
                    1,
                    [3.0, 30.0, 1.0, 2.0, 1.0, 2.5, 1.9, 1.0],
                ),
                row(
                    "range_100_rev",
                    2,
                    [3.0, 30.0, 1.0, 2.0, 1.0, 0.0, 2.1, 1.0],
                ),
            ],
            memory: vec![
                MemoryRow {
                    name: "masstree Inline",
                    bytes_per_key: vec![Some(40.0), Some(80.0)],
                },
                MemoryRow {
                    name: "masstree Boxed",
                    bytes_per_key: vec![Some(1.0), Some(1.0)],
                },
                MemoryRow {
                    name: "congee",
                    bytes_per_key: vec![Some(30.0), None],
                },
            ],
            memory_keys: 10,
            batch: Some(BatchLookup {
                keys: 10_000_000,
                single: 1.0,
                batched: 2.5,
            }),
            pin_cost: Some(PinCost {
                keys: 200_000,
                get_held: 10.0,
                get_each: 8.0,
                update_held: 5.0,
                update_each: 4.5,
            }),
        }
    }

    #[test]
    fn misses_are_reported_with_numbers() {
        let t = targets(&results());
        assert!(!t[0].met, "congee beats us on lookup_8B");
        assert!(
            t[0].numbers.contains("lookup_8B @1t: 0.83x"),
            "{}",
            t[0].numbers
        );
        assert!(t[1].met, "2x the seed everywhere");
        assert!(t[2].met && t[3].met);
        assert!(!t[4].met, "congee inserts faster");
        assert!(!t[5].met, "1.43x RwLock<BTreeMap> on reverse scans");
        assert!(
            t[5].numbers
                .starts_with("1 of 2 cells missed: range_100_rev @2t: 1.43x"),
            "{}",
            t[5].numbers
        );
        assert!(!t[6].met && t[6].numbers.contains("congee 30.0"));
        assert!(
            t[7].met && t[7].numbers.contains("(2.50x)"),
            "{}",
            t[7].numbers
        );
    }

    #[test]
    fn markdown_and_chart_render() {
        let ctx = Context {
            command: "cargo xtask bench --quick".to_owned(),
            date: "d".to_owned(),
            machine: "m".to_owned(),
            rustc: "r".to_owned(),
            commit: "c".to_owned(),
            settings: "s".to_owned(),
        };
        let md = markdown(&results(), &ctx, "benchmarks.svg");
        assert!(md.contains("![throughput chart](benchmarks.svg)"));
        assert!(md.contains("**not met**"));
        assert!(md.contains("| masstree Inline | 40.0 | 80.0 |"));
        assert!(chart(&results()).contains("2 threads"));
    }
}
