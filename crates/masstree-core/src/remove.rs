//! Collapsing what a removal emptied: unlinking empty leaves from their siblings and parent, and
//! removing an empty layer from the slot that points to it.
//!
//! Lock order, which every path in the crate follows so no cycle can form: within a layer, a leaf
//! before its left neighbour, and children before parents; across layers, a lower layer's node
//! before an upper layer's leaf. (Layer creation holds an upper leaf but locks no existing lower
//! node.)

use crate::node_ref;
use crate::reach::reach_leaf;
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use crate::write::lock_leaf;
use masstree_alloc::{FreeBox, Reclaim, ReclaimGuard};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor};
use masstree_node::{Internode, KEYLEN_LAYER, Leaf, NodeHeader, NodeLock};

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// `leaf` (locked) was just emptied by removing `key`, whose slice in it is at `depth`.
    /// Unlinks the leaf, or removes its layer if it is a layer's only leaf, and repeats upward
    /// for a leaf that this empties in turn. Leaves that must stay (layer 0's root, the leftmost
    /// leaf of a layer, the only child of an internode) stay, empty, and take later inserts.
    pub(crate) fn collapse_empty<'g>(
        &'g self,
        leaf: &'g Leaf,
        lock: NodeLock<'g>,
        key: &[u8],
        depth: usize,
        guard: &'g R::Guard<'_>,
    ) {
        let mut current = Some((leaf, lock, depth));
        while let Some((leaf, lock, depth)) = current.take() {
            if leaf.prev().is_null() && leaf.next().is_null() {
                // The layer's only leaf (its first, which the layer's slot points to).
                if depth > 0 {
                    current = self.remove_layer(leaf, lock, key, depth, guard);
                }
            } else {
                // SAFETY: `leaf` is live and locked by us; we are pinned.
                current =
                    unsafe { self.unlink_leaf(leaf, lock, guard) }.map(|(l, k)| (l, k, depth));
            }
        }
    }

    /// Unlinks the empty, locked `leaf` (not its layer's first leaf) from its siblings and
    /// parent, with any internodes that this leaves childless, and retires them.
    ///
    /// # Safety
    ///
    /// `leaf` is live and locked by `lock`; the caller is pinned by `guard`.
    ///
    /// Returns the left neighbour, still locked, if it is empty and has become its layer's only
    /// leaf (the first leaf of a layer stays while other leaves exist; now its layer can go).
    unsafe fn unlink_leaf<'g>(
        &'g self,
        leaf: &'g Leaf,
        lock: NodeLock<'g>,
        guard: &'g R::Guard<'_>,
    ) -> Option<(&'g Leaf, NodeLock<'g>)> {
        // The left neighbour, locked (leaf before left neighbour), and linked to us.
        let (prev, prev_lock) = loop {
            let prev = leaf.prev();
            if prev.is_null() {
                return None; // the leftmost leaf of its layer stays
            }
            // SAFETY: sibling pointers name live leaves while we are pinned.
            let prev_ref: &'g Leaf = unsafe { &*prev };
            let prev_lock = prev_ref.version().lock();
            if prev_ref.next() == (leaf as *const Leaf).cast_mut()
                && !prev_lock.current().is_deleted()
            {
                break (prev_ref, prev_lock);
            }
            // A split or unlink of the neighbour is relinking; its `prev` store follows.
            drop(prev_lock);
            core::hint::spin_loop();
        };
        // Ancestors, locked bottom-up, up to the first one with another child: everything below
        // it on our path (one-child internodes) leaves the tree with us.
        let mut chain: Vec<(&'g Internode, NodeLock<'g>)> = Vec::new();
        let mut child = node_ref::leaf_header(leaf);
        let (ancestor, ancestor_lock, index) = loop {
            // SAFETY: `child` is live and locked by us (the leaf, or a chain internode).
            let parent = unsafe { node_ref::header(child) }.parent();
            // SAFETY: a non-root node has a live parent.
            let parent_ref: &'g Internode = unsafe { &*parent };
            let parent_lock = parent_ref.version().lock();
            // SAFETY: as above.
            if unsafe { node_ref::header(child) }.parent() != parent {
                drop(parent_lock); // the parent split and moved us: retry with the new one
                continue;
            }
            let Some(index) = (0..=parent_ref.len()).find(|&i| parent_ref.child(i) == child) else {
                unreachable!("a node is among its parent's children");
            };
            if !parent_ref.is_empty() {
                break (parent_ref, parent_lock, index);
            }
            if parent_lock.current().is_root() {
                // A one-child chain up to the root: we are the layer's only leaf, which
                // `collapse_empty` handles; nothing to unlink here.
                return None;
            }
            child = node_ref::internode_header(parent_ref);
            chain.push((parent_ref, parent_lock));
        };
        let next = leaf.next();
        lock.mark_deleted();
        for (_, chain_lock) in &chain {
            chain_lock.mark_deleted();
        }
        ancestor_lock.mark_insert();
        if index == 0 {
            // The right neighbour takes over our range (it is the first leaf under the
            // ancestor's next child), so routing and the sibling chain agree. Bound first, then
            // `next`. Only the unlinker of a leaf's left neighbour writes the bound, holding
            // that neighbour's lock, as we do.
            debug_assert!(!next.is_null());
            // SAFETY: `next` is live: its own unlink would need our lock (we are its `prev`).
            unsafe { (*next).set_low_bound(&lock, leaf.low_bound()) };
        }
        prev.set_next(next);
        if !next.is_null() {
            // SAFETY: as above.
            unsafe { (*next).set_prev((prev as *const Leaf).cast_mut()) };
        }
        ancestor.remove_child(&ancestor_lock, index);
        drop(ancestor_lock);
        let retired: Vec<*mut Internode> = chain
            .iter()
            .map(|(node, _)| (*node as *const Internode).cast_mut())
            .collect();
        drop(chain);
        let me = node_ref::leaf_header(leaf);
        drop(lock);
        let prev_now_alone =
            prev.permutation().is_empty() && prev.prev().is_null() && next.is_null();
        // SAFETY: the leaf and the one-child internodes above it are unreachable from the tree
        // and the sibling chain; readers still inside see `DELETED` and restart. Each is retired
        // once, here.
        unsafe {
            guard.retire::<Leaf, FreeBox>(me.cast());
            for node in retired {
                guard.retire::<Internode, FreeBox>(node);
            }
        }
        prev_now_alone.then_some((prev, prev_lock))
    }

    /// Removes the layer whose only leaf `root` (locked, empty) holds `key`'s slice at `depth`:
    /// finds and locks the upper leaf's slot that points to it, removes that slot, and retires
    /// the layer: the leaf and the chain of one-child internodes above it, if the layer once
    /// grew. Returns the upper leaf, locked, if this emptied it.
    ///
    /// Nothing else can change the layer meanwhile: its only leaf is locked by us, and internodes
    /// change only when a leaf below them splits or unlinks.
    fn remove_layer<'g>(
        &'g self,
        root: &'g Leaf,
        lock: NodeLock<'g>,
        key: &[u8],
        depth: usize,
        guard: &'g R::Guard<'_>,
    ) -> Option<(&'g Leaf, NodeLock<'g>, usize)> {
        let me = node_ref::leaf_header(root);
        // SAFETY: we are pinned; `me` is live.
        let (upper, upper_lock, pos) = unsafe { self.lock_layer_slot(key, depth, me) }?;
        let mut perm = upper.permutation();
        upper_lock.mark_insert();
        perm.remove(pos);
        upper.set_permutation(&upper_lock, perm);
        lock.mark_deleted();
        let mut above = root.header.parent();
        drop(lock);
        // SAFETY: the layer is unreachable now: readers inside it reach the deleted leaf and
        // restart from layer 0. Each node is retired once, here; parents of live nodes are live.
        unsafe {
            guard.retire::<Leaf, FreeBox>(me.cast());
            while !above.is_null() {
                let next = if (*above).version().load().is_root() {
                    core::ptr::null_mut()
                } else {
                    (*above).header.parent()
                };
                guard.retire::<Internode, FreeBox>(above);
                above = next;
            }
        }
        if perm.is_empty() {
            Some((upper, upper_lock, depth - 1))
        } else {
            None
        }
    }

    /// Locks the leaf of layer `depth - 1` whose slot for `key` points to `layer` and returns it
    /// with the slot's permutation position; `None` if no slot points there any more.
    ///
    /// # Safety
    ///
    /// The caller is pinned.
    unsafe fn lock_layer_slot<'g>(
        &'g self,
        key: &[u8],
        depth: usize,
        layer: *mut NodeHeader,
    ) -> Option<(&'g Leaf, NodeLock<'g>, usize)> {
        'top: loop {
            let mut cursor = KeyCursor::new(key);
            let mut root = self.root();
            loop {
                // SAFETY: `root` is live and we are pinned.
                let Some((leaf, _)) = (unsafe { reach_leaf(root, cursor.ikey()) }) else {
                    continue 'top;
                };
                // SAFETY: as above.
                let Some((leaf, leaf_lock)) = (unsafe { lock_leaf(leaf, cursor.ikey()) }) else {
                    continue;
                };
                let Search::Found { pos, slot } =
                    search(leaf, leaf.permutation(), cursor.ikey(), KEYLEN_SUFFIX)
                else {
                    return None;
                };
                if leaf.keylen(slot) != KEYLEN_LAYER {
                    return None;
                }
                let next = leaf.value(slot).cast::<NodeHeader>();
                if cursor.depth() + 1 == depth {
                    return (next == layer).then_some((leaf, leaf_lock, pos));
                }
                drop(leaf_lock);
                root = next;
                cursor.shift();
            }
        }
    }
}
