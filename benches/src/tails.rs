//! Tail latency: percentiles of single operations under a steady multi-threaded workload (the
//! 2-thread Zipfian 50/50 get/update mix), per contender.
//!
//! Every thread replays its trace as [`crate::driver::steady_for`] does (a session re-created
//! every [`BATCH`] operations), and times one operation in [`SAMPLE_EVERY`] (those at trace
//! positions divisible by it, so the sampled operations follow the mix) with two `Instant`
//! reads around it. A sample holds about one timer read's cost ([`timer_overhead_ns`]);
//! the other 63 operations run untimed, so the map runs at nearly its full throughput.

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::contenders::{Contender, Lineup, Visitor, for_each};
use crate::driver::{BATCH, apply, preload, run_for};
use crate::keys::KeySet;
use crate::workloads::{Op, Shape, Workload, decode};

/// One operation in this many is timed.
pub const SAMPLE_EVERY: usize = 64;

/// Threads of the tail-latency run.
pub const THREADS: usize = 2;

/// Latency percentiles of one kind of operation, in nanoseconds (nearest rank).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percentiles {
    /// Operations timed.
    pub samples: usize,
    /// Median.
    pub p50: u32,
    /// 99th percentile.
    pub p99: u32,
    /// 99.9th percentile.
    pub p999: u32,
}

impl Percentiles {
    /// The percentiles of `ns`; `None` if it is empty.
    pub fn of(mut ns: Vec<u32>) -> Option<Self> {
        if ns.is_empty() {
            return None;
        }
        ns.sort_unstable();
        let rank = |p: f64| ns[((p * ns.len() as f64).ceil() as usize).clamp(1, ns.len()) - 1];
        Some(Self {
            samples: ns.len(),
            p50: rank(0.50),
            p99: rank(0.99),
            p999: rank(0.999),
        })
    }
}

/// One contender's percentiles (`None`: not run, or no such operation sampled).
#[derive(Clone, Debug)]
pub struct TailRow {
    /// The contender.
    pub name: &'static str,
    /// Of `get`.
    pub get: Option<Percentiles>,
    /// Of the workload's write ([`Tails::write`]).
    pub write: Option<Percentiles>,
}

/// What a tail-latency run measured.
#[derive(Clone, Debug)]
pub struct Tails {
    /// The workload's name.
    pub workload: String,
    /// Threads.
    pub threads: usize,
    /// Keys loaded.
    pub keys: usize,
    /// The write operation the mix uses (`update` or `insert`).
    pub write: &'static str,
    /// How long the run was, per contender.
    pub duration: Duration,
    /// What timing adds to each sample ([`timer_overhead_ns`]).
    pub timer_ns: f64,
    /// One row per contender, in lineup order.
    pub rows: Vec<TailRow>,
}

/// The write operation a steady workload's mix uses (`Update` first), with its name.
fn write_op(workload: &Workload) -> (Op, &'static str) {
    match workload.shape {
        Shape::Steady { mix, .. } if mix.update == 0 && mix.insert > 0 => (Op::Insert, "insert"),
        _ => (Op::Update, "update"),
    }
}

/// Replays one trace per thread for `duration`, timing one operation in [`SAMPLE_EVERY`];
/// returns the samples in nanoseconds, indexed by `Op as usize`, all threads together.
pub fn sample<C: Contender>(
    map: &C,
    keys: &KeySet,
    traces: &[Vec<u32>],
    duration: Duration,
) -> Vec<Vec<u32>> {
    let (per_thread, _) = run_for(traces, duration, |trace, stop| {
        let mut samples: Vec<Vec<u32>> = vec![Vec::new(); 7];
        let mut at = 0;
        while !stop.load(Ordering::Relaxed) {
            let session = map.session();
            for _ in 0..BATCH {
                let entry = trace[at];
                if at % SAMPLE_EVERY == 0 {
                    let began = Instant::now();
                    apply(map, &session, keys, entry, at);
                    let ns = began.elapsed().as_nanos();
                    let op = decode(entry).0 as usize;
                    samples[op].push(u32::try_from(ns).unwrap_or(u32::MAX));
                } else {
                    apply(map, &session, keys, entry, at);
                }
                at = if at + 1 == trace.len() { 0 } else { at + 1 };
            }
        }
        samples
    });
    let mut all: Vec<Vec<u32>> = vec![Vec::new(); 7];
    for samples in per_thread {
        for (op, ns) in samples.into_iter().enumerate() {
            all[op].extend(ns);
        }
    }
    all
}

/// The median time between two back-to-back `Instant` reads, in nanoseconds: what timing adds
/// to each sample.
pub fn timer_overhead_ns() -> f64 {
    let pairs: Vec<f64> = (0..10_001)
        .map(|_| {
            let t = Instant::now();
            black_box(t.elapsed()).as_nanos() as f64
        })
        .collect();
    crate::driver::median(pairs)
}

/// Measures every contender whose name contains `contender` (all when `None`; the others get
/// an empty row) on `workload` (a steady one) over `n` keys, [`THREADS`] threads, `duration`
/// each, one map at a time.
pub fn measure_all(
    workload: &Workload,
    n: usize,
    duration: Duration,
    contender: Option<&str>,
) -> Tails {
    struct Measure<'a> {
        workload: &'a Workload,
        keys: KeySet,
        traces: Vec<Vec<u32>>,
        duration: Duration,
        contender: Option<&'a str>,
        write: Op,
        rows: Vec<TailRow>,
    }
    impl Visitor for Measure<'_> {
        fn visit<C: Contender>(&mut self) {
            let mut row = TailRow {
                name: C::NAME,
                get: None,
                write: None,
            };
            let chosen = self.contender.is_none_or(|c| C::NAME.contains(c));
            if chosen && self.workload.runs_on::<C>() {
                let Shape::Steady { preload: p, .. } = self.workload.shape else {
                    panic!("tail latency needs a steady workload");
                };
                let map = C::new();
                preload(&map, &self.keys, p);
                let mut ns = sample(&map, &self.keys, &self.traces, self.duration);
                row.get = Percentiles::of(std::mem::take(&mut ns[Op::Get as usize]));
                row.write = Percentiles::of(std::mem::take(&mut ns[self.write as usize]));
                let show = |p: Option<Percentiles>| {
                    p.map_or_else(
                        || "n/a".to_owned(),
                        |p| format!("{}/{}/{}", p.p50, p.p99, p.p999),
                    )
                };
                eprintln!(
                    "  {:<18} get {} ns, write {} ns (p50/p99/p99.9)",
                    C::NAME,
                    show(row.get),
                    show(row.write)
                );
            }
            self.rows.push(row);
        }
    }
    let keys = KeySet::new(workload.keys, n);
    let traces = workload.traces(keys.count(), THREADS);
    let (write, write_name) = write_op(workload);
    let mut m = Measure {
        workload,
        keys,
        traces,
        duration,
        contender,
        write,
        rows: Vec::new(),
    };
    for_each(Lineup::All, &mut m);
    Tails {
        workload: workload.name.clone(),
        threads: THREADS,
        keys: n,
        write: write_name,
        duration,
        timer_ns: timer_overhead_ns(),
        rows: m.rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::catalogue;

    #[test]
    fn percentiles_by_nearest_rank() {
        let p = Percentiles::of((1..=1000).rev().collect()).unwrap();
        assert_eq!((p.samples, p.p50, p.p99, p.p999), (1000, 500, 990, 999));
        assert_eq!(Percentiles::of(vec![7]).unwrap().p999, 7);
        assert!(Percentiles::of(Vec::new()).is_none());
    }

    #[test]
    fn zipf_50_50_samples_gets_and_updates() {
        let w = catalogue()
            .into_iter()
            .find(|w| w.id == "zipf_50_50")
            .unwrap();
        let t = measure_all(&w, 2000, Duration::from_millis(20), Some("masstree"));
        assert_eq!(t.write, "update");
        assert_eq!(t.rows.len(), crate::contenders::names(Lineup::All).len());
        let ours = &t.rows[0];
        assert!(ours.get.unwrap().samples > 0 && ours.write.unwrap().samples > 0);
        assert!(ours.get.unwrap().p50 <= ours.get.unwrap().p999);
        assert!(t.rows.iter().any(|r| r.get.is_none()), "others not chosen");
        assert!(t.timer_ns > 0.0);
    }
}
