//! A second index on masstree's building blocks: an optimistic B+tree for `u64` keys.
//!
//! It exists to prove that `masstree-node`, `masstree-key` and `masstree-alloc` serve an index
//! other than Masstree, through their public API only (it never depends on `masstree-core`).
//! From them it takes:
//!
//! - [`masstree_node::Leaf`] and [`masstree_node::Internode`]: the node layouts, used as they
//!   are (one slot per key, length class 8, no suffixes or layers);
//! - [`masstree_node::NodeVersion`]: optimistic reads (`stable` / `has_changed`) and per-node
//!   locks; the 58-bit change counter is what makes a validation trustworthy;
//! - [`masstree_node::Permutation`]: an insert into a free slot publishes with one store;
//! - [`masstree_key::ikey_of`]: a key's slice (for `u64` keys, the key itself);
//! - a [`masstree_alloc::Reclaim`] scheme: replaced and removed values are retired through it.
//!
//! What it writes itself is the algorithm, which differs from Masstree's on purpose:
//! *optimistic lock coupling* (Leis et al.) instead of B-link trees. Readers validate each
//! parent after reading the child's version and restart from the root on any change; a writer
//! that must split locks the path top-down from the root, keeping only the nodes that may
//! split, and marks every node it will change dirty before it changes any (a parent before
//! its child), so a reader that saw a child mid-split fails on the parent. Nodes are never
//! unlinked (no merges: an emptied leaf stays and takes later inserts), so only values need
//! reclamation.
//!
//! ```
//! use olc_btree::OlcBTree;
//!
//! let tree: OlcBTree<String> = OlcBTree::new();
//! let guard = tree.pin();
//! for k in [30, 10, 20] {
//!     tree.insert(k, format!("v{k}"), &guard);
//! }
//! assert_eq!(tree.get(20, &guard).map(String::as_str), Some("v20"));
//! let mut keys = Vec::new();
//! tree.scan(15, &guard, |k, _| {
//!     keys.push(k);
//!     core::ops::ControlFlow::Continue(())
//! });
//! assert_eq!(keys, [20, 30]);
//! assert_eq!(tree.remove(10, &guard).map(String::as_str), Some("v10"));
//! ```

mod destroy;
mod node;
mod read;
mod scan;
mod split;
mod write;

use core::marker::PhantomData;
use masstree_alloc::{GuardOf, Reclaim, SeizeReclaim};
use masstree_node::sync::{AtomicPtr, Ordering};
use masstree_node::{Leaf, NodeHeader};

/// A concurrent ordered map from `u64` keys to `V`, built on masstree's node crate.
///
/// Every method takes a guard of the tree's reclaimer ([`OlcBTree::pin`]); references it
/// returns live as long as the guard. Values replaced or removed are dropped once no guard can
/// see them.
pub struct OlcBTree<V, R: Reclaim = SeizeReclaim> {
    /// The root node (a leaf or an internode); replaced when the root splits.
    root: AtomicPtr<NodeHeader>,
    reclaim: R,
    _values: PhantomData<Box<V>>,
}

// SAFETY: the tree owns boxed `V`s, hands out `&V` to other threads (`V: Sync`) and drops
// values on whichever thread reclaims them (`V: Send`); nodes are reached through atomics.
unsafe impl<V: Send + Sync, R: Reclaim> Send for OlcBTree<V, R> {}
// SAFETY: as above.
unsafe impl<V: Send + Sync, R: Reclaim> Sync for OlcBTree<V, R> {}

impl<V, R: Reclaim> Default for OlcBTree<V, R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V, R: Reclaim> OlcBTree<V, R> {
    /// An empty tree: one empty root leaf.
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<u8> = olc_btree::OlcBTree::new();
    /// assert!(tree.get(1, &tree.pin()).is_none());
    /// ```
    pub fn new() -> Self {
        let leaf = Box::into_raw(Box::new(Leaf::new(0, true)));
        Self {
            root: AtomicPtr::new(leaf.cast()),
            reclaim: R::default(),
            _values: PhantomData,
        }
    }

    /// Pins the current thread: a guard for the other methods.
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<u8> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// tree.insert(1, 1, &guard);
    /// ```
    pub fn pin(&self) -> R::Guard<'_> {
        self.reclaim.pin()
    }

    /// The current root. Acquire: pairs with the release store that publishes a new root.
    fn root(&self) -> *mut NodeHeader {
        self.root.load(Ordering::Acquire)
    }

    /// Panics unless `guard` belongs to this tree (a guard of another protects nothing here).
    fn check_guard(&self, guard: &R::Guard<'_>) {
        assert!(
            guard.belongs_to(&self.reclaim),
            "olc-btree: a guard of another tree was passed to this tree"
        );
    }
}
