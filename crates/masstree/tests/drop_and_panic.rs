//! Values are dropped exactly once; panicking closures leave the map consistent.

use masstree::MassTree;
use masstree::reclaim::{Reclaimer, SeizeReclaim};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::thread;

/// A value that counts live instances.
struct Counted {
    live: Arc<AtomicIsize>,
    id: u64,
}

impl Counted {
    fn new(live: &Arc<AtomicIsize>, id: u64) -> Self {
        live.fetch_add(1, Ordering::Relaxed);
        Self {
            live: Arc::clone(live),
            id,
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::Relaxed);
    }
}

#[test]
fn every_value_is_dropped_exactly_once_after_concurrent_churn() {
    dropped_exactly_once_after_churn::<SeizeReclaim>();
}

/// The same over crossbeam-epoch (not under miri: crossbeam-epoch is not strict-provenance
/// clean): every thread's handle, and what it retired, goes when the map drops.
#[test]
#[cfg(not(miri))]
fn every_value_is_dropped_exactly_once_with_epoch_reclamation() {
    dropped_exactly_once_after_churn::<masstree::reclaim::EpochReclaim>();
}

fn dropped_exactly_once_after_churn<R: Reclaimer>() {
    let live = Arc::new(AtomicIsize::new(0));
    let threads = if cfg!(miri) { 2 } else { 6 };
    let ops = if cfg!(miri) { 60 } else { 30_000u64 };
    {
        let map = Arc::new(MassTree::<[u8], Counted, R>::with_reclaimer());
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (map, live) = (Arc::clone(&map), Arc::clone(&live));
                thread::spawn(move || {
                    for i in 0..ops {
                        // Short keys, suffixed keys and layered keys, overlapping across threads.
                        let n = (i * 7 + t) % 500;
                        let mut k = b"key-with-a-long-prefix".to_vec();
                        k.truncate((n % 24) as usize);
                        k.extend_from_slice(&n.to_be_bytes());
                        let m = map.pin();
                        match i % 4 {
                            0 | 1 => {
                                m.insert(&k, Counted::new(&live, n));
                            }
                            2 => {
                                m.update(&k, |old| Counted::new(&live, old.id + 1));
                            }
                            _ => {
                                m.remove(&k);
                            }
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut map = Arc::try_unwrap(map).ok().unwrap();
        let keys = map.check_invariants().unwrap().keys;
        assert_eq!(keys, map.len());
        assert!(live.load(Ordering::Relaxed) >= keys as isize);
    }
    assert_eq!(
        live.load(Ordering::Relaxed),
        0,
        "values leaked or dropped twice"
    );
}

#[test]
fn clear_drops_values_and_map_stays_usable() {
    let live = Arc::new(AtomicIsize::new(0));
    let mut map = MassTree::<[u8], _>::new();
    for i in 0..if cfg!(miri) { 50 } else { 5_000u64 } {
        map.pin().insert(i.to_le_bytes(), Counted::new(&live, i));
    }
    map.clear_mut();
    assert_eq!(live.load(Ordering::Relaxed), 0);
    assert!(map.is_empty());
    map.pin().insert(b"again", Counted::new(&live, 1));
    assert_eq!(map.pin().get(b"again").map(|c| c.id), Some(1));
    drop(map);
    assert_eq!(live.load(Ordering::Relaxed), 0);
}

#[test]
fn panic_in_update_or_get_or_insert_leaves_map_consistent() {
    let mut map = MassTree::<[u8], _>::new();
    for i in 0..200u64 {
        map.pin().insert(i.to_be_bytes(), i);
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        map.pin()
            .update(&5u64.to_be_bytes(), |_| panic!("user closure panics"));
    }));
    assert!(r.is_err());
    let r = catch_unwind(AssertUnwindSafe(|| {
        map.pin()
            .get_or_insert_with(&1000u64.to_be_bytes(), || panic!("user closure panics"));
    }));
    assert!(r.is_err());
    // The locks were released: the same leaves accept writes, and nothing changed.
    let m = map.pin();
    assert_eq!(m.get(5u64.to_be_bytes()), Some(&5));
    assert_eq!(m.get(1000u64.to_be_bytes()), None);
    assert_eq!(m.update(&5u64.to_be_bytes(), |v| v + 1), Some(&6));
    assert_eq!(*m.get_or_insert_with(&1000u64.to_be_bytes(), || 7), 7);
    drop(m);
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(201));
}

#[test]
#[should_panic(expected = "guard of another map")]
fn a_guard_of_another_map_is_rejected() {
    let a: MassTree<[u8], u8> = MassTree::<[u8], _>::new();
    let b: MassTree<[u8], u8> = MassTree::<[u8], _>::new();
    let guard = b.guard();
    a.get(b"k", &guard);
}

#[test]
fn map_is_send_and_sync_for_send_sync_values() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MassTree<[u8], String>>();
    assert_send_sync::<MassTree<[u8], Vec<u8>>>();
}

/// A value whose `Drop` panics when armed (one instance only, so unwinding never meets a
/// second panic).
struct PanicsOnDrop {
    armed: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        if self.armed.swap(false, Ordering::Relaxed) {
            panic!("value drop panicked");
        }
    }
}

/// Regression (review): a retired value's `Drop` that panicked while the reclaimer freed it
/// unwound through seize's bookkeeping (memory freed twice, a crash) and, in `into_iter` and
/// `clear`, left the root naming freed nodes. Such a panic is now contained where the value is
/// freed; the map stays consistent and every node is freed once (miri checks this test).
#[test]
fn a_retired_value_whose_drop_panics_breaks_nothing() {
    for clear in [false, true] {
        let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut map: MassTree<u64, Option<PanicsOnDrop>> = MassTree::new();
        {
            let m = map.pin();
            m.insert(
                1,
                Some(PanicsOnDrop {
                    armed: Arc::clone(&armed),
                }),
            );
            m.remove(1); // retired, not yet freed: reclaimed by `clear`/`into_iter`
            m.insert(2, None);
        }
        armed.store(true, Ordering::Relaxed);
        if clear {
            map.clear_mut();
            assert!(map.is_empty());
            map.pin().insert(3, None);
            assert_eq!(map.check_invariants().map(|s| s.keys), Ok(1));
        } else {
            assert_eq!(map.into_iter().count(), 1);
        }
        assert!(
            !armed.load(Ordering::Relaxed),
            "the value was dropped (and panicked)"
        );
    }
}

/// A live value whose `Drop` panics during `clear` propagates the panic (as `BTreeMap::clear`
/// does) and leaves an empty, usable map: the tree points at its new empty leaf before the
/// old nodes are freed.
#[test]
fn a_live_value_whose_drop_panics_in_clear_leaves_an_empty_map() {
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut map: MassTree<u64, Option<PanicsOnDrop>> = MassTree::new();
    map.pin().insert(
        1,
        Some(PanicsOnDrop {
            armed: Arc::clone(&armed),
        }),
    );
    map.pin().insert(2, None);
    armed.store(true, Ordering::Relaxed);
    let result = catch_unwind(AssertUnwindSafe(|| map.clear_mut()));
    assert!(result.is_err(), "the value's panic reaches the caller");
    assert!(map.is_empty());
    map.pin().insert(3, None);
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(1));
}

/// Replaced values are freed while the map is live, not only when it drops: at most one
/// retirement batch per thread is held back (`SeizeReclaim::DEFAULT_BATCH_SIZE`, or the batch
/// size a map is built with).
#[test]
fn replaced_values_are_freed_while_the_map_is_live() {
    use masstree::reclaim::SeizeReclaim;
    let rounds = if cfg!(miri) { 4 } else { 40 };
    let per_round: u64 = if cfg!(miri) { 20 } else { 500 };
    for batch in [None, Some(8)] {
        let live = Arc::new(AtomicIsize::new(0));
        let reclaim = batch.map_or_else(SeizeReclaim::default, SeizeReclaim::with_batch_size);
        let held_back = reclaim.batch_size();
        let map: MassTree<u64, Counted> = MassTree::from_reclaimer(reclaim);
        let writes = rounds * per_round;
        if (writes as usize) < 2 * held_back {
            continue; // too few writes to tell (miri runs the small batch only)
        }
        for round in 0..rounds {
            let m = map.pin();
            for i in 0..per_round {
                m.insert(7, Counted::new(&live, round * per_round + i));
            }
        }
        let still_live = live.load(Ordering::Relaxed);
        assert!(
            still_live <= held_back as isize + 1,
            "{still_live} of {writes} values still live with batch size {held_back}"
        );
        drop(map);
        assert_eq!(live.load(Ordering::Relaxed), 0);
    }
}

/// A closure panicking in the middle of `values().fold(..)` (whose fast path drains a leaf's
/// snapshot with the position in a register) leaves the map whole and scannable, and the
/// values it was handed are not dropped by the scan.
#[test]
fn panic_in_values_fold_leaves_the_map_consistent() {
    let live = Arc::new(AtomicIsize::new(0));
    let mut map = MassTree::<u32, Counted>::new();
    let n: u32 = if cfg!(miri) { 40 } else { 1_000 };
    {
        let m = map.pin();
        for i in 0..n {
            m.insert(i, Counted::new(&live, u64::from(i)));
        }
    }
    let seen = catch_unwind(AssertUnwindSafe(|| {
        map.pin().values().fold(0u64, |acc, v| {
            assert!(v.id != u64::from(n / 2), "planted panic");
            acc + 1
        })
    }));
    assert!(seen.is_err());
    assert_eq!(live.load(Ordering::Relaxed), isize::try_from(n).unwrap());
    let ids: Vec<u64> = map.pin().values().map(|v| v.id).collect();
    assert_eq!(ids, (0..u64::from(n)).collect::<Vec<_>>());
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(n as usize));
}
