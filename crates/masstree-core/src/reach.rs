//! Descent within one layer: from a (possibly stale) root to the leaf that holds a slice.
//!
//! No locks, no shared writes: each step reads a node's stable version, picks a child, waits for
//! the child's stable version, and then checks the parent did not change in between. A node
//! that is splitting stays dirty until its new sibling is linked into its parent, so a reader
//! that passes the check has reached a node whose range holds the slice, or one whose later
//! split it will detect by version and repair by following B-link `next` pointers.

use crate::node_ref;
use masstree_node::{Leaf, NodeHeader, Version};

/// Descends from `root` (any node that was once this layer's root) to the leaf whose range holds
/// `ikey`, returning it with the stable version the reader validated. `None` if the layer itself
/// was removed (its root leaf is deleted): the caller restarts from layer 0.
///
/// # Safety
///
/// `root` must be a live node of the tree and the caller pinned for `'g`.
pub(crate) unsafe fn reach_leaf<'g>(
    root: *const NodeHeader,
    ikey: u64,
) -> Option<(&'g Leaf, Version)> {
    'restart: loop {
        let mut n = root;
        // SAFETY: `root` is live (caller); parents of live nodes are live (retired only after
        // they are unreachable, and we are pinned).
        let mut v = unsafe { node_ref::header(n) }.version.stable();
        if v.is_deleted() {
            // The entry node of a layer (its first leaf, never unlinked) is deleted only when
            // the whole layer is removed.
            return None;
        }
        // A root that split has a parent: climb to the current root of the layer.
        while !v.is_root() {
            // SAFETY: as above.
            let parent = unsafe { node_ref::header(n) }.parent();
            if parent.is_null() {
                core::hint::spin_loop();
                continue 'restart;
            }
            n = parent.cast();
            // SAFETY: a parent pointer names a live internode.
            v = unsafe { node_ref::header(n) }.version.stable();
        }
        loop {
            if v.is_leaf() {
                if v.is_deleted() {
                    // An unlinked leaf reached through a parent read just before the unlink.
                    continue 'restart;
                }
                // SAFETY: the `LEAF` bit is fixed at creation; `n` is live.
                return Some((unsafe { node_ref::leaf(n) }, v));
            }
            // SAFETY: not a leaf, so an internode; live as above.
            let inode = unsafe { node_ref::internode(n) };
            let child = inode.child(inode.child_index(ikey));
            crate::prefetch::prefetch_node(child);
            let child_version = if child.is_null() {
                None
            } else {
                // SAFETY: child pointers name live nodes (unlinked children are retired).
                Some(unsafe { node_ref::header(child) }.version.stable())
            };
            if let Some(cv) = child_version
                && !inode.version().has_changed(v)
            {
                n = child;
                v = cv;
                continue;
            }
            // The internode changed under us. The version cannot tell an insert from a split
            // (one counter counts both, so it never repeats; see `masstree_node::version`),
            // and after a split this node may no longer hold `ikey`: descend again. Internode
            // changes come only from child splits and unlinks, so this is rare.
            continue 'restart;
        }
    }
}

/// After a failed validation of `leaf`: the leaf (it or a right sibling) whose range now holds
/// `ikey`, with its stable version, or `None` if the leaf was unlinked and the caller must
/// descend again from the layer root.
///
/// # Safety
///
/// `leaf` must be live and the caller pinned for `'g`.
pub(crate) unsafe fn advance(mut leaf: &Leaf, ikey: u64) -> Option<(&Leaf, Version)> {
    let mut v = leaf.version().stable();
    loop {
        if v.is_deleted() {
            return None;
        }
        let next = leaf.next();
        // SAFETY: sibling pointers name live leaves while we are pinned.
        if next.is_null() || ikey < unsafe { (*next).low_bound() } {
            return Some((leaf, v));
        }
        // SAFETY: as above.
        leaf = unsafe { &*next };
        v = leaf.version().stable();
    }
}
