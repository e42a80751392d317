//! What both criterion suites share: the short configuration, the thread counts, and the loop
//! that puts every workload of the catalogue through each contender of a lineup (the scan
//! workloads included: `range_100_fwd`/`range_100_rev` count scans, `full_scan` counts keys;
//! contenders without the scans a workload needs are left out of its group).

use std::time::Duration;

use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput, measurement::WallTime};
use masstree_benches::contenders::{Contender, Lineup, Visitor, for_each};
use masstree_benches::driver::{build, full_scans_ops, preload, steady_ops};
use masstree_benches::keys::KeySet;
use masstree_benches::workloads::{Preload, Shape, Workload, catalogue};

/// Thread counts; a list, so a bigger machine can add 4, 8, 16.
pub const THREADS: &[usize] = &[1, 2];

/// Keys loaded by the steady workloads.
const STEADY_KEYS: usize = 100_000;

/// Keys inserted by one iteration of a build workload.
const BUILD_KEYS: usize = 20_000;

/// Short measurement, so a suite finishes in minutes (`cargo xtask bench` is the long run).
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(600))
        .sample_size(10)
}

struct Bench<'a, 'c> {
    group: &'a mut BenchmarkGroup<'c, WallTime>,
    workload: &'a Workload,
    keys: &'a KeySet,
    traces: &'a [Vec<Vec<u32>>],
}

impl Visitor for Bench<'_, '_> {
    fn visit<C: Contender>(&mut self) {
        if !self.workload.runs_on::<C>() {
            return;
        }
        match self.workload.shape {
            Shape::Steady { preload: p, .. } => {
                let map = C::new();
                preload(&map, self.keys, p);
                for traces in self.traces {
                    let threads = traces.len() as u64;
                    let id = BenchmarkId::new(C::NAME, format!("{threads}t"));
                    self.group.bench_function(id, |b| {
                        b.iter_custom(|iters| {
                            steady_ops(&map, self.keys, traces, iters.div_ceil(threads))
                        });
                    });
                }
            }
            Shape::Build => {
                for &threads in THREADS {
                    let id = BenchmarkId::new(C::NAME, format!("{threads}t"));
                    self.group.bench_function(id, |b| {
                        b.iter_custom(|iters| {
                            (0..iters).map(|_| build::<C>(self.keys, threads)).sum()
                        });
                    });
                }
            }
            Shape::FullScan => {
                let map = C::new();
                preload(&map, self.keys, Preload::All);
                for &threads in THREADS {
                    let id = BenchmarkId::new(C::NAME, format!("{threads}t"));
                    self.group.bench_function(id, |b| {
                        b.iter_custom(|iters| {
                            full_scans_ops(&map, threads, iters.div_ceil(threads as u64))
                        });
                    });
                }
            }
        }
    }
}

/// Benchmarks every workload on every contender of `lineup`, one criterion group per workload
/// (throughput in operations, so reports read as ops/s; scans for the range scans, keys read
/// for the full scan). The DRAM-bound family is left to the throughput runner: at this short
/// configuration's key count it would repeat the workloads it copies.
pub fn suite(c: &mut Criterion, lineup: Lineup) {
    for workload in catalogue().into_iter().filter(|w| !w.dram) {
        let (n, per_iter) = match workload.shape {
            Shape::Steady { .. } => (STEADY_KEYS, 1),
            Shape::Build => (BUILD_KEYS, BUILD_KEYS as u64),
            Shape::FullScan => (STEADY_KEYS, STEADY_KEYS as u64),
        };
        let keys = KeySet::new(workload.keys, n);
        let traces: Vec<Vec<Vec<u32>>> = THREADS.iter().map(|&t| workload.traces(n, t)).collect();
        let mut group = c.benchmark_group(workload.id.as_str());
        group.throughput(Throughput::Elements(per_iter));
        for_each(
            lineup,
            &mut Bench {
                group: &mut group,
                workload: &workload,
                keys: &keys,
                traces: &traces,
            },
        );
        group.finish();
    }
}
