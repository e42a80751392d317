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

impl Default for SeizeReclaim {
    fn default() -> Self {
        Self {
            collector: Collector::new(),
        }
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
