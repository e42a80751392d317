//! Taking every entry out of a tree that is being consumed (`IntoIterator` for owned maps).

use crate::RawTree;
use crate::destroy::{Values, destroy_layer};
use crate::scan::{Forward, KeyBound, ScanCursor};
use crate::value::ValueSlot;
use masstree_alloc::Reclaim;
use masstree_node::sync::Ordering;
use masstree_node::{InlineTables, Leaf};

/// The values taken out of the nodes, not yet handed to the caller. Dropping it (also on
/// unwinding out of the caller's callback) drops the values not handed out, so none leaks
/// and none is dropped twice.
struct Taken<V, S: ValueSlot<V>> {
    values: std::vec::IntoIter<*mut ()>,
    _slot: core::marker::PhantomData<(V, S)>,
}

impl<V, S: ValueSlot<V>> Drop for Taken<V, S> {
    fn drop(&mut self) {
        let mut panic = None;
        for value in self.values.by_ref() {
            // SAFETY: each word came from `S::into_word` when its entry was written, was taken
            // out of the tree exactly once, and is handed out or dropped exactly once (the
            // iterator yields it once).
            if let Err(payload) = unsafe { S::drop_word(value) } {
                panic.get_or_insert(payload);
            }
        }
        // The rest were dropped; a value's panic goes on to the caller unless one is already
        // unwinding (a second panic would abort).
        if let Some(payload) = panic
            && !std::thread::panicking()
        {
            std::panic::resume_unwind(payload);
        }
    }
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
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
            let mut cursor = ScanCursor::<V, S, Forward>::new(
                &self,
                &guard,
                KeyBound::Unbounded,
                KeyBound::Unbounded,
            );
            while let Some((key, value)) = cursor.next_raw() {
                keys.extend_from_slice(key);
                ends.push(keys.len());
                values.push(value);
            }
        }
        // The values now belong to `Taken` (dropped there if anything below panics), and the
        // tree to an empty leaf *before* the old nodes are freed: a panic in a retired value's
        // `Drop` during `reclaim_all` must not leave `root` naming freed nodes for `Drop`.
        let mut taken = Taken::<V, S> {
            values: values.into_iter(),
            _slot: core::marker::PhantomData,
        };
        let leaf = Leaf::boxed(0, true, false, InlineTables::NONE, &self.pool);
        let root = self.root.swap(leaf.cast(), Ordering::Relaxed);
        self.len.reset();
        // SAFETY: `self` is owned, so no reader or writer is active; `root` is unreachable now;
        // every value pointer was collected above and is owned by `taken`, so the nodes are
        // freed without them.
        unsafe { destroy_layer::<V, S>(root, Values::Keep) };
        self.reclaim.reclaim_all();

        let mut start = 0;
        for end in ends {
            let Some(value) = taken.values.next() else {
                break;
            };
            // SAFETY: see `Taken::drop`: this pointer is handed out once, here.
            let value = unsafe { S::into_value(value) };
            f(&keys[start..end], value);
            start = end;
        }
    }
}
