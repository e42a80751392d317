//! `MapRef`: a map with a pinned guard, whose methods need no guard argument.

use crate::map::{CompareExchangeError, MassTree};
use crate::range::{Range, RangeValues};
use core::ops::RangeBounds;
use masstree_core::{Boxed, Reclaim, ValueSlot};
use masstree_key::codec::{Key, Query};

/// A pinned view of a [`MassTree`], from [`MassTree::pin`]. References it returns live as long
/// as the `MapRef`; values removed or replaced meanwhile are dropped only after it is dropped.
///
/// Hold it for a batch of operations, not forever: while it lives, memory retired by any
/// thread cannot be reclaimed. A handle kept for long can [`MapRef::refresh`] itself between
/// batches instead.
pub struct MapRef<
    'm,
    K: ?Sized,
    V,
    R: Reclaim = masstree_core::SeizeReclaim,
    S: ValueSlot<V> = Boxed,
> {
    map: &'m MassTree<K, V, R, S>,
    guard: R::Guard<'m>,
}

impl<'m, K: ?Sized + Key, V, R: Reclaim, S: ValueSlot<V>> MapRef<'m, K, V, R, S> {
    pub(crate) fn new(map: &'m MassTree<K, V, R, S>, guard: R::Guard<'m>) -> Self {
        Self { map, guard }
    }

    /// The guard this handle holds (to pass to guard-taking methods).
    pub fn guard(&self) -> &R::Guard<'m> {
        &self.guard
    }

    /// The map this handle pins.
    pub fn map(&self) -> &'m MassTree<K, V, R, S> {
        self.map
    }

    /// Lets values replaced or removed so far (by any thread) be freed while this handle
    /// lives: afterwards it protects only what it reads from now on. `&mut self`, so no
    /// reference read through the handle survives the call. For a handle kept across many
    /// operations (a worker loop, a long-lived `MapRef` in a struct): without it, everything
    /// retired while it lives is held back. No effect while another guard of this map is alive
    /// on the same thread (that one still protects its reads).
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
        use masstree_core::ReclaimGuard as _;
        self.guard.refresh();
    }

    /// See [`MassTree::get`].
    #[inline]
    pub fn get(&self, key: impl Query<K>) -> Option<S::Ref<'_>> {
        self.map.get(key, &self.guard)
    }

    /// See [`MassTree::get_many`].
    pub fn get_many<Q: Query<K>>(&self, keys: &[Q]) -> Vec<Option<S::Ref<'_>>> {
        self.map.get_many(keys, &self.guard)
    }

    /// See [`MassTree::contains_key`].
    #[inline]
    pub fn contains_key(&self, key: impl Query<K>) -> bool {
        self.map.contains_key(key, &self.guard)
    }

    /// See [`MassTree::insert`].
    #[inline]
    pub fn insert(&self, key: impl Query<K>, value: V) -> Option<S::Ref<'_>> {
        self.map.insert(key, value, &self.guard)
    }

    /// See [`MassTree::remove`].
    #[inline]
    pub fn remove(&self, key: impl Query<K>) -> Option<S::Ref<'_>> {
        self.map.remove(key, &self.guard)
    }

    /// See [`MassTree::remove_if`].
    pub fn remove_if<F: FnOnce(&V) -> bool>(
        &self,
        key: impl Query<K>,
        predicate: F,
    ) -> Option<S::Ref<'_>> {
        self.map.remove_if(key, predicate, &self.guard)
    }

    /// See [`MassTree::get_or_insert_with`].
    pub fn get_or_insert_with<F: FnOnce() -> V>(&self, key: impl Query<K>, make: F) -> S::Ref<'_> {
        self.map.get_or_insert_with(key, make, &self.guard)
    }

    /// See [`MassTree::update`].
    pub fn update<F: FnOnce(&V) -> V>(&self, key: impl Query<K>, f: F) -> Option<S::Ref<'_>> {
        self.map.update(key, f, &self.guard)
    }

    /// See [`MassTree::compare_exchange`].
    pub fn compare_exchange(
        &self,
        key: impl Query<K>,
        current: Option<&V>,
        new: Option<V>,
    ) -> Result<Option<S::Ref<'_>>, CompareExchangeError<'_, V, S>>
    where
        V: PartialEq,
    {
        self.map.compare_exchange(key, current, new, &self.guard)
    }

    /// See [`MassTree::range`].
    pub fn range<Q, B>(&self, range: B) -> Range<'_, K, V, S>
    where
        Q: ?Sized + Query<K>,
        B: RangeBounds<Q>,
    {
        self.map.range(range, &self.guard)
    }

    /// See [`MassTree::iter`].
    pub fn iter(&self) -> Range<'_, K, V, S> {
        self.map.iter(&self.guard)
    }

    /// See [`MassTree::keys`].
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = K::Owned> + '_ {
        self.map.keys(&self.guard)
    }

    /// See [`MassTree::values`].
    pub fn values(&self) -> RangeValues<'_, K, V, S> {
        self.map.values(&self.guard)
    }

    /// See [`MassTree::prefix`].
    pub fn prefix(&self, prefix: impl Query<K>) -> Range<'_, K, V, S> {
        self.map.prefix(prefix, &self.guard)
    }

    /// See [`MassTree::first`].
    pub fn first(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.first(&self.guard)
    }

    /// See [`MassTree::last`].
    pub fn last(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.last(&self.guard)
    }

    /// See [`MassTree::pop_first`].
    pub fn pop_first(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.pop_first(&self.guard)
    }

    /// See [`MassTree::pop_last`].
    pub fn pop_last(&self) -> Option<(K::Owned, S::Ref<'_>)> {
        self.map.pop_last(&self.guard)
    }

    /// See [`MassTree::len`].
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// See [`MassTree::is_empty`].
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// See [`MassTree::extend_sorted`].
    pub fn extend_sorted<Q: Query<K>, I: IntoIterator<Item = (Q, V)>>(&self, entries: I) {
        self.map.extend_sorted(entries, &self.guard);
    }

    /// Inserts every pair (later pairs overwrite earlier ones with the same key).
    pub fn extend<Q: Query<K>, I: IntoIterator<Item = (Q, V)>>(&self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// Prints the map's contents like `BTreeMap`.
impl<K, V, R, S> core::fmt::Debug for MapRef<'_, K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: core::fmt::Debug,
    V: core::fmt::Debug,
    R: Reclaim,
    S: ValueSlot<V>,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.iter() {
            map.entry(&key, S::as_value(&value));
        }
        map.finish()
    }
}
