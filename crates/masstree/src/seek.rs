//! Seeks: the nearest entry to a bound, and a cursor that steps both ways from a position.

use crate::MassTree;
use crate::Storage;
use crate::range::{Range, decode};
use crate::reclaim::Reclaimer;
use core::ops::Bound;
use masstree_core::GuardOf;
use masstree_core::scan::KeyBound;
use masstree_key::codec::{Key, Query, encode_to_buf, encode_to_vec};

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// The first entry at or above `bound`: the smallest key `>= x` for `Included(x)`, `> x`
    /// for `Excluded(x)`, the smallest key for `Unbounded`.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::{Excluded, Included};
    ///
    /// let map: MassTree<u32, char> = [(10, 'a'), (20, 'b'), (30, 'c')].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.lower_bound(Included(&20)), Some((20, &'b')));
    /// assert_eq!(m.lower_bound(Excluded(&20)), Some((30, &'c')));
    /// assert_eq!(m.lower_bound(Included(&31)), None);
    /// ```
    pub fn lower_bound<'g, Q, G>(
        &'g self,
        bound: Bound<&Q>,
        guard: &'g G,
    ) -> Option<(K::Owned, S::Ref<'g>)>
    where
        Q: ?Sized + Query<K>,
        G: GuardOf<R>,
    {
        let start = bound.map(encode_to_buf::<K, Q>);
        Range::<K, V, S>::new(&self.raw, guard, KeyBound::from(start), KeyBound::Unbounded).next()
    }

    /// The last entry at or below `bound`: the largest key `<= x` for `Included(x)`, `< x`
    /// for `Excluded(x)`, the largest key for `Unbounded`.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::{Excluded, Included};
    ///
    /// let map: MassTree<str, u32> = [("b", 1), ("d", 2)].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.upper_bound(Included("c")), Some(("b".to_string(), &1)));
    /// assert_eq!(m.upper_bound(Excluded("b")), None);
    /// ```
    pub fn upper_bound<'g, Q, G>(
        &'g self,
        bound: Bound<&Q>,
        guard: &'g G,
    ) -> Option<(K::Owned, S::Ref<'g>)>
    where
        Q: ?Sized + Query<K>,
        G: GuardOf<R>,
    {
        let end = bound.map(encode_to_buf::<K, Q>);
        Range::<K, V, S>::new(&self.raw, guard, KeyBound::Unbounded, KeyBound::from(end))
            .next_back()
    }

    /// A cursor in the gap just before the first key at or above `bound` (as
    /// [`MassTree::lower_bound`] finds it): [`Cursor::next`] returns that entry, and
    /// [`Cursor::prev`] the one before the gap. Stepping in one direction reuses one scan, so
    /// walking `n` entries costs a single descent; changing direction starts a new one.
    /// Under concurrent writes, each step returns the nearest key present at some instant
    /// during the step.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u64, ()> = (0..10u64).map(|i| (i * 10, ())).collect();
    /// let m = map.pin();
    /// let mut cursor = m.cursor(Included(&35));
    /// assert_eq!(cursor.next().map(|(k, _)| k), Some(40));
    /// assert_eq!(cursor.next().map(|(k, _)| k), Some(50));
    /// assert_eq!(cursor.prev().map(|(k, _)| k), Some(50));
    /// assert_eq!(cursor.prev().map(|(k, _)| k), Some(40));
    /// assert_eq!(cursor.prev().map(|(k, _)| k), Some(30));
    /// ```
    pub fn cursor<'g, Q, G>(&'g self, bound: Bound<&Q>, guard: &'g G) -> Cursor<'g, K, V, R, S, G>
    where
        Q: ?Sized + Query<K>,
        G: GuardOf<R>,
    {
        let gap = match bound {
            Bound::Included(q) => Gap::Before(encode_to_vec::<K, Q>(q)),
            Bound::Excluded(q) => Gap::After(encode_to_vec::<K, Q>(q)),
            Bound::Unbounded => Gap::Start,
        };
        Cursor {
            map: self,
            guard,
            gap,
            forward: None,
            backward: None,
        }
    }
}

/// Where a [`Cursor`] stands: between two keys.
#[derive(Debug, Clone)]
enum Gap {
    /// Before every key.
    Start,
    /// Just before this (encoded) key.
    Before(Vec<u8>),
    /// Just after this key.
    After(Vec<u8>),
}

impl Gap {
    /// The start bound of the keys after the gap.
    fn keys_after(&self) -> Bound<Vec<u8>> {
        match self {
            Gap::Start => Bound::Unbounded,
            Gap::Before(key) => Bound::Included(key.clone()),
            Gap::After(key) => Bound::Excluded(key.clone()),
        }
    }

    /// The end bound of the keys before the gap (`None`: there are none).
    fn keys_before(&self) -> Option<Bound<Vec<u8>>> {
        match self {
            Gap::Start => None,
            Gap::Before(key) => Some(Bound::Excluded(key.clone())),
            Gap::After(key) => Some(Bound::Included(key.clone())),
        }
    }
}

/// `bytes` in the buffer `gap` held (so a cursor stepping through keys allocates once).
fn reuse(gap: &mut Gap, bytes: &[u8]) -> Vec<u8> {
    let mut buf = match core::mem::replace(gap, Gap::Start) {
        Gap::Before(buf) | Gap::After(buf) => buf,
        Gap::Start => Vec::new(),
    };
    buf.clear();
    buf.extend_from_slice(bytes);
    buf
}

/// A position between two keys of a map that steps to the entries on either side, from
/// [`MassTree::cursor`] or [`MapRef::cursor`](crate::MapRef::cursor).
/// It stands in a gap, never on a key: [`Cursor::next`] returns the entry after the gap and
/// [`Cursor::prev`] the one before it, each moving the cursor past the entry it returns.
///
/// ```
/// use masstree::MassTree;
/// use std::ops::Bound::Excluded;
///
/// let map: MassTree<u32, char> = (1..=3u32).zip('a'..).collect();
/// let m = map.pin();
/// let mut cursor = m.cursor(Excluded(&1)); // in the gap between 1 and 2
/// assert_eq!(cursor.peek_prev(), Some((1, &'a')));
/// assert_eq!(cursor.next(), Some((2, &'b')));
/// assert_eq!(cursor.next(), Some((3, &'c')));
/// assert_eq!(cursor.next(), None); // past the last key
/// ```
pub struct Cursor<'g, K: ?Sized, V, R: Reclaimer, S: Storage<V>, G> {
    map: &'g MassTree<K, V, R, S>,
    guard: &'g G,
    gap: Gap,
    /// The scan the last forward steps used, kept while the cursor keeps going forward.
    forward: Option<Range<'g, K, V, S>>,
    /// Likewise for backward steps.
    backward: Option<Range<'g, K, V, S>>,
}

impl<'g, K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>, G: GuardOf<R>> Cursor<'g, K, V, R, S, G> {
    /// Moves past the next entry and returns it (`None` at the end, where the cursor stays).
    /// Afterwards the cursor stands just after the returned key, so [`Cursor::prev`] returns the
    /// same entry.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u32, char> = (1..=2u32).zip('a'..).collect();
    /// let m = map.pin();
    /// let mut cursor = m.cursor(Included(&1));
    /// assert_eq!(cursor.next(), Some((1, &'a')));
    /// assert_eq!(cursor.next(), Some((2, &'b')));
    /// assert_eq!(cursor.next(), None);
    /// assert_eq!(cursor.prev(), Some((2, &'b'))); // it still stands just after 2
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<(K::Owned, S::Ref<'g>)> {
        self.backward = None;
        let range = match &mut self.forward {
            Some(range) => range,
            None => {
                let start = self.gap.keys_after();
                let range = Range::new(
                    &self.map.raw,
                    self.guard,
                    KeyBound::from(start),
                    KeyBound::Unbounded,
                );
                self.forward.insert(range)
            }
        };
        let (bytes, value) = range.next_encoded()?;
        let key = decode::<K>(bytes);
        self.gap = Gap::After(reuse(&mut self.gap, bytes));
        Some((key, value))
    }

    /// Moves back past the previous entry and returns it (`None` at the start).
    /// Afterwards the cursor stands just before the returned key, so [`Cursor::next`] returns
    /// the same entry.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u32, char> = (1..=2u32).zip('a'..).collect();
    /// let m = map.pin();
    /// let mut cursor = m.cursor(Included(&2)); // just before 2
    /// assert_eq!(cursor.prev(), Some((1, &'a')));
    /// assert_eq!(cursor.prev(), None);
    /// assert_eq!(cursor.next(), Some((1, &'a'))); // it still stands just before 1
    /// ```
    pub fn prev(&mut self) -> Option<(K::Owned, S::Ref<'g>)> {
        self.forward = None;
        let range = match &mut self.backward {
            Some(range) => range,
            None => {
                let end = self.gap.keys_before()?;
                let range = Range::new(
                    &self.map.raw,
                    self.guard,
                    KeyBound::Unbounded,
                    KeyBound::from(end),
                );
                self.backward.insert(range)
            }
        };
        let (bytes, value) = range.next_back_encoded()?;
        let key = decode::<K>(bytes);
        self.gap = Gap::Before(reuse(&mut self.gap, bytes));
        Some((key, value))
    }

    /// The entry [`Cursor::next`] would return, without moving.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u32, char> = (1..=2u32).zip('a'..).collect();
    /// let m = map.pin();
    /// let mut cursor = m.cursor(Included(&1));
    /// assert_eq!(cursor.peek_next(), Some((1, &'a')));
    /// assert_eq!(cursor.next(), Some((1, &'a'))); // peeking did not move it
    /// ```
    pub fn peek_next(&self) -> Option<(K::Owned, S::Ref<'g>)> {
        let start = self.gap.keys_after();
        Range::<K, V, S>::new(
            &self.map.raw,
            self.guard,
            KeyBound::from(start),
            KeyBound::Unbounded,
        )
        .next()
    }

    /// The entry [`Cursor::prev`] would return, without moving.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u32, char> = (1..=2u32).zip('a'..).collect();
    /// let m = map.pin();
    /// let mut cursor = m.cursor(Included(&2));
    /// assert_eq!(cursor.peek_prev(), Some((1, &'a')));
    /// assert_eq!(cursor.prev(), Some((1, &'a'))); // peeking did not move it
    /// assert_eq!(cursor.peek_prev(), None);
    /// ```
    pub fn peek_prev(&self) -> Option<(K::Owned, S::Ref<'g>)> {
        let end = self.gap.keys_before()?;
        Range::<K, V, S>::new(
            &self.map.raw,
            self.guard,
            KeyBound::Unbounded,
            KeyBound::from(end),
        )
        .next_back()
    }
}

impl<K: ?Sized, V, R: Reclaimer, S: Storage<V>, G> core::fmt::Debug for Cursor<'_, K, V, R, S, G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Cursor")
            .field("gap", &self.gap)
            .finish_non_exhaustive()
    }
}
