//! The ordered reads of `MassTree`: ranges, full iteration, prefixes, first/last and pops.

use crate::MassTree;
use crate::range::{Range, RangeValues, decode};
use core::ops::{Bound, RangeBounds};
use masstree_core::{Decision, Reclaim, ValueSlot};
use masstree_key::codec::{ByteKey, Key, Query, encode_to_vec};

impl<K: ?Sized + Key, V, R: Reclaim, S: ValueSlot<V>> MassTree<K, V, R, S> {
    /// An iterator over the keys in `range`, in order, with their values.
    ///
    /// The bounds are typed like the keys (`map.range(10..20)` for integer keys,
    /// `map.range("a".."m")` for strings); any `RangeBounds` works: `a..b`, `a..=b`, `a..`,
    /// `..b`, `..=b`, and `(Bound, Bound)` pairs including `Excluded` starts. A range whose
    /// start is past its end yields nothing (where `BTreeMap::range` panics). See [`Range`]
    /// for the guarantees under concurrent writes.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound;
    ///
    /// let map: MassTree<u32, char> = MassTree::new();
    /// let m = map.pin();
    /// for (k, v) in [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')] {
    ///     m.insert(k, v);
    /// }
    /// let keys: Vec<u32> = m.range(2..4).map(|(k, _)| k).collect();
    /// assert_eq!(keys, [2, 3]);
    /// // `(Bound, Bound)` pairs and reverse scans:
    /// let after_1 = m.range((Bound::Excluded(1), Bound::Unbounded));
    /// let rev: String = after_1.rev().map(|(_, v)| *v).collect();
    /// assert_eq!(rev, "dcb");
    /// ```
    pub fn range<'g, Q, B>(&'g self, range: B, guard: &'g R::Guard<'_>) -> Range<'g, K, V, S>
    where
        Q: ?Sized + Query<K>,
        B: RangeBounds<Q>,
    {
        let start = range.start_bound().map(encode_to_vec::<K, Q>);
        let end = range.end_bound().map(encode_to_vec::<K, Q>);
        Range::new(&self.raw, guard, start, end)
    }

    /// An iterator over every key in order.
    pub fn iter<'g>(&'g self, guard: &'g R::Guard<'_>) -> Range<'g, K, V, S> {
        Range::new(&self.raw, guard, Bound::Unbounded, Bound::Unbounded)
    }

    /// An iterator over the keys in order.
    pub fn keys<'g>(
        &'g self,
        guard: &'g R::Guard<'_>,
    ) -> impl DoubleEndedIterator<Item = K::Owned> + 'g {
        self.iter(guard).map(|(k, _)| k)
    }

    /// An iterator over the values in key order (keys are not decoded).
    pub fn values<'g>(&'g self, guard: &'g R::Guard<'_>) -> RangeValues<'g, K, V, S> {
        self.iter(guard).values()
    }

    /// An iterator over the keys whose encoding starts with `prefix`'s, in order: for byte
    /// strings and strings, the keys that start with `prefix`.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, ()> = MassTree::new();
    /// let m = map.pin();
    /// for k in ["user:1", "user:2", "users", "group:1"] {
    ///     m.insert(k, ());
    /// }
    /// assert_eq!(m.prefix("user:").count(), 2);
    /// ```
    pub fn prefix<'g>(
        &'g self,
        prefix: impl Query<K>,
        guard: &'g R::Guard<'_>,
    ) -> Range<'g, K, V, S> {
        let prefix = encode_to_vec::<K, _>(&prefix);
        let end = match prefix_successor(&prefix) {
            Some(e) => Bound::Excluded(e),
            None => Bound::Unbounded,
        };
        Range::new(&self.raw, guard, Bound::Included(prefix), end)
    }

    /// The smallest key and its value.
    pub fn first<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(K::Owned, S::Ref<'g>)> {
        self.iter(guard).next()
    }

    /// The largest key and its value.
    pub fn last<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(K::Owned, S::Ref<'g>)> {
        self.iter(guard).next_back()
    }

    /// Removes and returns the smallest key. Atomic per key: if another thread removes the key
    /// first, the next smallest is tried, so each key is popped by exactly one caller.
    pub fn pop_first<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(K::Owned, S::Ref<'g>)> {
        self.pop(guard, Range::next_encoded)
    }

    /// Removes and returns the largest key, atomically per key like [`MassTree::pop_first`].
    pub fn pop_last<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(K::Owned, S::Ref<'g>)> {
        self.pop(guard, Range::next_back_encoded)
    }

    /// Removes the first key `end` finds, retrying while other threads take them first.
    fn pop<'g>(
        &'g self,
        guard: &'g R::Guard<'_>,
        end: RangeEnd<'g, K, V, S>,
    ) -> Option<(K::Owned, S::Ref<'g>)> {
        loop {
            let mut range = self.iter(guard);
            let key = ByteKey::new(end(&mut range)?.0);
            let removed = self.write_encoded(&key, guard, |_| Decision::Remove).old;
            if let Some(value) = removed {
                return Some((decode::<K>(&key), value));
            }
        }
    }
}

/// One end of a range, read with keys still encoded (`Range::next_encoded` or
/// `Range::next_back_encoded`).
type RangeEnd<'g, K, V, S> =
    for<'r> fn(&'r mut Range<'g, K, V, S>) -> Option<(&'r [u8], <S as ValueSlot<V>>::Ref<'g>)>;

/// The smallest byte string greater than every string starting with `prefix`, or `None` if
/// there is none (the prefix is empty or all `0xFF`).
fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}
