//! The second reclaimer, on `crossbeam-epoch`.

use crate::{Free, Reclaim, ReclaimGuard};
use crossbeam_epoch::{Collector, Guard, LocalHandle};

/// Epoch-based reclamation through a `crossbeam_epoch::Collector` owned by one map.
pub struct EpochReclaim {
    collector: Collector,
}

impl Default for EpochReclaim {
    fn default() -> Self {
        Self {
            collector: Collector::new(),
        }
    }
}

impl core::fmt::Debug for EpochReclaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EpochReclaim").finish_non_exhaustive()
    }
}

/// A pinned epoch guard with the handle it came from.
pub struct EpochGuard {
    guard: Guard,
    _handle: LocalHandle,
}

impl Reclaim for EpochReclaim {
    type Guard<'a> = EpochGuard;

    fn pin(&self) -> EpochGuard {
        let handle = self.collector.register();
        let guard = handle.pin();
        EpochGuard {
            guard,
            _handle: handle,
        }
    }

    fn owns(&self, guard: &EpochGuard) -> bool {
        guard.guard.collector() == Some(&self.collector)
    }

    fn reclaim_all(&mut self) {
        // Dropping the collector runs every deferred function once no handle is alive; a fresh
        // collector replaces it.
        self.collector = Collector::new();
    }
}

impl ReclaimGuard for EpochGuard {
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        let addr = ptr as usize;
        // SAFETY: the caller guarantees `ptr` is unreachable for new readers and retired once;
        // the closure frees it after every guard that could have loaded it is unpinned.
        unsafe {
            self.guard.defer_unchecked(move || F::free(addr as *mut T));
        }
    }
}
