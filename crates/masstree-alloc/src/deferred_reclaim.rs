//! A reclaimer that frees nothing until it is dropped, for loom and miri models.

use crate::{Free, GuardOf, Reclaim, ReclaimGuard};
use std::sync::Mutex;

/// Keeps every retired object until [`Reclaim::reclaim_all`] or drop.
///
/// Loom cannot model seize's or crossbeam-epoch's barriers, so the loom models of the tree use
/// this instead: retirement is then trivially safe, and the models check the tree's own
/// protocol. Memory grows with every retirement, so it is no choice for real use.
#[derive(Default)]
pub struct DeferredReclaim {
    retired: Mutex<Vec<Retired>>,
}

/// A retired object: its address and the function that frees it.
type Retired = (usize, unsafe fn(*mut ()));

impl core::fmt::Debug for DeferredReclaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeferredReclaim").finish_non_exhaustive()
    }
}

/// A guard of a [`DeferredReclaim`].
#[derive(Debug)]
pub struct DeferredGuard<'a> {
    owner: &'a DeferredReclaim,
}

/// The free function of `F`, with the pointer type erased.
unsafe fn free_erased<T, F: Free<T>>(ptr: *mut ()) {
    // SAFETY: forwarded from `retire`'s contract; `ptr` was a `*mut T`.
    unsafe { F::free(ptr.cast()) }
}

// SAFETY: nothing is freed before `reclaim_all` (which takes `&mut self`, so no guard is
// alive) or drop; guards borrow the reclaimer; `belongs_to` compares the owner.
unsafe impl Reclaim for DeferredReclaim {
    type Guard<'a> = DeferredGuard<'a>;

    fn pin(&self) -> DeferredGuard<'_> {
        DeferredGuard { owner: self }
    }

    fn reclaim_all(&mut self) {
        let retired = core::mem::take(self.retired.get_mut().unwrap_or_else(|e| e.into_inner()));
        for (addr, free) in retired {
            // SAFETY: each entry was retired once with a matching free function, and `&mut self`
            // proves no guard is alive.
            unsafe { free(addr as *mut ()) };
        }
    }

    fn shield(&self) -> Option<DeferredGuard<'_>> {
        None
    }
}

impl Drop for DeferredReclaim {
    fn drop(&mut self) {
        self.reclaim_all();
    }
}

// SAFETY: only the reclaimer that made the guard is its owner.
unsafe impl GuardOf<DeferredReclaim> for DeferredGuard<'_> {
    #[inline]
    fn belongs_to(&self, reclaim: &DeferredReclaim) -> bool {
        core::ptr::eq(reclaim, self.owner)
    }
}

impl ReclaimGuard for DeferredGuard<'_> {
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        let mut retired = self.owner.retired.lock().unwrap_or_else(|e| e.into_inner());
        retired.push((ptr as usize, free_erased::<T, F>));
    }

    fn flush(&self) {}

    fn refresh(&mut self) {}
}
