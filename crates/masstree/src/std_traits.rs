//! The standard traits of a collection: `Default`, `Debug`, `Clone`, `PartialEq`/`Eq`,
//! `PartialOrd`/`Ord`, `Hash`, `FromIterator`, `Extend`.

use crate::MassTree;
use crate::Storage;
use crate::reclaim::Reclaimer;
use masstree_key::codec::{Key, Query};

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> Default for MassTree<K, V, R, S> {
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
    R: Reclaimer,
    S: Storage<V>,
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
impl<K: ?Sized + Key, V: Clone, R: Reclaimer, S: Storage<V>> Clone for MassTree<K, V, R, S> {
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
impl<K: ?Sized + Key, V: PartialEq, R: Reclaimer, S: Storage<V>> PartialEq
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

impl<K: ?Sized + Key, V: Eq, R: Reclaimer, S: Storage<V>> Eq for MassTree<K, V, R, S> {}

/// Compares the entries in key order, lexicographically, as `BTreeMap` does (the key order is
/// `K`'s, so this is the order of the maps' `(key, value)` sequences).
///
/// ```
/// use masstree::MassTree;
///
/// let a: MassTree<u8, u8> = [(1, 1), (2, 2)].into_iter().collect();
/// let b: MassTree<u8, u8> = [(1, 1), (3, 0)].into_iter().collect();
/// assert!(a < b);
/// assert_eq!(a.cmp(&a.clone()), std::cmp::Ordering::Equal);
/// ```
impl<K: ?Sized + Key, V: PartialOrd, R: Reclaimer, S: Storage<V>> PartialOrd
    for MassTree<K, V, R, S>
{
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        use core::cmp::Ordering;
        let (ga, gb) = (self.guard(), other.guard());
        let (mut a, mut b) = (self.iter(&ga), other.iter(&gb));
        loop {
            match (a.next_encoded(), b.next_encoded()) {
                (None, None) => return Some(Ordering::Equal),
                (None, Some(_)) => return Some(Ordering::Less),
                (Some(_), None) => return Some(Ordering::Greater),
                (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                    Ordering::Equal => match S::as_value(&va).partial_cmp(S::as_value(&vb)) {
                        Some(Ordering::Equal) => {}
                        order => return order,
                    },
                    order => return Some(order),
                },
            }
        }
    }
}

impl<K: ?Sized + Key, V: Ord, R: Reclaimer, S: Storage<V>> Ord for MassTree<K, V, R, S> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.partial_cmp(other)
            .expect("values with a total order compare")
    }
}

/// Hashes the entries in key order and their count, so equal maps hash equally.
///
/// ```
/// use masstree::MassTree;
/// use std::collections::HashSet;
///
/// let a: MassTree<str, u8> = [("x", 1)].into_iter().collect();
/// let set: HashSet<MassTree<str, u8>> = [a.clone(), a].into_iter().collect();
/// assert_eq!(set.len(), 1);
/// ```
impl<K: ?Sized + Key, V: core::hash::Hash, R: Reclaimer, S: Storage<V>> core::hash::Hash
    for MassTree<K, V, R, S>
{
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        let guard = self.guard();
        let mut entries = self.iter(&guard);
        let mut count = 0usize;
        while let Some((key, value)) = entries.next_encoded() {
            key.hash(state);
            S::as_value(&value).hash(state);
            count += 1;
        }
        state.write_usize(count);
    }
}

/// Builds a map from `(key, value)` pairs; later pairs overwrite earlier ones.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u8, &str> = [(2, "b"), (1, "a")].into_iter().collect();
/// assert_eq!(map.pin().first(), Some((1, &"a")));
/// ```
impl<K: ?Sized + Key, Q: Query<K>, V, R: Reclaimer, S: Storage<V>> FromIterator<(Q, V)>
    for MassTree<K, V, R, S>
{
    fn from_iter<I: IntoIterator<Item = (Q, V)>>(iter: I) -> Self {
        let map = Self::with_reclaimer();
        map.pin().extend(iter);
        map
    }
}

impl<K: ?Sized + Key, Q: Query<K>, V, R: Reclaimer, S: Storage<V>> Extend<(Q, V)>
    for MassTree<K, V, R, S>
{
    fn extend<I: IntoIterator<Item = (Q, V)>>(&mut self, iter: I) {
        self.pin().extend(iter);
    }
}
