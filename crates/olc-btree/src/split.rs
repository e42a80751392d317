//! Splits: a full leaf gives its upper half to a new right sibling, and the separator climbs
//! into the parent, splitting full internodes and growing a new root as needed.

use crate::OlcBTree;
use crate::node::{KEYLEN, internode, leaf};
use crate::write::Locked;
use masstree_alloc::Reclaim;
use masstree_node::sync::Ordering;
use masstree_node::{INTERNODE_WIDTH, Internode, Leaf, NodeHeader, NodeLock, Permutation, WIDTH};

/// Keys the left half of a split leaf keeps (of 16: the 15 it had and the new one).
const LEAF_LEFT: usize = WIDTH.div_ceil(2);
/// Separators the left half of a split internode keeps (of 16); the next one climbs.
const INODE_LEFT: usize = INTERNODE_WIDTH.div_ceil(2);

impl<V, R: Reclaim> OlcBTree<V, R> {
    /// Inserts `(ikey, word)` into the full leaf at the end of `path`, where every node but the
    /// first is full and the first is not full or is the root; all are locked.
    ///
    /// Every node that changes is marked dirty before any changes, top-down, so that a parent
    /// is dirty before its child is: a reader that read a child's version mid-split fails its
    /// check of the parent.
    pub(crate) fn split_path(&self, path: Vec<Locked<'_>>, ikey: u64, word: *mut ()) {
        // The first node splits if it is full: the leaf itself (a path of one), or the full
        // root. SAFETY: the first node is live and locked.
        let top_splits = unsafe { crate::node::is_full(path[0].0) };
        for (i, (_, lock)) in path.iter().enumerate() {
            if i == 0 && !top_splits {
                lock.mark_insert();
            } else {
                lock.mark_split();
            }
        }
        let (leaf_node, leaf_lock) = path.last().expect("the leaf is on the path");
        // SAFETY: the path ends at the locked leaf.
        let (sep, right, right_lock) =
            split_leaf(unsafe { leaf(*leaf_node) }, leaf_lock, ikey, word);
        let mut carry = Some((sep, right));
        // New siblings stay locked (not dirty: complete before they are linked) until the
        // whole split is done, so no other writer changes them meanwhile.
        let mut right_locks: Vec<NodeLock<'_>> = vec![right_lock];
        for (node, lock) in path[..path.len() - 1].iter().rev() {
            let Some((sep, right)) = carry.take() else {
                break;
            };
            // SAFETY: internodes above the leaf, live and locked.
            let inode = unsafe { internode(*node) };
            let index = inode.child_index(sep);
            if !inode.is_full() {
                inode.insert_at(lock, index, sep, right);
                break;
            }
            let (up, new, new_lock) = split_internode(inode, lock, index, sep, right);
            right_locks.push(new_lock);
            carry = Some((up, new));
        }
        if let Some((sep, right)) = carry {
            // The root split: a new root above it and its new sibling.
            let (old_root, old_lock) = &path[0];
            let root = Box::new(Internode::new(true));
            {
                let lock = root.version().lock();
                root.set_key(&lock, 0, sep);
                root.set_child(&lock, 0, *old_root);
                root.set_child(&lock, 1, right);
                root.set_len(&lock, 1);
            }
            // Before the new root is published: readers that reach the old root restart.
            old_lock.clear_root();
            self.root
                .store(Box::into_raw(root).cast::<NodeHeader>(), Ordering::Release);
        }
        drop(right_locks);
        drop(path);
    }
}

/// Splits the full, locked and dirty `leaf` around the new entry: the upper 8 of the 16
/// entries go to a new leaf (returned with the first key it holds and its lock), the lower
/// ones are rewritten into `leaf`'s first slots.
fn split_leaf<'t>(
    leaf: &'t Leaf,
    lock: &NodeLock<'_>,
    ikey: u64,
    word: *mut (),
) -> (u64, *mut NodeHeader, NodeLock<'t>) {
    let mut entries: Vec<(u64, *mut ())> = Vec::with_capacity(WIDTH + 1);
    for slot in leaf.permutation().iter() {
        entries.push((leaf.ikey(slot), leaf.value(slot)));
    }
    let at = entries.partition_point(|&(k, _)| k < ikey);
    entries.insert(at, (ikey, word));
    let sep = entries[LEAF_LEFT].0;
    let right = Box::into_raw(Box::new(Leaf::new_locked(sep)));
    // SAFETY: nodes live as long as the tree, which outlives `'t` (`leaf` borrows it).
    let right_ref: &'t Leaf = unsafe { &*right };
    // SAFETY: created locked just above by this thread, adopted once.
    let right_lock = unsafe { right_ref.version().adopt_lock() };
    for (slot, &(k, w)) in entries[LEAF_LEFT..].iter().enumerate() {
        right_ref.set_slot(&right_lock, slot, k, KEYLEN, w);
    }
    right_ref.set_permutation(&right_lock, Permutation::sorted(entries.len() - LEAF_LEFT));
    for (slot, &(k, w)) in entries[..LEAF_LEFT].iter().enumerate() {
        leaf.set_slot(lock, slot, k, KEYLEN, w);
    }
    leaf.set_permutation(lock, Permutation::sorted(LEAF_LEFT));
    let next = leaf.next();
    right_ref.set_next(next);
    right_ref.set_prev(core::ptr::from_ref(leaf).cast_mut());
    if !next.is_null() {
        // SAFETY: leaves live as long as the tree.
        unsafe { (*next).set_prev(right) };
    }
    // Last: a scan that follows `next` finds the sibling complete.
    leaf.set_next(right);
    (sep, right.cast(), right_lock)
}

/// Splits the full, locked and dirty `inode` while inserting separator `sep` with child `right`
/// at `index`: the upper separators and children go to a new internode (returned locked),
/// and the middle separator climbs (returned).
fn split_internode<'t>(
    inode: &'t Internode,
    lock: &NodeLock<'_>,
    index: usize,
    sep: u64,
    right: *mut NodeHeader,
) -> (u64, *mut NodeHeader, NodeLock<'t>) {
    let n = inode.len();
    let mut keys: Vec<u64> = (0..n).map(|i| inode.key(i)).collect();
    let mut children: Vec<*mut NodeHeader> = (0..=n).map(|i| inode.child(i)).collect();
    keys.insert(index, sep);
    children.insert(index + 1, right);
    let up = keys[INODE_LEFT];
    let new = Box::into_raw(Box::new(Internode::new_locked()));
    // SAFETY: nodes live as long as the tree, which outlives `'t`.
    let new_ref: &'t Internode = unsafe { &*new };
    // SAFETY: created locked just above by this thread, adopted once.
    let new_lock = unsafe { new_ref.version().adopt_lock() };
    for (i, &k) in keys[INODE_LEFT + 1..].iter().enumerate() {
        new_ref.set_key(&new_lock, i, k);
    }
    for (i, &c) in children[INODE_LEFT + 1..].iter().enumerate() {
        new_ref.set_child(&new_lock, i, c);
    }
    new_ref.set_len(&new_lock, keys.len() - INODE_LEFT - 1);
    for (i, &k) in keys[..INODE_LEFT].iter().enumerate() {
        inode.set_key(lock, i, k);
    }
    for (i, &c) in children[..=INODE_LEFT].iter().enumerate() {
        inode.set_child(lock, i, c);
    }
    inode.set_len(lock, INODE_LEFT);
    (up, new_ref.as_header(), new_lock)
}
