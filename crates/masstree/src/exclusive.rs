//! Operations with exclusive access (`&mut self`), as `BTreeMap` offers them: mutable
//! references to values in place, and removal that hands the value back by value.
//!
//! `&mut self` proves that no other thread reads or writes the map and that no guard (nor any
//! reference read under one) is alive, so these need no guard and return what a guard-taking
//! method cannot: `&mut V`, and an owned `V` instead of a reference kept alive by reclamation.

use crate::MassTree;
use crate::range::decode;
use crate::reclaim::Reclaimer;
use masstree_core::ValueSlot;
use masstree_key::codec::{Key, Query};

impl<K: ?Sized + Key, V, R: Reclaimer, S: ValueSlot<V>> MassTree<K, V, R, S> {
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

    /// Calls `f` with every key and a mutable reference to its value, in key order (what
    /// [`BTreeMap::iter_mut`] gives, as a callback: keys are decoded one at a time into one
    /// reused value, so string and byte-string keys cost no allocation each once the buffer
    /// has grown to the longest key).
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
    ///
    /// [`BTreeMap::iter_mut`]: std::collections::BTreeMap::iter_mut
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&K::Owned, &mut V)) {
        let mut owned: Option<K::Owned> = None;
        self.raw.for_each_mut(|bytes, value| {
            let key = match &mut owned {
                Some(key) => {
                    if K::decode_key_into(bytes, key).is_err() {
                        // Not a key this map could have stored: `decode` fails the same way
                        // and panics with the explanation.
                        *key = decode::<K>(bytes);
                    }
                    key
                }
                None => owned.insert(decode::<K>(bytes)),
            };
            f(key, value);
        });
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
