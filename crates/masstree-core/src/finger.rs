//! A writer's finger: the layer-0 leaf its last insert went to, so that a run of rising keys
//! (log indexes, timestamps, bulk loads in key order) skips the descent.
//!
//! The finger is a hint with cached bounds. Nothing read from it is trusted: a write that
//! starts from it locks the leaf, checks under the lock that the leaf is not deleted and that
//! the key is at or above the leaf's low bound (a bound only ever moves down), and moves right
//! by B-link `next` pointers as after any descent ([`crate::write`]'s `lock_leaf`). Its cached
//! bounds only decide whether trying it is worthwhile: `low..high` was the leaf's range when
//! the finger was set; a key outside it descends as usual and never touches the leaf, so
//! random writes pay two compares, not a cache miss.
//!
//! Its fields are atomics (plain moves on x86) so a finger can sit in a handle shared by
//! threads: a torn finger (leaf from one write, bounds from another) is still only a hint. The
//! leaf pointer is published with release and read with acquire, so a leaf another thread
//! built is seen built. A write from the finger moves right over at most one split
//! ([`FINGER_STEPS`]); further away, it forgets the finger and descends, so a stale finger (a
//! handle that only updates, or whose leaf other threads have split many times) costs one
//! lock, never a walk along the leaf chain.

/// Right siblings a write from the finger may move to before it descends instead: one is the
/// split that made the key's leaf after the finger was set.
pub(crate) const FINGER_STEPS: usize = 1;

use masstree_alloc::ReclaimGuard;
use masstree_node::Leaf;
use masstree_node::sync::{
    AtomicPtr, AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

/// The leaf of a writer's last insert in layer 0, with that leaf's range then and the tree
/// it belongs to.
#[derive(Debug)]
pub(crate) struct Finger {
    leaf: AtomicPtr<Leaf>,
    low: AtomicU64,
    high: AtomicU64,
    /// The address of the tree the leaf belongs to (0: none).
    tree: AtomicUsize,
}

impl Finger {
    /// A finger pointing nowhere.
    pub(crate) fn new() -> Self {
        Self {
            leaf: AtomicPtr::new(core::ptr::null_mut()),
            low: AtomicU64::new(0),
            high: AtomicU64::new(0),
            tree: AtomicUsize::new(0),
        }
    }

    /// Forgets the leaf (its guard is about to stop protecting it).
    pub(crate) fn clear(&mut self) {
        *self = Self::new();
    }

    /// The leaf to start a write of layer-0 slice `ikey` in tree `tree` from, if the finger
    /// holds a leaf of that tree and its cached range holds `ikey`.
    ///
    /// # Safety
    ///
    /// Every leaf stored in the finger ([`Finger::set`]) is still allocated: the caller's
    /// guard has stayed pinned since it was stored.
    #[inline]
    pub(crate) unsafe fn leaf_for<'g>(&self, tree: usize, ikey: u64) -> Option<&'g Leaf> {
        if ikey < self.low.load(Relaxed)
            || ikey >= self.high.load(Relaxed)
            || self.tree.load(Relaxed) != tree
        {
            return None;
        }
        // Acquire: pairs with `set`'s release store, so the leaf's construction by another
        // thread sharing the finger (an owned handle) happens before we lock it.
        let leaf = self.leaf.load(Acquire);
        // SAFETY: non-null finger leaves are allocated (caller); they are only read through
        // atomics and locked, never trusted without the checks the write makes under the lock.
        (!leaf.is_null()).then(|| unsafe { &*leaf })
    }

    /// Points the finger at `leaf`, which the caller has locked and just inserted into, unless
    /// it points there already.
    ///
    /// # Safety
    ///
    /// `leaf` is a live layer-0 leaf of the tree at address `tree`, and the caller holds its
    /// lock.
    #[inline]
    pub(crate) unsafe fn set(&self, tree: usize, leaf: &Leaf) {
        // Always all fields, even for the same leaf: its cached range tightens after a split,
        // and a finger torn by two threads sharing it heals with the next insert.
        let next = leaf.next();
        let high = if next.is_null() {
            u64::MAX
        } else {
            // SAFETY: a `next` pointer read under the leaf's lock names a live leaf.
            unsafe { (*next).low_bound() }
        };
        self.low.store(leaf.low_bound(), Relaxed);
        self.high.store(high, Relaxed);
        self.tree.store(tree, Relaxed);
        self.leaf
            .store(core::ptr::from_ref(leaf).cast_mut(), Release);
    }

    /// Empties the cached range, so the finger is not tried again until the next insert sets
    /// it (after a write from the finger found the key's leaf too far away).
    #[inline]
    pub(crate) fn forget(&self) {
        self.high.store(0, Relaxed);
    }
}

/// A guard with a writer's finger beside it: writes through [`RawTree::write_fingered`] of
/// rising keys start from the leaf of the previous insert instead of descending.
/// The finger is only valid while the guard it was taken under stays pinned, so the guard is
/// reachable only by shared reference, and [`Fingered::refresh`] forgets the finger before it
/// refreshes the guard.
///
/// ```
/// use masstree_core::{Decision, Fingered, RawTree};
///
/// let tree: RawTree<u64> = RawTree::new();
/// let pinned = Fingered::new(tree.pin());
/// for i in 0..100u64 {
///     tree.write_fingered(&i.to_be_bytes(), &pinned, |_| Decision::Put(i));
/// }
/// assert_eq!(tree.get(&99u64.to_be_bytes(), pinned.guard()), Some(&99));
/// ```
///
/// [`RawTree::write_fingered`]: crate::RawTree::write_fingered
#[derive(Debug)]
pub struct Fingered<G> {
    guard: G,
    finger: Finger,
}

impl<G: ReclaimGuard> Fingered<G> {
    /// `guard` with an empty finger.
    pub fn new(guard: G) -> Self {
        Self {
            guard,
            finger: Finger::new(),
        }
    }

    /// The guard.
    #[inline]
    pub fn guard(&self) -> &G {
        &self.guard
    }

    /// Refreshes the guard ([`ReclaimGuard::refresh`]), forgetting the finger first: the
    /// guard no longer protects the leaf it names.
    pub fn refresh(&mut self) {
        self.finger.clear();
        self.guard.refresh();
    }

    /// The finger, for writes under [`Fingered::guard`].
    #[inline]
    pub(crate) fn finger(&self) -> &Finger {
        &self.finger
    }
}
