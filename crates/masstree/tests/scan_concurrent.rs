//! Scans racing writers: the guarantees of `Range` under splits, unlinks and layer churn.

mod common;
use common::value_for;

use masstree::MassTree;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

const STABLE: u64 = if cfg!(miri) { 40 } else { 3_000 };

/// Stable keys are `k:<even n>`; churned keys are `k:<odd n>` and long keys that extend a stable
/// key (so layers appear and vanish under it); `never:` keys are never inserted.
fn stable_key(n: u64) -> Vec<u8> {
    let mut k = b"k:".to_vec();
    k.extend_from_slice(&(2 * n).to_be_bytes());
    k
}

fn churn_keys(n: u64, t: u8) -> [Vec<u8>; 2] {
    let mut odd = b"k:".to_vec();
    odd.extend_from_slice(&(2 * n + 1).to_be_bytes());
    let mut long = stable_key(n);
    long.extend_from_slice(&[t; 11]);
    [odd, long]
}

fn check_scan(map: &MassTree<[u8], u64>, lo: u64, hi: u64, reverse: bool) {
    let m = map.pin();
    let (start, end) = (stable_key(lo), stable_key(hi));
    let range = m.range(start.as_slice()..end.as_slice());
    let items: Vec<(Vec<u8>, u64)> = if reverse {
        range.rev().map(|(k, v)| (k.into_vec(), *v)).collect()
    } else {
        range.map(|(k, v)| (k.into_vec(), *v)).collect()
    };
    for pair in items.windows(2) {
        let ordered = if reverse {
            pair[0].0 > pair[1].0
        } else {
            pair[0].0 < pair[1].0
        };
        assert!(
            ordered,
            "out of order or duplicate: {:?} then {:?}",
            pair[0].0, pair[1].0
        );
    }
    for (k, v) in &items {
        assert!(
            k.as_slice() >= start.as_slice() && k.as_slice() < end.as_slice(),
            "outside bounds: {k:?}"
        );
        assert!(!k.starts_with(b"never:"), "a never-inserted key came out");
        assert_eq!(*v, value_for(k), "wrong or torn value for {k:?}");
    }
    // Every stable key in the range, exactly once, in scan order.
    let seen: Vec<&[u8]> = items
        .iter()
        .map(|(k, _)| k.as_slice())
        .filter(|k| k.len() == 10 && k[9] % 2 == 0)
        .collect();
    let mut expect: Vec<Vec<u8>> = (lo..hi).map(stable_key).collect();
    if reverse {
        expect.reverse();
    }
    assert_eq!(
        seen.len(),
        expect.len(),
        "a stable key was missed or repeated"
    );
    for (a, b) in seen.iter().zip(&expect) {
        assert_eq!(*a, b.as_slice());
    }
}

fn scanners_see_every_stable_key(reverse: bool) {
    let map = Arc::new(MassTree::<[u8], _>::new());
    for n in 0..STABLE {
        let k = stable_key(n);
        map.pin().insert(&k, value_for(&k));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3u8)
        .map(|t| {
            let (map, stop) = (Arc::clone(&map), Arc::clone(&stop));
            thread::spawn(move || {
                let mut x = u64::from(t) + 7;
                while !stop.load(Ordering::Relaxed) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let n = x % STABLE;
                    let m = map.pin();
                    for k in churn_keys(n, t) {
                        if x & 1 == 0 {
                            m.insert(&k, value_for(&k));
                        } else {
                            m.remove(&k);
                        }
                    }
                    if cfg!(miri) && x % 8 == 0 {
                        break;
                    }
                }
            })
        })
        .collect();
    let scanners: Vec<_> = (0..3u64)
        .map(|s| {
            let map = Arc::clone(&map);
            thread::spawn(move || {
                for round in 0..if cfg!(miri) { 1 } else { 30 } {
                    let lo = (s * 97 + round * 31) % (STABLE / 2);
                    let hi = lo + STABLE / 2;
                    check_scan(&map, lo, hi, reverse);
                    check_scan(&map, 0, STABLE, reverse);
                }
            })
        })
        .collect();
    for s in scanners {
        s.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let mut map = Arc::try_unwrap(map).ok().unwrap();
    map.check_invariants().unwrap();
}

#[test]
fn forward_scans_under_churn() {
    scanners_see_every_stable_key(false);
}

#[test]
fn reverse_scans_under_churn() {
    scanners_see_every_stable_key(true);
}
