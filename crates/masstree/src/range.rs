//! `Range`: a double-ended iterator over a key range, under a guard.

use crate::key::Key;
use core::ops::Bound;
use masstree_core::scan::{Forward, KeyBound, Reverse, ScanCursor};
use masstree_core::{RawTree, Reclaim};

/// An iterator over `(key, &value)` pairs in key order, from [`MassTree::range`],
/// [`MassTree::iter`] or [`MassTree::prefix`] (or the same methods of [`MapRef`]).
///
/// It is double-ended: `.rev()` scans backwards, and `next`/`next_back` can be mixed as with
/// `BTreeMap`'s ranges; the two ends never cross. Under concurrent writes: keys come out
/// strictly in order; a key present for the whole scan and inside the range is returned; a key
/// absent for the whole scan is not; each value returned was the key's value at some instant
/// during the scan. No lock is taken and nothing shared is written.
///
/// [`MassTree::range`]: crate::MassTree::range
/// [`MassTree::iter`]: crate::MassTree::iter
/// [`MassTree::prefix`]: crate::MassTree::prefix
/// [`MapRef`]: crate::MapRef
pub struct Range<'g, V> {
    /// The two ends; each stops at the last key the other returned (kept in the other's key
    /// buffer), so they never cross.
    front: ScanCursor<'g, V, Forward>,
    back: ScanCursor<'g, V, Reverse>,
}

impl<'g, V> Range<'g, V> {
    pub(crate) fn new<R: Reclaim>(
        tree: &'g RawTree<V, R>,
        guard: &'g R::Guard<'_>,
        start: Bound<&[u8]>,
        end: Bound<&[u8]>,
    ) -> Self {
        Self {
            front: ScanCursor::new(
                tree,
                guard,
                KeyBound::from_bound(start),
                KeyBound::from_bound(end),
            ),
            back: ScanCursor::new(
                tree,
                guard,
                KeyBound::from_bound(end),
                KeyBound::from_bound(start),
            ),
        }
    }
}

impl<'g, V> Iterator for Range<'g, V> {
    type Item = (Key, &'g V);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.front.next_entry()?;
        if self.back.last_key().is_some_and(|b| key >= b) {
            self.front.finish();
            return None;
        }
        Some((Key::new(key), value))
    }
}

impl<V> DoubleEndedIterator for Range<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let (key, value) = self.back.next_entry()?;
        if self.front.last_key().is_some_and(|f| key <= f) {
            self.back.finish();
            return None;
        }
        Some((Key::new(key), value))
    }
}

impl<V> core::iter::FusedIterator for Range<'_, V> {}

impl<V> core::fmt::Debug for Range<'_, V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Range")
            .field("front", &self.front.last_key())
            .field("back", &self.back.last_key())
            .finish_non_exhaustive()
    }
}
