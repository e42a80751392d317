//! Multi-threaded tests, with more threads than this machine's cores. Sizes shrink under miri.

mod common;
use common::value_for;

use masstree::MassTree;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = if cfg!(miri) { 3 } else { 8 };
const PER_THREAD: usize = if cfg!(miri) { 40 } else { 20_000 };

/// The key of item `i` of writer `t` in one of several shapes.
fn key(shape: usize, t: usize, i: usize) -> Vec<u8> {
    let n = (t * PER_THREAD + i) as u64;
    match shape {
        0 => n.to_be_bytes().to_vec(),              // sequential per thread
        1 => (u64::MAX - n).to_be_bytes().to_vec(), // reverse
        2 => n.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes().to_vec(), // scattered
        _ => {
            // A shared 16-byte prefix: every key lives in layer 2.
            let mut k = b"shared-prefix-16".to_vec();
            k.extend_from_slice(&n.to_be_bytes());
            k
        }
    }
}

#[test]
fn disjoint_writers_with_heavy_splits_then_full_check() {
    for shape in 0..4 {
        let map = Arc::new(MassTree::<[u8], _>::new());
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let map = Arc::clone(&map);
                thread::spawn(move || {
                    for i in 0..PER_THREAD {
                        let k = key(shape, t, i);
                        assert!(map.pin().insert(&k, value_for(&k)).is_none());
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut map = Arc::try_unwrap(map).ok().unwrap();
        assert_eq!(map.len(), THREADS * PER_THREAD);
        assert_eq!(
            map.check_invariants().map(|s| s.keys),
            Ok(THREADS * PER_THREAD),
            "shape {shape}"
        );
        let m = map.pin();
        for t in 0..THREADS {
            for i in 0..PER_THREAD {
                let k = key(shape, t, i);
                assert_eq!(m.get(&k), Some(&value_for(&k)), "shape {shape} key {k:?}");
            }
        }
    }
}

/// Readers must never miss a key that stays present while writers insert and remove around it,
/// including keys that force new layers under the stable keys' prefixes.
#[test]
fn readers_never_miss_stable_keys() {
    let stable: Vec<Vec<u8>> = (0..if cfg!(miri) { 20 } else { 2_000u64 })
        .map(|i| {
            let mut k = b"stable:".to_vec();
            k.extend_from_slice(&(i * 2).to_be_bytes());
            k
        })
        .collect();
    let map = Arc::new(MassTree::<[u8], _>::new());
    for k in &stable {
        map.pin().insert(k, value_for(k));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..THREADS / 2)
        .map(|t| {
            let (map, stop) = (Arc::clone(&map), Arc::clone(&stop));
            thread::spawn(move || {
                let mut round = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    for i in 0..if cfg!(miri) { 20 } else { 2_000u64 } {
                        // Neighbours of stable keys, and longer keys sharing a stable key whole
                        // (which turns its slot into a layer).
                        let mut k = b"stable:".to_vec();
                        k.extend_from_slice(&(i * 2 + 1).to_be_bytes());
                        let mut long = b"stable:".to_vec();
                        long.extend_from_slice(&(i * 2).to_be_bytes());
                        long.extend_from_slice(&[t as u8, round as u8, 0, 1, 2, 3, 4, 5, 6]);
                        let m = map.pin();
                        m.insert(&k, value_for(&k));
                        m.insert(&long, value_for(&long));
                        m.remove(&k);
                        m.remove(&long);
                    }
                    round += 1;
                    if cfg!(miri) {
                        break;
                    }
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..THREADS - THREADS / 2)
        .map(|_| {
            let (map, stable, stop) = (Arc::clone(&map), stable.clone(), Arc::clone(&stop));
            thread::spawn(move || {
                for _ in 0..if cfg!(miri) { 1 } else { 20 } {
                    let m = map.pin();
                    for k in &stable {
                        assert_eq!(m.get(k), Some(&value_for(k)), "reader missed {k:?}");
                    }
                }
                stop.store(true, Ordering::Relaxed);
            })
        })
        .collect();
    for r in readers {
        r.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let mut map = Arc::try_unwrap(map).ok().unwrap();
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(stable.len()));
}

/// Insert/remove churn on a few hot keys, with per-key accounting of successful operations:
/// at the end, a key is present exactly when its successful inserts exceed its removes.
#[test]
fn hot_key_churn_accounting() {
    const HOT: usize = 8;
    let rounds = if cfg!(miri) { 30 } else { 50_000 };
    let map = Arc::new(MassTree::<[u8], _>::new());
    let inserted: Arc<Vec<AtomicUsize>> = Arc::new((0..HOT).map(|_| AtomicUsize::new(0)).collect());
    let removed: Arc<Vec<AtomicUsize>> = Arc::new((0..HOT).map(|_| AtomicUsize::new(0)).collect());
    let hot_key = |i: usize| {
        let mut k = vec![b'h'; 12]; // a shared slice and a suffix
        k.push(i as u8);
        k
    };
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (map, inserted, removed) = (
                Arc::clone(&map),
                Arc::clone(&inserted),
                Arc::clone(&removed),
            );
            thread::spawn(move || {
                let mut x = t as u64 + 1;
                for _ in 0..rounds {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let i = (x % HOT as u64) as usize;
                    let k = hot_key(i);
                    let m = map.pin();
                    if x & 256 == 0 {
                        if m.compare_exchange(&k, None, Some(usize::MAX)).is_ok() {
                            inserted[i].fetch_add(1, Ordering::Relaxed);
                        }
                    } else if m.remove_if(&k, |v| *v == usize::MAX).is_some() {
                        removed[i].fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let m = map.pin();
    for i in 0..HOT {
        let net = inserted[i].load(Ordering::Relaxed) as isize
            - removed[i].load(Ordering::Relaxed) as isize;
        let present_max = m.get(hot_key(i)) == Some(&usize::MAX);
        assert!(net == 0 || net == 1, "key {i}: net {net}");
        assert_eq!(present_max, net == 1, "key {i}: net {net}");
    }
}
