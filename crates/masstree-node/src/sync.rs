//! The one place atomics come from.
//!
//! Under `--cfg loom` every atomic, fence and spin hint is loom's, so the loom models in
//! `tests/loom.rs` exercise the real node types rather than a copy of them. The core crate uses
//! this module too; nothing in the project names `core::sync::atomic` directly.

#[cfg(loom)]
pub use loom::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering, fence,
};

#[cfg(not(loom))]
pub use core::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering, fence,
};

/// Spins that double each round before a waiter starts yielding its time slice.
const SPIN_ROUNDS: u32 = 6;

/// Exponential backoff for a thread waiting on a word another thread will change: a few
/// doubling rounds of spin hints, then `yield_now`, so a waiter does not burn its time slice
/// while the thread it waits for is descheduled (more threads than cores).
#[derive(Debug, Default)]
pub struct Backoff {
    round: u32,
}

impl Backoff {
    /// A fresh backoff.
    #[inline]
    pub fn new() -> Self {
        Self { round: 0 }
    }

    /// Waits a little longer than last time.
    #[inline]
    pub fn snooze(&mut self) {
        #[cfg(loom)]
        loom::thread::yield_now();
        #[cfg(not(loom))]
        if self.round < SPIN_ROUNDS {
            for _ in 0..1u32 << self.round {
                core::hint::spin_loop();
            }
            self.round += 1;
        } else {
            std::thread::yield_now();
        }
    }
}
