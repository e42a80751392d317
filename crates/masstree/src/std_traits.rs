//! The standard traits of a collection: `Default`, `Debug`, `Clone`, `PartialEq`/`Eq`,
//! `FromIterator`, `Extend`.

use crate::MassTree;
use masstree_core::{Reclaim, ValueSlot};
use masstree_key::codec::{Key, Query};

impl<K: ?Sized + Key, V, R: Reclaim, S: ValueSlot<V>> Default for MassTree<K, V, R, S> {
    fn default() -> Self {
        Self::with_reclaimer()
    }
}

/// Prints like `BTreeMap`: `{key: value, ...}` in key order, keys decoded.
impl<K, V, R, S> core::fmt::Debug for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: core::fmt::Debug,
    V: core::fmt::Debug,
    R: Reclaim,
    S: ValueSlot<V>,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let guard = self.guard();
        let mut map = f.debug_map();
        for (key, value) in self.iter(&guard) {
            map.entry(&key, S::as_value(&value));
        }
        map.finish()
    }
}

/// A copy of the map's contents at the time of the call (a consistent snapshot when no
/// write runs concurrently; otherwise each key as a scan sees it, see [`crate::Range`]).
impl<K: ?Sized + Key, V: Clone, R: Reclaim, S: ValueSlot<V>> Clone for MassTree<K, V, R, S> {
    fn clone(&self) -> Self {
        let copy = Self::with_reclaimer();
        let guard = self.guard();
        let mut entries = self.iter(&guard);
        // Scans yield keys in order, so the copy loads through the ascending fast path.
        let pairs = core::iter::from_fn(|| {
            entries.next_encoded().map(|(key, value)| {
                let mut bytes = masstree_key::codec::KeyBuf::new();
                bytes.extend_from_slice(key);
                (bytes, S::as_value(&value).clone())
            })
        });
        copy.raw.extend_sorted(pairs, &copy.guard());
        copy
    }
}

/// Equal when both hold the same keys with equal values.
impl<K: ?Sized + Key, V: PartialEq, R: Reclaim, S: ValueSlot<V>> PartialEq
    for MassTree<K, V, R, S>
{
    fn eq(&self, other: &Self) -> bool {
        let (ga, gb) = (self.guard(), other.guard());
        let (mut a, mut b) = (self.iter(&ga), other.iter(&gb));
        loop {
            match (a.next_encoded(), b.next_encoded()) {
                (None, None) => return true,
                (Some((ka, va)), Some((kb, vb)))
                    if ka == kb && S::as_value(&va) == S::as_value(&vb) => {}
                _ => return false,
            }
        }
    }
}

impl<K: ?Sized + Key, V: Eq, R: Reclaim, S: ValueSlot<V>> Eq for MassTree<K, V, R, S> {}

/// Builds a map from `(key, value)` pairs; later pairs overwrite earlier ones.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u8, &str> = [(2, "b"), (1, "a")].into_iter().collect();
/// assert_eq!(map.pin().first(), Some((1, &"a")));
/// ```
impl<K: ?Sized + Key, Q: Query<K>, V, R: Reclaim, S: ValueSlot<V>> FromIterator<(Q, V)>
    for MassTree<K, V, R, S>
{
    fn from_iter<I: IntoIterator<Item = (Q, V)>>(iter: I) -> Self {
        let map = Self::with_reclaimer();
        map.pin().extend(iter);
        map
    }
}

impl<K: ?Sized + Key, Q: Query<K>, V, R: Reclaim, S: ValueSlot<V>> Extend<(Q, V)>
    for MassTree<K, V, R, S>
{
    fn extend<I: IntoIterator<Item = (Q, V)>>(&mut self, iter: I) {
        self.pin().extend(iter);
    }
}
