//! `MassTree`: the map type and its guard-taking methods.

use crate::key::Key;
use crate::range::Range;
use core::ops::{Bound, RangeBounds};
use masstree_core::{Decision, RawTree, Reclaim, SeizeReclaim, Written};

/// A concurrent ordered map from byte strings to `V`.
///
/// `R` is the memory-reclamation scheme; the default, [`SeizeReclaim`], suits almost everyone.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<String> = MassTree::new();
/// let guard = map.guard();
/// map.insert(b"k", "v".to_string(), &guard);
/// assert_eq!(map.get(b"k", &guard).map(String::as_str), Some("v"));
/// ```
pub struct MassTree<V, R: Reclaim = SeizeReclaim> {
    raw: RawTree<V, R>,
}

/// The error of [`MassTree::compare_exchange`]: the key's value was not the expected one.
#[derive(Debug, PartialEq, Eq)]
pub struct CompareExchangeError<'g, V> {
    /// The value found (`None`: the key was absent).
    pub current: Option<&'g V>,
    /// The value that was not stored, handed back.
    pub new: Option<V>,
}

impl<V, R: Reclaim> Default for MassTree<V, R> {
    fn default() -> Self {
        Self::with_reclaimer()
    }
}

impl<V> MassTree<V> {
    /// An empty map, reclaiming memory with `seize`.
    pub fn new() -> Self {
        Self::with_reclaimer()
    }
}

impl<V, R: Reclaim> MassTree<V, R> {
    /// An empty map with the reclamation scheme `R` (e.g. `MassTree::<V, EpochReclaim>::with_reclaimer()`
    /// with the `crossbeam-epoch` feature).
    pub fn with_reclaimer() -> Self {
        Self {
            raw: RawTree::new(),
        }
    }

    /// Pins the current thread and returns a handle whose methods need no guard.
    #[inline]
    pub fn pin(&self) -> crate::MapRef<'_, V, R> {
        crate::MapRef::new(self, self.raw.pin())
    }

    /// A guard for the guard-taking methods. Values read through it stay valid until it drops.
    #[inline]
    pub fn guard(&self) -> R::Guard<'_> {
        self.raw.pin()
    }

    #[inline]
    fn check<'g, 'x>(&self, guard: &'g R::Guard<'x>) -> &'g R::Guard<'x> {
        assert!(
            self.raw.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        guard
    }

    /// The number of keys. Exact when no write is running; under concurrent writes it is a value
    /// between the counts before and after the overlapping writes.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether the map holds no key (same caveat as [`MassTree::len`]).
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Removes every key (exclusive access, so no reader can be affected).
    pub fn clear(&mut self) {
        self.raw.clear();
    }

    /// The value of `key`.
    #[inline]
    pub fn get<'g>(&'g self, key: &[u8], guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.raw.get(key, self.check(guard))
    }

    /// The values of several keys, in order: the same answers as [`MassTree::get`] for each,
    /// faster on large trees because the descents of up to 16 keys run overlapped (their
    /// cache misses are in flight together).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map = MassTree::new();
    /// let m = map.pin();
    /// m.insert(b"a", 1);
    /// m.insert(b"c", 3);
    /// assert_eq!(m.get_many(&[b"a", b"b", b"c"]), [Some(&1), None, Some(&3)]);
    /// ```
    pub fn get_many<'g>(&'g self, keys: &[&[u8]], guard: &'g R::Guard<'_>) -> Vec<Option<&'g V>> {
        self.raw.get_many(keys, self.check(guard))
    }

    /// Whether `key` is present.
    #[inline]
    pub fn contains_key(&self, key: &[u8], guard: &R::Guard<'_>) -> bool {
        self.get(key, guard).is_some()
    }

    /// Stores `value` under `key`, returning the value it replaced.
    ///
    /// The replaced value is not moved out (readers may still hold it): the reference is valid
    /// while `guard` lives, and the value is dropped after that, exactly once.
    #[inline]
    pub fn insert<'g>(&'g self, key: &[u8], value: V, guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.raw
            .write(key, self.check(guard), |_| Decision::Put(value))
            .old
    }

    /// Removes `key`, returning its value (valid while `guard` lives).
    #[inline]
    pub fn remove<'g>(&'g self, key: &[u8], guard: &'g R::Guard<'_>) -> Option<&'g V> {
        self.raw
            .write(key, self.check(guard), |_| Decision::Remove)
            .old
    }

    /// Removes `key` if `predicate` accepts its value (atomically, under the leaf lock; the
    /// predicate may read the map but must not write to it).
    pub fn remove_if<'g, F>(
        &'g self,
        key: &[u8],
        predicate: F,
        guard: &'g R::Guard<'_>,
    ) -> Option<&'g V>
    where
        F: FnOnce(&V) -> bool,
    {
        let mut removed = false;
        let written = self.raw.write(key, self.check(guard), |old| match old {
            Some(v) if predicate(v) => {
                removed = true;
                Decision::Remove
            }
            _ => Decision::Keep,
        });
        if removed { written.old } else { None }
    }

    /// The value of `key`, inserting `make()` first if absent. `make` runs at most once, under
    /// the leaf lock; if it panics the map is unchanged. Like every closure passed to a write,
    /// it may read the map but must not write to it (a nested write panics rather than
    /// deadlocking on the lock its own thread holds).
    pub fn get_or_insert_with<'g, F>(
        &'g self,
        key: &[u8],
        make: F,
        guard: &'g R::Guard<'_>,
    ) -> &'g V
    where
        F: FnOnce() -> V,
    {
        let written = self.raw.write(key, self.check(guard), |old| match old {
            Some(_) => Decision::Keep,
            None => Decision::Put(make()),
        });
        written
            .new
            .or(written.old)
            .expect("a value is present after get_or_insert_with")
    }

    /// Atomically replaces the value of a present `key` with `f(&old)` and returns the new
    /// value; `None` (and no call) when absent. `f` runs under the leaf lock, so concurrent
    /// updates of one key never lose each other's work; if it panics the map is unchanged. It
    /// may read the map but must not write to it (a nested write panics).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map = MassTree::new();
    /// let m = map.pin();
    /// m.insert(b"hits", 1u64);
    /// assert_eq!(m.update(b"hits", |n| n + 1), Some(&2));
    /// assert_eq!(m.update(b"misses", |n| n + 1), None);
    /// ```
    pub fn update<'g, F>(&'g self, key: &[u8], f: F, guard: &'g R::Guard<'_>) -> Option<&'g V>
    where
        F: FnOnce(&V) -> V,
    {
        self.raw
            .write(key, self.check(guard), |old| match old {
                Some(v) => Decision::Put(f(v)),
                None => Decision::Keep,
            })
            .new
    }

    /// Stores `new` (or removes the key, for `None`) only if the key's current value equals
    /// `current` (`None`: the key is absent). Returns the previous value on success.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map = MassTree::new();
    /// let m = map.pin();
    /// assert_eq!(m.compare_exchange(b"k", None, Some(1)), Ok(None));
    /// assert!(m.compare_exchange(b"k", Some(&7), Some(2)).is_err());
    /// assert_eq!(m.compare_exchange(b"k", Some(&1), None), Ok(Some(&1)));
    /// assert!(m.get(b"k").is_none());
    /// ```
    pub fn compare_exchange<'g>(
        &'g self,
        key: &[u8],
        current: Option<&V>,
        new: Option<V>,
        guard: &'g R::Guard<'_>,
    ) -> Result<Option<&'g V>, CompareExchangeError<'g, V>>
    where
        V: PartialEq,
    {
        let mut new = Some(new);
        let mut matched = false;
        let written = self.raw.write(key, self.check(guard), |old| {
            if old != current {
                return Decision::Keep;
            }
            matched = true;
            match new.take().flatten() {
                Some(v) => Decision::Put(v),
                None => Decision::Remove,
            }
        });
        if matched {
            Ok(written.old)
        } else {
            Err(CompareExchangeError {
                current: written.old,
                new: new.flatten(),
            })
        }
    }

    /// An iterator over the keys in `range`, in order, with their values.
    ///
    /// Any `RangeBounds` over byte strings works: `a..b`, `a..=b`, `a..`, `..b`, `..=b`, and
    /// `(Bound, Bound)` pairs including `Excluded` starts. A range whose start is past its end
    /// yields nothing (where `BTreeMap::range` panics). See [`Range`] for the guarantees under
    /// concurrent writes.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::ops::Bound;
    ///
    /// let map = MassTree::new();
    /// let m = map.pin();
    /// for k in [&b"a"[..], b"b", b"c", b"d"] {
    ///     m.insert(k, k[0]);
    /// }
    /// let keys: Vec<_> = m.range(&b"b"[..]..&b"d"[..]).map(|(k, _)| k.into_vec()).collect();
    /// assert_eq!(keys, [b"b".to_vec(), b"c".to_vec()]);
    /// // `(Bound, Bound)` pairs name the key type, as with `BTreeMap`:
    /// let after_a = m.range::<[u8], _>((Bound::Excluded(&b"a"[..]), Bound::Unbounded));
    /// let rev: Vec<u8> = after_a.rev().map(|(_, v)| *v).collect();
    /// assert_eq!(rev, b"dcb");
    /// ```
    pub fn range<'g, K, B>(&'g self, range: B, guard: &'g R::Guard<'_>) -> Range<'g, V>
    where
        K: AsRef<[u8]> + ?Sized,
        B: RangeBounds<K>,
    {
        Range::new(
            &self.raw,
            self.check(guard),
            bytes(range.start_bound()),
            bytes(range.end_bound()),
        )
    }

    /// An iterator over every key in order.
    pub fn iter<'g>(&'g self, guard: &'g R::Guard<'_>) -> Range<'g, V> {
        Range::new(
            &self.raw,
            self.check(guard),
            Bound::Unbounded,
            Bound::Unbounded,
        )
    }

    /// An iterator over the keys in order.
    pub fn keys<'g>(
        &'g self,
        guard: &'g R::Guard<'_>,
    ) -> impl DoubleEndedIterator<Item = Key> + 'g {
        self.iter(guard).map(|(k, _)| k)
    }

    /// An iterator over the values in key order.
    pub fn values<'g>(
        &'g self,
        guard: &'g R::Guard<'_>,
    ) -> impl DoubleEndedIterator<Item = &'g V> + 'g {
        self.iter(guard).map(|(_, v)| v)
    }

    /// An iterator over the keys that start with `prefix`, in order.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map = MassTree::new();
    /// let m = map.pin();
    /// for k in ["user:1", "user:2", "users", "group:1"] {
    ///     m.insert(k.as_bytes(), ());
    /// }
    /// assert_eq!(m.prefix(b"user:").count(), 2);
    /// ```
    pub fn prefix<'g>(&'g self, prefix: &[u8], guard: &'g R::Guard<'_>) -> Range<'g, V> {
        let end = prefix_successor(prefix);
        let end = match &end {
            Some(e) => Bound::Excluded(e.as_slice()),
            None => Bound::Unbounded,
        };
        Range::new(&self.raw, self.check(guard), Bound::Included(prefix), end)
    }

    /// The smallest key and its value.
    pub fn first<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(Key, &'g V)> {
        self.iter(guard).next()
    }

    /// The largest key and its value.
    pub fn last<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(Key, &'g V)> {
        self.iter(guard).next_back()
    }

    /// Removes and returns the smallest key. Atomic per key: if another thread removes the key
    /// first, the next smallest is tried, so each key is popped by exactly one caller.
    pub fn pop_first<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(Key, &'g V)> {
        loop {
            let (key, _) = self.first(guard)?;
            if let Some(value) = self.remove(&key, guard) {
                return Some((key, value));
            }
        }
    }

    /// Removes and returns the largest key, atomically per key like [`MassTree::pop_first`].
    pub fn pop_last<'g>(&'g self, guard: &'g R::Guard<'_>) -> Option<(Key, &'g V)> {
        loop {
            let (key, _) = self.last(guard)?;
            if let Some(value) = self.remove(&key, guard) {
                return Some((key, value));
            }
        }
    }

    /// Checks the structure of the whole trie (tests and soak runs); returns what it counted.
    #[doc(hidden)]
    pub fn check_invariants(&mut self) -> Result<masstree_core::TreeStats, String> {
        self.raw.check_invariants()
    }

    /// The raw write primitive, for callers building their own atomic operations.
    #[doc(hidden)]
    pub fn write<'g, F>(&'g self, key: &[u8], guard: &'g R::Guard<'_>, decide: F) -> Written<'g, V>
    where
        F: FnOnce(Option<&'g V>) -> Decision<V>,
    {
        self.raw.write(key, self.check(guard), decide)
    }
}

/// A bound over any byte-string type, as a bound over bytes.
fn bytes<K: AsRef<[u8]> + ?Sized>(bound: Bound<&K>) -> Bound<&[u8]> {
    bound.map(|k| k.as_ref())
}

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

/// Prints like `BTreeMap`: `{key: value, ...}` in key order (keys as UTF-8 strings when they
/// are, else as byte lists).
impl<V: core::fmt::Debug, R: Reclaim> core::fmt::Debug for MassTree<V, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let guard = self.guard();
        f.debug_map().entries(self.iter(&guard)).finish()
    }
}

impl<K: AsRef<[u8]>, V, R: Reclaim> FromIterator<(K, V)> for MassTree<V, R> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let map = Self::with_reclaimer();
        map.pin().extend(iter);
        map
    }
}

impl<K: AsRef<[u8]>, V, R: Reclaim> Extend<(K, V)> for MassTree<V, R> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.pin().extend(iter);
    }
}
