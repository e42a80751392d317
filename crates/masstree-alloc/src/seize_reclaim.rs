//! The default reclaimer, on `seize` (Hyaline-style reference counting of retired batches).

use crate::{Free, Reclaim, ReclaimGuard};
use seize::{Collector, Guard as _, LocalGuard};

/// Reclamation through a `seize::Collector` owned by one map.
///
/// `pin` is `Collector::enter`, which issues the barrier that orders the thread's later pointer
/// loads after its announcement; a retired object is freed after every thread that was active
/// when it was retired has left.
pub struct SeizeReclaim {
    collector: Collector,
}

impl SeizeReclaim {
    /// Objects a thread retires before it hands them to reclamation, by default.
    ///
    /// Each hand-off issues one process-wide heavy barrier (seize's `membarrier`: an
    /// inter-processor interrupt to every CPU running the process, a VM exit under a
    /// hypervisor). seize's own default of 32 makes that one barrier per 32 updates, which
    /// cut update-heavy throughput at 2 threads by 2-3x in `cargo xtask bench`; 2048 makes the
    /// barrier rare while a thread holds back at most 2048 retired objects.
    pub const DEFAULT_BATCH_SIZE: usize = 2048;

    /// A reclaimer whose threads hand retired objects to reclamation in batches of
    /// `batch_size` (rounded up to a power of two): larger batches cost fewer barriers and hold
    /// more memory back.
    ///
    /// ```
    /// use masstree_alloc::SeizeReclaim;
    ///
    /// let small_batches = SeizeReclaim::with_batch_size(64);
    /// # drop(small_batches);
    /// ```
    pub fn with_batch_size(batch_size: usize) -> Self {
        Self {
            collector: Collector::new().batch_size(batch_size.max(1)),
        }
    }
}

impl Default for SeizeReclaim {
    fn default() -> Self {
        Self::with_batch_size(Self::DEFAULT_BATCH_SIZE)
    }
}

impl core::fmt::Debug for SeizeReclaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SeizeReclaim").finish_non_exhaustive()
    }
}

/// seize's reclaim callback for a `Free` type.
unsafe fn reclaim_with<T, F: Free<T>>(ptr: *mut T, _collector: &Collector) {
    // SAFETY: forwarded from `retire`'s contract.
    unsafe { F::free(ptr) }
}

impl Reclaim for SeizeReclaim {
    type Guard<'a> = LocalGuard<'a>;

    #[inline]
    fn pin(&self) -> LocalGuard<'_> {
        self.collector.enter()
    }

    #[inline]
    fn owns(&self, guard: &LocalGuard<'_>) -> bool {
        *guard.collector() == self.collector
    }

    fn reclaim_all(&mut self) {
        // SAFETY: `&mut self` proves no guard of this collector is alive.
        unsafe { self.collector.reclaim_all() }
    }
}

impl ReclaimGuard for LocalGuard<'_> {
    #[inline]
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        // SAFETY: forwarded from this method's contract.
        unsafe { self.defer_retire(ptr, reclaim_with::<T, F>) }
    }
}
