//! The pipelined batch lookup target: `get_many` against one `get` at a time on a tree far
//! larger than the caches, where every lookup is a chain of DRAM misses. No peer offers a batch
//! lookup, so this compares our two ways of looking up the same keys.

use std::time::Instant;

use crate::contenders::Ours;
use crate::driver::median;

/// Keys per `get_many` call (the core overlaps the descents of up to 16 keys at a time).
const BATCH: usize = 16;

/// What one batch-lookup measurement found.
#[derive(Clone, Copy, Debug)]
pub struct BatchLookup {
    /// Keys in the tree.
    pub keys: usize,
    /// Single lookups, millions per second (median of the runs).
    pub single: f64,
    /// Lookups through `get_many`, millions per second (median of the runs).
    pub batched: f64,
}

impl BatchLookup {
    /// `batched / single`.
    pub fn speedup(&self) -> f64 {
        self.batched / self.single
    }
}

/// The `i`-th key: 8 bytes scattered over the key space (a bijection of `i`).
fn key(i: u64) -> [u8; 8] {
    i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes()
}

/// Loads `keys` random 8-byte keys into our map, then times `probes` random lookups of present
/// keys both ways, `runs` times each (alternating), on one thread.
pub fn measure(keys: usize, probes: usize, runs: usize) -> BatchLookup {
    let map = Ours::default();
    {
        let m = map.pin();
        for i in 0..keys as u64 {
            m.insert(key(i), i);
        }
    }
    let n = keys as u64;
    let probes: Vec<[u8; 8]> = (0..probes as u64)
        .map(|j| key((j.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 7) % n))
        .collect();
    let (mut single, mut batched) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let m = map.pin();
        let t = Instant::now();
        let mut sum = 0u64;
        for p in &probes {
            sum = sum.wrapping_add(m.get(p).expect("every probe is present"));
        }
        single.push(probes.len() as f64 / t.elapsed().as_secs_f64() / 1e6);
        let t = Instant::now();
        let mut sum_batched = 0u64;
        let mut group: Vec<&[u8]> = Vec::with_capacity(BATCH);
        for chunk in probes.chunks(BATCH) {
            group.clear();
            group.extend(chunk.iter().map(|k| &k[..]));
            for v in m.get_many(&group) {
                sum_batched = sum_batched.wrapping_add(v.expect("every probe is present"));
            }
        }
        batched.push(probes.len() as f64 / t.elapsed().as_secs_f64() / 1e6);
        assert_eq!(sum, sum_batched, "get_many disagrees with get");
    }
    BatchLookup {
        keys,
        single: median(single),
        batched: median(batched),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_find_every_key() {
        let b = measure(5_000, 2_000, 1);
        assert_eq!(b.keys, 5_000);
        assert!(b.single > 0.0 && b.batched > 0.0);
    }
}
