//! Inserts and removals of one key, under the lock of its leaf.

use crate::OlcBTree;
use crate::node::{KEYLEN, header, internode, is_full, leaf, search};
use masstree_alloc::{FreeBox, Reclaim, ReclaimGuard};
use masstree_node::{Leaf, NodeHeader, NodeLock, Permutation};

/// A locked node on a writer's path from the root.
pub(crate) type Locked<'t> = (*mut NodeHeader, NodeLock<'t>);

impl<V, R: Reclaim> OlcBTree<V, R> {
    /// Stores `value` under `key`, returning the value it replaces (valid while `guard` lives;
    /// dropped once no guard can see it).
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<u32> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// assert_eq!(tree.insert(1, 10, &guard), None);
    /// assert_eq!(tree.insert(1, 11, &guard), Some(&10));
    /// ```
    pub fn insert<'g>(&'g self, key: u64, value: V, guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.check_guard(guard);
        let ikey = crate::node::ikey(key);
        let word = Box::into_raw(Box::new(value)).cast::<()>();
        loop {
            let (leaf, v) = self.find_leaf(ikey);
            let lock = leaf.version().lock();
            if leaf.version().has_changed(v) {
                continue; // split or changed before we locked it: descend again
            }
            let perm = leaf.permutation();
            match search(leaf, perm, ikey) {
                Ok((_, slot)) => return Some(self.replace(leaf, lock, slot, word, guard)),
                Err(pos) if !perm.is_full() => {
                    insert_into_free_slot(leaf, &lock, perm, pos, ikey, word);
                    return None;
                }
                Err(_) => {
                    drop(lock);
                    return self.insert_splitting(ikey, word, guard);
                }
            }
        }
    }

    /// Replaces the value in `slot` of the locked `leaf` with `word` and retires the old one.
    fn replace<'g>(
        &'g self,
        leaf: &'g Leaf,
        lock: NodeLock<'_>,
        slot: usize,
        word: *mut (),
        guard: &'g R::Guard<'_>,
    ) -> &'g V {
        let old = leaf.value(slot);
        // One atomic store: a reader sees the old value or the new one, both allocated.
        leaf.set_value(&lock, slot, word);
        drop(lock);
        // SAFETY: the old box left the tree above and is retired once; it stays allocated
        // for `guard` (and every other guard that may have read it).
        unsafe {
            guard.retire::<V, FreeBox>(old.cast());
            &*old.cast::<V>()
        }
    }

    /// The insert of a key into a full leaf: locks the path from the root down, keeping only
    /// the nodes that may split (the lowest non-full node and everything below it, or the
    /// whole path up to the root), then splits bottom-up.
    fn insert_splitting<'g>(
        &'g self,
        ikey: u64,
        word: *mut (),
        guard: &'g R::Guard<'_>,
    ) -> Option<&'g V> {
        loop {
            let root = self.root();
            // SAFETY: nodes live as long as the tree.
            let root_lock = unsafe { header(root) }.version.lock();
            if !root_lock.current().is_root() {
                continue; // the root split before we locked it
            }
            let mut path: Vec<Locked<'g>> = vec![(root, root_lock)];
            let mut n = root;
            loop {
                // SAFETY: nodes live as long as the tree; `n` is locked, so its type and
                // children do not change under us.
                let node = unsafe { header(n) };
                if node.is_leaf() {
                    break;
                }
                // SAFETY: as above; not a leaf.
                let inode = unsafe { internode(n) };
                let child = inode.child(inode.child_index(ikey));
                // SAFETY: a child of a locked internode is a live node.
                let child_lock = unsafe { header(child) }.version.lock();
                // SAFETY: as above; `child` is now locked.
                if !unsafe { is_full(child) } {
                    path.clear(); // nothing above a non-full node changes
                }
                path.push((child, child_lock));
                n = child;
            }
            let (_, leaf_lock) = path.last().expect("the leaf is on the path");
            // SAFETY: the path ends at a leaf.
            let leaf = unsafe { leaf(n) };
            let perm = leaf.permutation();
            match search(leaf, perm, ikey) {
                Ok((_, slot)) => {
                    let (_, lock) = path.pop().expect("the leaf is on the path");
                    drop(path);
                    return Some(self.replace(leaf, lock, slot, word, guard));
                }
                Err(pos) if !perm.is_full() => {
                    // Room appeared (a removal) between the two descents.
                    insert_into_free_slot(leaf, leaf_lock, perm, pos, ikey, word);
                    return None;
                }
                Err(_) => {
                    self.split_path(path, ikey, word);
                    return None;
                }
            }
        }
    }

    /// Removes `key`, returning its value (valid while `guard` lives; dropped once no guard
    /// can see it).
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<u32> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// tree.insert(1, 10, &guard);
    /// assert_eq!(tree.remove(1, &guard), Some(&10));
    /// assert_eq!(tree.remove(1, &guard), None);
    /// ```
    pub fn remove<'g>(&'g self, key: u64, guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.check_guard(guard);
        let ikey = crate::node::ikey(key);
        loop {
            let (leaf, v) = self.find_leaf(ikey);
            let lock = leaf.version().lock();
            if leaf.version().has_changed(v) {
                continue;
            }
            let mut perm = leaf.permutation();
            let Ok((pos, slot)) = search(leaf, perm, ikey) else {
                return None;
            };
            let old = leaf.value(slot);
            // Dirty: the freed slot may be refilled by the next insert, which publishes without
            // a dirty bit; a reader holding the old permutation must see a change.
            lock.mark_insert();
            perm.remove(pos);
            leaf.set_permutation(&lock, perm);
            drop(lock);
            // SAFETY: the box left the tree above and is retired once.
            unsafe {
                guard.retire::<V, FreeBox>(old.cast());
                return Some(&*old.cast::<V>());
            }
        }
    }
}

/// Writes the key into the next free slot of the locked `leaf` (current permutation `perm`)
/// and publishes it at position `pos` with one store. Readers never read a free slot, so no
/// dirty bit is needed.
pub(crate) fn insert_into_free_slot(
    leaf: &Leaf,
    lock: &NodeLock<'_>,
    mut perm: Permutation,
    pos: usize,
    ikey: u64,
    word: *mut (),
) {
    let slot = perm.back();
    leaf.set_slot(lock, slot, ikey, KEYLEN, word);
    perm.insert_from_back(pos);
    leaf.set_permutation(lock, perm);
}
