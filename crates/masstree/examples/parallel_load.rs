//! A parallel bulk load and a parallel range aggregate with rayon (feature `rayon`).
//!
//! `cargo run --release --example parallel_load [keys]` (the example enables the `rayon`
//! feature through the facade's dev-dependencies)
use masstree::MassTree;
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(1_000_000, |s| s.parse().expect("keys: a number"));
    let threads = rayon::current_num_threads();

    let t = Instant::now();
    let sequential: MassTree<u64, u64> = (0..n).map(|i| (mix(i), i)).collect();
    let seq_load = t.elapsed();

    let t = Instant::now();
    let parallel: MassTree<u64, u64> = (0..n).into_par_iter().map(|i| (mix(i), i)).collect();
    let par_load = t.elapsed();
    assert_eq!(parallel.len(), n as usize);
    assert!(parallel == sequential, "same contents either way");

    // Sum the values of the lower half of the key space, sequentially and in parallel.
    let m = parallel.pin();
    let t = Instant::now();
    let seq_sum: u64 = m.range(..u64::MAX / 2).map(|(_, v)| *v).sum();
    let seq_scan = t.elapsed();
    let t = Instant::now();
    let par_sum: u64 = m.par_range(..u64::MAX / 2).map(|(_, v)| *v).sum();
    let par_scan = t.elapsed();
    assert_eq!(par_sum, seq_sum);

    println!("{n} keys, {threads} rayon threads");
    println!("load: sequential {seq_load:?}, parallel {par_load:?}");
    println!("range sum: sequential {seq_scan:?}, parallel {par_scan:?}");
}

/// Scatters `i` over the key space (a bijection, so keys stay distinct).
fn mix(i: u64) -> u64 {
    i.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}
