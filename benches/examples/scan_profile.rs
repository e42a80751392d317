//! A fixed amount of scan work for `valgrind --tool=callgrind` (instruction counts):
//! `cargo build --release -p masstree-benches --example scan_profile` then
//! `valgrind --tool=callgrind target/release/examples/scan_profile [fwd|rev|full|get|update]`.
//! The maps are `InlineMassTree`s (the benchmarks' configuration); `BOXED=1` in the environment
//! makes them `MassTree`s with boxed values. `ROUNDS` repeats the scans (`full`: ten passes per
//! round); the time of the work after the load goes to stderr, for A/B runs of two builds.

use masstree::reclaim::SeizeReclaim;
use masstree::{Boxed, Inline, MassTree, Storage};
use std::hint::black_box;
use std::ops::Bound::{Included, Unbounded};

fn main() {
    if std::env::var_os("BOXED").is_some() {
        run::<Boxed>();
    } else {
        run::<Inline>();
    }
}

fn run<S: Storage<u64>>() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "fwd".to_owned());
    let keys: Vec<[u8; 8]> = (0..200_000u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes())
        .collect();
    let map = MassTree::<[u8], u64, SeizeReclaim, S>::default();
    {
        let m = map.pin();
        for (i, k) in keys.iter().enumerate() {
            m.insert(&k[..], i as u64);
        }
    }
    let m = map.pin();
    let scans = 20_000;
    let mut sum = 0u64;
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let start = std::time::Instant::now();
    match mode.as_str() {
        "fwd" => {
            for k in keys.iter().cycle().take(scans * rounds) {
                sum += m
                    .range((Included(&k[..]), Unbounded))
                    .values()
                    .take(100)
                    .map(|v| *S::as_value(&v))
                    .sum::<u64>();
            }
        }
        "rev" => {
            for k in keys.iter().cycle().take(scans * rounds) {
                sum += m
                    .range((Unbounded, Included(&k[..])))
                    .values()
                    .rev()
                    .take(100)
                    .map(|v| *S::as_value(&v))
                    .sum::<u64>();
            }
        }
        "full" => {
            for _ in 0..rounds * 10 {
                sum += m.values().map(|v| *S::as_value(&v)).sum::<u64>();
            }
        }
        "ycsbe" => match std::env::var("CONTENDER").as_deref() {
            Ok("bbtree") => sum += ycsb_e::<masstree_benches::contenders::BBTree>(&keys, scans),
            _ => sum += ycsb_e::<masstree_benches::contenders::Ours>(&keys, scans),
        },
        "load" => {}
        "update" => {
            for k in keys.iter().cycle().take(200_000 * rounds) {
                sum += u64::from(m.update(&k[..], |v| v.wrapping_add(1)).is_some());
            }
        }
        "shape" => {
            for len in [8usize, 32] {
                let mut big = MassTree::<[u8], u64, SeizeReclaim, S>::default();
                {
                    let b = big.pin();
                    let mut x = 0x1234_5678_9abc_def0u64;
                    for i in 0..1_000_000u64 {
                        let mut key = Vec::with_capacity(len);
                        while key.len() < len {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                            key.extend_from_slice(&x.to_be_bytes());
                        }
                        key.truncate(len);
                        b.insert(&key[..], i);
                    }
                }
                println!("{len} B keys: {:?}", big.check_invariants());
            }
        }
        "seq" => {
            let seq = MassTree::<[u8], u64, SeizeReclaim, S>::default();
            let s = seq.pin();
            for i in 0..1_000_000u64 {
                s.insert(&i.to_be_bytes()[..], i);
            }
            sum += s.len() as u64;
        }
        _ => {
            for k in keys.iter().take(200_000) {
                sum += m.get(&k[..]).map_or(0, |v| *S::as_value(&v));
            }
        }
    }
    eprintln!("{mode}: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    println!("{}", black_box(sum));
}

/// YCSB-E's scans through the benchmarks' contender API (`CONTENDER=bbtree` for that peer):
/// keys of `user` and 19 digits (10^4 first slices, a sublayer of ~20 keys under each),
/// scans of 1..=100 entries (`SCAN_N` fixes the length; 0 looks the key up instead; `UPDATE=1`
/// updates it instead) from a loaded key, `ROUNDS` times.
/// Prints the time per scan.
fn ycsb_e<C: masstree_benches::contenders::Contender>(keys: &[[u8; 8]], scans: usize) -> u64 {
    let ycsb: Vec<Vec<u8>> = keys
        .iter()
        .map(|k| {
            let digits = u64::from_be_bytes(*k) % 10_000_000_000_000_000_000;
            format!("user{digits:019}").into_bytes()
        })
        .collect();
    let map = C::new();
    let session = map.session();
    for (i, k) in ycsb.iter().enumerate() {
        map.insert(&session, k, i as u64);
    }
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (rounds, fixed) = (env("ROUNDS").unwrap_or(1), env("SCAN_N"));
    let update = std::env::var_os("UPDATE").is_some();
    // `ZIPF=1`: start keys drawn as the benchmark draws them (scrambled Zipfian), else in
    // load order.
    let order: Vec<usize> = if std::env::var_os("ZIPF").is_some() {
        let zipf = masstree_benches::zipf::Zipf::new(ycsb.len() as u64, 0.99);
        let mut rng = masstree_testkit::Rng::new(7);
        (0..scans).map(|_| zipf.item(&mut rng) as usize).collect()
    } else {
        (0..scans).collect()
    };
    let start = std::time::Instant::now();
    let mut sum = 0u64;
    for _ in 0..rounds {
        for (i, k) in order.iter().map(|&j| &ycsb[j]).enumerate() {
            sum += match fixed {
                // `UPDATE=1`: an update of the key (YCSB-A's write) instead of a scan.
                _ if update => u64::from(map.update(&session, k)),
                // `SCAN_N=0`: a lookup of the key instead, for comparison.
                Some(0) => map.get(&session, k).unwrap_or(0),
                n => map
                    .scan(&session, Some(k), n.unwrap_or(1 + i % 100))
                    .map_or(0, |s| s.sum),
            };
        }
    }
    let took = start.elapsed().as_nanos() as f64;
    eprintln!("{}: {:.0} ns/scan", C::NAME, took / (scans * rounds) as f64);
    sum
}
