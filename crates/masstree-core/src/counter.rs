//! A striped counter for `len`: writers touch one of several cache lines, so counting does not
//! serialize writers on one word.

use masstree_node::sync::{AtomicUsize, Ordering};

const STRIPES: usize = 16;

#[repr(align(128))]
#[derive(Default)]
struct Stripe(AtomicUsize);

/// Net insertions minus removals, spread over stripes chosen per thread.
pub(crate) struct LenCounter {
    stripes: [Stripe; STRIPES],
}

impl Default for LenCounter {
    fn default() -> Self {
        Self {
            stripes: core::array::from_fn(|_| Stripe::default()),
        }
    }
}

fn stripe_index() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering as StdOrdering};
    static NEXT: StdAtomicUsize = StdAtomicUsize::new(0);
    thread_local! {
        static INDEX: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    INDEX.with(|index| {
        if index.get() == usize::MAX {
            index.set(NEXT.fetch_add(1, StdOrdering::Relaxed) % STRIPES);
        }
        index.get()
    })
}

impl LenCounter {
    /// One key more. Relaxed: the count is a statistic, not a synchronization point.
    #[inline]
    pub(crate) fn increment(&self) {
        self.stripes[stripe_index()]
            .0
            .fetch_add(1, Ordering::Relaxed);
    }

    /// `n` keys more.
    #[inline]
    pub(crate) fn add(&self, n: usize) {
        self.stripes[stripe_index()]
            .0
            .fetch_add(n, Ordering::Relaxed);
    }

    /// One key fewer (wrapping: a stripe may go "negative" when another thread inserted).
    #[inline]
    pub(crate) fn decrement(&self) {
        self.stripes[stripe_index()]
            .0
            .fetch_sub(1, Ordering::Relaxed);
    }

    /// The sum of all stripes.
    pub(crate) fn sum(&self) -> usize {
        let total = self.stripes.iter().fold(0usize, |acc, s| {
            acc.wrapping_add(s.0.load(Ordering::Relaxed))
        });
        // A racing decrement read before its increment can make the sum transiently negative.
        if total > isize::MAX as usize {
            0
        } else {
            total
        }
    }

    /// Resets to zero (with exclusive access).
    pub(crate) fn reset(&self) {
        for s in &self.stripes {
            s.0.store(0, Ordering::Relaxed);
        }
    }
}
