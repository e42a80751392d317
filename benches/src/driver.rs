//! Runs a workload on a contender with a number of threads, timing only the operations.

use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::contenders::Contender;
use crate::keys::KeySet;
use crate::workloads::{Op, Preload, decode};

/// Operations between two checks of the stop flag; also how long a session (a pinned guard) is
/// held before it is dropped and re-created.
pub const BATCH: usize = 256;

/// Inserts the keys `preload` asks for, single-threaded (untimed setup).
pub fn preload<C: Contender>(map: &C, keys: &KeySet, preload: Preload) {
    let step = match preload {
        Preload::All => 1,
        Preload::Even => 2,
    };
    let mut session = map.session();
    for (n, i) in (0..keys.count()).step_by(step).enumerate() {
        map.insert(&session, keys.key(i), i as u64);
        if n % BATCH == BATCH - 1 {
            session = map.session();
        }
    }
}

#[inline(always)]
fn apply<C: Contender>(map: &C, session: &C::Session<'_>, keys: &KeySet, entry: u32) {
    let (op, index) = decode(entry);
    let key = keys.key(index);
    match op {
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
    let stop = AtomicBool::new(false);
    let start = Barrier::new(traces.len() + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = traces
            .iter()
            .map(|trace| {
                let (stop, start) = (&stop, &start);
                scope.spawn(move || {
                    let mut at = 0;
                    let mut ops = 0u64;
                    start.wait();
                    while !stop.load(Ordering::Relaxed) {
                        let session = map.session();
                        for _ in 0..BATCH {
                            apply(map, &session, keys, trace[at]);
                            at = if at + 1 == trace.len() { 0 } else { at + 1 };
                        }
                        ops += BATCH as u64;
                    }
                    ops
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        std::thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
        let ops = workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .sum();
        (ops, began.elapsed())
    })
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
                            apply(map, &session, keys, trace[at]);
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
        for w in catalogue().iter().filter(|w| w.keys.key_len() == 8) {
            let crate::workloads::Shape::Steady { preload: p, .. } = w.shape else {
                continue;
            };
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
    fn build_inserts_every_key() {
        let keys = KeySet::new(KeyKind::Sequential, 3000);
        assert!(build::<SkipList>(&keys, 2) > Duration::ZERO);
        let map = Ours::new();
        preload(&map, &keys, Preload::Even);
        assert_eq!(map.len(), 1500);
    }
}
