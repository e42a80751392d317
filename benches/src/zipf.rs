//! A Zipfian generator over `0..n`, as in YCSB (Gray et al., "Quickly generating billion-record
//! synthetic databases", SIGMOD 1994): rank `i` is drawn with probability proportional to
//! `1 / (i + 1)^theta`. Ranks are scrambled (YCSB's "scrambled Zipfian") so the hot keys are
//! spread over the key space instead of sitting together in one leaf.

use masstree_testkit::{Rng, mix64};

/// The skew YCSB uses.
pub const YCSB_THETA: f64 = 0.99;

/// A Zipfian distribution over `0..n` with exponent `theta` (`0 < theta < 1`).
#[derive(Clone, Debug)]
pub struct Zipf {
    n: u64,
    theta: f64,
    alpha: f64,
    zetan: f64,
    eta: f64,
}

impl Zipf {
    /// The distribution over `0..n` (`n >= 2`). Computing `zeta(n)` costs `n` powers: do it once.
    pub fn new(n: u64, theta: f64) -> Self {
        assert!(n >= 2, "a Zipfian distribution needs at least two items");
        assert!(theta > 0.0 && theta < 1.0, "theta must be in (0, 1)");
        let zetan = zeta(n, theta);
        let zeta2 = zeta(2, theta);
        let alpha = 1.0 / (1.0 - theta);
        let eta = (1.0 - (2.0 / n as f64).powf(1.0 - theta)) / (1.0 - zeta2 / zetan);
        Self {
            n,
            theta,
            alpha,
            zetan,
            eta,
        }
    }

    /// A rank in `0..n`; rank 0 is the most popular.
    #[inline]
    pub fn rank(&self, rng: &mut Rng) -> u64 {
        let u = rng.unit();
        let uz = u * self.zetan;
        if uz < 1.0 {
            return 0;
        }
        if uz < 1.0 + 0.5f64.powf(self.theta) {
            return 1;
        }
        let r = (self.n as f64 * (self.eta * u - self.eta + 1.0).powf(self.alpha)) as u64;
        r.min(self.n - 1)
    }

    /// A scrambled rank: an item in `0..n` whose popularity follows the distribution, with
    /// popular items scattered over `0..n`.
    #[inline]
    pub fn item(&self, rng: &mut Rng) -> u64 {
        mix64(self.rank(rng)) % self.n
    }
}

/// `sum_{i=1..=n} 1 / i^theta`.
fn zeta(n: u64, theta: f64) -> f64 {
    (1..=n).map(|i| 1.0 / (i as f64).powf(theta)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_skewed_like_zipf() {
        let n = 1000;
        let zipf = Zipf::new(n, YCSB_THETA);
        let mut rng = Rng::new(42);
        let mut counts = vec![0u32; n as usize];
        let draws = 200_000;
        for _ in 0..draws {
            counts[zipf.rank(&mut rng) as usize] += 1;
        }
        // P(rank 0) = 1 / zeta(n) ~ 0.133 for n = 1000, theta = 0.99.
        let p0 = f64::from(counts[0]) / f64::from(draws);
        let expected = 1.0 / zeta(n, YCSB_THETA);
        assert!((p0 - expected).abs() < 0.01, "p0 {p0} vs {expected}");
        assert!(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500]);
    }

    #[test]
    fn items_stay_in_range() {
        let zipf = Zipf::new(17, 0.5);
        let mut rng = Rng::new(3);
        assert!((0..10_000).all(|_| zipf.item(&mut rng) < 17));
    }
}
