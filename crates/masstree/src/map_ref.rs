//! `MapRef`: a map with a pinned guard, whose methods need no guard argument.

use crate::Storage;
use crate::bulk::ExtractIf;
use crate::compute::{Compute, Operation};
use crate::error::{CompareExchangeError, OccupiedError};
use crate::map::MassTree;
use crate::range::{Keys, Range, Values};
use crate::reclaim::Reclaimer;
use crate::seek::Cursor;
use core::ops::{Bound, ControlFlow, RangeBounds};
use masstree_core::{Boxed, Fingered, GuardOf, Reclaim, ReclaimOwned, SeizeReclaim};
use masstree_key::codec::{Key, KeyPrefix, KeyRange, Query};

/// A pinned view of a [`MassTree`], from [`MassTree::pin`]. References it returns live as long
/// as the `MapRef`; values removed or replaced meanwhile are dropped only after it is dropped.
///
/// Hold it for a batch of operations, not forever: while it lives, memory retired by any
/// thread cannot be reclaimed. A handle kept for long can [`MapRef::refresh`] itself between
/// batches instead.
///
/// ```
/// use masstree::{MapRef, MassTree};
///
/// let map: MassTree<str, u32> = MassTree::new();
/// let m: MapRef<'_, str, u32> = map.pin();
/// m.insert("a", 1);
/// let a = m.get("a").unwrap();
/// m.remove("a"); // `a` stays valid while `m` lives
/// assert_eq!(*a, 1);
/// ```
pub struct MapRef<
    'm,
    K: ?Sized,
    V,
    R: Reclaimer = SeizeReclaim,
    S: Storage<V> = Boxed,
    G: GuardOf<R> = <R as Reclaim>::Guard<'m>,
> {
    map: &'m MassTree<K, V, R, S>,
    /// The guard, with the leaf this handle's last insert went to: rising keys inserted
    /// through the handle skip the descent.
    guard: Fingered<G>,
}

/// A [`MapRef`] holding an owned guard, from [`MassTree::pin_owned`]: `Send` and `Sync`
/// (for `Send + Sync` values), so it can be kept across an `.await` that resumes on another
/// thread, or sent to another thread. It borrows the map: a task spawned with `'static`
/// bounds (`tokio::spawn`) owns an `Arc` of the map and pins inside its future, as README's
/// handler example does.
///
/// ```
/// use masstree::{MassTree, OwnedMapRef};
///
/// let map: MassTree<u64, u64> = MassTree::new();
/// let m: OwnedMapRef<'_, u64, u64> = map.pin_owned();
/// std::thread::scope(|s| {
///     s.spawn(move || {
///         m.insert(1, 10); // used on another thread
///     });
/// });
/// assert_eq!(map.pin().get(1), Some(&10));
/// ```
pub type OwnedMapRef<'m, K, V, R = SeizeReclaim, S = Boxed> =
    MapRef<'m, K, V, R, S, <R as ReclaimOwned>::OwnedGuard<'m>>;

impl<'m, K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>, G: GuardOf<R>> MapRef<'m, K, V, R, S, G> {
    pub(crate) fn new(map: &'m MassTree<K, V, R, S>, guard: G) -> Self {
        Self {
            map,
            guard: Fingered::new(guard),
        }
    }

    /// The guard this handle holds (to pass to guard-taking methods).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// let m = map.pin();
    /// map.insert(1, 1, m.guard());
    /// assert_eq!(m.get(1), Some(&1));
    /// ```
    pub fn guard(&self) -> &G {
        self.guard.guard()
    }

    /// The map this handle pins.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// let m = map.pin();
    /// assert!(std::ptr::eq(m.map(), &map));
    /// ```
    pub fn map(&self) -> &'m MassTree<K, V, R, S> {
        self.map
    }

    /// Lets values replaced or removed so far (by any thread) be freed while this handle
    /// lives: afterwards it protects only what it reads from now on. `&mut self`, so no
    /// reference read through the handle survives the call. For a handle kept across many
    /// operations (a worker loop, a long-lived `MapRef` in a struct): without it, everything
    /// retired while it lives is held back. For a handle from [`MassTree::pin`], no effect
    /// while another guard of this map is alive on the same thread (that one still protects
    /// its reads); an owned handle's refresh always takes effect.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, Vec<u8>> = MassTree::new();
    /// let mut m = map.pin();
    /// for round in 0..16u64 {
    ///     m.insert(0, vec![round as u8; 64]); // the old value is retired
    ///     assert_eq!(m.get(0).map(|v| v[0]), Some(round as u8));
    ///     m.refresh(); // ... and may now be freed, though `m` lives on
    /// }
    /// ```
    pub fn refresh(&mut self) {
        self.guard.refresh();
    }

    /// The value of `key` (see [`MassTree::get`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// let m = map.pin();
    /// m.insert("a", 1);
    /// assert_eq!(m.get("a"), Some(&1));
    /// assert_eq!(m.get("b"), None);
    /// ```
    #[inline]
    pub fn get(&self, key: impl Query<K>) -> Option<S::Ref<'_>> {
        self.map.get(key, self.guard.guard())
    }

    /// The stored key and its value (see [`MassTree::get_key_value`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<String, u32> = [("a", 1)].into_iter().collect();
    /// assert_eq!(map.pin().get_key_value("a"), Some(("a".to_string(), &1)));
    /// ```
    pub fn get_key_value(&self, key: impl Query<K>) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.get_key_value(key, self.guard.guard())
    }

    /// The values of several keys, in order (see [`MassTree::get_many`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = (0..10u64).map(|i| (i, i * 10)).collect();
    /// assert_eq!(map.pin().get_many(&[3, 30]), [Some(&30), None]);
    /// ```
    pub fn get_many<Q: Query<K>>(&self, keys: &[Q]) -> Vec<Option<S::Ref<'_>>> {
        self.map.get_many(keys, self.guard.guard())
    }

    /// Whether `key` is present (see [`MassTree::contains_key`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<[u8], ()> = MassTree::new();
    /// let m = map.pin();
    /// m.insert(b"k", ());
    /// assert!(m.contains_key(b"k"));
    /// assert!(!m.contains_key(b"other"));
    /// ```
    #[inline]
    pub fn contains_key(&self, key: impl Query<K>) -> bool {
        self.map.contains_key(key, self.guard.guard())
    }

    /// Stores `value`, returning the value it replaced (see [`MassTree::insert`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, &str> = MassTree::new();
    /// let m = map.pin();
    /// assert_eq!(m.insert(1, "a"), None);
    /// assert_eq!(m.insert(1, "b"), Some(&"a"));
    /// ```
    #[inline]
    pub fn insert(&self, key: impl Query<K>, value: V) -> Option<S::Ref<'_>> {
        key.with_encoded(|k| self.map.raw.insert_fingered(k, value, &self.guard))
    }

    /// Inserts only if absent (see [`MassTree::try_insert`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// let m = map.pin();
    /// assert_eq!(m.try_insert(1, 10), Ok(&10));
    /// assert_eq!(m.try_insert(1, 20).unwrap_err().not_inserted, 20);
    /// ```
    pub fn try_insert(
        &self,
        key: impl Query<K>,
        value: V,
    ) -> Result<S::Ref<'_>, OccupiedError<'_, V, S>> {
        self.map.try_insert(key, value, self.guard.guard())
    }

    /// Removes `key`, returning its value (see [`MassTree::remove`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = [(1, 10)].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.remove(1), Some(&10));
    /// assert_eq!(m.remove(1), None);
    /// ```
    #[inline]
    pub fn remove(&self, key: impl Query<K>) -> Option<S::Ref<'_>> {
        self.map.remove(key, self.guard.guard())
    }

    /// Removes `key`, returning it with its value (see [`MassTree::remove_entry`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u8> = [("k", 1)].into_iter().collect();
    /// assert_eq!(map.pin().remove_entry("k"), Some(("k".to_string(), &1)));
    /// ```
    pub fn remove_entry(&self, key: impl Query<K>) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.remove_entry(key, self.guard.guard())
    }

    /// Removes `key` if `predicate` accepts its value (see [`MassTree::remove_if`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = [(1, 10)].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.remove_if(1, |&v| v > 50), None);
    /// assert_eq!(m.remove_if(1, |&v| v == 10), Some(&10));
    /// ```
    pub fn remove_if<F: FnOnce(&V) -> bool>(
        &self,
        key: impl Query<K>,
        predicate: F,
    ) -> Option<S::Ref<'_>> {
        self.map.remove_if(key, predicate, self.guard.guard())
    }

    /// The value of `key`, inserting `make()` first if absent (see
    /// [`MassTree::get_or_insert_with`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, Vec<u8>> = MassTree::new();
    /// let m = map.pin();
    /// assert!(m.get_or_insert_with("k", Vec::new).is_empty());
    /// ```
    pub fn get_or_insert_with<F: FnOnce() -> V>(&self, key: impl Query<K>, make: F) -> S::Ref<'_> {
        self.map.get_or_insert_with(key, make, self.guard.guard())
    }

    /// Replaces a present key's value with `f(&old)` (see [`MassTree::update`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = [("n", 1)].into_iter().collect();
    /// assert_eq!(map.pin().update("n", |n| n * 10), Some(&10));
    /// ```
    pub fn update<F: FnOnce(&V) -> V>(&self, key: impl Query<K>, f: F) -> Option<S::Ref<'_>> {
        self.map.update(key, f, self.guard.guard())
    }

    /// Updates the value with `f`, or inserts `default` (see [`MassTree::update_or_insert`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// let m = map.pin();
    /// assert_eq!(m.update_or_insert("n", |n| n + 1, 1), &1);
    /// assert_eq!(m.update_or_insert("n", |n| n + 1, 1), &2);
    /// ```
    pub fn update_or_insert<F: FnOnce(&V) -> V>(
        &self,
        key: impl Query<K>,
        f: F,
        default: V,
    ) -> S::Ref<'_> {
        self.map
            .update_or_insert(key, f, default, self.guard.guard())
    }

    /// Updates the value with `f`, or inserts `make()` (see
    /// [`MassTree::update_or_insert_with`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, String> = MassTree::new();
    /// let m = map.pin();
    /// m.update_or_insert_with("k", |s| format!("{s}!"), || "hi".to_string());
    /// m.update_or_insert_with("k", |s| format!("{s}!"), || "hi".to_string());
    /// assert_eq!(m.get("k").unwrap(), "hi!");
    /// ```
    pub fn update_or_insert_with<F, D>(&self, key: impl Query<K>, f: F, make: D) -> S::Ref<'_>
    where
        F: FnOnce(&V) -> V,
        D: FnOnce() -> V,
    {
        self.map
            .update_or_insert_with(key, f, make, self.guard.guard())
    }

    /// Reads the value and decides atomically what to do (see [`MassTree::compute`]).
    ///
    /// ```
    /// use masstree::{Compute, MassTree, Operation};
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// let m = map.pin();
    /// let op = |v: Option<&u64>| match v {
    ///     Some(_) => Operation::Remove,
    ///     None => Operation::<u64, ()>::Insert(1),
    /// };
    /// assert_eq!(m.compute(5, op), Compute::Inserted(&1));
    /// assert_eq!(m.compute(5, op), Compute::Removed(&1));
    /// ```
    pub fn compute<F, T>(&self, key: impl Query<K>, f: F) -> Compute<'_, V, T, S>
    where
        F: FnOnce(Option<&V>) -> Operation<V, T>,
    {
        self.map.compute(key, f, self.guard.guard())
    }

    /// Stores `new` only if the current value is `current` (see
    /// [`MassTree::compare_exchange`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = [(1, 10)].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.compare_exchange(1, Some(&10), Some(11)), Ok(Some(&10)));
    /// assert!(m.compare_exchange(1, Some(&10), Some(12)).is_err());
    /// ```
    pub fn compare_exchange(
        &self,
        key: impl Query<K>,
        current: Option<&V>,
        new: Option<V>,
    ) -> Result<Option<S::Ref<'_>>, CompareExchangeError<'_, V, S>>
    where
        V: PartialEq,
    {
        self.map
            .compare_exchange(key, current, new, self.guard.guard())
    }

    /// The entries of `range` in key order (see [`MassTree::range`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, ()> = (0..10u64).map(|i| (i, ())).collect();
    /// let m = map.pin();
    /// assert_eq!(m.range(..).count(), 10);
    /// assert_eq!(m.range(7..).count(), 3);
    /// ```
    pub fn range<B: KeyRange<K>>(&self, range: B) -> Range<'_, K, V, S> {
        self.map.range(range, self.guard.guard())
    }

    /// The entries of a tuple-keyed map whose first element lies in `range` (see
    /// [`MassTree::prefix_range`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<(u64, u32), ()> = MassTree::new();
    /// let m = map.pin();
    /// m.insert((5, 1), ());
    /// m.insert((6, 0), ());
    /// assert_eq!(m.prefix_range(..=5).count(), 1);
    /// ```
    pub fn prefix_range<P, B>(&self, range: B) -> Range<'_, K, V, S>
    where
        P: ?Sized + KeyPrefix<K>,
        B: RangeBounds<P>,
    {
        self.map.prefix_range(range, self.guard.guard())
    }

    /// Calls `f` with each entry of `range`, reusing one key buffer (see [`MassTree::scan`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::ControlFlow;
    ///
    /// let map: MassTree<str, u32> = [("a", 1), ("b", 2)].into_iter().collect();
    /// let mut total = 0;
    /// let _ = map.pin().scan(.., |_, v| {
    ///     total += v;
    ///     ControlFlow::<()>::Continue(())
    /// });
    /// assert_eq!(total, 3);
    /// ```
    pub fn scan<B, T, F>(&self, range: B, f: F) -> ControlFlow<T>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> ControlFlow<T>,
    {
        self.map.scan(range, f, self.guard.guard())
    }

    /// [`MapRef::scan`] in descending key order (see [`MassTree::scan_rev`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::ControlFlow;
    ///
    /// let map: MassTree<u8, ()> = (0..5u8).map(|i| (i, ())).collect();
    /// let last = map.pin().scan_rev(.., |&k, _| ControlFlow::Break(k));
    /// assert_eq!(last, ControlFlow::Break(4));
    /// ```
    pub fn scan_rev<B, T, F>(&self, range: B, f: F) -> ControlFlow<T>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> ControlFlow<T>,
    {
        self.map.scan_rev(range, f, self.guard.guard())
    }

    /// The first entry at or above `bound` (see [`MassTree::lower_bound`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u64, ()> = [(10, ()), (20, ())].into_iter().collect();
    /// assert_eq!(map.pin().lower_bound(Included(&11)).map(|(k, _)| k), Some(20));
    /// ```
    pub fn lower_bound<Q: ?Sized + Query<K>>(
        &self,
        bound: Bound<&Q>,
    ) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.lower_bound(bound, self.guard.guard())
    }

    /// The last entry at or below `bound` (see [`MassTree::upper_bound`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Included;
    ///
    /// let map: MassTree<u64, ()> = [(10, ()), (20, ())].into_iter().collect();
    /// assert_eq!(map.pin().upper_bound(Included(&19)).map(|(k, _)| k), Some(10));
    /// ```
    pub fn upper_bound<Q: ?Sized + Query<K>>(
        &self,
        bound: Bound<&Q>,
    ) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.upper_bound(bound, self.guard.guard())
    }

    /// A cursor in the gap before the first key at or above `bound` (see
    /// [`MassTree::cursor`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound::Unbounded;
    ///
    /// let map: MassTree<u64, ()> = [(1, ()), (2, ())].into_iter().collect();
    /// let m = map.pin();
    /// let mut c = m.cursor::<u64>(Unbounded);
    /// assert_eq!(c.next().map(|(k, _)| k), Some(1));
    /// assert_eq!(c.next().map(|(k, _)| k), Some(2));
    /// assert_eq!(c.next(), None);
    /// ```
    pub fn cursor<Q: ?Sized + Query<K>>(&self, bound: Bound<&Q>) -> Cursor<'_, K, V, R, S, G> {
        self.map.cursor(bound, self.guard.guard())
    }

    /// Removes and yields the entries of `range` that `pred` accepts (see
    /// [`MassTree::extract_if`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, u32> = (0..6u32).map(|i| (i, i)).collect();
    /// let m = map.pin();
    /// let odd: Vec<u32> = m.extract_if(.., |_, v| v % 2 == 1).map(|(k, _)| k).collect();
    /// assert_eq!(odd, [1, 3, 5]);
    /// assert_eq!(m.len(), 3);
    /// ```
    pub fn extract_if<B, F>(&self, range: B, pred: F) -> ExtractIf<'_, K, V, R, S, G, F>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> bool,
    {
        self.map.extract_if(range, pred, self.guard.guard())
    }

    /// Keeps only the entries `keep` accepts (see [`MassTree::retain`]). The values removed are
    /// held back until this handle drops or refreshes (its guard protects them); call the
    /// map's own method, outside any guard, for them to be freed as the call goes.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, u32> = (0..6u32).map(|i| (i, i)).collect();
    /// map.pin().retain(|&k, _| k < 2);
    /// assert_eq!(map.len(), 2);
    /// ```
    pub fn retain<F: FnMut(&K::Owned, &V) -> bool>(&self, keep: F) {
        self.map.retain(keep);
    }

    /// Removes every key in `range` (see [`MassTree::remove_range`]); the values removed are
    /// held back as for [`MapRef::retain`].
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, ()> = (0..6u32).map(|i| (i, ())).collect();
    /// assert_eq!(map.pin().remove_range(..3), 3);
    /// ```
    pub fn remove_range<B: KeyRange<K>>(&self, range: B) -> usize {
        self.map.remove_range(range)
    }

    /// Removes every key (see [`MassTree::clear`]); the values removed are held back as for
    /// [`MapRef::retain`].
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, ()> = (0..6u32).map(|i| (i, ())).collect();
    /// let m = map.pin();
    /// m.clear();
    /// assert!(m.is_empty());
    /// ```
    pub fn clear(&self) {
        self.map.clear();
    }

    /// Every entry in key order (see [`MassTree::iter`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, char> = [(2, 'b'), (1, 'a')].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.iter().collect::<Vec<_>>(), [(1, &'a'), (2, &'b')]);
    /// for (k, v) in &m {
    ///     assert!(k == 1 || *v == 'b');
    /// }
    /// ```
    pub fn iter(&self) -> Range<'_, K, V, S> {
        self.map.iter(self.guard.guard())
    }

    /// The keys in order (see [`MassTree::keys`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, ()> = [("b", ()), ("a", ())].into_iter().collect();
    /// assert_eq!(map.pin().keys().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn keys(&self) -> Keys<'_, K, V, S> {
        self.map.keys(self.guard.guard())
    }

    /// The values in key order (see [`MassTree::values`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// assert_eq!(map.pin().values().copied().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn values(&self) -> Values<'_, K, V, S> {
        self.map.values(self.guard.guard())
    }

    /// The keys that start with `prefix` (see [`MassTree::prefix`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, ()> = [("ab", ()), ("ac", ()), ("b", ())].into_iter().collect();
    /// assert_eq!(map.pin().prefix("a").count(), 2);
    /// ```
    pub fn prefix(&self, prefix: impl Query<K>) -> Range<'_, K, V, S> {
        self.map.prefix(prefix, self.guard.guard())
    }

    /// The smallest key and its value (see [`MassTree::first`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, u8> = [(3, 30), (1, 10)].into_iter().collect();
    /// assert_eq!(map.pin().first(), Some((1, &10)));
    /// ```
    pub fn first(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.first(self.guard.guard())
    }

    /// The largest key and its value (see [`MassTree::last`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, u8> = [(3, 30), (1, 10)].into_iter().collect();
    /// assert_eq!(map.pin().last(), Some((3, &30)));
    /// ```
    pub fn last(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.last(self.guard.guard())
    }

    /// Removes and returns the smallest key (see [`MassTree::pop_first`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, u8> = [(3, 30), (1, 10)].into_iter().collect();
    /// let m = map.pin();
    /// assert_eq!(m.pop_first(), Some((1, &10)));
    /// assert_eq!(m.len(), 1);
    /// ```
    pub fn pop_first(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.pop_first(self.guard.guard())
    }

    /// Removes and returns the largest key (see [`MassTree::pop_last`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, u8> = [(3, 30), (1, 10)].into_iter().collect();
    /// assert_eq!(map.pin().pop_last(), Some((3, &30)));
    /// ```
    pub fn pop_last(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.pop_last(self.guard.guard())
    }

    /// The number of keys (see [`MassTree::len`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, ()> = (0..4u8).map(|i| (i, ())).collect();
    /// assert_eq!(map.pin().len(), 4);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map holds no key (see [`MassTree::is_empty`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u8, ()> = MassTree::new();
    /// assert!(map.pin().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Inserts pairs, fast in ascending key order (see [`MassTree::extend_sorted`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// map.pin().extend_sorted((0..100u64).map(|i| (i, i)));
    /// assert_eq!(map.len(), 100);
    /// ```
    pub fn extend_sorted<Q: Query<K>, I: IntoIterator<Item = (Q, V)>>(&self, entries: I) {
        self.map.extend_sorted(entries, self.guard.guard());
    }

    /// Inserts every pair (later pairs overwrite earlier ones with the same key).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// map.pin().extend([("a", 1), ("a", 2)]);
    /// assert_eq!(map.pin().get("a"), Some(&2));
    /// ```
    pub fn extend<Q: Query<K>, I: IntoIterator<Item = (Q, V)>>(&self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// `for (key, value) in &map_ref`: every entry in key order, like [`MapRef::iter`].
impl<'a, 'm, K, V, R, S, G> IntoIterator for &'a MapRef<'m, K, V, R, S, G>
where
    K: ?Sized + Key,
    R: Reclaimer,
    S: Storage<V>,
    G: GuardOf<R>,
{
    type Item = (K::Owned, S::Ref<'a>);
    type IntoIter = Range<'a, K, V, S>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Prints the map's contents like `BTreeMap`.
impl<K, V, R, S, G> core::fmt::Debug for MapRef<'_, K, V, R, S, G>
where
    K: ?Sized + Key,
    K::Owned: core::fmt::Debug,
    V: core::fmt::Debug,
    R: Reclaimer,
    S: Storage<V>,
    G: GuardOf<R>,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.iter() {
            map.entry(&key, S::as_value(&value));
        }
        map.finish()
    }
}
