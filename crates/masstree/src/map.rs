//! `MassTree`: the map type and its guard-taking point operations.

use crate::Storage;
use crate::error::CompareExchangeError;
use crate::reclaim::Reclaimer;
use core::marker::PhantomData;
use masstree_core::{Boxed, Decision, GuardOf, RawTree, ReclaimOwned, SeizeReclaim, Written};
use masstree_key::codec::{Key, Query};

/// A concurrent ordered map from keys of type `K` to values of type `V`.
///
/// `K` is any [`Key`]: integers, `bool`, `char`, `String`/`str`, `Vec<u8>`/`[u8]`,
/// `[u8; N]`, tuples of up to four of these, or your own type. Keys are stored in an
/// order-preserving byte encoding, so the map's order is the order of `K`, and lookups accept
/// any borrowed form of the key ([`Query`]): `&str` for `String` keys, `b"..."` for byte
/// strings, `("alice", 7)` for `(String, u32)`. Byte strings are the plain case:
/// `MassTree<[u8], V>` stores keys exactly as given.
///
/// `R` is the memory-reclamation scheme; the default, [`SeizeReclaim`], suits almost everyone.
///
/// `S` is how values are stored. The default, [`Boxed`], works for every `V` and hands out
/// `&V`. [`Inline`](crate::Inline) stores small plain-data values (`u64`, `f64`, `[u8; 8]`, …)
/// in the leaves themselves and hands out copies: faster lookups and updates, 8 bytes less per
/// key. [`InlineMassTree`](crate::InlineMassTree) names that map.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u64, String> = MassTree::new();
/// let guard = map.guard();
/// map.insert(7, "seven".to_string(), &guard);
/// assert_eq!(map.get(7, &guard).map(String::as_str), Some("seven"));
///
/// let names: MassTree<String, u32> = MassTree::new();
/// names.pin().insert("ada", 1815); // no `String` needed to insert or look up
/// assert_eq!(names.pin().get("ada"), Some(&1815));
/// ```
pub struct MassTree<K: ?Sized, V, R: Reclaimer = SeizeReclaim, S: Storage<V> = Boxed> {
    pub(crate) raw: RawTree<V, R, S>,
    /// Keys are stored encoded; `K` only says how to encode and decode them, so the map is
    /// `Send`/`Sync` whatever `K` is.
    _key: PhantomData<fn(&K)>,
}

impl<K: ?Sized + Key, V, S: Storage<V>> MassTree<K, V, SeizeReclaim, S> {
    /// An empty map, reclaiming memory with `seize`: a [`MassTree`], or an
    /// [`InlineMassTree`](crate::InlineMassTree) (`S` is inferred from the type).
    ///
    /// ```
    /// use masstree::{InlineMassTree, MassTree};
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// assert!(map.is_empty());
    /// let inline: InlineMassTree<u64, f64> = InlineMassTree::new();
    /// inline.pin().insert(1, 0.5);
    /// assert_eq!(inline.pin().get(1), Some(0.5));
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_reclaimer()
    }
}

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// An empty map with the reclamation scheme `R` (e.g.
    /// `MassTree::<[u8], V, EpochReclaim>::with_reclaimer()` with the `crossbeam-epoch` feature).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use masstree::reclaim::SeizeReclaim;
    ///
    /// let map: MassTree<[u8], u32, SeizeReclaim> = MassTree::with_reclaimer();
    /// map.pin().insert(b"k", 1);
    /// assert_eq!(map.pin().get(b"k"), Some(&1));
    /// ```
    pub fn with_reclaimer() -> Self {
        Self::from_reclaimer(R::default())
    }

    /// An empty map reclaiming memory through `reclaim`, a reclaimer configured by the caller.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use masstree::reclaim::SeizeReclaim;
    ///
    /// // Smaller retirement batches than the default: memory comes back sooner, at the price
    /// // of more process-wide barriers under update-heavy load.
    /// let map: MassTree<str, u32> = MassTree::from_reclaimer(SeizeReclaim::with_batch_size(64));
    /// map.pin().insert("k", 1);
    /// assert_eq!(map.pin().get("k"), Some(&1));
    /// ```
    pub fn from_reclaimer(reclaim: R) -> Self {
        Self {
            raw: RawTree::with_reclaim(reclaim),
            _key: PhantomData,
        }
    }

    /// Pins the current thread and returns a handle whose methods need no guard.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, &str> = MassTree::new();
    /// let m = map.pin();
    /// m.insert(1, "one");
    /// assert_eq!(m.get(1), Some(&"one"));
    /// ```
    #[must_use]
    #[inline]
    pub fn pin(&self) -> crate::MapRef<'_, K, V, R, S> {
        crate::MapRef::new(self, self.raw.pin())
    }

    /// Like [`MassTree::pin`], with an *owned* guard: the handle is `Send` and `Sync` (for
    /// `Send + Sync` values), so it can be held across an `.await` in a task that a
    /// work-stealing runtime moves between threads, or sent to another thread. Pinning costs
    /// more than [`MassTree::pin`] (the guard takes a reservation of its own), so pin once per
    /// request or task, not per operation. Each live owned handle is one more reservation
    /// that reclamation waits for: with more handles alive at once than the reclaimer's batch
    /// size (1024 by default, see `SeizeReclaim::with_batch_size`), retired values wait until
    /// enough of them drop. Do not drop or refresh an owned handle inside a closure passed to
    /// a write: that frees under the write's leaf lock.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u64> = MassTree::new();
    /// let m = map.pin_owned();
    /// m.insert("visits", 1);
    /// std::thread::scope(|s| {
    ///     // The handle (and references read through it) moves to another thread.
    ///     s.spawn(move || assert_eq!(m.update("visits", |n| n + 1), Some(&2)));
    /// });
    /// assert_eq!(map.pin().get("visits"), Some(&2));
    /// ```
    #[must_use]
    #[inline]
    pub fn pin_owned(&self) -> crate::OwnedMapRef<'_, K, V, R, S>
    where
        R: ReclaimOwned,
    {
        crate::MapRef::new(self, self.raw.pin_owned())
    }

    /// A guard for the guard-taking methods. Values read through it stay valid until it drops.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, String> = MassTree::new();
    /// let guard = map.guard();
    /// map.insert(1, "one".to_string(), &guard);
    /// let one = map.get(1, &guard).unwrap();
    /// map.remove(1, &guard); // `one` stays valid: it is freed only after `guard` drops
    /// assert_eq!(one, "one");
    /// ```
    #[inline]
    pub fn guard(&self) -> R::Guard<'_> {
        self.raw.pin()
    }

    /// The number of keys. Exact when no write is running; under concurrent writes it is a value
    /// between the counts before and after the overlapping writes.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, ()> = (0..3u64).map(|i| (i, ())).collect();
    /// assert_eq!(map.len(), 3);
    /// map.pin().remove(0);
    /// assert_eq!(map.len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether the map holds no key (same caveat as [`MassTree::len`]).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// assert!(map.is_empty());
    /// map.pin().insert("a", 1);
    /// assert!(!map.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Removes every key at once, with exclusive access: faster than [`MassTree::clear`]
    /// (the nodes are freed directly, not unlinked one key at a time), frees at once
    /// everything reclamation still held back, and returns the nodes' memory to the allocator
    /// (removing keys one by one keeps it with the map, for the nodes it makes next).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut map: MassTree<u64, String> = (0..100u64).map(|i| (i, i.to_string())).collect();
    /// map.clear_mut();
    /// assert!(map.is_empty());
    /// ```
    pub fn clear_mut(&mut self) {
        self.raw.clear();
    }

    /// Frees now what can be freed: hands the values and nodes this thread retired to
    /// reclamation and frees those no live guard (of any thread) protects. Reclamation runs by
    /// itself as threads retire; call this after a burst of writes when memory should come
    /// back before the next one, e.g. after replacing large values from a thread that then
    /// goes idle. Call it outside any guard of this map (a guard alive on this thread keeps
    /// what it protects).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, Vec<u8>> = MassTree::new();
    /// for _ in 0..10 {
    ///     map.pin().insert(7, vec![0; 4096]);
    /// }
    /// map.flush(); // the nine replaced values are freed here, not at some later write
    /// assert_eq!(map.pin().get(7).map(Vec::len), Some(4096));
    /// ```
    pub fn flush(&self) {
        self.raw.flush();
    }

    /// The value of `key`.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// let guard = map.guard();
    /// map.insert("a", 1, &guard);
    /// assert_eq!(map.get("a", &guard), Some(&1));
    /// assert_eq!(map.get("b", &guard), None);
    /// ```
    #[inline]
    pub fn get<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        guard: &'g G,
    ) -> Option<S::Ref<'g>> {
        key.with_encoded(|k| self.raw.get(k, guard))
    }

    /// The values of several keys, in order: the same answers as [`MassTree::get`] for each,
    /// faster on large trees because the descents of up to 16 keys run overlapped (their
    /// cache misses are in flight together).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<[u8], i32> = MassTree::new();
    /// let m = map.pin();
    /// m.insert(b"a", 1);
    /// m.insert(b"c", 3);
    /// assert_eq!(m.get_many(&[b"a", b"b", b"c"]), [Some(&1), None, Some(&3)]);
    /// ```
    pub fn get_many<'g, Q: Query<K>, G: GuardOf<R>>(
        &'g self,
        keys: &[Q],
        guard: &'g G,
    ) -> Vec<Option<S::Ref<'g>>> {
        assert!(
            self.raw.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        // A group of keys at a time: encoded into one buffer (reused), looked up as byte
        // strings through an array on the stack, appended to one vector.
        const GROUP: usize = masstree_core::GET_MANY_GROUP;
        let mut out = Vec::with_capacity(keys.len());
        let mut bytes = masstree_key::codec::KeyBuf::new();
        let mut ends = [0usize; GROUP];
        for group in keys.chunks(GROUP) {
            bytes.clear();
            for (end, key) in ends.iter_mut().zip(group) {
                key.encode(&mut bytes, true);
                *end = bytes.len();
            }
            let encoded = bytes.as_slice();
            let mut slices: [&[u8]; GROUP] = [&[]; GROUP];
            let mut start = 0;
            for (slice, &end) in slices.iter_mut().zip(&ends[..group.len()]) {
                *slice = &encoded[start..end];
                start = end;
            }
            self.raw
                .get_many_into(&slices[..group.len()], guard, &mut out);
        }
        out
    }

    /// Whether `key` is present.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, ()> = MassTree::new();
    /// let guard = map.guard();
    /// map.insert(7, (), &guard);
    /// assert!(map.contains_key(7, &guard));
    /// assert!(!map.contains_key(8, &guard));
    /// ```
    #[inline]
    pub fn contains_key<G: GuardOf<R>>(&self, key: impl Query<K>, guard: &G) -> bool {
        self.get(key, guard).is_some()
    }

    /// Stores `value` under `key`, returning the value it replaced.
    ///
    /// The replaced value is not moved out (readers may still hold it): the reference is valid
    /// while `guard` lives, and the value is dropped after that, exactly once. The key may be
    /// given in any borrowed form: only its encoding is stored.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<String, u32> = MassTree::new();
    /// let guard = map.guard();
    /// assert_eq!(map.insert("a", 1, &guard), None);
    /// // The replaced value, valid while `guard` lives:
    /// assert_eq!(map.insert("a", 2, &guard), Some(&1));
    /// assert_eq!(map.get("a", &guard), Some(&2));
    /// ```
    #[inline]
    pub fn insert<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        value: V,
        guard: &'g G,
    ) -> Option<S::Ref<'g>> {
        key.with_encoded(|k| self.raw.insert(k, value, guard))
    }

    /// Removes `key`, returning its value (valid while `guard` lives).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, &str> = MassTree::new();
    /// let guard = map.guard();
    /// map.insert(1, "one", &guard);
    /// assert_eq!(map.remove(1, &guard), Some(&"one"));
    /// assert_eq!(map.remove(1, &guard), None);
    /// ```
    #[inline]
    pub fn remove<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        guard: &'g G,
    ) -> Option<S::Ref<'g>> {
        self.write(key, guard, |_| Decision::Remove).old
    }

    /// Removes `key` if `predicate` accepts its value (atomically, under the leaf lock; the
    /// predicate may read the map but must not write to it).
    /// Returns the removed value (valid while `guard` lives); `None` when the key is absent or
    /// `predicate` rejects its value.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// let guard = map.guard();
    /// map.insert("a", 5, &guard);
    /// assert_eq!(map.remove_if("a", |&v| v > 10, &guard), None); // rejected: the key stays
    /// assert_eq!(map.remove_if("a", |&v| v == 5, &guard), Some(&5));
    /// assert!(!map.contains_key("a", &guard));
    /// ```
    pub fn remove_if<'g, F, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        predicate: F,
        guard: &'g G,
    ) -> Option<S::Ref<'g>>
    where
        F: FnOnce(&V) -> bool,
    {
        let mut removed = false;
        let written = self.write(key, guard, |old| match old {
            Some(v) if predicate(S::as_value(&v)) => {
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
    /// deadlocking on the lock its own thread holds). Writes to *other* maps work; their locks
    /// are then the caller's to order, as with two `Mutex`es (a thread that writes map B from a
    /// closure on map A while another writes A from a closure on B can deadlock).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, u32> = MassTree::new();
    /// let guard = map.guard();
    /// assert_eq!(map.get_or_insert_with("a", || 1, &guard), &1);
    /// assert_eq!(map.get_or_insert_with("a", || 2, &guard), &1); // present: `make` does not run
    /// ```
    pub fn get_or_insert_with<'g, F, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        make: F,
        guard: &'g G,
    ) -> S::Ref<'g>
    where
        F: FnOnce() -> V,
    {
        let written = self.write(key, guard, |old| match old {
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
    /// let map: MassTree<str, u64> = MassTree::new();
    /// let m = map.pin();
    /// m.insert("hits", 1);
    /// assert_eq!(m.update("hits", |n| n + 1), Some(&2));
    /// assert_eq!(m.update("misses", |n| n + 1), None);
    /// ```
    pub fn update<'g, F, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        f: F,
        guard: &'g G,
    ) -> Option<S::Ref<'g>>
    where
        F: FnOnce(&V) -> V,
    {
        self.write(key, guard, |old| match old {
            Some(v) => Decision::Put(f(S::as_value(&v))),
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
    /// let map: MassTree<u32, i32> = MassTree::new();
    /// let m = map.pin();
    /// assert_eq!(m.compare_exchange(1, None, Some(1)), Ok(None));
    /// assert!(m.compare_exchange(1, Some(&7), Some(2)).is_err());
    /// assert_eq!(m.compare_exchange(1, Some(&1), None), Ok(Some(&1)));
    /// assert!(m.get(1).is_none());
    /// ```
    pub fn compare_exchange<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        current: Option<&V>,
        new: Option<V>,
        guard: &'g G,
    ) -> Result<Option<S::Ref<'g>>, CompareExchangeError<'g, V, S>>
    where
        V: PartialEq,
    {
        let mut new = Some(new);
        let mut matched = false;
        let written = self.write(key, guard, |old| {
            if old.as_ref().map(S::as_value) != current {
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

    /// Inserts every pair like [`Extend`], much faster when the keys come in ascending order
    /// (a sorted file, another ordered map, a sequence counter): each key is appended to the
    /// leaf the previous one went to, with no descent, and leaves fill completely. Keys out of
    /// order are still inserted correctly, through the ordinary path; a later pair for a key
    /// replaces an earlier one. Safe while other threads read and write.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, u64> = MassTree::new();
    /// let m = map.pin();
    /// m.extend_sorted((0..1_000u64).map(|i| (i, i * 2)));
    /// assert_eq!(m.len(), 1_000);
    /// assert_eq!(m.get(432), Some(&864));
    /// ```
    pub fn extend_sorted<Q, I, G: GuardOf<R>>(&self, entries: I, guard: &G)
    where
        Q: Query<K>,
        I: IntoIterator<Item = (Q, V)>,
    {
        let encoded = entries.into_iter().map(|(key, value)| {
            let mut bytes = masstree_key::codec::KeyBuf::new();
            key.encode(&mut bytes, true);
            (bytes, value)
        });
        self.raw.extend_sorted(encoded, guard);
    }

    /// A map built from `(key, value)` pairs, fast when they come in ascending key order (see
    /// [`MassTree::extend_sorted`]; any order is correct).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let pairs = (0..100u64).map(|i| (i, i.to_string()));
    /// let map: MassTree<u64, String> = MassTree::from_sorted_iter(pairs);
    /// assert_eq!(map.len(), 100);
    /// assert_eq!(map.pin().get(42).map(String::as_str), Some("42"));
    /// ```
    pub fn from_sorted_iter<Q, I>(entries: I) -> Self
    where
        Q: Query<K>,
        I: IntoIterator<Item = (Q, V)>,
    {
        let map = Self::with_reclaimer();
        map.extend_sorted(entries, &map.guard());
        map
    }

    /// Checks the structure of the whole trie (tests and soak runs); returns what it counted.
    #[doc(hidden)]
    pub fn check_invariants(&mut self) -> Result<masstree_core::TreeStats, String> {
        self.raw.check_invariants()
    }

    /// The raw write primitive under [`MassTree::compute`] and the other conditional writes:
    /// `decide` sees the current value under the leaf lock and says what to do.
    #[inline]
    pub(crate) fn write<'g, F, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        guard: &'g G,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        key.with_encoded(|k| self.raw.write(k, guard, decide))
    }

    /// Writes under an already encoded key (scans hand out encoded keys).
    #[inline]
    pub(crate) fn write_encoded<'g, F, G: GuardOf<R>>(
        &'g self,
        key: &[u8],
        guard: &'g G,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        self.raw.write(key, guard, decide)
    }
}
