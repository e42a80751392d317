//! Runs the DRAM-bound family (the catalogue's `dram` workloads) over a key set far larger than
//! the caches.
//!
//! Loading 10M keys is most of the family's time on a small machine, so the loop is turned
//! around: for each key set, each contender loads it once (plain single-threaded inserts, the
//! same path for every map, timed and reported) and runs every workload of the family on that
//! map, in catalogue order (read-only ones first; the 90/10 get/update mix changes values, no
//! keys), then drops it before the next contender loads. One map is in memory at a time.

use std::time::{Duration, Instant};

use crate::contenders::{Contender, Lineup, Visitor, for_each};
use crate::driver::{preload, steady_median};
use crate::keys::{KeyKind, KeySet};
use crate::report::Row;
use crate::workloads::{Preload, Shape, Workload};

/// What to run.
#[derive(Clone, Debug)]
pub struct Plan<'a> {
    /// The family's workloads to run, in catalogue order.
    pub workloads: Vec<&'a Workload>,
    /// Keys per key set.
    pub keys: usize,
    /// Thread counts.
    pub threads: &'a [usize],
    /// Time per run of a cell.
    pub cell: Duration,
    /// Runs per cell (the median is reported).
    pub runs: usize,
    /// Only contenders whose name contains this (all when `None`).
    pub contender: Option<&'a str>,
}

/// How long each contender took to load one key set.
#[derive(Clone, Debug)]
pub struct Load {
    /// The key set, in words.
    pub key_set: String,
    /// Seconds per contender, in lineup order (`None`: not loaded).
    pub seconds: Vec<Option<f64>>,
}

/// What the family measured besides its throughput rows.
#[derive(Clone, Debug)]
pub struct Family {
    /// Keys per key set.
    pub keys: usize,
    /// Load times, one entry per key set.
    pub loads: Vec<Load>,
}

/// The key set in words.
fn describe(kind: KeyKind) -> String {
    match kind {
        KeyKind::Ycsb => "YCSB `user` keys (23 B)".to_owned(),
        KeyKind::Sequential => "sequential 8 B keys".to_owned(),
        KeyKind::Random { len, .. } => format!("random {len} B keys"),
    }
}

/// Runs `plan`; returns the load times and one throughput row per (workload, thread count),
/// as the other workloads have.
///
/// # Panics
///
/// If a workload does not load every key before it starts (the family shares loaded maps).
pub fn run(plan: &Plan<'_>) -> (Family, Vec<Row>) {
    for w in &plan.workloads {
        let shares = matches!(
            w.shape,
            Shape::Steady {
                preload: Preload::All,
                ..
            }
        );
        assert!(shares, "{} cannot share a loaded map", w.id);
    }
    let mut kinds: Vec<KeyKind> = plan.workloads.iter().map(|w| w.keys).collect();
    kinds.dedup();
    let mut family = Family {
        keys: plan.keys,
        loads: Vec::new(),
    };
    let mut rows = Vec::new();
    for kind in kinds {
        let workloads: Vec<&Workload> = plan
            .workloads
            .iter()
            .copied()
            .filter(|w| w.keys == kind)
            .collect();
        eprintln!(
            "DRAM family: {} {}, {} workloads",
            plan.keys,
            describe(kind),
            workloads.len()
        );
        let keys = KeySet::new(kind, plan.keys);
        let traces = workloads
            .iter()
            .map(|w| {
                plan.threads
                    .iter()
                    .map(|&t| w.traces(keys.count(), t))
                    .collect()
            })
            .collect();
        let mut group = Group {
            plan,
            workloads: &workloads,
            keys: &keys,
            traces,
            cells: vec![vec![Vec::new(); plan.threads.len()]; workloads.len()],
            load: Vec::new(),
        };
        for_each(Lineup::All, &mut group);
        for (w, cells) in workloads.iter().zip(group.cells) {
            for (t, mops) in cells.into_iter().enumerate() {
                rows.push(Row {
                    workload: w.name.clone(),
                    id: w.id.clone(),
                    threads: plan.threads[t],
                    mops,
                });
            }
        }
        family.loads.push(Load {
            key_set: describe(kind),
            seconds: group.load,
        });
    }
    (family, rows)
}

/// The workloads of one key set, run on each contender in turn.
struct Group<'a> {
    plan: &'a Plan<'a>,
    workloads: &'a [&'a Workload],
    keys: &'a KeySet,
    /// `traces[w][t]`: workload `w`'s traces at thread count `t`.
    traces: Vec<Vec<Vec<Vec<u32>>>>,
    /// `cells[w][t][c]`: Mops/s of contender `c`.
    cells: Vec<Vec<Vec<Option<f64>>>>,
    /// Load seconds per contender.
    load: Vec<Option<f64>>,
}

impl Visitor for Group<'_> {
    fn visit<C: Contender>(&mut self) {
        let chosen = self.plan.contender.is_none_or(|c| C::NAME.contains(c));
        let runs: Vec<bool> = (self.workloads.iter())
            .map(|w| chosen && w.runs_on::<C>())
            .collect();
        if !runs.contains(&true) {
            self.cells.iter_mut().flatten().for_each(|c| c.push(None));
            self.load.push(None);
            return;
        }
        let map = C::new();
        let began = Instant::now();
        preload(&map, self.keys, Preload::All);
        let load = began.elapsed().as_secs_f64();
        self.load.push(Some(load));
        let mut line = format!("  {:<18} load {load:>5.1} s |", C::NAME);
        for (w, &run) in runs.iter().enumerate() {
            line += &format!(" {}", self.workloads[w].id);
            for (t, traces) in self.traces[w].iter().enumerate() {
                let cell = run.then(|| {
                    steady_median(&map, self.keys, traces, self.plan.runs, self.plan.cell)
                });
                if let Some(m) = cell {
                    line += &format!(" {}t {m:.2}", traces.len());
                }
                self.cells[w][t].push(cell);
            }
            line += " |";
        }
        let dropped = Instant::now();
        drop(map);
        eprintln!("{line} (drop {:.1} s)", dropped.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::catalogue;

    #[test]
    fn one_load_per_key_set_runs_every_workload() {
        let all = catalogue();
        let plan = Plan {
            workloads: all.iter().filter(|w| w.dram).collect(),
            keys: 3000,
            threads: &[1, 2],
            cell: Duration::from_millis(5),
            runs: 1,
            contender: Some("masstree Inline"),
        };
        let (family, rows) = run(&plan);
        assert_eq!(rows.len(), 4 * 2);
        assert_eq!(family.loads.len(), 2, "8-byte keys, then YCSB keys");
        let n = crate::contenders::names(Lineup::All).len();
        assert!(family.loads.iter().all(|l| l.seconds.len() == n));
        assert!(family.loads[0].seconds[0].is_some() && family.loads[0].seconds[1].is_none());
        for row in &rows {
            assert_eq!(row.mops.len(), n);
            assert!(row.mops[0].is_some_and(|m| m > 0.0), "{}", row.id);
            assert!(row.mops[1..].iter().all(Option::is_none), "{}", row.id);
        }
        assert_eq!(rows[0].id, "dram_lookup_8B");
    }
}
