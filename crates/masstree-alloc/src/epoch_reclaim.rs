//! The second reclaimer, on `crossbeam-epoch`.

use crate::pace::RetirePacer;
use crate::{Free, Reclaim, ReclaimGuard};
use core::cell::Cell;
use crossbeam_epoch::{Collector, Guard, LocalHandle};
use thread_local::ThreadLocal;

/// Epoch-based reclamation through a `crossbeam_epoch::Collector` owned by one map.
///
/// Each thread registers with the collector once per map and keeps that registration (a
/// `LocalHandle`) until the map is dropped or cleared, so pinning is cheap and allocates
/// nothing; nested pins on one thread share it. Guards borrow the reclaimer, so no guard
/// outlives the map, and everything retired is freed before the map's drop returns.
///
/// ```
/// use masstree_alloc::{EpochReclaim, FreeBox, Reclaim, ReclaimGuard};
///
/// let mut reclaim = EpochReclaim::default();
/// {
///     let guard = reclaim.pin();
///     let unlinked = Box::into_raw(Box::new(String::from("old value")));
///     // SAFETY: from `Box::into_raw`, unreachable for new readers, retired once.
///     unsafe { guard.retire::<String, FreeBox>(unlinked) };
/// }
/// reclaim.reclaim_all(); // freed by now, on this thread
/// ```
///
/// A guard borrows the reclaimer, so it cannot outlive it or see it cleared (an earlier
/// version's guard owned its handle, and a value retired by a dropped map was freed when that
/// guard dropped, after the map: a use-after-free for values that borrow):
///
/// ```compile_fail,E0502
/// use masstree_alloc::{EpochReclaim, Reclaim};
///
/// let mut reclaim = EpochReclaim::default();
/// let guard = reclaim.pin();
/// reclaim.reclaim_all(); // error: `reclaim` is borrowed by `guard`
/// drop(guard);
/// ```
pub struct EpochReclaim {
    // Field order: the handles go before the collector they registered with.
    locals: ThreadLocal<Local>,
    collector: Collector,
    pacer: RetirePacer,
}

/// One thread's registration with the collector.
struct Local {
    handle: LocalHandle,
    /// Guards of this reclaimer alive on the thread.
    depth: Cell<u32>,
    /// A hand-off is due at the outermost guard's drop (handing over collects, which runs
    /// other objects' `Drop`: never under a nested guard, where the tree may hold a lock).
    flush_due: Cell<bool>,
}

// SAFETY: a `LocalHandle` (and the `Cell`s) must not be used by two threads at once. A `Local`
// is used only through `ThreadLocal::get_or`, which gives each live thread its own entry and
// hands an entry to a new thread only after its previous owner exited (thread ids are recycled
// through a mutex, which orders the two threads' accesses). The entries are dropped by
// `ThreadLocal`'s `clear` or drop, which take `&mut`: no guard (which borrows the reclaimer)
// and so no use of any handle can be in progress on any thread.
unsafe impl Send for Local {}

/// crossbeam-epoch's bag holds this many deferred functions before it moves to the global
/// queue by itself.
const EPOCH_BAG: usize = 64;

impl Default for EpochReclaim {
    fn default() -> Self {
        Self {
            locals: ThreadLocal::new(),
            collector: Collector::new(),
            pacer: RetirePacer::new(EPOCH_BAG, 1),
        }
    }
}

impl core::fmt::Debug for EpochReclaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EpochReclaim").finish_non_exhaustive()
    }
}

/// A pinned epoch guard of an [`EpochReclaim`], borrowing it.
pub struct EpochGuard<'a> {
    guard: Guard,
    local: &'a Local,
    owner: &'a EpochReclaim,
}

impl core::fmt::Debug for EpochGuard<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EpochGuard").finish_non_exhaustive()
    }
}

impl EpochGuard<'_> {
    /// Whether this is the thread's only guard of this reclaimer.
    fn is_outermost(&self) -> bool {
        self.local.depth.get() == 1
    }
}

// SAFETY: (1) retirement is `defer_unchecked` on a pinned guard: crossbeam runs it only after
// the global epoch advanced twice past the epoch it was deferred in, which every participant
// pinned before then must have left. (2) guards borrow the reclaimer; `reclaim_all` and drop
// first drop every thread's handle (so the collector's last reference goes with it) and then
// the collector, whose drop runs every deferred function. (3) `owns` compares the guard's
// owner. (4) a pin nested in another guard of the same thread only bumps crossbeam's guard
// count (its collection runs on the outermost pin only), `defer` moves a full bag to the
// global queue without collecting, and `flush` (which collects) runs only from the outermost
// guard, else at its drop.
unsafe impl Reclaim for EpochReclaim {
    type Guard<'a> = EpochGuard<'a>;

    fn pin(&self) -> EpochGuard<'_> {
        let local = self.locals.get_or(|| Local {
            handle: self.collector.register(),
            depth: Cell::new(0),
            flush_due: Cell::new(false),
        });
        local.depth.set(local.depth.get() + 1);
        EpochGuard {
            guard: local.handle.pin(),
            local,
            owner: self,
        }
    }

    fn owns(&self, guard: &EpochGuard<'_>) -> bool {
        core::ptr::eq(self, guard.owner)
    }

    fn reclaim_all(&mut self) {
        // Unregister every thread (each handle pushes its bag to the global queue), then drop
        // the collector: with no handle left it is the last reference, and its drop runs every
        // deferred function. A fresh collector replaces it.
        self.locals.clear();
        self.collector = Collector::new();
    }

    fn flush(&self) {
        // A retirement needs the epoch to advance twice before it is freed; each collection
        // advances it at most once.
        for _ in 0..3 {
            self.pin().flush();
        }
    }
}

impl Drop for EpochReclaim {
    fn drop(&mut self) {
        // Fields drop in order (handles, then the collector), which frees everything too;
        // explicit, as the contract promises it.
        self.locals.clear();
    }
}

impl ReclaimGuard for EpochGuard<'_> {
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        // SAFETY: `ptr` is valid and not yet freed (caller); measured before it is deferred.
        let bytes = unsafe { F::size(ptr) };
        let addr = ptr as usize;
        // SAFETY: the caller guarantees `ptr` is unreachable for new readers and retired once;
        // the closure frees it after every guard that could have loaded it is unpinned.
        unsafe {
            self.guard.defer_unchecked(move || F::free(addr as *mut T));
        }
        if self.owner.pacer.retired(bytes) {
            self.local.flush_due.set(true);
        }
    }

    fn flush(&self) {
        if self.is_outermost() {
            self.local.flush_due.set(false);
            self.owner.pacer.handed_over();
            self.guard.flush();
        } else {
            self.local.flush_due.set(true);
        }
    }

    fn refresh(&mut self) {
        if self.is_outermost() {
            self.guard.repin();
            self.flush();
        }
    }
}

impl Drop for EpochGuard<'_> {
    fn drop(&mut self) {
        if self.is_outermost() && self.local.flush_due.get() {
            self.flush();
        }
        self.local.depth.set(self.local.depth.get() - 1);
    }
}
