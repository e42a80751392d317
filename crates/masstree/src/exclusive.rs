//! Operations with exclusive access (`&mut self`), as `BTreeMap` offers them: mutable
//! references to values in place, and removal that hands the value back by value.
//!
//! `&mut self` proves that no other thread reads or writes the map and that no guard (nor any
//! reference read under one) is alive, so these need no guard and return what a guard-taking
//! method cannot: `&mut V`, and an owned `V` instead of a reference kept alive by reclamation.

use crate::MassTree;
use crate::Storage;
use crate::range::{decode, decode_reusing};
use crate::reclaim::Reclaimer;
use core::marker::PhantomData;
use masstree_core::IterMut as RawIterMut;
use masstree_key::codec::{Key, Query};

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// A mutable reference to the value of `key`, if present (like [`BTreeMap::get_mut`]).
    ///
    /// Takes `&mut self`, so no guard is needed. With inline values
    /// ([`InlineMassTree`](crate::InlineMassTree)) the reference points into the leaf itself.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<str, Vec<u32>> = MassTree::new();
    /// map.pin().insert("primes", vec![2, 3]);
    /// if let Some(list) = map.get_mut("primes") {
    ///     list.push(5);
    /// }
    /// assert_eq!(map.pin().get("primes"), Some(&vec![2, 3, 5]));
    /// assert!(map.get_mut("squares").is_none());
    ///
    /// let mut hits: masstree::InlineMassTree<str, u64> = masstree::InlineMassTree::default();
    /// hits.pin().insert("home", 1);
    /// *hits.get_mut("home").unwrap() += 1;
    /// assert_eq!(hits.pin().get("home"), Some(2));
    /// ```
    ///
    /// [`BTreeMap::get_mut`]: std::collections::BTreeMap::get_mut
    #[inline]
    pub fn get_mut(&mut self, key: impl Query<K>) -> Option<&mut V> {
        key.with_encoded(|k| self.raw.get_mut(k))
    }

    /// Every entry in key order with a mutable reference to its value, as
    /// [`BTreeMap::iter_mut`] gives them. Keys are decoded per entry;
    /// [`MassTree::for_each_mut`] reuses one key buffer instead.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<u32, u32> = (0..4u32).map(|i| (i, i)).collect();
    /// for (k, v) in map.iter_mut() {
    ///     *v += k * 10;
    /// }
    /// for (_, v) in &mut map {
    ///     *v += 1;
    /// }
    /// assert_eq!(map.pin().get(3), Some(&34));
    /// ```
    ///
    /// [`BTreeMap::iter_mut`]: std::collections::BTreeMap::iter_mut
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V, S> {
        IterMut {
            entries: self.raw.iter_mut(),
            _key: PhantomData,
        }
    }

    /// A mutable reference to every value, in key order (keys are not decoded).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<str, String> = MassTree::new();
    /// map.pin().insert("a", "x".to_string());
    /// map.pin().insert("b", "y".to_string());
    /// map.values_mut().for_each(|v| v.push('!'));
    /// assert_eq!(map.pin().get("b").map(String::as_str), Some("y!"));
    /// ```
    pub fn values_mut(&mut self) -> ValuesMut<'_, V, S> {
        ValuesMut {
            entries: self.raw.iter_mut(),
        }
    }

    /// Calls `f` with every key and a mutable reference to its value, in key order: what
    /// [`MassTree::iter_mut`] gives, with keys decoded one at a time into one reused value,
    /// so string and byte-string keys cost no allocation each once the buffer has grown to
    /// the longest key.
    ///
    /// If `f` panics the walk stops there; values already changed stay changed.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<str, Vec<u32>> = MassTree::new();
    /// map.pin().insert("b", vec![2]);
    /// map.pin().insert("a", vec![1]);
    /// let mut keys = Vec::new();
    /// map.for_each_mut(|key, list| {
    ///     keys.push(key.clone());
    ///     list.push(0);
    /// });
    /// assert_eq!(keys, ["a", "b"]);
    /// assert_eq!(map.pin().get("a"), Some(&vec![1, 0]));
    /// assert_eq!(map.pin().get("b"), Some(&vec![2, 0]));
    /// ```
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&K::Owned, &mut V)) {
        let mut key = None;
        let mut entries = self.raw.iter_mut();
        while let Some((bytes, value)) = entries.next_entry() {
            f(decode_reusing::<K>(bytes, &mut key), value);
        }
    }

    /// Removes `key` and returns its value by value (like [`BTreeMap::remove`]): the value is
    /// moved out, not cloned, and not left to reclamation, since with `&mut self` no reader can
    /// still hold it. The guard-taking [`MassTree::remove`] returns a reference instead.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<str, Vec<u32>> = MassTree::new();
    /// map.pin().insert("primes", vec![2, 3, 5]);
    /// let primes: Vec<u32> = map.take("primes").unwrap();
    /// assert_eq!(primes, [2, 3, 5]);
    /// assert!(map.is_empty());
    /// assert!(map.pin().get("primes").is_none());
    /// assert_eq!(map.take("primes"), None);
    /// ```
    ///
    /// [`BTreeMap::remove`]: std::collections::BTreeMap::remove
    #[inline]
    pub fn take(&mut self, key: impl Query<K>) -> Option<V> {
        key.with_encoded(|k| self.raw.take(k))
    }
}

/// The entries of a map with mutable references to their values, in key order: from
/// [`MassTree::iter_mut`] or `for (k, v) in &mut map`.
///
/// ```
/// use masstree::{IterMut, MassTree};
///
/// let mut map: MassTree<u8, u8> = [(1, 1)].into_iter().collect();
/// let entries: IterMut<'_, u8, u8> = map.iter_mut();
/// assert_eq!(entries.count(), 1);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct IterMut<'a, K: ?Sized, V, S: Storage<V> = masstree_core::Boxed> {
    entries: RawIterMut<'a, V, S>,
    _key: PhantomData<fn(&K)>,
}

impl<'a, K: ?Sized + Key, V, S: Storage<V>> Iterator for IterMut<'a, K, V, S> {
    type Item = (K::Owned, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        let (bytes, value) = self.entries.next_entry()?;
        Some((decode::<K>(bytes), value))
    }
}

impl<K: ?Sized + Key, V, S: Storage<V>> core::iter::FusedIterator for IterMut<'_, K, V, S> {}

impl<K: ?Sized, V, S: Storage<V>> core::fmt::Debug for IterMut<'_, K, V, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("IterMut").finish_non_exhaustive()
    }
}

/// Mutable references to a map's values in key order: from [`MassTree::values_mut`].
///
/// ```
/// use masstree::{MassTree, ValuesMut};
///
/// let mut map: MassTree<u8, u8> = [(1, 1)].into_iter().collect();
/// let values: ValuesMut<'_, u8> = map.values_mut();
/// assert_eq!(values.count(), 1);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ValuesMut<'a, V, S: Storage<V> = masstree_core::Boxed> {
    entries: RawIterMut<'a, V, S>,
}

impl<'a, V, S: Storage<V>> Iterator for ValuesMut<'a, V, S> {
    type Item = &'a mut V;

    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next_entry().map(|(_, value)| value)
    }
}

impl<V, S: Storage<V>> core::iter::FusedIterator for ValuesMut<'_, V, S> {}

impl<V, S: Storage<V>> core::fmt::Debug for ValuesMut<'_, V, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ValuesMut").finish_non_exhaustive()
    }
}

/// `for (key, value) in &mut map`: [`MassTree::iter_mut`].
impl<'a, K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> IntoIterator
    for &'a mut MassTree<K, V, R, S>
{
    type Item = (K::Owned, &'a mut V);
    type IntoIter = IterMut<'a, K, V, S>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}
