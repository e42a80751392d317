//! Ordered scans: validated snapshots of one leaf at a time, moving right along `next`.

use crate::OlcBTree;
use crate::node::ikey;
use core::ops::ControlFlow;
use masstree_alloc::Reclaim;
use masstree_node::WIDTH;

impl<V, R: Reclaim> OlcBTree<V, R> {
    /// Calls `f` with every key `>= from` and its value, in increasing key order, until `f`
    /// breaks. Allocates nothing.
    ///
    /// Guarantees under concurrent writes: keys come out strictly increasing; a key present
    /// for the whole scan is visited; a visited value was the key's value at some instant of
    /// the scan. Each leaf is read as one validated snapshot (with its `next` pointer); a
    /// split after the snapshot only moves keys already read into a new sibling between this
    /// leaf and the next, which the scan skips.
    ///
    /// ```
    /// use core::ops::ControlFlow;
    ///
    /// let tree: olc_btree::OlcBTree<u64> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// for k in 0..100 {
    ///     tree.insert(k, k * k, &guard);
    /// }
    /// let mut first_three = Vec::new();
    /// tree.scan(50, &guard, |k, v| {
    ///     first_three.push((k, *v));
    ///     if first_three.len() == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    /// });
    /// assert_eq!(first_three, [(50, 2500), (51, 2601), (52, 2704)]);
    /// ```
    pub fn scan<'g, F>(&'g self, from: u64, guard: &'g R::Guard<'_>, mut f: F)
    where
        F: FnMut(u64, &'g V) -> ControlFlow<()>,
    {
        self.check_guard(guard);
        // The smallest key still to visit (`None`: past `u64::MAX`, done).
        let mut lower = Some(ikey(from));
        'descend: while let Some(low) = lower {
            let (mut leaf, mut v) = self.find_leaf(low);
            loop {
                let mut entries = [(0u64, core::ptr::null_mut::<()>()); WIDTH];
                let perm = leaf.permutation();
                for (pos, slot) in perm.iter().enumerate() {
                    entries[pos] = (leaf.ikey(slot), leaf.value(slot));
                }
                let next = leaf.next();
                if leaf.version().has_changed(v) {
                    continue 'descend; // torn: find the leaf of `lower` again
                }
                for &(k, word) in &entries[..perm.len()] {
                    let Some(low) = lower else { return };
                    if k < low {
                        continue;
                    }
                    // SAFETY: validated value word of a live slot: a boxed `V`, freed only
                    // through the reclaimer after `guard` drops.
                    if f(k, unsafe { &*word.cast::<V>() }).is_break() {
                        return;
                    }
                    lower = k.checked_add(1);
                }
                if next.is_null() || lower.is_none() {
                    return;
                }
                // SAFETY: leaves live as long as the tree.
                leaf = unsafe { &*next };
                v = leaf.version().stable();
            }
        }
    }

    /// The number of keys (a scan: O(n); exact when no write runs concurrently).
    ///
    /// ```
    /// let tree: olc_btree::OlcBTree<()> = olc_btree::OlcBTree::new();
    /// let guard = tree.pin();
    /// (0..40).for_each(|k| { tree.insert(k, (), &guard); });
    /// assert_eq!(tree.count(&guard), 40);
    /// ```
    pub fn count(&self, guard: &R::Guard<'_>) -> usize {
        let mut n = 0;
        self.scan(0, guard, |_, _| {
            n += 1;
            ControlFlow::Continue(())
        });
        n
    }
}
