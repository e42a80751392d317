//! `RawTree`: the map's state and its read-only entry points.

use crate::counter::LenCounter;
use crate::node_ref;
use crate::value::{Boxed, ValueSlot};
use core::marker::PhantomData;
use masstree_alloc::{GuardOf, NodePool, Reclaim, ReclaimOwned, SeizeReclaim};
use masstree_node::sync::{AtomicPtr, Ordering};
use masstree_node::{InlineTables, Leaf, NodeHeader};

/// A concurrent ordered map from byte strings to `V`: the engine behind `masstree::MassTree`.
///
/// Every method that reads or writes takes a guard of this tree's reclaimer (`R::Guard`);
/// references returned live as long as the guard borrow. `S` says how values are stored
/// ([`crate::ValueSlot`]): [`Boxed`] (the default) gives readers `&V`, which stays valid (and the
/// value is dropped exactly once, by the reclaimer) even when the key is removed or overwritten
/// concurrently; [`crate::Inline`] stores small plain-data values in the leaf and gives readers
/// copies.
pub struct RawTree<V, R: Reclaim = SeizeReclaim, S: ValueSlot<V> = Boxed> {
    /// Some node that is or was the root of layer 0; readers climb parents to the current root.
    pub(crate) root: AtomicPtr<NodeHeader>,
    pub(crate) len: LenCounter,
    pub(crate) reclaim: R,
    /// Node memory. Declared after `reclaim`, so it drops after the reclaimer freed every
    /// retired node into it.
    pub(crate) pool: NodePool,
    pub(crate) _values: PhantomData<(Box<V>, S)>,
}

// SAFETY: the tree owns boxed `V`s and hands out `&V` to other threads (needs `V: Sync`) and
// drops values on whichever thread reclaims them (needs `V: Send`). Nodes are only reached
// through atomics.
unsafe impl<V: Send + Sync, R: Reclaim, S: ValueSlot<V>> Send for RawTree<V, R, S> {}
// SAFETY: as above.
unsafe impl<V: Send + Sync, R: Reclaim, S: ValueSlot<V>> Sync for RawTree<V, R, S> {}

impl<V, R: Reclaim, S: ValueSlot<V>> Default for RawTree<V, R, S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// An empty tree: one empty root leaf.
    pub fn new() -> Self {
        Self::with_reclaim(R::default())
    }

    /// An empty tree reclaiming memory through `reclaim` (a configured reclaimer).
    pub fn with_reclaim(reclaim: R) -> Self {
        let pool = NodePool::default();
        let leaf = Leaf::boxed(0, true, false, InlineTables::NONE, &pool);
        Self {
            root: AtomicPtr::new(leaf.cast()),
            len: LenCounter::default(),
            reclaim,
            pool,
            _values: PhantomData,
        }
    }

    /// Pins the current thread for this tree.
    #[inline]
    pub fn pin(&self) -> R::Guard<'_> {
        self.reclaim.pin()
    }

    /// An owned guard for this tree ([`ReclaimOwned::pin_owned`]): not tied to the thread.
    #[inline]
    pub fn pin_owned(&self) -> R::OwnedGuard<'_>
    where
        R: ReclaimOwned,
    {
        self.reclaim.pin_owned()
    }

    /// Frees what can be freed now ([`Reclaim::flush`]): this thread's retired objects are
    /// handed to reclamation and those no live guard protects are freed.
    pub fn flush(&self) {
        self.reclaim.flush();
    }

    /// This tree's address: names it in a [`crate::PinnedScope`] and in a decision scope.
    pub(crate) fn address(&self) -> usize {
        (self as *const Self).addr()
    }

    /// Whether `guard` belongs to this tree's reclaimer.
    #[inline]
    pub fn owns_guard<G: GuardOf<R>>(&self, guard: &G) -> bool {
        guard.belongs_to(&self.reclaim)
    }

    /// The number of keys: exact when no write runs concurrently; otherwise a value between the
    /// counts before and after the writes that overlap the call.
    pub fn len(&self) -> usize {
        self.len.sum()
    }

    /// Whether the tree holds no key (same caveat as [`RawTree::len`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The layer-0 root pointer readers start from. Acquire: pairs with the root CAS of a root
    /// split, so the new root's contents are visible.
    #[inline]
    pub(crate) fn root(&self) -> *mut NodeHeader {
        self.root.load(Ordering::Acquire)
    }

    /// Removes every key and returns the nodes' memory. Takes `&mut self`: no reader or writer
    /// can be active.
    pub fn clear(&mut self) {
        // A fresh pool for the empty tree; the old one goes once every node in it is freed.
        let old_pool = core::mem::take(&mut self.pool);
        // Swap in the empty leaf first: if a value's `Drop` panics while the old nodes are
        // freed, the tree is already empty and consistent, and its `Drop` frees only that leaf.
        let leaf = Leaf::boxed(0, true, false, InlineTables::NONE, &self.pool);
        let root = self.root.swap(leaf.cast(), Ordering::Relaxed);
        self.len.reset();
        // A panicking value `Drop` ends the destruction early (`destroy_layer` frees the
        // rest of the nodes first); the panic goes on once the old pool is gone.
        let destroyed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: `&mut self` gives exclusive access; `root` is unreachable now and every
            // node reachable from it is owned by the tree.
            unsafe { crate::destroy::destroy_layer::<V, S>(root, crate::destroy::Values::Drop) };
        }));
        // Retired values' panics are caught where they are freed (`FreeValue`).
        self.reclaim.reclaim_all();
        // Nothing refers to the old pool now: the old trie is destroyed (a node it did not
        // free would only be unreachable memory) and what was retired, all of it this tree's
        // old nodes, values and suffixes, was freed by `reclaim_all`.
        drop(old_pool);
        if let Err(panic) = destroyed {
            std::panic::resume_unwind(panic);
        }
    }

    /// Whether the current layer-0 root is a leaf (for tests of growth).
    #[doc(hidden)]
    pub fn root_is_leaf(&self) -> bool {
        let _guard = self.pin();
        // SAFETY: the root is live while pinned.
        unsafe { node_ref::header(self.root()) }.is_leaf()
    }
}

impl<V, R: Reclaim, S: ValueSlot<V>> Drop for RawTree<V, R, S> {
    fn drop(&mut self) {
        let root = self.root.load(Ordering::Relaxed);
        // SAFETY: `&mut self`: no guard is alive, every reachable node and value is owned.
        unsafe { crate::destroy::destroy_layer::<V, S>(root, crate::destroy::Values::Drop) };
        self.reclaim.reclaim_all();
    }
}
