//! The rayon feature: parallel bulk loads and parallel range scans, checked against
//! sequential answers, also while other threads write.
// Not under miri: rayon's deques (crossbeam) are not strict-provenance clean.
#![cfg(all(feature = "rayon", not(miri)))]

use masstree::MassTree;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

const N: u64 = if cfg!(miri) { 300 } else { 100_000 };

#[test]
fn parallel_collect_and_extend_load_every_pair() {
    let mut map: MassTree<u64, u64> = (0..N).into_par_iter().map(|i| (i, i * 3)).collect();
    assert_eq!(map.len(), N as usize);
    map.par_extend((N..2 * N).into_par_iter().map(|i| (i, i * 3)));
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(2 * N as usize));
    let m = map.pin();
    assert!((0..2 * N).all(|i| m.get(i) == Some(&(i * 3))));
}

#[test]
fn par_range_matches_the_sequential_range_in_order() {
    let map: MassTree<str, u64> = (0..N).map(|i| (format!("key:{i:08}"), i)).collect();
    let m = map.pin();
    let ranges: [(String, String); 3] = [
        ("key:00000100".into(), "key:00090000".into()),
        ("".into(), "zzz".into()),
        ("key:00000005".into(), "key:00000006".into()),
    ];
    for (lo, hi) in &ranges {
        let seq: Vec<(String, u64)> = m
            .range(lo.as_str()..hi.as_str())
            .map(|(k, v)| (k, *v))
            .collect();
        let par: Vec<(String, u64)> = m
            .par_range(lo.as_str()..hi.as_str())
            .map(|(k, v)| (k, *v))
            .collect();
        assert_eq!(par, seq, "{lo}..{hi}");
    }
    assert_eq!(m.par_iter().count(), N as usize);
    // The key space is really cut: several pieces for a tree of many leaves.
    let pieces: usize = format!("{:?}", m.par_iter())
        .split("pieces: ")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap();
    assert!(cfg!(miri) || pieces > 4, "{pieces} pieces");
    assert_eq!(m.par_range("b".."a").count(), 0);
}

#[test]
fn par_range_under_concurrent_writes_returns_every_stable_key() {
    let map: MassTree<u64, u64> = (0..N).map(|i| (i * 2, i)).collect();
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        // Churn on odd keys only; even keys stay present for the whole scan.
        s.spawn(|| {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let m = map.pin();
                let k = (i % N) * 2 + 1;
                m.insert(k, 0);
                if i.is_multiple_of(3) {
                    m.remove(k);
                }
                i += 1;
            }
        });
        for _ in 0..if cfg!(miri) { 1 } else { 5 } {
            let m = map.pin();
            let seen: Vec<u64> = m.par_iter().map(|(k, _)| k).collect();
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "strictly increasing");
            let evens = seen.iter().filter(|k| *k % 2 == 0).count();
            assert_eq!(evens, N as usize, "every stable key seen once");
        }
        stop.store(true, Ordering::Relaxed);
    });
}
