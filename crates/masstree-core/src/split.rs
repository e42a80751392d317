//! Splits: a full leaf moves its upper keys to a new right sibling (B-link), and the separator
//! climbs into the parent, splitting internodes and growing a new root as needed.
//!
//! Invariant kept for readers: a node that is splitting stays locked with `SPLITTING` set until
//! its new sibling is linked into its parent. A reader that reached the node through a parent
//! version it validated afterwards therefore either waits out the split or sees the parent
//! change; a reader already inside the node sees `has_changed` and follows `next` (a leaf) or
//! restarts its descent (an internode).

use crate::node_ref;
use crate::tree::RawTree;
use crate::value::ValueSlot;
use crate::write::{NewEntry, insert_into_free_slot};
use masstree_alloc::{NodePool, Reclaim};
use masstree_node::sync::Ordering;
use masstree_node::{
    INTERNODE_WIDTH, InlineTables, Internode, Leaf, NodeHeader, NodeLock, Permutation, SlotSuffix,
    WIDTH,
};

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Inserts `entry` at position `pos` of the full, locked `leaf` by splitting it.
    pub(crate) fn split_insert(
        &self,
        leaf: &Leaf,
        lock: NodeLock<'_>,
        pos: usize,
        entry: NewEntry,
    ) {
        let perm = leaf.permutation();
        debug_assert!(perm.is_full());
        // The 16 keys in order: the old ones with the new one at `pos`. `None` is the new one.
        let order: [Option<usize>; WIDTH + 1] = core::array::from_fn(|i| match i.cmp(&pos) {
            core::cmp::Ordering::Less => Some(perm.get(i)),
            core::cmp::Ordering::Equal => None,
            core::cmp::Ordering::Greater => Some(perm.get(i - 1)),
        });
        let ikey_at = |i: usize| order[i].map_or(entry.ikey, |s| leaf.ikey(s));
        let mid = split_point(pos, leaf.next().is_null(), ikey_at);
        // Read before the left leaf changes: its moved slots are reused below.
        let separator = ikey_at(mid);

        // A right half that takes suffixes gets the tables they go to in its own block (see
        // `Leaf::boxed`); one that takes none is plain.
        let (mut short_moves, mut long_moves) = (false, false);
        for item in &order[mid..] {
            let suffix = item.map_or(entry.suffix, |s| leaf.suffix(s));
            short_moves |= suffix.short_word().is_some();
            long_moves |= suffix.long().is_some();
        }
        let tables = InlineTables::with(short_moves, long_moves);
        let right = Leaf::boxed(separator, false, true, tables, &self.pool);
        // SAFETY: `right` is fresh, unpublished, created locked; we adopt its lock once.
        let right_ref: &Leaf = unsafe { &*right };
        // SAFETY: as above.
        let right_lock = unsafe { right_ref.version().adopt_lock() };
        for (slot, item) in order[mid..].iter().enumerate() {
            match *item {
                Some(s) => {
                    // A long suffix passes to the right leaf as is; a short one is copied.
                    right_ref.set_suffix(&right_lock, slot, leaf.suffix(s));
                    right_ref.set_slot(
                        &right_lock,
                        slot,
                        leaf.ikey(s),
                        leaf.keylen(s),
                        leaf.value(s),
                    );
                }
                None => {
                    right_ref.set_suffix(&right_lock, slot, entry.suffix);
                    right_ref.set_slot(&right_lock, slot, entry.ikey, entry.keylen, entry.value);
                }
            }
        }
        right_ref.set_permutation(&right_lock, Permutation::sorted(WIDTH + 1 - mid));

        lock.mark_split();
        let staying = if pos < mid { mid - 1 } else { mid };
        // The moved slots' suffixes now belong to the right leaf.
        for s in order[mid..].iter().flatten() {
            leaf.set_suffix(&lock, *s, SlotSuffix::NONE);
        }
        let mut p = perm;
        p.truncate(staying);
        leaf.set_permutation(&lock, p);
        if pos < mid {
            insert_into_free_slot(leaf, &lock, p, pos, entry);
        }

        // B-link: the right sibling is complete before `next` publishes it.
        let next = leaf.next();
        right_ref.set_next(next);
        right_ref.set_prev((leaf as *const Leaf).cast_mut());
        if !next.is_null() {
            // SAFETY: `next` is live while we hold our lock (its unlink would need it).
            unsafe { (*next).set_prev(right) };
        }
        leaf.set_next(right);

        self.insert_into_parent(
            node_ref::leaf_header(leaf),
            lock,
            right.cast(),
            right_lock,
            separator,
            pos == WIDTH && mid == WIDTH,
        );
    }

    /// Links the new right sibling `right` (separator `key`) into the parent of the locked,
    /// splitting node `left`, splitting parents up to a new root as needed. Unlocks everything.
    /// `at_end`: the split below was an ascending one (`right` holds only what was appended),
    /// which lets a full parent split at its end too.
    fn insert_into_parent<'a>(
        &self,
        mut left: *mut NodeHeader,
        mut left_lock: NodeLock<'a>,
        mut right: *mut NodeHeader,
        mut right_lock: NodeLock<'a>,
        mut key: u64,
        mut at_end: bool,
    ) {
        loop {
            if left_lock.current().is_root() {
                let root = self.pool.boxed(Internode::new(true));
                // SAFETY: `root` is fresh and unpublished.
                let root_ref = unsafe { &*root };
                {
                    let lock = root_ref.version().lock();
                    root_ref.set_child(&lock, 0, left);
                    root_ref.set_key(&lock, 0, key);
                    root_ref.set_child(&lock, 1, right);
                    root_ref.set_len(&lock, 1);
                }
                // SAFETY: `left` and `right` are live; we hold both locks.
                unsafe {
                    node_ref::header(left).set_parent((*root).as_header());
                    node_ref::header(right).set_parent((*root).as_header());
                }
                // The parent pointer is set before the root bit clears: readers that see a
                // non-root climb to `root`.
                left_lock.clear_root();
                // Layer 0 also moves its entry point (a sublayer's slot keeps the old root and
                // readers climb from it).
                let _ = self.root.compare_exchange(
                    left,
                    root.cast(),
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                );
                drop(right_lock);
                drop(left_lock);
                return;
            }
            // SAFETY: a non-root node has a live parent.
            let parent = unsafe { node_ref::header(left) }.parent();
            // SAFETY: as above.
            let parent_ref: &'a Internode = unsafe { node_ref::internode(parent) };
            let parent_lock = parent_ref.version().lock();
            // SAFETY: `left` is live.
            if unsafe { node_ref::header(left) }.parent() != parent {
                // The parent split and moved us before we locked it: find the new one.
                drop(parent_lock);
                continue;
            }
            let index = (0..=parent_ref.len())
                .find(|&i| parent_ref.child(i) == left)
                .expect("a node is among its parent's children");
            if !parent_ref.is_full() {
                parent_lock.mark_insert();
                parent_ref.insert_at(&parent_lock, index, key, right);
                // SAFETY: `right` is live and locked by us.
                unsafe { node_ref::header(right).set_parent(parent) };
                drop(right_lock);
                drop(left_lock);
                drop(parent_lock);
                return;
            }
            at_end = at_end && index == INTERNODE_WIDTH;
            let (sibling, sibling_lock, up_key) = split_internode(
                parent_ref,
                &parent_lock,
                index,
                key,
                right,
                at_end,
                &self.pool,
            );
            drop(right_lock);
            drop(left_lock);
            left = parent_ref.as_header();
            left_lock = parent_lock;
            right = sibling;
            right_lock = sibling_lock;
            key = up_key;
        }
    }
}

/// Where a full leaf splits, given the position of the new key among the 16: the first index
/// that goes right. Keys with equal slices stay together (at most 10 share one: lengths 0..=8
/// and one longer), so such an index always exists.
///
/// An insert at the very end (ascending inserts) keeps the left leaf (nearly) full: in the
/// layer's rightmost leaf the new key starts the right leaf alone; elsewhere the right leaf
/// starts with the last old key and the new one. Not alone there: descending inserts into the
/// gap above a full leaf would each land at its end and leave one single-key leaf per key,
/// whereas with the old key on the right the next smaller key joins the new leaf.
fn split_point(pos: usize, rightmost: bool, ikey_at: impl Fn(usize) -> u64) -> usize {
    if pos == WIDTH {
        let cut = if rightmost { WIDTH } else { WIDTH - 1 };
        if ikey_at(cut - 1) != ikey_at(cut) {
            return cut;
        }
    }
    let mut mid = WIDTH.div_ceil(2);
    while mid <= WIDTH && ikey_at(mid - 1) == ikey_at(mid) {
        mid += 1;
    }
    if mid <= WIDTH {
        return mid;
    }
    mid = WIDTH.div_ceil(2);
    while ikey_at(mid - 1) == ikey_at(mid) {
        mid -= 1;
    }
    mid
}

/// Splits the full, locked internode `node` while inserting separator `key` with right child
/// `right` after child `index`. Returns the new locked right sibling and the separator that goes
/// up. Children that move get their parent pointer updated while both nodes are locked.
/// `at_end`: an ascending split, with the new separator the last (see below).
fn split_internode<'a>(
    node: &'a Internode,
    lock: &NodeLock<'a>,
    index: usize,
    key: u64,
    right: *mut NodeHeader,
    at_end: bool,
    pool: &NodePool,
) -> (*mut NodeHeader, NodeLock<'a>, u64) {
    const KEYS: usize = INTERNODE_WIDTH + 1;
    let keys: [u64; KEYS] = core::array::from_fn(|i| match i.cmp(&index) {
        core::cmp::Ordering::Less => node.key(i),
        core::cmp::Ordering::Equal => key,
        core::cmp::Ordering::Greater => node.key(i - 1),
    });
    let children: [*mut NodeHeader; KEYS + 1] =
        core::array::from_fn(|i| match i.cmp(&(index + 1)) {
            core::cmp::Ordering::Less => node.child(i),
            core::cmp::Ordering::Equal => right,
            core::cmp::Ordering::Greater => node.child(i - 1),
        });
    // Ascending inserts (the split below was an ascending one and the new separator is the
    // last) keep this node full and start the sibling with the one new child and no
    // separator, as leaves do: sequential loads then fill internodes instead of leaving them
    // half empty. Only then: a middle split below the last child (descending inserts there)
    // would otherwise add a separator-less internode per leaf. A separator-less internode is a
    // state removes produce too (a one-child chain), so every path handles it.
    let mid = if at_end { KEYS - 1 } else { KEYS / 2 };
    let sibling = pool.boxed(Internode::new_locked());
    // SAFETY: fresh and unpublished.
    let sibling_ref: &'a Internode = unsafe { &*sibling };
    // SAFETY: created locked; adopted once.
    let sibling_lock = unsafe { sibling_ref.version().adopt_lock() };
    for (i, &k) in keys[mid + 1..].iter().enumerate() {
        sibling_ref.set_key(&sibling_lock, i, k);
    }
    for (i, &c) in children[mid + 1..].iter().enumerate() {
        sibling_ref.set_child(&sibling_lock, i, c);
        // SAFETY: children are live; their parent pointers change only under their parent's
        // lock, which we hold (old parent) and own (new parent).
        unsafe { node_ref::header(c).set_parent(sibling.cast()) };
    }
    sibling_ref.set_len(&sibling_lock, KEYS - mid - 1);
    sibling_ref.header.set_parent(node.header.parent());

    lock.mark_split();
    for (i, &k) in keys[..mid].iter().enumerate() {
        node.set_key(lock, i, k);
    }
    for (i, &c) in children[..=mid].iter().enumerate() {
        node.set_child(lock, i, c);
        if c == right {
            // SAFETY: `right` is live and locked by the caller.
            unsafe { node_ref::header(c).set_parent(node.as_header()) };
        }
    }
    // The moved children's old slots are cleared: no reader can follow a stale pointer from
    // here to a child that later leaves the tree through the sibling.
    for i in mid + 1..=INTERNODE_WIDTH {
        node.set_child(lock, i, core::ptr::null_mut());
    }
    node.set_len(lock, mid);
    (sibling.cast(), sibling_lock, keys[mid])
}
