//! What the workspace's tests, hardening runners and benchmarks share, so each thing is done
//! one way: the seeded random number generator ([`Rng`], [`mix64`]). No dependencies; not
//! published.
//!
//! ```
//! use masstree_testkit::Rng;
//!
//! let mut a = Rng::new(7);
//! let mut b = Rng::new(7);
//! assert_eq!(a.next_u64(), b.next_u64()); // reproducible from the seed
//! assert!(a.below(10) < 10);
//! ```

mod rng;

pub use rng::{Rng, mix64};

/// Loom model runners shared by the loom suites (under `--cfg loom` only).
#[cfg(loom)]
pub mod loom_model {
    /// Runs a model with room for the spinning a reader does while a writer is mid-change
    /// (loom's default branch limit is too small for it); the preemption bound comes from
    /// `LOOM_MAX_PREEMPTIONS`.
    pub fn model(f: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.max_branches = 1_000_000;
        builder.check(f);
    }

    /// [`model`] with a preemption bound of its own (three-thread models explode at the CI
    /// bound of 2).
    pub fn model_with_bound(preemptions: usize, f: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.max_branches = 1_000_000;
        builder.preemption_bound = Some(preemptions);
        builder.check(f);
    }
}
