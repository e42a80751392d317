//! The default reclaimer, on `seize` (Hyaline-style reference counting of retired batches).

use crate::pace::RetirePacer;
use crate::{Free, GuardOf, Reclaim, ReclaimGuard, ReclaimOwned};
use seize::{Collector, Guard as _, LocalGuard, OwnedGuard};

/// Reclamation through a `seize::Collector` owned by one map.
///
/// `pin` is `Collector::enter`, which issues the barrier that orders the thread's later pointer
/// loads after its announcement; a retired object is freed after every thread that was active
/// when it was retired has left.
///
/// A thread hands its retired objects over when its batch is full, or early when they add up
/// to [`crate::RETIRE_BYTE_BUDGET`] or the oldest has waited [`crate::RETIRE_TIME_BUDGET`]
/// (see the crate docs), so large values are not held back a batch at a time.
pub struct SeizeReclaim {
    collector: Collector,
    batch_size: usize,
    pacer: RetirePacer,
}

impl SeizeReclaim {
    /// Objects a thread retires before it hands them to reclamation, by default.
    ///
    /// Each hand-off issues one process-wide heavy barrier (seize's `membarrier`: an
    /// inter-processor interrupt to every CPU running the process, a VM exit under a
    /// hypervisor). seize's own default of 32 makes that one barrier per 32 updates, which
    /// cut update-heavy throughput at 2 threads by 2-3x in `cargo xtask bench`. 1024 makes the
    /// barrier rare. The costs: a thread holds back up to 1024 retired objects (their `Drop`
    /// runs late), and its batch buffer takes 32 KiB (32 bytes per entry), allocated per map
    /// at the thread's first retire in that map and kept until the map drops. Programs with
    /// many small maps and many writing threads can choose smaller batches with
    /// [`SeizeReclaim::with_batch_size`].
    pub const DEFAULT_BATCH_SIZE: usize = 1024;

    /// The largest batch size [`SeizeReclaim::with_batch_size`] uses (2 MiB of buffer per
    /// thread and map).
    pub const MAX_BATCH_SIZE: usize = 1 << 16;

    /// A reclaimer whose threads hand retired objects to reclamation in batches of
    /// `batch_size`: larger batches cost fewer barriers and hold more memory back. The size is
    /// clamped to at least the number of CPUs (seize can only reclaim a batch that has an entry
    /// per active thread; a smaller one would pay a barrier per retire) and at most
    /// [`SeizeReclaim::MAX_BATCH_SIZE`].
    ///
    /// ```
    /// use masstree_alloc::SeizeReclaim;
    ///
    /// let reclaim = SeizeReclaim::with_batch_size(usize::MAX);
    /// assert_eq!(reclaim.batch_size(), SeizeReclaim::MAX_BATCH_SIZE);
    /// assert!(SeizeReclaim::with_batch_size(0).batch_size() >= 1);
    /// ```
    pub fn with_batch_size(batch_size: usize) -> Self {
        let batch_size = batch_size.clamp(cpus(), Self::MAX_BATCH_SIZE);
        Self {
            collector: Collector::new().batch_size(batch_size),
            batch_size,
            // seize rounds the batch up to a power of two; an early hand-off needs an entry
            // per active thread, so fewer than that (up to 8) is not worth its barrier.
            pacer: RetirePacer::new(batch_size.next_power_of_two(), cpus().min(8)),
        }
    }

    /// The batch size in use.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }
}

/// The number of CPUs this process may run on (read once).
fn cpus() -> usize {
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
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

/// A guard of a [`SeizeReclaim`]: the thread is pinned while it lives.
pub struct SeizeGuard<'a> {
    guard: LocalGuard<'a>,
    owner: &'a SeizeReclaim,
    /// An early hand-off is due ([`RetirePacer`]); it is made when the guard drops or
    /// refreshes, not inside `retire`, where the tree may hold node locks (a hand-off costs a
    /// process-wide barrier). Nothing retired while this thread is pinned can be freed before
    /// then anyway.
    flush_due: core::cell::Cell<bool>,
}

impl core::fmt::Debug for SeizeGuard<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SeizeGuard").finish_non_exhaustive()
    }
}

// SAFETY: (1) retired objects go to seize, which frees a batch only after every thread that
// was active when it was handed over has left (or refreshed); `enter` issues the light barrier
// that pairs with the hand-off's heavy one. (2) guards borrow the reclaimer, and
// `reclaim_all`/drop of the collector free everything still retired. (3) `belongs_to` compares the
// guard's owner. (4) seize frees only in `leave`/`refresh` of a thread's last guard and in
// `reclaim_all`; `enter`, `defer_retire` and `flush` (which only attaches the batch to active
// threads, the current one included) free nothing; nor does `refresh` of a nested guard.
unsafe impl Reclaim for SeizeReclaim {
    type Guard<'a> = SeizeGuard<'a>;

    #[inline]
    fn pin(&self) -> SeizeGuard<'_> {
        SeizeGuard {
            guard: self.collector.enter(),
            owner: self,
            flush_due: core::cell::Cell::new(false),
        }
    }

    fn reclaim_all(&mut self) {
        // SAFETY: `&mut self` proves no guard of this collector is alive.
        unsafe { self.collector.reclaim_all() }
    }

    /// None: seize's `flush` frees nothing, and `refresh` frees only on the thread's last
    /// guard, which code under a node lock cannot refresh (the write borrows it, and any
    /// other guard makes it not the last; a write given an owned guard pins the thread for
    /// its duration, see `GuardOf::pins_thread`).
    #[inline]
    fn shield(&self) -> Option<SeizeGuard<'_>> {
        None
    }
}

// SAFETY: only the reclaimer that made the guard is its owner.
unsafe impl GuardOf<SeizeReclaim> for SeizeGuard<'_> {
    #[inline]
    fn belongs_to(&self, reclaim: &SeizeReclaim) -> bool {
        core::ptr::eq(reclaim, self.owner)
    }
}

impl ReclaimGuard for SeizeGuard<'_> {
    #[inline]
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        // SAFETY: `ptr` is valid and not yet freed (caller); measured before seize owns it.
        let bytes = unsafe { F::size(ptr) };
        // SAFETY: forwarded from this method's contract.
        unsafe { self.guard.defer_retire(ptr, reclaim_with::<T, F>) };
        if self.owner.pacer.retired(bytes) {
            self.flush_due.set(true);
        }
    }

    #[inline]
    fn flush(&self) {
        self.flush_due.set(false);
        self.guard.flush();
        self.owner.pacer.handed_over();
    }

    #[inline]
    fn refresh(&mut self) {
        if self.flush_due.get() {
            self.flush();
        }
        self.guard.refresh();
    }
}

impl Drop for SeizeGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        if self.flush_due.get() {
            // Before `self.guard` leaves, so this thread's leave can free the batch at once.
            self.flush();
        }
    }
}

/// An owned guard of a [`SeizeReclaim`] ([`ReclaimOwned::pin_owned`]): seize's `OwnedGuard`,
/// which holds a reservation of its own instead of the thread's, so it is `Send` and `Sync`
/// and may be dropped on another thread than the one that made it.
///
/// It protects what is loaded through it; what is retired through it goes to the *calling
/// thread's* batch (through a guard pinned for the call, nested in the one the tree holds
/// while it writes), paced like any other retirement. Seize could also batch in the owned
/// reservation, but a batch there is handed over only once it has an entry per active
/// reservation, and one that is not when the guard drops stays behind in a recycled slot
/// until that slot fills again, possibly never.
///
/// Each live owned guard is one more active reservation; a batch is handed over only once it
/// has an entry for each, so keep [`SeizeReclaim::with_batch_size`] above the number of owned
/// guards alive at once (plus threads), or retirements wait until enough of them drop.
pub struct SeizeOwnedGuard<'a> {
    guard: OwnedGuard<'a>,
    owner: &'a SeizeReclaim,
}

impl core::fmt::Debug for SeizeOwnedGuard<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SeizeOwnedGuard").finish_non_exhaustive()
    }
}

// SAFETY: (1) and (2) as for `SeizeGuard`: seize's owned reservation is entered at creation,
// with the same barrier, and left at drop, and it borrows the reclaimer; objects retired
// through it go to the calling thread's batch after their unlink, which every reservation
// active at the hand-off (this one included while it lives) then holds back. (3)
// `belongs_to` compares the owner. (4) `retire` and `flush` pin the calling thread; with
// another guard of this reclaimer alive on it that pin is nested and frees nothing when it
// drops; only the owned guard's own `refresh` and drop free.
unsafe impl ReclaimOwned for SeizeReclaim {
    type OwnedGuard<'a> = SeizeOwnedGuard<'a>;

    #[inline]
    fn pin_owned(&self) -> SeizeOwnedGuard<'_> {
        SeizeOwnedGuard {
            guard: self.collector.enter_owned(),
            owner: self,
        }
    }
}

// SAFETY: only the reclaimer that made the guard is its owner.
unsafe impl GuardOf<SeizeReclaim> for SeizeOwnedGuard<'_> {
    #[inline]
    fn belongs_to(&self, reclaim: &SeizeReclaim) -> bool {
        core::ptr::eq(reclaim, self.owner)
    }

    #[inline]
    fn pins_thread(&self) -> bool {
        false
    }
}

impl ReclaimGuard for SeizeOwnedGuard<'_> {
    #[inline]
    unsafe fn retire<T, F: Free<T>>(&self, ptr: *mut T) {
        // SAFETY: forwarded from this method's contract: `ptr` is unlinked (unreachable for
        // readers that pin later) and retired once; the thread's guard holds it back from
        // every reservation active at its batch's hand-off, this one included.
        unsafe { self.owner.pin().retire::<T, F>(ptr) };
    }

    #[inline]
    fn flush(&self) {
        self.owner.pin().flush();
    }

    #[inline]
    fn refresh(&mut self) {
        self.guard.refresh();
    }
}
