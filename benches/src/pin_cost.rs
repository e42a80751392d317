//! The hidden cost of `pin()` per operation: the same lookups and updates, once under one
//! guard held for the whole run and once with a fresh `map.pin()` around every operation (what
//! a handler that pins per request pays). Both on our map with boxed values, whose updates
//! retire the old value, so the per-operation pin also pays for its guard's drop (where
//! reclamation runs).

use std::time::Instant;

use crate::contenders::OursBoxed;
use crate::driver::median;

/// What one pin-cost measurement found, millions of operations per second (medians).
#[derive(Clone, Copy, Debug)]
pub struct PinCost {
    /// Keys in the map.
    pub keys: usize,
    /// Lookups under one held guard.
    pub get_held: f64,
    /// Lookups, each under its own `pin()`.
    pub get_each: f64,
    /// Updates (a boxed value replaced and retired) under one held guard.
    pub update_held: f64,
    /// Updates, each under its own `pin()`.
    pub update_each: f64,
}

impl PinCost {
    /// Per-operation pinning as a fraction of the held guard's throughput, for lookups and
    /// updates.
    pub fn ratios(&self) -> (f64, f64) {
        (
            self.get_each / self.get_held,
            self.update_each / self.update_held,
        )
    }
}

/// Times `ops` random operations each way over `keys` 8-byte keys, `runs` times (alternating),
/// on one thread.
pub fn measure(keys: usize, ops: usize, runs: usize) -> PinCost {
    let map = OursBoxed::default();
    let key = |i: u64| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % keys as u64).to_be_bytes();
    {
        let m = map.pin();
        for i in 0..keys as u64 {
            m.insert(i.to_be_bytes(), i);
        }
    }
    let probes: Vec<[u8; 8]> = (0..ops as u64).map(key).collect();
    let rate = |t: Instant| ops as f64 / t.elapsed().as_secs_f64() / 1e6;
    let (mut gh, mut ge, mut uh, mut ue) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let mut sum = 0u64;
        let t = Instant::now();
        {
            let m = map.pin();
            for p in &probes {
                sum = sum.wrapping_add(*m.get(p).expect("present"));
            }
        }
        gh.push(rate(t));
        let t = Instant::now();
        for p in &probes {
            sum = sum.wrapping_add(*map.pin().get(p).expect("present"));
        }
        ge.push(rate(t));
        let t = Instant::now();
        {
            let m = map.pin();
            for p in &probes {
                m.update(p, |v| v.wrapping_add(1));
            }
        }
        uh.push(rate(t));
        let t = Instant::now();
        for p in &probes {
            map.pin().update(p, |v| v.wrapping_add(1));
        }
        ue.push(rate(t));
        std::hint::black_box(sum);
    }
    PinCost {
        keys,
        get_held: median(gh),
        get_each: median(ge),
        update_held: median(uh),
        update_each: median(ue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_run_every_operation() {
        let c = measure(2_000, 5_000, 1);
        assert_eq!(c.keys, 2_000);
        assert!(c.get_held > 0.0 && c.get_each > 0.0 && c.update_held > 0.0);
        assert!(c.update_each > 0.0);
    }
}
