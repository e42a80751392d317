//! The atomic operations of the 0.10 API under concurrency: `compute` and `try_insert` lose no
//! update and admit one winner, `retain`, `remove_range` and `extract_if` remove exactly the
//! keys they should while other threads churn around them, and owned handles move between
//! threads with every value dropped once.

mod common;

use common::rng;
use masstree::{Compute, MassTree, Operation};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// Iterations scaled down under miri.
const fn scaled(n: usize) -> usize {
    if cfg!(miri) { n / 200 + 1 } else { n }
}

/// Stable keys per lane for the bulk-removal tests (under miri: enough for a few leaves).
const BULK_KEYS: u64 = if cfg!(miri) { 24 } else { 50_000 };

#[test]
fn compute_loses_no_increment() {
    const KEYS: u64 = 8;
    let per_thread = scaled(20_000);
    let map: MassTree<u64, u64> = MassTree::new();
    thread::scope(|s| {
        for t in 0..2u64 {
            let map = &map;
            s.spawn(move || {
                let m = map.pin();
                for i in 0..per_thread as u64 {
                    let key = (i + t) % KEYS;
                    match m.compute(key, |v| {
                        Operation::<u64, ()>::Insert(v.map_or(1, |n| n + 1))
                    }) {
                        Compute::Inserted(_) | Compute::Updated { .. } => {}
                        other => panic!("unexpected outcome {other:?}"),
                    }
                }
            });
        }
    });
    let total: u64 = map.pin().values().sum();
    assert_eq!(total, 2 * per_thread as u64);
}

#[test]
fn try_insert_admits_exactly_one_winner_per_key() {
    let keys = scaled(10_000) as u64;
    let map: MassTree<u64, u64> = MassTree::new();
    let wins: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..2u64)
            .map(|t| {
                let map = &map;
                s.spawn(move || {
                    let m = map.pin();
                    let mut won = 0;
                    for k in 0..keys {
                        match m.try_insert(k, t) {
                            Ok(&v) => {
                                assert_eq!(v, t);
                                won += 1;
                            }
                            Err(e) => {
                                assert_ne!(*e.current, t, "a loser saw its own value");
                                assert_eq!(e.not_inserted, t);
                            }
                        }
                    }
                    won
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(wins.iter().sum::<usize>() as u64, keys);
    assert_eq!(map.len() as u64, keys);
}

/// Key layout for the bulk tests: key `i * 4 + lane`, lane 0 "doomed" (present for the whole
/// call and matching: must go), lane 1 "kept" (present, not matching: must stay), lanes 2-3
/// churned by another thread during the call (anything goes, but the map stays consistent).
fn bulk_setup(n: u64) -> MassTree<u64, u64> {
    let map = MassTree::new();
    {
        let m = map.pin();
        for i in 0..n {
            m.insert(i * 4, 0); // doomed: even value
            m.insert(i * 4 + 1, 1); // kept: odd value
        }
    }
    map
}

/// Runs `bulk` on one thread while another inserts and removes keys in lanes 2 and 3 (started
/// before and running throughout), then checks that each lane-0/1 key is present exactly when
/// `stays(k)` says, with its value untouched.
fn bulk_under_churn(
    n: u64,
    bulk: impl FnOnce(&MassTree<u64, u64>) + Send,
    stays: impl Fn(u64) -> bool,
) {
    let mut map = bulk_setup(n);
    let stop = AtomicBool::new(false);
    let rounds = AtomicUsize::new(0);
    thread::scope(|s| {
        let (map, stop, rounds) = (&map, &stop, &rounds);
        s.spawn(move || {
            let mut seed = 7;
            while !stop.load(Ordering::Relaxed) {
                let m = map.pin();
                for _ in 0..64 {
                    let r = rng(&mut seed);
                    let key = (r >> 8) % n * 4 + 2 + (r & 1);
                    if r & 2 == 0 {
                        m.insert(key, r >> 32);
                    } else {
                        m.remove(key);
                    }
                }
                rounds.fetch_add(1, Ordering::Relaxed);
            }
        });
        while rounds.load(Ordering::Relaxed) < 10 {
            thread::yield_now();
        }
        bulk(map);
        stop.store(true, Ordering::Relaxed);
    });
    assert!(
        rounds.load(Ordering::Relaxed) > 10,
        "the churn ran during the call"
    );
    let m = map.pin();
    for k in (0..n * 4).filter(|k| k % 4 < 2) {
        let want = stays(k).then_some(k % 4);
        assert_eq!(m.get(k).copied(), want, "key {k}");
    }
    drop(m);
    map.check_invariants().unwrap();
}

#[test]
fn retain_under_churn_removes_exactly_the_rejected_keys() {
    let n = BULK_KEYS;
    bulk_under_churn(
        n,
        |map| map.retain(|&k, &v| k % 4 >= 2 || v % 2 == 1),
        |k| k % 4 == 1,
    );
}

#[test]
fn remove_range_under_churn_removes_exactly_the_range() {
    let n = BULK_KEYS;
    let (lo, hi) = (n, 3 * n);
    bulk_under_churn(
        n,
        |map| {
            map.remove_range(lo..hi);
        },
        |k| !(lo..hi).contains(&k),
    );
}

#[test]
fn clear_under_churn_removes_every_stable_key() {
    let n = BULK_KEYS;
    bulk_under_churn(n, MassTree::clear, |_| false);
}

#[test]
fn extract_if_from_two_threads_yields_each_key_once() {
    let n = scaled(20_000) as u64;
    let map = bulk_setup(n);
    let taken: Vec<Vec<u64>> = thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let map = &map;
                s.spawn(move || {
                    let m = map.pin();
                    m.extract_if(.., |_, &v| v % 2 == 0)
                        .map(|(k, _)| k)
                        .collect::<Vec<u64>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<u64> = taken.concat();
    all.sort_unstable();
    let want: Vec<u64> = (0..n).map(|i| i * 4).collect();
    assert_eq!(all, want, "every doomed key exactly once");
    assert_eq!(map.len() as u64, n);
}

#[test]
fn owned_handles_cross_threads_and_drop_every_value_once() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted(#[allow(dead_code)] u64);
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    let writes = scaled(4_000);
    let map: Arc<MassTree<u64, Counted>> = Arc::new(MassTree::new());
    thread::scope(|s| {
        for t in 0..2u64 {
            let map = Arc::clone(&map);
            s.spawn(move || {
                for round in 0..writes as u64 / 100 {
                    let m = map.pin_owned();
                    for i in 0..100 {
                        m.insert((round * 100 + i) % 512, Counted(t));
                    }
                    // The handle moves to a fresh thread, writes there and drops there.
                    thread::scope(|inner| {
                        inner.spawn(move || {
                            m.insert(round % 512, Counted(t));
                            assert!(m.get(round % 512).is_some());
                        });
                    });
                }
            });
        }
    });
    let created = 2 * (writes / 100) * 101;
    let live = map.len();
    drop(
        Arc::try_unwrap(map)
            .ok()
            .expect("the threads have finished"),
    );
    assert_eq!(
        DROPS.load(Ordering::Relaxed),
        created,
        "live at the end: {live}"
    );
}

/// A value replaced through an owned handle while another thread holds a guard is freed by the
/// writing thread's `flush` once that guard is gone: it went to the thread's batch, not to a
/// batch of the owned guard's own that could stay behind, half full, after the guard dropped.
#[test]
fn values_replaced_through_an_owned_handle_are_not_stranded() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    let map: MassTree<u64, Counted> = MassTree::new();
    map.pin().insert(1, Counted);
    let (pinned_tx, pinned_rx) = std::sync::mpsc::channel();
    let (written_tx, written_rx) = std::sync::mpsc::channel();
    let (released_tx, released_rx) = std::sync::mpsc::channel();
    thread::scope(|s| {
        let map = &map;
        s.spawn(move || {
            let reader = map.pin();
            pinned_tx.send(()).unwrap();
            written_rx.recv().unwrap();
            drop(reader);
            released_tx.send(()).unwrap();
        });
        pinned_rx.recv().unwrap();
        {
            let m = map.pin_owned();
            m.insert(1, Counted); // retires the first value
        }
        written_tx.send(()).unwrap();
        released_rx.recv().unwrap();
        map.flush();
        assert_eq!(
            DROPS.load(Ordering::Relaxed),
            1,
            "the replaced value was freed"
        );
    });
}
