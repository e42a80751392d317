//! Memory-reclamation adapters for masstree.
//!
//! Optimistic readers hold pointers to nodes, suffixes and values that a writer may unlink at
//! any moment. Unlinked objects are *retired* instead of freed, and freed once no reader can hold
//! them. [`Reclaim`] is the small interface the tree needs; [`SeizeReclaim`] (the default, built
//! on `seize`) and, with the `crossbeam-epoch` feature, `EpochReclaim` implement it.
//!
//! How an object is freed is a zero-sized type implementing [`Free`], so retiring costs no
//! allocation and no dynamic dispatch:
//!
//! ```
//! use masstree_alloc::{FreeBox, Reclaim, ReclaimGuard, SeizeReclaim};
//!
//! let reclaim = SeizeReclaim::default();
//! let guard = reclaim.pin();
//! let unlinked = Box::into_raw(Box::new(42u64));
//! // SAFETY: `unlinked` came from `Box::into_raw`, is unreachable for new readers and is
//! // retired once.
//! unsafe { guard.retire::<u64, FreeBox>(unlinked) };
//! drop(guard); // freed once every guard that could see it is gone
//! ```

mod deferred_reclaim;
mod free;
mod seize_reclaim;

#[cfg(feature = "crossbeam-epoch")]
mod epoch_reclaim;

pub use deferred_reclaim::{DeferredGuard, DeferredReclaim};
pub use free::{Free, FreeBox};
pub use seize_reclaim::SeizeReclaim;

#[cfg(feature = "crossbeam-epoch")]
pub use epoch_reclaim::EpochReclaim;

/// A memory-reclamation scheme: readers pin, writers retire.
pub trait Reclaim: Default + Send + Sync + 'static {
    /// Proof that the current thread is pinned: objects it loaded from the structure stay
    /// allocated while the guard lives.
    type Guard<'a>: ReclaimGuard
    where
        Self: 'a;

    /// Pins the current thread.
    fn pin(&self) -> Self::Guard<'_>;

    /// Whether `guard` was created by this reclaimer (a guard of another one protects nothing
    /// here).
    fn owns(&self, guard: &Self::Guard<'_>) -> bool;

    /// Frees every retired object now.
    ///
    /// Takes `&mut self`: no guard of this reclaimer can be alive.
    fn reclaim_all(&mut self);
}

/// A pinned thread's handle, through which it retires objects.
pub trait ReclaimGuard {
    /// Schedules `ptr` to be freed by `F` once no guard that may have loaded it is alive.
    ///
    /// # Safety
    ///
    /// `ptr` must be unreachable for readers that pin after this call, must be retired at most
    /// once, and must be valid to pass to `F::free`.
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T);
}
