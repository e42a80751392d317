//! SplitMix64 (Steele, Lea, Flood 2014): one `u64` of state, fast, seedable, good enough for
//! test inputs, key sets and operation traces.

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// One SplitMix64 output for state `z`: a bijective mix of 64 bits. Also scrambles indexes into
/// keys and derives sub-seeds.
///
/// ```
/// use masstree_testkit::mix64;
///
/// assert_ne!(mix64(1), mix64(2));
/// ```
#[inline]
pub fn mix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 stream.
///
/// ```
/// let mut rng = masstree_testkit::Rng::new(42);
/// let coin = rng.percent(50);
/// let die = 1 + rng.index(6);
/// assert!((1..=6).contains(&die));
/// let _ = coin;
/// ```
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed` (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        Self::step(&mut self.0)
    }

    /// The next 64 random bits of the stream whose state is `state` (for callers that keep a
    /// bare `u64`): the same generator as [`Rng::next_u64`].
    ///
    /// ```
    /// let mut state = 5;
    /// let mut rng = masstree_testkit::Rng::new(5);
    /// assert_eq!(masstree_testkit::Rng::step(&mut state), rng.next_u64());
    /// ```
    #[inline]
    pub fn step(state: &mut u64) -> u64 {
        let z = *state;
        *state = z.wrapping_add(GOLDEN);
        mix64(z)
    }

    /// A uniform value in `0..n` (multiply-shift; `n > 0`).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index in `0..n` (`n > 0`).
    #[inline]
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True with probability `percent` / 100.
    #[inline]
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniform `f64` in `[0, 1)`.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let stream = |seed| {
            let mut r = Rng::new(seed);
            (0..8).map(|_| r.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(stream(7), stream(7));
        assert_ne!(stream(7), stream(8));
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::new(7);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            seen[rng.below(10) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        let u = rng.unit();
        assert!((0.0..1.0).contains(&u));
    }
}
