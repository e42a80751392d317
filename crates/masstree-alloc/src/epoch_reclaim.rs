//! The second reclaimer, on `crossbeam-epoch`.

use crate::pace::RetirePacer;
use crate::{Free, GuardOf, Reclaim, ReclaimGuard};
use core::cell::Cell;
use core::mem::ManuallyDrop;
use crossbeam_epoch::{Collector, Guard, LocalHandle};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
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
    // Field order: the registrations go before the collector they registered with.
    locals: ThreadLocal<Local>,
    /// Registrations for threads whose `locals` entry is still in use by the thread that had
    /// their thread id before (see [`EpochReclaim::claim`]); kept until `reclaim_all` or drop.
    #[allow(
        clippy::vec_box,
        reason = "boxed so `&Local` handed out stays put as it grows"
    )]
    spare: Mutex<Vec<Box<Local>>>,
    /// Whether any spare registration was ever made (until then a pin never looks at them).
    spares_used: AtomicBool,
    collector: Collector,
    pacer: RetirePacer,
}

/// One registration with the collector, used by one thread at a time.
struct Local {
    handle: LocalHandle,
    /// The thread using the registration now ([`thread_token`]), or [`FREE`]: claimed by a
    /// thread's outermost pin, released when its outermost guard is dropped. The fields below
    /// are touched only by the claiming thread.
    owner: AtomicUsize,
    /// Guards of this reclaimer alive on the owning thread.
    depth: Cell<u32>,
    /// A hand-off is due at the outermost guard's drop (handing over collects, which runs
    /// other objects' `Drop`: never under a nested guard, where the tree may hold a lock).
    flush_due: Cell<bool>,
    /// A spare registration (claimed by a thread whose own entry was busy).
    spare: bool,
}

/// [`Local::owner`] of a registration no thread uses.
const FREE: usize = 0;

// SAFETY: (`Send`, and so `Sync` for `ThreadLocal` and the spare list, which share `&Local`
// between threads): a `LocalHandle` and the `Cell`s must not be used by two threads at once. A
// thread that does not own a registration only loads or CASes `owner`, which is atomic. Every use
// happens between a successful claim of `owner` (an acquire CAS from `FREE`, or the owner
// itself finding its own token) and the release store of `FREE` by the same thread, after its
// last use; the release/acquire pair orders one owner's uses before the next one's. Entries are
// dropped only through `&mut EpochReclaim` (no guard, which borrows it, is alive anywhere).
// `thread_local` alone would not be enough: it frees a thread's id in a thread-local
// destructor, and a guard kept in another thread-local of the exiting thread can still be in
// use when a new thread gets that id and its entry (thread_local-rs issue 75); the claim
// sends the new thread to a spare registration instead.
unsafe impl Send for Local {}

impl Local {
    fn new(collector: &Collector, spare: bool) -> Self {
        Self {
            handle: collector.register(),
            owner: AtomicUsize::new(FREE),
            depth: Cell::new(0),
            flush_due: Cell::new(false),
            spare,
        }
    }

    /// Claims this registration for the thread with token `me` if no thread holds it.
    /// Acquire on success: pairs with the release store of the previous owner's last
    /// [`Leave`], so its uses happen before ours.
    fn take(&self, me: usize) -> bool {
        self.owner
            .compare_exchange(FREE, me, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }
}

std::thread_local! {
    /// A byte whose address names the current thread while it runs (no destructor, so it can
    /// be read during thread-local destruction too).
    static TOKEN: u8 = const { 0 };
    /// Spare registrations (of any map) the current thread holds: while zero, a pin need not
    /// look for one it must nest in.
    static SPARES_HELD: Cell<u32> = const { Cell::new(0) };
}

/// A non-zero number no other running thread has.
fn thread_token() -> usize {
    TOKEN.with(|t| core::ptr::from_ref(t).addr())
}

/// crossbeam-epoch's bag holds this many deferred functions before it moves to the global
/// queue by itself.
const EPOCH_BAG: usize = 64;

impl Default for EpochReclaim {
    fn default() -> Self {
        Self {
            locals: ThreadLocal::new(),
            spare: Mutex::new(Vec::new()),
            spares_used: AtomicBool::new(false),
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

impl EpochReclaim {
    /// The current thread's registration, claimed: the one it already uses (a nested pin),
    /// else its own entry, else (another thread still uses that entry) a spare one.
    fn claim(&self) -> &Local {
        let me = thread_token();
        let mine = self.locals.get_or(|| Local::new(&self.collector, false));
        // Relaxed: only this thread stores its own token.
        if mine.owner.load(Ordering::Relaxed) == me {
            return mine;
        }
        // A thread that pinned through a spare must nest in it, even if its own entry has
        // come free meanwhile. Only a thread that holds a spare (of some map) looks, and only
        // in a map that ever made one. Relaxed: a thread reads back its own stores here.
        if SPARES_HELD.with(Cell::get) > 0
            && self.spares_used.load(Ordering::Relaxed)
            && let Some(local) = self.held_spare(me)
        {
            return local;
        }
        if mine.take(me) {
            return mine;
        }
        self.spares_used.store(true, Ordering::Relaxed);
        let local = self.take_spare(me);
        SPARES_HELD.with(|n| n.set(n.get() + 1));
        local
    }

    /// The spare registration the thread `me` holds, if any.
    fn held_spare(&self, me: usize) -> Option<&Local> {
        let spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        let local: *const Local = &**spare
            .iter()
            .find(|local| local.owner.load(Ordering::Relaxed) == me)?;
        // SAFETY: spare registrations are boxed (they do not move when the vector grows) and
        // dropped only through `&mut self`, so this one lives as long as `&self`.
        Some(unsafe { &*local })
    }

    /// A free spare registration, or a new one, claimed for the thread `me`.
    fn take_spare(&self, me: usize) -> &Local {
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        let local: *const Local = match spare.iter().find(|local| local.take(me)) {
            Some(local) => &**local,
            None => {
                let local = Box::new(Local::new(&self.collector, true));
                assert!(local.take(me), "a new registration is free");
                spare.push(local);
                &**spare.last().expect("just pushed")
            }
        };
        // SAFETY: as in `held_spare`.
        unsafe { &*local }
    }
}

/// Undoes one level of a thread's use of a registration: the depth goes down, and the
/// outermost level gives the registration back. Runs also when unwinding.
struct Leave<'a>(&'a Local);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let depth = self.0.depth.get() - 1;
        self.0.depth.set(depth);
        if depth == 0 {
            // Release: this thread's uses of the registration happen before the next claim.
            self.0.owner.store(FREE, Ordering::Release);
            if self.0.spare {
                SPARES_HELD.with(|n| n.set(n.get().saturating_sub(1)));
            }
        }
    }
}

/// A pinned epoch guard of an [`EpochReclaim`], borrowing it.
pub struct EpochGuard<'a> {
    /// Dropped by hand in `drop`, before the registration is given back.
    guard: ManuallyDrop<Guard>,
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
// first drop every registration (so the collector's last reference goes with them) and then
// the collector, whose drop runs every deferred function. (3) `belongs_to` compares the
// guard's owner. (4) a pin nested in another guard of the same thread shares its registration and only
// bumps crossbeam's guard count (collection runs on a registration's outermost pin only),
// `defer` moves a full bag to the global queue without collecting, `flush`/`refresh` collect
// only from the outermost guard (else at its drop), and `shield` keeps a guard alive while the
// tree runs caller code under a lock, so that code's guards are never the outermost.
unsafe impl Reclaim for EpochReclaim {
    type Guard<'a> = EpochGuard<'a>;

    fn pin(&self) -> EpochGuard<'_> {
        let local = self.claim();
        local.depth.set(local.depth.get() + 1);
        // If pinning unwinds (its collection runs deferred frees), give the level back.
        let leave = Leave(local);
        let guard = local.handle.pin();
        core::mem::forget(leave);
        EpochGuard {
            guard: ManuallyDrop::new(guard),
            local,
            owner: self,
        }
    }

    fn reclaim_all(&mut self) {
        // Unregister every registration (each pushes its bag to the global queue), then drop
        // the collector: with no registration left it is the last reference, and its drop
        // runs every deferred function. A fresh collector replaces it.
        self.unregister_all();
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
        // Fields drop in order (registrations, then the collector), which frees everything
        // too; explicit, as the contract promises it.
        self.unregister_all();
    }
}

impl EpochReclaim {
    /// Drops every thread's registration, own and spare (`&mut self`: none is in use).
    fn unregister_all(&mut self) {
        self.locals.clear();
        self.spare
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        *self.spares_used.get_mut() = false;
    }
}

// SAFETY: only the reclaimer that made the guard is its owner.
unsafe impl GuardOf<EpochReclaim> for EpochGuard<'_> {
    #[inline]
    fn belongs_to(&self, reclaim: &EpochReclaim) -> bool {
        core::ptr::eq(reclaim, self.owner)
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
        /// Runs last, also if the hand-off below unwinds: the guard is unpinned, then (after
        /// a due hand-off) collected after, then the registration is given back.
        struct Exit<'g, 'a> {
            guard: &'g mut EpochGuard<'a>,
            collect_after: bool,
        }
        impl Drop for Exit<'_, '_> {
            fn drop(&mut self) {
                let local = self.guard.local;
                // Given back last, also if a collection below unwinds.
                let _leave = Leave(local);
                // SAFETY: dropped once, here; `guard` is not used after.
                unsafe { ManuallyDrop::drop(&mut self.guard.guard) };
                if self.collect_after && !std::thread::panicking() {
                    // The hand-off sealed this thread's retirements in the current epoch,
                    // and crossbeam frees a bag once the global epoch is two past it; while
                    // this guard was pinned its own collection could advance the epoch once
                    // at most (none if the epoch had moved since it pinned). Unpinned now,
                    // two more pins' collections can make both advances (when no other
                    // thread is pinned behind; nothing is promised then, as before), so what
                    // a due hand-off handed over is freed here rather than at later
                    // hand-offs. With values whose size `Free::size` cannot see (a boxed
                    // `Vec`'s buffer) hand-offs come on the time budget, and waiting for two
                    // more of them held back 15-19 MiB of 256 KiB values on a fast machine
                    // (`memory_bounds`, 2026-12-02). The pins go through the registration
                    // this thread still holds (depth 1): no claim, so nothing that a
                    // thread-local destructor cannot reach, and a pin that a destructor run
                    // here makes nests in it and does not come back here. Not while
                    // unwinding: a destructor's panic then would abort.
                    for _ in 0..2 {
                        local.handle.pin().flush();
                    }
                }
            }
        }
        let due = self.is_outermost() && self.local.flush_due.get();
        let mut exit = Exit {
            guard: self,
            collect_after: false,
        };
        if due {
            exit.guard.flush();
            exit.collect_after = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread whose entry is still in use by another thread (as when `thread_local` hands
    /// an exiting thread's id to a new one while a guard of the old one lives on in a
    /// thread-local destructor) pins through a spare registration, nests in it, and gives it
    /// back; the busy entry is left alone. Planting "use the entry whatever its owner" makes
    /// the owner assertion fail.
    #[test]
    fn a_busy_entry_sends_the_thread_to_a_spare() {
        let reclaim = EpochReclaim::default();
        let mine = reclaim
            .locals
            .get_or(|| Local::new(&reclaim.collector, false));
        let other_thread = usize::MAX; // not an address any thread's token has
        mine.owner.store(other_thread, Ordering::Relaxed);
        {
            let outer = reclaim.pin();
            assert!(
                !core::ptr::eq(outer.local, mine),
                "pinned through a busy entry"
            );
            // The entry coming free meanwhile must not split this thread over two.
            mine.owner.store(FREE, Ordering::Relaxed);
            let inner = reclaim.pin();
            assert!(
                core::ptr::eq(inner.local, outer.local),
                "a nested pin nests"
            );
            assert!(!inner.is_outermost() && !outer.is_outermost());
            mine.owner.store(other_thread, Ordering::Relaxed);
        }
        assert_eq!(mine.owner.load(Ordering::Relaxed), other_thread);
        let spare = reclaim.spare.lock().unwrap();
        assert_eq!(spare.len(), 1);
        assert_eq!(
            spare[0].owner.load(Ordering::Relaxed),
            FREE,
            "the spare was given back"
        );
        assert_eq!(spare[0].depth.get(), 0);
        drop(spare);
        mine.owner.store(FREE, Ordering::Relaxed);
        assert!(
            core::ptr::eq(reclaim.pin().local, mine),
            "a free entry is used again"
        );
    }

    /// Pins nest on one registration; the outermost guard's drop gives it back.
    #[test]
    fn nested_pins_share_the_thread_registration() {
        let reclaim = EpochReclaim::default();
        let outer = reclaim.pin();
        let inner = reclaim.pin();
        assert!(core::ptr::eq(outer.local, inner.local));
        assert!(!inner.is_outermost());
        drop(inner);
        assert!(outer.is_outermost());
        let local = outer.local;
        drop(outer);
        assert_eq!(local.owner.load(Ordering::Relaxed), FREE);
        assert_eq!(local.depth.get(), 0);
    }
}
