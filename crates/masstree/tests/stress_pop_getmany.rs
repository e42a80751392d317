//! Review 2: pop_first/pop_last from several threads (each key popped exactly once),
//! get_many racing unlinks and layer churn, prefix() with 0xFF bytes and layers.

mod common;
use common::{rng, value_for};

use masstree::MassTree;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

fn key(i: u64) -> Vec<u8> {
    // Mix short keys and long keys sharing layers.
    match i % 3 {
        0 => i.to_be_bytes().to_vec(),
        1 => {
            let mut k = b"shared-prefix-16".to_vec();
            k.extend_from_slice(&i.to_be_bytes());
            k
        }
        _ => {
            let mut k = (i / 7).to_be_bytes().to_vec();
            k.extend_from_slice(&i.to_be_bytes()[4..]);
            k
        }
    }
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn pops_take_each_key_once() {
    for round in 0..4u64 {
        let n = 20_000u64;
        let map: Arc<MassTree<[u8], u64>> = Arc::new(MassTree::<[u8], _>::new());
        {
            let m = map.pin();
            for i in 0..n {
                let k = key(i);
                m.insert(&k, i);
            }
        }
        let handles: Vec<_> = (0..4u64)
            .map(|t| {
                let map = Arc::clone(&map);
                thread::spawn(move || {
                    let mut got = Vec::new();
                    loop {
                        let m = map.pin();
                        let popped = if (t + round) % 2 == 0 {
                            m.pop_first()
                        } else {
                            m.pop_last()
                        };
                        match popped {
                            Some((k, v)) => {
                                assert_eq!(
                                    k.as_ref(),
                                    key(*v).as_slice(),
                                    "popped key/value mismatch"
                                );
                                got.push(*v);
                            }
                            None => break,
                        }
                    }
                    got
                })
            })
            .collect();
        let mut all = HashSet::new();
        let mut total = 0;
        for h in handles {
            for v in h.join().unwrap() {
                total += 1;
                assert!(all.insert(v), "key {v} popped twice");
            }
        }
        assert_eq!(total, n, "keys popped");
        let mut map = Arc::try_unwrap(map).ok().unwrap();
        assert_eq!(map.len(), 0);
        assert_eq!(map.pin().iter().count(), 0);
        map.check_invariants().unwrap();
    }
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn get_many_under_churn() {
    const STABLE: u64 = 2000;
    const GAP: u64 = 40;
    let map: Arc<MassTree<[u8], u64>> = Arc::new(MassTree::<[u8], _>::new());
    let sk = |i: u64| -> Vec<u8> {
        let mut k = if i.is_multiple_of(2) {
            Vec::new()
        } else {
            b"layered-prefix!!".to_vec()
        };
        k.extend_from_slice(&(i * GAP).to_be_bytes());
        k
    };
    let ck = |i: u64, j: u64| -> Vec<u8> {
        let mut k = if i.is_multiple_of(2) {
            Vec::new()
        } else {
            b"layered-prefix!!".to_vec()
        };
        k.extend_from_slice(&(i * GAP + j).to_be_bytes());
        k
    };
    {
        let m = map.pin();
        for i in 0..STABLE {
            let k = sk(i);
            m.insert(&k, value_for(&k));
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for t in 0..2u64 {
        let (map, stop) = (Arc::clone(&map), Arc::clone(&stop));
        handles.push(thread::spawn(move || {
            let mut seed = 77 + t;
            while !stop.load(Ordering::Relaxed) {
                let i = rng(&mut seed) % (STABLE - 3);
                let m = map.pin();
                for ii in i..i + 3 {
                    for j in 1..GAP {
                        let k = ck(ii, j);
                        m.insert(&k, value_for(&k));
                    }
                }
                for ii in i..i + 3 {
                    for j in 1..GAP {
                        m.remove(ck(ii, j));
                    }
                }
            }
        }));
    }
    for r in 0..2u64 {
        let (map, stop, ops) = (Arc::clone(&map), Arc::clone(&stop), Arc::clone(&ops));
        handles.push(thread::spawn(move || {
            let mut seed = 1234 + r;
            while !stop.load(Ordering::Relaxed) {
                let m = map.pin();
                let mut keys = Vec::new();
                let mut expect_stable = Vec::new();
                for _ in 0..37 {
                    let x = rng(&mut seed);
                    let i = x % STABLE;
                    match (x >> 20) % 3 {
                        0 => {
                            keys.push(sk(i));
                            expect_stable.push(true);
                        }
                        1 => {
                            keys.push(ck(i, 1 + (x >> 30) % (GAP - 1)));
                            expect_stable.push(false);
                        }
                        _ => {
                            let mut k = sk(i);
                            k.extend_from_slice(b"never");
                            keys.push(k);
                            expect_stable.push(false);
                        }
                    }
                }
                let refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
                let got = m.get_many(&refs);
                for ((k, g), st) in keys.iter().zip(&got).zip(&expect_stable) {
                    if *st {
                        assert_eq!(g.copied(), Some(value_for(k)), "stable key {k:?}");
                    } else if k.ends_with(b"never") {
                        assert!(g.is_none(), "never-inserted key found");
                    } else if let Some(v) = g {
                        assert_eq!(**v, value_for(k));
                    }
                }
                ops.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    thread::sleep(Duration::from_secs(5));
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.join().unwrap();
    }
    assert!(ops.load(Ordering::Relaxed) > 0);
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn prefix_with_ff_bytes_matches_model() {
    let map: MassTree<[u8], u32> = MassTree::<[u8], _>::new();
    let m = map.pin();
    let mut model = BTreeMap::new();
    let mut seed = 5u64;
    let alphabet = [0u8, 1, b'a', 0xfe, 0xff];
    for i in 0..4000u32 {
        let len = (rng(&mut seed) % 26) as usize;
        let k: Vec<u8> = (0..len)
            .map(|_| alphabet[(rng(&mut seed) % 5) as usize])
            .collect();
        m.insert(&k, i);
        model.insert(k, i);
    }
    let prefixes: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff],
        vec![0xff; 8],
        vec![0xff; 9],
        vec![0xff; 16],
        vec![b'a', 0xff],
        vec![b'a', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        vec![0],
        vec![0; 8],
        vec![0; 9],
        vec![1, 0xff, 0xff],
    ];
    for p in prefixes {
        let want: Vec<(Vec<u8>, u32)> = model
            .iter()
            .filter(|(k, _)| k.starts_with(&p))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let got: Vec<(Vec<u8>, u32)> = m.prefix(&p).map(|(k, v)| (k.into_vec(), *v)).collect();
        assert_eq!(got, want, "prefix {p:?}");
        let mut got_rev: Vec<(Vec<u8>, u32)> = m
            .prefix(&p)
            .rev()
            .map(|(k, v)| (k.into_vec(), *v))
            .collect();
        got_rev.reverse();
        assert_eq!(got_rev, want, "prefix {p:?} reversed");
    }
}
