//! The results of a throughput run and their markdown report: the issue's targets (met or not,
//! with the numbers), throughput per contender, our ratio to each peer, thread scaling, tail
//! latency, the DRAM-bound family's load times, and memory per key.
//!
//! One job per file: the targets (`targets.rs`), the markdown tables and method
//! (`table.rs`), thread scaling (`scaling.rs`), tail latency (`tails.rs`), the DRAM-bound
//! family's section (`dram.rs`), the chart (`chart.rs`); this file holds the measured data they
//! read.

mod chart;
mod dram;
mod scaling;
mod table;
mod tails;
mod targets;

pub use chart::chart;
pub use table::markdown;

use crate::batch::BatchLookup;
use crate::dram::Family;
use crate::memory::MemoryRow;
use crate::pin_cost::PinCost;
use crate::tails::Tails;

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
    /// One row per (workload, thread count), the DRAM-bound family's included.
    pub rows: Vec<Row>,
    /// The DRAM-bound family's key count and load times (`None`: not run).
    pub dram: Option<Family>,
    /// Tail latency (`None`: not run).
    pub tails: Option<Tails>,
    /// Memory per key, one row per contender.
    pub memory: Vec<MemoryRow>,
    /// Keys loaded for the memory measurement.
    pub memory_keys: usize,
    /// The pipelined batch lookup measurement (`None`: not run).
    pub batch: Option<BatchLookup>,
    /// The cost of `pin()` per operation (`None`: not run).
    pub pin_cost: Option<PinCost>,
}

pub(crate) fn ratio(x: f64) -> String {
    format!("{x:.2}x")
}

pub(crate) fn mops(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.2}"))
}

pub(crate) fn index_of(results: &Results, name: &str) -> usize {
    results
        .contenders
        .iter()
        .position(|&c| c == name)
        .unwrap_or_else(|| panic!("no contender named {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Results {
        let contenders = crate::contenders::names(crate::contenders::Lineup::All);
        let row = |id: &str, threads, mops: [f64; 10]| Row {
            workload: id.to_owned(),
            id: id.to_owned(),
            threads,
            mops: mops.iter().map(|&m| (m > 0.0).then_some(m)).collect(),
        };
        // Columns: Inline, Boxed, 0.9.5, TreeIndex, SkipMap, congee, bbtree, ferntree, RwLock, Mutex.
        Results {
            contenders,
            rows: vec![
                row("lookup_8B", 1, [10., 30., 5., 6., 3., 12., 9., 2., 8., 7.]),
                row("zipf_50_50", 1, [5., 30., 2., 3., 1., 2., 1., 1., 1., 1.]),
                row("zipf_50_50", 2, [10., 30., 5., 6., 3., 4., 3., 2., 2., 1.]),
                row(
                    "insert_sequential",
                    1,
                    [4., 30., 1., 2., 1., 5., 1., 1., 1., 1.],
                ),
                row(
                    "range_100_fwd",
                    1,
                    [3., 30., 1., 2., 1., 2.5, 1., 1., 1.9, 1.],
                ),
                row(
                    "range_100_rev",
                    2,
                    [3., 30., 1., 2., 1., 0., 1., 1., 2.1, 1.],
                ),
                row("ycsb_c", 1, [10., 30., 5., 6., 3., 0., 20., 2., 8., 7.]),
                row("lookup_16B", 1, [10., 30., 5., 6., 3., 0., 2., 11., 8., 9.]),
            ],
            dram: Some(Family {
                keys: 10_000_000,
                loads: vec![crate::dram::Load {
                    key_set: "random 8 B keys".to_owned(),
                    seconds: (0..10).map(|i| (i == 0).then_some(2.5)).collect(),
                }],
            }),
            tails: Some(Tails {
                workload: "zipf 50/50 get/update".to_owned(),
                threads: 2,
                keys: 1000,
                write: "update",
                duration: std::time::Duration::from_secs(2),
                timer_ns: 20.0,
                rows: vec![crate::tails::TailRow {
                    name: "masstree Inline",
                    get: Some(crate::tails::Percentiles {
                        samples: 1000,
                        p50: 80,
                        p99: 400,
                        p999: 2000,
                    }),
                    write: None,
                }],
            }),
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
        let t = targets::targets(&results());
        assert!(!t[0].met, "congee beats us on lookup_8B");
        assert!(
            t[0].numbers
                .contains("ycsb_c @1t: 0.50x (10.00 vs bbtree 20.00)")
                && t[0]
                    .numbers
                    .contains("lookup_16B @1t: 0.91x (10.00 vs ferntree 11.00)"),
            "the best peer includes bbtree and ferntree: {}",
            t[0].numbers
        );
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
        assert!(
            md.contains("| zipf_50_50 | 2 | 2.00x | 1.00x | 2.50x |"),
            "scaling"
        );
        assert!(md.contains("| masstree Inline | 80 | 400 | 2000 | n/a | n/a | n/a | 1000 / 0 |"));
        assert!(
            md.contains("| random 8 B keys | 2.50 | n/a |"),
            "DRAM loads"
        );
        assert!(md.contains("| ycsb_c | 1 |") && md.contains(" bbtree | 0.50x |"));
        assert!(chart(&results()).contains("2 threads"));
    }
}
