//! The ordered reads of `MassTree`: ranges, full iteration, prefixes, first/last and pops.

use crate::MassTree;
use crate::Storage;
use crate::range::{Keys, Range, Values, decode, decode_reusing};
use crate::reclaim::Reclaimer;
use core::ops::{Bound, ControlFlow, RangeBounds};
use masstree_core::scan::KeyBound;
use masstree_core::{Decision, GuardOf};
use masstree_key::codec::{
    ByteKey, Key, KeyPrefix, KeyRange, Query, encode_to_vec, prefix_bounds, prefix_successor,
};

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
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
    pub fn range<'g, B, G: GuardOf<R>>(&'g self, range: B, guard: &'g G) -> Range<'g, K, V, S>
    where
        B: KeyRange<K>,
    {
        let (start, end) = range.encode_bound_bufs();
        Range::new(&self.raw, guard, KeyBound::from(start), KeyBound::from(end))
    }

    /// An iterator over every key in order.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// let entries: Vec<(String, u32)> = map.pin().iter().map(|(k, v)| (k, *v)).collect();
    /// assert_eq!(entries, [("a".to_string(), 1), ("b".to_string(), 2)]);
    /// ```
    pub fn iter<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Range<'g, K, V, S> {
        Range::new(&self.raw, guard, KeyBound::Unbounded, KeyBound::Unbounded)
    }

    /// An iterator over the keys in order.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, ()> = [3, 1, 2].into_iter().map(|k| (k, ())).collect();
    /// assert_eq!(map.pin().keys().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn keys<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Keys<'g, K, V, S> {
        self.iter(guard).keys()
    }

    /// An iterator over the values in key order (keys are not decoded).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(map.pin().values().copied().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn values<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Values<'g, K, V, S> {
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
    pub fn prefix<'g, G: GuardOf<R>>(
        &'g self,
        prefix: impl Query<K>,
        guard: &'g G,
    ) -> Range<'g, K, V, S> {
        let prefix = encode_to_vec::<K, _>(&prefix);
        let end = match prefix_successor(&prefix) {
            Some(e) => Bound::Excluded(e),
            None => Bound::Unbounded,
        };
        Range::new(
            &self.raw,
            guard,
            KeyBound::from(Bound::Included(prefix)),
            KeyBound::from(end),
        )
    }

    /// An iterator over the keys of a tuple-keyed map whose *first element* lies in `range`,
    /// with no sentinel for the other elements: `prefix_range(..=now)` is every `(ts, _)`
    /// with `ts <= now` (also for `now == u64::MAX`), `prefix_range(x..=x)` every key whose
    /// first element is `x`. The first element may be given in any borrowed form (`"bob"` for
    /// a `String`).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// // An order book keyed by (price, order id).
    /// let book: MassTree<(u64, u32), u32> = MassTree::new();
    /// let m = book.pin();
    /// for (price, id, qty) in [(100, 1, 5), (100, 2, 7), (101, 3, 1), (u64::MAX, 4, 9)] {
    ///     m.insert((price, id), qty);
    /// }
    /// let at_100: u32 = m.prefix_range(100..=100).map(|(_, q)| *q).sum();
    /// assert_eq!(at_100, 12);
    /// assert_eq!(m.prefix_range(..=u64::MAX).count(), 4);
    /// assert_eq!(m.prefix_range(..101).count(), 2);
    ///
    /// let users: MassTree<(String, u64), ()> = MassTree::new();
    /// let u = users.pin();
    /// u.insert(("bob", 1), ());
    /// u.insert(("bobby", 2), ());
    /// assert_eq!(u.prefix_range("bob"..="bob").count(), 1);
    /// ```
    pub fn prefix_range<'g, P, B, G>(&'g self, range: B, guard: &'g G) -> Range<'g, K, V, S>
    where
        P: ?Sized + KeyPrefix<K>,
        B: RangeBounds<P>,
        G: GuardOf<R>,
    {
        let (start, end) = prefix_bounds::<K, P>(&range);
        Range::new(&self.raw, guard, KeyBound::from(start), KeyBound::from(end))
    }

    /// Calls `f` with each entry of `range` in key order until it returns
    /// `ControlFlow::Break`, whose value it returns. Each key is decoded into one buffer that
    /// is reused for the next, so a scan of `String`, byte-string or tuple keys allocates
    /// once, not once per entry. The guarantees under concurrent writes are those of
    /// [`Range`].
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::ControlFlow;
    ///
    /// let map: MassTree<String, u32> = MassTree::new();
    /// let m = map.pin();
    /// for (i, name) in ["ada", "bob", "cy", "dan"].into_iter().enumerate() {
    ///     m.insert(name, i as u32);
    /// }
    /// // The first name after "b" with a value above 1.
    /// let found = m.scan("b".., |name, &v| {
    ///     if v > 1 { ControlFlow::Break(name.clone()) } else { ControlFlow::Continue(()) }
    /// });
    /// assert_eq!(found, ControlFlow::Break("cy".to_string()));
    /// ```
    pub fn scan<'g, B, T, F, G>(&'g self, range: B, f: F, guard: &'g G) -> ControlFlow<T>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> ControlFlow<T>,
        G: GuardOf<R>,
    {
        scan_with(self.range(range, guard), Range::next_encoded, f)
    }

    /// [`MassTree::scan`] in descending key order.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::ControlFlow;
    ///
    /// let map: MassTree<u32, u32> = (0..10u32).map(|i| (i, i)).collect();
    /// let mut seen = Vec::new();
    /// let _ = map.pin().scan_rev(..5, |&k, _| {
    ///     seen.push(k);
    ///     ControlFlow::<()>::Continue(())
    /// });
    /// assert_eq!(seen, [4, 3, 2, 1, 0]);
    /// ```
    pub fn scan_rev<'g, B, T, F, G>(&'g self, range: B, f: F, guard: &'g G) -> ControlFlow<T>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> ControlFlow<T>,
        G: GuardOf<R>,
    {
        scan_with(self.range(range, guard), Range::next_back_encoded, f)
    }

    /// The smallest key and its value.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, char> = [(2, 'b'), (1, 'a'), (3, 'c')].into_iter().collect();
    /// assert_eq!(map.pin().first(), Some((1, &'a')));
    /// let empty: MassTree<u32, char> = MassTree::new();
    /// assert_eq!(empty.pin().first(), None);
    /// ```
    pub fn first<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Option<(K::Owned, S::Ref<'g>)> {
        self.iter(guard).next()
    }

    /// The largest key and its value.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, char> = [(2, 'b'), (1, 'a'), (3, 'c')].into_iter().collect();
    /// assert_eq!(map.pin().last(), Some((3, &'c')));
    /// let empty: MassTree<u32, char> = MassTree::new();
    /// assert_eq!(empty.pin().last(), None);
    /// ```
    pub fn last<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Option<(K::Owned, S::Ref<'g>)> {
        self.iter(guard).next_back()
    }

    /// Removes and returns the smallest key. Atomic per key: if another thread removes the key
    /// first, the next smallest is tried, so each key is popped by exactly one caller.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, char> = [(2, 'b'), (1, 'a')].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.pop_first(), Some((1, &'a')));
    /// assert_eq!(m.pop_first(), Some((2, &'b')));
    /// assert_eq!(m.pop_first(), None);
    /// ```
    pub fn pop_first<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Option<(K::Owned, S::Ref<'g>)> {
        self.pop(guard, Range::next_encoded)
    }

    /// Removes and returns the largest key, atomically per key like [`MassTree::pop_first`].
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, char> = [(2, 'b'), (1, 'a')].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.pop_last(), Some((2, &'b')));
    /// assert_eq!(m.pop_last(), Some((1, &'a')));
    /// assert!(m.is_empty());
    /// ```
    pub fn pop_last<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> Option<(K::Owned, S::Ref<'g>)> {
        self.pop(guard, Range::next_back_encoded)
    }

    /// Removes the first key `end` finds, retrying while other threads take them first.
    fn pop<'g, G: GuardOf<R>>(
        &'g self,
        guard: &'g G,
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

/// Runs a scan's closure over the entries `end` reads from `range`, decoding each key into
/// the buffer the previous one used.
fn scan_with<'g, K, V, S, T, F>(
    mut range: Range<'g, K, V, S>,
    end: RangeEnd<'g, K, V, S>,
    mut f: F,
) -> ControlFlow<T>
where
    K: ?Sized + Key,
    V: 'g,
    S: Storage<V>,
    F: FnMut(&K::Owned, &V) -> ControlFlow<T>,
{
    let mut key = None;
    while let Some((bytes, value)) = end(&mut range) {
        f(decode_reusing::<K>(bytes, &mut key), S::as_value(&value))?;
    }
    ControlFlow::Continue(())
}

/// One end of a range, read with keys still encoded (`Range::next_encoded` or
/// `Range::next_back_encoded`).
type RangeEnd<'g, K, V, S> =
    for<'r> fn(
        &'r mut Range<'g, K, V, S>,
    ) -> Option<(&'r [u8], <S as masstree_core::ValueSlot<V>>::Ref<'g>)>;
