//! Runs a workload on a contender with a number of threads, timing only the operations.

use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::contenders::Contender;
use crate::keys::KeySet;
use crate::workloads::{Op, Preload, SCAN_LEN, decode, short_scan_len};

/// Operations between two checks of the stop flag; also how long a session (a pinned guard) is
/// held before it is dropped and re-created.
pub const BATCH: usize = 256;

/// The median of repeated measurements (the upper one of the middle two for an even count):
/// what every figure of a run reports.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Inserts the keys `preload` asks for, single-threaded (untimed setup).
pub fn preload<C: Contender>(map: &C, keys: &KeySet, preload: Preload) {
    let step = match preload {
        Preload::All => 1,
        Preload::Even | Preload::EvenInsertOdd => 2,
    };
    let mut session = map.session();
    for (n, i) in (0..keys.count()).step_by(step).enumerate() {
        map.insert(&session, keys.key(i), i as u64);
        if n % BATCH == BATCH - 1 {
            session = map.session();
        }
    }
}

/// Does trace entry `entry`, found at position `at` of its trace (which sets a YCSB-E scan's
/// length).
#[inline(always)]
pub(crate) fn apply<C: Contender>(
    map: &C,
    session: &C::Session<'_>,
    keys: &KeySet,
    entry: u32,
    at: usize,
) {
    let (op, index) = decode(entry);
    let key = keys.key(index);
    match op {
        Op::Scan => {
            black_box(map.scan(session, Some(key), SCAN_LEN));
        }
        Op::ScanRev => {
            black_box(map.scan_rev(session, Some(key), SCAN_LEN));
        }
        Op::ScanShort => {
            black_box(map.scan(session, Some(key), short_scan_len(at)));
        }
        Op::Get => {
            black_box(map.get(session, key));
        }
        Op::Update => {
            black_box(map.update(session, key));
        }
        Op::Insert => map.insert(session, key, u64::from(entry)),
        Op::Remove => {
            black_box(map.remove(session, key));
        }
    }
}

/// Replays one trace per thread until `duration` has passed; returns the operations done and
/// the time they took (from the common start to the last thread's end).
pub fn steady_for<C: Contender>(
    map: &C,
    keys: &KeySet,
    traces: &[Vec<u32>],
    duration: Duration,
) -> (u64, Duration) {
    let (ops, elapsed) = run_for(traces, duration, |trace, stop| {
        let mut at = 0;
        let mut ops = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let session = map.session();
            for _ in 0..BATCH {
                apply(map, &session, keys, trace[at], at);
                at = if at + 1 == trace.len() { 0 } else { at + 1 };
            }
            ops += BATCH as u64;
        }
        ops
    });
    (ops.into_iter().sum(), elapsed)
}

/// Runs `work` on one thread per trace, all released together, until `duration` has passed:
/// `work` gets its trace and the stop flag, which it polls between batches. Returns each
/// thread's result, in trace order, and the time from the common start to the last thread's
/// end.
pub fn run_for<T: Send>(
    traces: &[Vec<u32>],
    duration: Duration,
    work: impl Fn(&[u32], &AtomicBool) -> T + Sync,
) -> (Vec<T>, Duration) {
    let stop = AtomicBool::new(false);
    let start = Barrier::new(traces.len() + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = traces
            .iter()
            .map(|trace| {
                let (stop, start, work) = (&stop, &start, &work);
                scope.spawn(move || {
                    start.wait();
                    work(trace, stop)
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        std::thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
        let results = workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .collect();
        (results, began.elapsed())
    })
}

/// The median of `runs` replays of [`steady_for`], each `cell` long: millions of operations per
/// second of all threads together (what one cell of the report shows).
pub fn steady_median<C: Contender>(
    map: &C,
    keys: &KeySet,
    traces: &[Vec<u32>],
    runs: usize,
    cell: Duration,
) -> f64 {
    let mops = (0..runs.max(1))
        .map(|_| {
            let (ops, time) = steady_for(map, keys, traces, cell);
            ops as f64 / time.as_secs_f64() / 1e6
        })
        .collect();
    median(mops)
}

/// Replays `ops_per_thread` operations (rounded up to a batch) of each thread's trace; returns
/// the wall time from the common start to the last thread's end (for criterion's `iter_custom`).
pub fn steady_ops<C: Contender>(
    map: &C,
    keys: &KeySet,
    traces: &[Vec<u32>],
    ops_per_thread: u64,
) -> Duration {
    let start = Barrier::new(traces.len() + 1);
    let batches = ops_per_thread.div_ceil(BATCH as u64);
    std::thread::scope(|scope| {
        let workers: Vec<_> = traces
            .iter()
            .map(|trace| {
                let start = &start;
                scope.spawn(move || {
                    let mut at = 0;
                    start.wait();
                    for _ in 0..batches {
                        let session = map.session();
                        for _ in 0..BATCH {
                            apply(map, &session, keys, trace[at], at);
                            at = if at + 1 == trace.len() { 0 } else { at + 1 };
                        }
                    }
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        for w in workers {
            w.join().expect("worker panicked");
        }
        began.elapsed()
    })
}

/// One full ascending scan of `map` in a fresh session; returns the keys read.
#[inline]
fn full_scan<C: Contender>(map: &C) -> u64 {
    let session = map.session();
    let scanned = map
        .scan(&session, None, usize::MAX)
        .expect("full scans run only on maps with ordered scans");
    black_box(scanned.sum);
    scanned.entries as u64
}

/// Each of `threads` threads scans the whole map over and over until `duration` has passed
/// (a scan in progress is finished); returns the keys read by all threads and the time from
/// the common start to the last thread's end.
pub fn full_scans_for<C: Contender>(
    map: &C,
    threads: usize,
    duration: Duration,
) -> (u64, Duration) {
    let stop = AtomicBool::new(false);
    let start = Barrier::new(threads + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (stop, start) = (&stop, &start);
                scope.spawn(move || {
                    let mut keys = 0u64;
                    start.wait();
                    while !stop.load(Ordering::Relaxed) {
                        keys += full_scan(map);
                    }
                    keys
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        std::thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
        let keys = workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .sum();
        (keys, began.elapsed())
    })
}

/// Each of `threads` threads scans the whole map `scans_per_thread` times; returns the wall time
/// from the common start to the last thread's end (for criterion's `iter_custom`).
pub fn full_scans_ops<C: Contender>(map: &C, threads: usize, scans_per_thread: u64) -> Duration {
    let start = Barrier::new(threads + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    for _ in 0..scans_per_thread {
                        black_box(full_scan(map));
                    }
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        for w in workers {
            w.join().expect("worker panicked");
        }
        began.elapsed()
    })
}

/// Inserts every key of `keys` into a new, empty map with `threads` threads, each taking a
/// contiguous stripe of the key indexes in order; returns the time of the inserts alone (the
/// map is created before and dropped after the clock).
pub fn build<C: Contender>(keys: &KeySet, threads: usize) -> Duration {
    let map = C::new();
    let n = keys.count();
    let start = Barrier::new(threads + 1);
    let elapsed = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (map, start) = (&map, &start);
                scope.spawn(move || {
                    let stripe: Vec<usize> = (n * t / threads..n * (t + 1) / threads).collect();
                    start.wait();
                    for chunk in stripe.chunks(BATCH) {
                        let session = map.session();
                        for &i in chunk {
                            map.insert(&session, keys.key(i), i as u64);
                        }
                    }
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        for w in workers {
            w.join().expect("worker panicked");
        }
        began.elapsed()
    });
    drop(map);
    elapsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contenders::{Ours, SkipList};
    use crate::keys::KeyKind;
    use crate::workloads::catalogue;

    #[test]
    fn steady_runs_do_work_on_every_thread_count() {
        let keys = KeySet::new(
            KeyKind::Random {
                len: 8,
                prefix: false,
            },
            2000,
        );
        for w in catalogue()
            .iter()
            .filter(|w| w.keys.key_len() == 8 && !w.dram)
        {
            let crate::workloads::Shape::Steady { preload: p, .. } = w.shape else {
                continue;
            };
            assert!(w.runs_on::<Ours>());
            let map = Ours::new();
            preload(&map, &keys, p);
            for threads in [1, 2] {
                let traces = w.traces(keys.count(), threads);
                let (ops, time) = steady_for(&map, &keys, &traces, Duration::from_millis(20));
                assert!(ops >= (BATCH * threads) as u64 && time >= Duration::from_millis(20));
                assert!(steady_ops(&map, &keys, &traces, 1000) > Duration::ZERO);
            }
        }
    }

    #[test]
    fn ycsb_e_grows_the_map_and_full_scans_read_every_key() {
        let keys = KeySet::new(KeyKind::Ycsb, 2000);
        let w = catalogue().into_iter().find(|w| w.id == "ycsb_e").unwrap();
        let map = Ours::new();
        preload(&map, &keys, Preload::EvenInsertOdd);
        assert_eq!(map.len(), 1000);
        let traces = w.traces(keys.count(), 2);
        assert!(steady_ops(&map, &keys, &traces, 2000) > Duration::ZERO);
        assert!(map.len() > 1000, "inserts added keys");
        let n = map.len() as u64;
        let (read, time) = full_scans_for(&map, 2, Duration::from_millis(20));
        assert!(read >= 2 * n && read % n == 0 && time >= Duration::from_millis(20));
        assert!(full_scans_ops(&SkipList::new(), 2, 3) > Duration::ZERO);
    }

    #[test]
    fn build_inserts_every_key() {
        let keys = KeySet::new(KeyKind::Sequential, 3000);
        assert!(build::<SkipList>(&keys, 2) > Duration::ZERO);
        let map = Ours::new();
        preload(&map, &keys, Preload::Even);
        assert_eq!(map.len(), 1500);
    }
}
