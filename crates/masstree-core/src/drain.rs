//! Taking every entry out of a tree that is being consumed (`IntoIterator` for owned maps).

use crate::RawTree;
use crate::destroy::{Values, destroy_layer};
use crate::scan::{Forward, KeyBound, ScanCursor};
use masstree_alloc::Reclaim;
use masstree_node::Leaf;
use masstree_node::sync::Ordering;

/// The values taken out of the nodes, not yet handed to the caller. Dropping it (also on
/// unwinding out of the caller's callback) drops the values not handed out, so none leaks
/// and none is dropped twice.
struct Taken<V> {
    values: std::vec::IntoIter<*mut V>,
}

impl<V> Drop for Taken<V> {
    fn drop(&mut self) {
        for value in self.values.by_ref() {
            // SAFETY: each pointer came from `Box::into_raw` when its entry was written, was
            // taken out of the tree exactly once, and is handed out or dropped exactly once
            // (the iterator yields it once).
            drop(unsafe { Box::from_raw(value) });
        }
    }
}

impl<V, R: Reclaim> RawTree<V, R> {
    /// Consumes the tree, calling `f` with every key and its value in key order.
    ///
    /// Values move out (no clone). Keys are passed as byte slices valid for the call. If `f`
    /// panics, the values not yet passed are dropped as the tree would have dropped them.
    pub fn drain_in_order(mut self, mut f: impl FnMut(&[u8], V)) {
        let mut keys = Vec::new();
        let mut ends = Vec::with_capacity(self.len());
        let mut values = Vec::with_capacity(self.len());
        {
            let guard = self.pin();
            let mut cursor = ScanCursor::<V, Forward>::new(
                &self,
                &guard,
                KeyBound::Unbounded,
                KeyBound::Unbounded,
            );
            while let Some((key, value)) = cursor.next_raw() {
                keys.extend_from_slice(key);
                ends.push(keys.len());
                values.push(value.cast::<V>());
            }
        }
        // The values now belong to `Taken` (dropped there if anything below panics), and the
        // tree to an empty leaf *before* the old nodes are freed: a panic in a retired value's
        // `Drop` during `reclaim_all` must not leave `root` naming freed nodes for `Drop`.
        let mut taken = Taken {
            values: values.into_iter(),
        };
        let leaf = Box::into_raw(Box::new(Leaf::new(0, true)));
        let root = self.root.swap(leaf.cast(), Ordering::Relaxed);
        self.len.reset();
        // SAFETY: `self` is owned, so no reader or writer is active; `root` is unreachable now;
        // every value pointer was collected above and is owned by `taken`, so the nodes are
        // freed without them.
        unsafe { destroy_layer::<V>(root, Values::Keep) };
        self.reclaim.reclaim_all();

        let mut start = 0;
        for end in ends {
            let Some(value) = taken.values.next() else {
                break;
            };
            // SAFETY: see `Taken::drop`: this pointer is handed out once, here.
            let value = unsafe { Box::from_raw(value) };
            f(&keys[start..end], *value);
            start = end;
        }
    }
}
