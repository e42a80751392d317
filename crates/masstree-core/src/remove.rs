//! Collapsing what a removal emptied: unlinking empty leaves from their siblings and parent, and
//! removing an empty layer from the slot that points to it.
//!
//! Lock order, which every path in the crate follows so no cycle can form: within a layer, a leaf
//! before its left neighbour, and children before parents; across layers, a lower layer's node
//! before an upper layer's leaf. (Layer creation holds an upper leaf but locks no existing lower
//! node.)

use crate::free::{FreeInternode, FreeLeaf};
use crate::node_ref;
use crate::reach::reach_leaf;
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use crate::write::lock_leaf;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor};
use masstree_node::{Internode, KEYLEN_LAYER, Leaf, NodeHeader, NodeLock};

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// `leaf` (locked) was just emptied by removing `key`, whose slice in it is at `depth`.
    /// Unlinks the leaf, or removes its layer if it is a layer's only leaf, and repeats upward
    /// for a leaf that this empties in turn. Leaves that must stay (layer 0's root, the leftmost
    /// leaf of a layer, the only child of an internode) stay, empty, and take later inserts.
    pub(crate) fn collapse_empty<'g, G: GuardOf<R>>(
        &'g self,
        leaf: &'g Leaf,
        lock: NodeLock<'g>,
        key: &[u8],
        depth: usize,
        guard: &'g G,
    ) {
        // Roots of the layers `key` passes through, read by the first layer removal and reused
        // by the ones it causes above, so a chain of emptied layers collapses in one pass.
        let mut roots = LayerRoots::default();
        let mut current = Some((leaf, lock, depth));
        while let Some((leaf, lock, depth)) = current.take() {
            if leaf.prev().is_null() && leaf.next().is_null() {
                // The layer's only leaf (its first, which the layer's slot points to).
                if depth > 0 {
                    current = self.remove_layer(leaf, lock, key, depth, &mut roots, guard);
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
    unsafe fn unlink_leaf<'g, G: GuardOf<R>>(
        &'g self,
        leaf: &'g Leaf,
        lock: NodeLock<'g>,
        guard: &'g G,
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
            // SAFETY: a non-root node has a live parent, an internode.
            let parent_ref: &'g Internode = unsafe { node_ref::internode(parent) };
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
            child = parent_ref.as_header();
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
            guard.retire::<Leaf, FreeLeaf>(me.cast());
            for node in retired {
                guard.retire::<Internode, FreeInternode>(node);
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
    fn remove_layer<'g, G: GuardOf<R>>(
        &'g self,
        root: &'g Leaf,
        lock: NodeLock<'g>,
        key: &[u8],
        depth: usize,
        roots: &mut LayerRoots,
        guard: &'g G,
    ) -> Option<(&'g Leaf, NodeLock<'g>, usize)> {
        let me = node_ref::leaf_header(root);
        // SAFETY: we are pinned (by `guard`, for the whole collapse, so recorded roots stay
        // allocated); `me` is live.
        let (upper, upper_lock, pos) = unsafe { self.lock_layer_slot(key, depth, me, roots) }?;
        let mut perm = upper.permutation();
        upper_lock.mark_insert();
        perm.remove(pos);
        upper.set_permutation(&upper_lock, perm);
        lock.mark_deleted();
        let mut above = Internode::from_header(root.header.parent());
        drop(lock);
        // SAFETY: the layer is unreachable now: readers inside it reach the deleted leaf and
        // restart from layer 0. Each node is retired once, here; parents of live nodes are live.
        unsafe {
            guard.retire::<Leaf, FreeLeaf>(me.cast());
            while !above.is_null() {
                let next = if (*above).version().load().is_root() {
                    core::ptr::null_mut()
                } else {
                    Internode::from_header((*above).header.parent())
                };
                guard.retire::<Internode, FreeInternode>(above);
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
    /// Starts from `roots`' root of layer `depth - 1` when it has one (a descent of that one
    /// layer: O(1) in the key's depth), and otherwise, or if that root no longer leads to the
    /// slot, descends from layer 0, recording every layer root it passes in `roots`. A chain of
    /// `d` emptied one-key layers thus costs O(d), not O(d^2) (issue #15, bug 3).
    ///
    /// # Safety
    ///
    /// The caller is pinned, and has stayed pinned since `roots` was filled.
    unsafe fn lock_layer_slot<'g>(
        &'g self,
        key: &[u8],
        depth: usize,
        layer: *mut NodeHeader,
        roots: &mut LayerRoots,
    ) -> Option<(&'g Leaf, NodeLock<'g>, usize)> {
        if let Some(&upper_root) = roots.0.get(depth - 1) {
            // SAFETY: `upper_root` was read from the tree while the caller has been pinned.
            if let Some(found) = unsafe { lock_slot_in_layer(upper_root, key, depth - 1, layer) } {
                return Some(found);
            }
        }
        'top: loop {
            roots.0.clear();
            let mut cursor = KeyCursor::new(key);
            let mut root = self.root();
            loop {
                roots.0.push(root);
                #[cfg(test)]
                tests::FULL_DESCENT_STEPS.with(|n| n.set(n.get() + 1));
                // SAFETY: `root` is live and we are pinned.
                let Some((leaf, _)) = (unsafe { reach_leaf(root, cursor.ikey()) }) else {
                    continue 'top;
                };
                // SAFETY: as above.
                let Some((leaf, leaf_lock)) = (unsafe { lock_leaf(leaf, cursor.ikey()) }) else {
                    roots.0.pop();
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

/// The roots of the layers a key passes through, by depth (index 0 is layer 0's root): read
/// while pinned, so each stays allocated (though maybe no longer a root, or unlinked) while the
/// reader stays pinned.
#[derive(Default)]
struct LayerRoots(Vec<*mut NodeHeader>);

/// In the layer at `upper_depth` reached from `upper_root`, locks the leaf whose slot for
/// `key`'s slice at that depth points to `layer`; `None` if that layer was removed or its slot
/// no longer points there (the caller then descends from layer 0).
///
/// # Safety
///
/// `upper_root` was read from the tree while the caller has been pinned, and still is.
unsafe fn lock_slot_in_layer<'g>(
    upper_root: *mut NodeHeader,
    key: &[u8],
    upper_depth: usize,
    layer: *mut NodeHeader,
) -> Option<(&'g Leaf, NodeLock<'g>, usize)> {
    // The slice of layer `upper_depth`: a cursor over the rest of the key from there (it
    // continues past the slice, since a deeper layer exists).
    let cursor = KeyCursor::new(key.get(upper_depth * 8..)?);
    let ikey = cursor.ikey();
    loop {
        // SAFETY: `upper_root` is allocated while we are pinned (caller).
        let (leaf, _) = unsafe { reach_leaf(upper_root, ikey) }?;
        // SAFETY: as above.
        let Some((leaf, leaf_lock)) = (unsafe { lock_leaf(leaf, ikey) }) else {
            continue; // unlinked meanwhile: descend this layer again
        };
        let Search::Found { pos, slot } = search(leaf, leaf.permutation(), ikey, KEYLEN_SUFFIX)
        else {
            return None;
        };
        let points_here =
            leaf.keylen(slot) == KEYLEN_LAYER && leaf.value(slot).cast::<NodeHeader>() == layer;
        return points_here.then_some((leaf, leaf_lock, pos));
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use crate::{Decision, RawTree};

    std::thread_local! {
        /// Layers stepped through by `lock_layer_slot`'s descents from layer 0, on this thread.
        pub(super) static FULL_DESCENT_STEPS: core::cell::Cell<usize> =
            const { core::cell::Cell::new(0) };
    }

    /// Removing the last key under a long shared prefix collapses the chain of one-key layers
    /// in O(depth): one descent from layer 0, then one layer per step. The old code descended
    /// from layer 0 for every layer (depth^2 / 2 steps: 8 million here, seconds in release);
    /// planting that (no start from the recorded roots) makes this fail.
    #[test]
    fn a_chain_of_emptied_layers_collapses_in_one_pass() {
        const DEPTH: usize = 4096;
        let mut tree = RawTree::<u64>::new();
        let guard = tree.pin();
        let mut a = vec![7u8; DEPTH * 8];
        let mut b = a.clone();
        a.push(1);
        b.push(2);
        tree.write(&a, &guard, |_| Decision::Put(1));
        tree.write(&b, &guard, |_| Decision::Put(2));
        tree.write(&a, &guard, |_| Decision::Remove);
        FULL_DESCENT_STEPS.with(|n| n.set(0));
        tree.write(&b, &guard, |_| Decision::Remove);
        let steps = FULL_DESCENT_STEPS.with(core::cell::Cell::get);
        assert!(
            steps <= 2 * DEPTH,
            "collapsing {DEPTH} layers took {steps} descent steps from layer 0"
        );
        assert!(tree.get(&b, &guard).is_none() && tree.get(&a, &guard).is_none());
        assert_eq!(tree.len(), 0);
        drop(guard);
        let stats = tree
            .check_invariants()
            .expect("invariants hold after the collapse");
        assert_eq!(
            (stats.keys, stats.layers),
            (0, 1),
            "every emptied layer was removed"
        );
    }
}
