//! The map over the second reclaimer, crossbeam-epoch: the same behaviour as with seize.
//!
//! Not under miri: crossbeam-epoch's tagged pointers cast integers to pointers, which
//! `-Zmiri-strict-provenance` rejects inside that crate (not in ours).
#![cfg(not(miri))]

use masstree::MassTree;
use masstree_core::{EpochReclaim, ReclaimGuard};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::thread;

struct Counted(Arc<AtomicIsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[test]
fn concurrent_churn_with_epoch_reclamation_drops_every_value_once() {
    let live = Arc::new(AtomicIsize::new(0));
    let threads = if cfg!(miri) { 2 } else { 4 };
    let n: u64 = if cfg!(miri) { 40 } else { 5_000 };
    {
        let map: Arc<MassTree<[u8], Counted, EpochReclaim>> =
            Arc::new(MassTree::<[u8], _, _>::with_reclaimer());
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (map, live) = (Arc::clone(&map), Arc::clone(&live));
                thread::spawn(move || {
                    let m = map.pin();
                    for i in 0..n {
                        let mut k = b"epoch/shared-prefix/".to_vec();
                        k.extend_from_slice(&((i * 7 + t) % 700).to_be_bytes());
                        live.fetch_add(1, Ordering::Relaxed);
                        m.insert(&k, Counted(Arc::clone(&live)));
                        if i % 3 == 0 {
                            m.remove(&k);
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut map = Arc::try_unwrap(map).ok().unwrap();
        let stats = map.check_invariants().unwrap();
        assert_eq!(stats.keys, map.len());
        assert_eq!(map.pin().iter().count(), stats.keys);
    }
    assert_eq!(
        live.load(Ordering::Relaxed),
        0,
        "values leaked or dropped twice"
    );
}

#[test]
fn epoch_map_rejects_a_guard_of_another_map() {
    let a: MassTree<[u8], u8, EpochReclaim> = MassTree::<[u8], _, _>::with_reclaimer();
    let b: MassTree<[u8], u8, EpochReclaim> = MassTree::<[u8], _, _>::with_reclaimer();
    let guard = b.guard();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        a.get(b"k", &guard).is_some()
    }));
    assert!(result.is_err());
}

std::thread_local! {
    /// Set while the test's decision closure runs (under a leaf lock).
    static IN_CLOSURE: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Counts drops that ran while a decision closure held its leaf lock.
static DROPPED_UNDER_LOCK: AtomicIsize = AtomicIsize::new(0);

struct Probe;

impl Drop for Probe {
    fn drop(&mut self) {
        if IN_CLOSURE.with(core::cell::Cell::get) {
            DROPPED_UNDER_LOCK.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Code under a leaf lock can reach a guard of the same map (`m.guard()` inside `update`'s
/// closure) and flush it, or flush the map: with crossbeam-epoch that collects, which runs
/// other values' `Drop` under the lock (a `Drop` that waits for another thread, or writes to
/// this map, would then deadlock or panic). The write holds a shield guard while its closure
/// runs, so those guards are nested and only mark the hand-off due. Planting `shield` as
/// `None` for `EpochReclaim` makes this fail (hundreds of drops under the lock).
#[test]
fn flushing_from_a_closure_does_not_reclaim_under_the_lock() {
    let map: MassTree<u64, Probe, EpochReclaim> = MassTree::<u64, _, _>::with_reclaimer();
    for i in 0..2_000u64 {
        map.pin().insert(i % 8, Probe); // garbage to collect
    }
    let m = map.pin();
    m.update(0, |_| {
        IN_CLOSURE.with(|f| f.set(true));
        for _ in 0..200 {
            m.guard().flush();
            map.flush();
        }
        IN_CLOSURE.with(|f| f.set(false));
        Probe
    });
    drop(m);
    map.flush();
    assert_eq!(DROPPED_UNDER_LOCK.load(Ordering::Relaxed), 0);
}
