//! Single lookups against pipelined batch lookups (`get_many`) on a large tree, where each
//! lookup is a chain of DRAM misses.
//!
//! `cargo run --release -p masstree --example batch_lookup [keys]` (default 10 million).
use masstree::MassTree;
use std::time::Instant;
/// Loads the tree, then times 2 million random lookups both ways, three times.
fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(10_000_000, |s| s.parse().unwrap());
    let map = MassTree::<[u8], _>::new();
    {
        let m = map.pin();
        for i in 0..n {
            let k = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes();
            m.insert(k, i);
        }
    }
    let probes: Vec<[u8; 8]> = (0..2_000_000u64)
        .map(|j| {
            ((j.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 7) % n)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .to_be_bytes()
        })
        .collect();
    for round in 0..3 {
        let m = map.pin();
        let t = Instant::now();
        let mut sum = 0u64;
        for p in &probes {
            sum = sum.wrapping_add(*m.get(p).unwrap());
        }
        let single = probes.len() as f64 / t.elapsed().as_secs_f64() / 1e6;
        let t = Instant::now();
        let mut sum2 = 0u64;
        for chunk in probes.chunks(16) {
            let keys: [&[u8]; 16] = core::array::from_fn(|i| &chunk[i][..]);
            for v in m.get_many(&keys) {
                sum2 = sum2.wrapping_add(*v.unwrap());
            }
        }
        let batch = probes.len() as f64 / t.elapsed().as_secs_f64() / 1e6;
        assert_eq!(sum, sum2);
        println!(
            "round {round}: n={n} get {single:.2} Mops/s, get_many {batch:.2} Mops/s, ratio {:.2}",
            batch / single
        );
    }
}
