//! Memory-reclamation adapters for masstree.
//!
//! Optimistic readers hold pointers to nodes, suffixes and values that a writer may unlink at
//! any moment. Unlinked objects are *retired* instead of freed, and freed once no reader can hold
//! them. [`Reclaim`] is the small interface the tree needs; [`SeizeReclaim`] (the default, built
//! on `seize`) and, with the `crossbeam-epoch` feature, `EpochReclaim` implement it.
//!
//! Nodes themselves come from a [`NodePool`]: per-map chunks (huge pages once the map is
//! large) carved into line-aligned blocks, which the reclaimer's frees return to the pool.
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
//!
//! # Memory held back
//!
//! A thread hands what it retired to reclamation in batches; until then, and until every
//! thread that was inside a guard when it was handed over has left it, retired objects stay
//! allocated. Both real reclaimers bound that by count (a batch), by the bytes they can see
//! ([`Free::size`]: the allocation itself, e.g. a long key's suffix) and by time: a thread
//! whose oldest pending object waited [`RETIRE_TIME_BUDGET`] hands its batch over early, so
//! values that own large heap buffers (which no size can see) are held back for about that
//! long, not until a thousand of them piled up. A guard held for long keeps everything retired
//! meanwhile; [`ReclaimGuard::refresh`] lets it go.

mod deferred_reclaim;
mod free;
mod free_list;
mod node_pool;
mod pace;
mod seize_reclaim;

#[cfg(feature = "crossbeam-epoch")]
mod epoch_reclaim;

pub use deferred_reclaim::{DeferredGuard, DeferredReclaim};
pub use free::{Free, FreeBox};
pub use node_pool::{BATCH, LINE, MAX_BLOCK, NodePool, UNIT};
pub use pace::{RETIRE_BYTE_BUDGET, RETIRE_TIME_BUDGET};
pub use seize_reclaim::{SeizeGuard, SeizeOwnedGuard, SeizeReclaim};

#[cfg(feature = "crossbeam-epoch")]
pub use epoch_reclaim::{EpochGuard, EpochReclaim};

/// A memory-reclamation scheme: readers pin, writers retire.
///
/// # Safety
///
/// The tree's memory safety rests on these promises, which an implementation must keep:
///
/// 1. **Protection.** An object retired through a guard is not freed while any guard of this
///    reclaimer that was alive before the object became unreachable (the `retire` call) is
///    still alive (and not [refreshed](ReclaimGuard::refresh) since). Loads a thread makes
///    after [`Reclaim::pin`] returns are ordered after its announcement, so a writer's later
///    retirement sees the guard.
/// 2. **Nothing outlives the reclaimer.** Every retired object is freed (its [`Free::free`]
///    called exactly once) before [`Reclaim::reclaim_all`] returns or the reclaimer is
///    dropped, never later: a value that borrows data must not be dropped after the map that
///    owned it. Guards borrow the reclaimer (`Guard<'a>` lives at most as long as `&'a self`),
///    so no guard can keep state alive past it.
/// 3. **Ownership.** [`GuardOf::belongs_to`] of its guards is true only for this reclaimer
///    (a guard of another reclaimer protects nothing here).
/// 4. **No reclamation under the caller's feet.** `pin`, `retire` and `flush` called while
///    another guard of this reclaimer is alive on the same thread (the tree holds a node lock
///    then, and may be inside a caller's closure) never run [`Free::free`]: freeing, which
///    runs values' `Drop`, happens only when a thread's outermost guard is pinned, refreshed
///    or dropped, or in `reclaim_all`.
pub unsafe trait Reclaim: Default + Send + Sync + 'static {
    /// Proof that the current thread is pinned: objects it loaded from the structure stay
    /// allocated while the guard lives.
    type Guard<'a>: GuardOf<Self>
    where
        Self: 'a;

    /// Pins the current thread.
    fn pin(&self) -> Self::Guard<'_>;

    /// Frees every retired object now.
    ///
    /// Takes `&mut self`: no guard of this reclaimer can be alive.
    fn reclaim_all(&mut self);

    /// Frees what can be freed now: hands this thread's retired objects to reclamation and
    /// frees those no other thread's guard protects. Call it from outside any guard of this
    /// reclaimer.
    fn flush(&self) {
        let guard = self.pin();
        guard.flush();
    }

    /// A guard the tree holds while it runs caller code under a node lock (a write's decision
    /// closure), so that every guard that code can reach is nested and cannot reclaim there
    /// (point 4 of the contract: the caller may call `flush` or `refresh` on a guard it holds).
    /// `None` where no guard's `flush` or `refresh` ever frees while the thread stays pinned.
    #[inline]
    fn shield(&self) -> Option<Self::Guard<'_>> {
        Some(self.pin())
    }
}

/// A guard that protects reads of a structure reclaimed by `R` and retires its objects:
/// `R`'s own [`Reclaim::Guard`] and, for a [`ReclaimOwned`] reclaimer, its owned guard. The
/// tree's operations accept any `GuardOf` their reclaimer and check [`GuardOf::belongs_to`].
///
/// ```
/// use masstree_alloc::{GuardOf, Reclaim, SeizeReclaim};
///
/// let (a, b) = (SeizeReclaim::default(), SeizeReclaim::default());
/// assert!(a.pin().belongs_to(&a));
/// assert!(!a.pin().belongs_to(&b));
/// ```
///
/// # Safety
///
/// `belongs_to(r)` is true only for a guard made by `r` (its `pin`, or `pin_owned`), which
/// keeps the promises of [`Reclaim`] for every object retired through any guard of `r`, and
/// whose `retire` hands objects to `r`.
pub unsafe trait GuardOf<R: ?Sized>: ReclaimGuard {
    /// Whether this guard was made by `reclaim`.
    fn belongs_to(&self, reclaim: &R) -> bool;

    /// Whether this guard pins the current thread, so that a guard `R` pins on this thread
    /// while it lives is nested in it (and cannot reclaim, point 4 of [`Reclaim`]). True for
    /// `R`'s own guards; an owned guard ([`ReclaimOwned`]) pins no thread, and the tree then
    /// pins the thread itself for as long as it holds node locks or runs caller code.
    #[inline]
    fn pins_thread(&self) -> bool {
        true
    }
}

/// A reclaimer whose guards can also be *owned*: not tied to the thread that made them, so
/// they are `Send` and `Sync` and can be held across an `.await` that resumes on another
/// thread.
///
/// ```
/// use masstree_alloc::{GuardOf, ReclaimOwned, SeizeReclaim};
///
/// let reclaim = SeizeReclaim::default();
/// let guard = reclaim.pin_owned();
/// let guard = std::thread::scope(|s| s.spawn(move || guard).join().unwrap());
/// assert!(guard.belongs_to(&reclaim));
/// ```
///
/// # Safety
///
/// An owned guard keeps promises 1 to 3 of [`Reclaim`] for objects loaded through it, on any
/// thread. Its `pins_thread` is false: it is nested in no guard of a thread and no guard of a
/// thread is nested in it, so its own `refresh` and drop may free while other guards of the
/// thread are alive. Its `retire` and `flush` keep promise 4 when a guard of the reclaimer
/// is alive on the calling thread (which the tree ensures while it holds locks).
pub unsafe trait ReclaimOwned: Reclaim {
    /// A guard that may move between threads.
    type OwnedGuard<'a>: GuardOf<Self> + Send + Sync
    where
        Self: 'a;

    /// Pins an owned guard (more costly than [`Reclaim::pin`]: it takes a slot of its own).
    fn pin_owned(&self) -> Self::OwnedGuard<'_>;
}

/// A pinned thread's handle, through which it retires objects.
pub trait ReclaimGuard {
    /// Schedules `ptr` to be freed by `F` once no guard that may have loaded it is alive.
    ///
    /// # Safety
    ///
    /// `ptr` must be unreachable for readers that pin after this call, must be retired at most
    /// once, and must be valid to pass to `F::free` (and to `F::size`).
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T);

    /// Hands this thread's retired objects to reclamation now, instead of when its batch
    /// fills. Nothing is freed before this thread's outermost guard is dropped or refreshed.
    fn flush(&self);

    /// Lets objects retired so far be freed while this guard stays alive: afterwards the guard
    /// protects only what is loaded after the call (`&mut self`: no reference derived from the
    /// guard survives it). Has no effect on a guard nested inside another guard of the same
    /// thread and reclaimer, which still protects the outer one's loads.
    fn refresh(&mut self);
}
