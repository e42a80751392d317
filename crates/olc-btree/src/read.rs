//! Lookups: an optimistic descent that validates each parent after reading the child.

use crate::OlcBTree;
use crate::node::{header, internode, leaf, search};
use masstree_alloc::Reclaim;
use masstree_node::{Leaf, Version};

impl<V, R: Reclaim> OlcBTree<V, R> {
    /// The leaf whose range holds `ikey`, with the version it had when its parent was last
    /// validated: a reader that finds that version unchanged after reading the leaf read the
    /// right leaf, untorn.
    ///
    /// Why it is right: every writer that changes a child's range (a split) marks the parent
    /// dirty before it changes the child, so either this reader's check of the parent (made
    /// after it read the child's version) fails, or the child changes after that version was
    /// read and the caller's check of the child fails. A root split clears the old root's
    /// `ROOT` bit before the new root is published: a reader that starts at an old root
    /// restarts.
    pub(crate) fn find_leaf(&self, ikey: u64) -> (&Leaf, Version) {
        'restart: loop {
            let mut n = self.root();
            // SAFETY: nodes are freed only when the tree drops (`&self` is alive).
            let mut v = unsafe { header(n) }.version.stable();
            if !v.is_root() {
                core::hint::spin_loop();
                continue;
            }
            loop {
                if v.is_leaf() {
                    // SAFETY: as above; the version says it is a leaf.
                    return (unsafe { leaf(n) }, v);
                }
                // SAFETY: as above; not a leaf.
                let inode = unsafe { internode(n) };
                let child = inode.child(inode.child_index(ikey));
                if child.is_null() {
                    continue 'restart; // a torn read of a changing internode
                }
                // SAFETY: as above (a child pointer, even a stale one, names a tree node).
                let child_version = unsafe { header(child) }.version.stable();
                if inode.version().has_changed(v) {
                    continue 'restart;
                }
                n = child;
                v = child_version;
            }
        }
    }

    /// The value of `key`, if present.
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<&str> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// tree.insert(7, "seven", &guard);
    /// assert_eq!(tree.get(7, &guard), Some(&"seven"));
    /// assert_eq!(tree.get(8, &guard), None);
    /// ```
    pub fn get<'g>(&'g self, key: u64, guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.check_guard(guard);
        let ikey = crate::node::ikey(key);
        loop {
            let (leaf, v) = self.find_leaf(ikey);
            let value = search(leaf, leaf.permutation(), ikey)
                .ok()
                .map(|(_, slot)| leaf.value(slot));
            if leaf.version().has_changed(v) {
                continue;
            }
            // SAFETY: validated: the slot held this value word at one instant; value words are
            // boxed `V`s, freed only through the reclaimer after `guard` drops.
            return value.map(|p| unsafe { &*p.cast::<V>() });
        }
    }
}
