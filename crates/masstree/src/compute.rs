//! Atomic read-modify-writes of one key: `compute` and the operations built on it.

use crate::MassTree;
use crate::Storage;
use crate::error::OccupiedError;
use crate::range::decode;
use crate::reclaim::Reclaimer;
use core::fmt;
use masstree_core::{Boxed, Decision, GuardOf};
use masstree_key::codec::{Key, Query};

/// What [`MassTree::compute`] does with the key, decided from its current value.
///
/// ```
/// use masstree::{MassTree, Operation};
///
/// let map: MassTree<str, u32> = MassTree::new();
/// let m = map.pin();
/// m.compute("k", |_| Operation::<u32, ()>::Insert(1));
/// m.compute("k", |_| Operation::<u32, ()>::Remove);
/// assert!(m.get("k").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation<V, T> {
    /// Store this value: insert the key, or replace its value.
    Insert(V),
    /// Remove the key (nothing happens if it is absent).
    Remove,
    /// Keep the map as it is and hand `T` back to the caller.
    Abort(T),
}

/// The outcome of [`MassTree::compute`]. Values are `&V` (or copies, for inline values),
/// valid while the guard lives.
///
/// ```
/// use masstree::{Compute, MassTree, Operation};
///
/// let map: MassTree<u64, u64> = MassTree::new();
/// let m = map.pin();
/// let inserted = m.compute(7, |_| Operation::<u64, ()>::Insert(1));
/// assert_eq!(inserted, Compute::Inserted(&1));
/// ```
pub enum Compute<'g, V: 'g, T, S: Storage<V> = Boxed> {
    /// The key was absent and the value was inserted.
    Inserted(S::Ref<'g>),
    /// The key's value `old` was replaced by `new`.
    Updated {
        /// The value replaced (dropped once no guard can see it).
        old: S::Ref<'g>,
        /// The value stored.
        new: S::Ref<'g>,
    },
    /// The key was removed; its value.
    Removed(S::Ref<'g>),
    /// [`Operation::Remove`] for a key that was absent: nothing changed.
    Absent,
    /// [`Operation::Abort`]: nothing changed; the closure's value.
    Aborted(T),
}

impl<'g, V: fmt::Debug, T: fmt::Debug, S: Storage<V>> fmt::Debug for Compute<'g, V, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Inserted(new) => f.debug_tuple("Inserted").field(S::as_value(new)).finish(),
            Self::Updated { old, new } => f
                .debug_struct("Updated")
                .field("old", S::as_value(old))
                .field("new", S::as_value(new))
                .finish(),
            Self::Removed(old) => f.debug_tuple("Removed").field(S::as_value(old)).finish(),
            Self::Absent => f.write_str("Absent"),
            Self::Aborted(t) => f.debug_tuple("Aborted").field(t).finish(),
        }
    }
}

impl<'g, V: PartialEq, T: PartialEq, S: Storage<V>> PartialEq for Compute<'g, V, T, S> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Inserted(a), Self::Inserted(b)) | (Self::Removed(a), Self::Removed(b)) => {
                S::as_value(a) == S::as_value(b)
            }
            (Self::Updated { old: a, new: b }, Self::Updated { old: c, new: d }) => {
                S::as_value(a) == S::as_value(c) && S::as_value(b) == S::as_value(d)
            }
            (Self::Absent, Self::Absent) => true,
            (Self::Aborted(a), Self::Aborted(b)) => a == b,
            _ => false,
        }
    }
}

impl<'g, V: Eq, T: Eq, S: Storage<V>> Eq for Compute<'g, V, T, S> {}

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// Atomically reads the key's value and decides what to do with it: `f` sees the current
    /// value (`None`: absent) and returns an [`Operation`]. It runs exactly once, holding the
    /// lock of the key's leaf, so no other write to the key comes between what `f` saw and
    /// what it decided; readers never wait. If `f` panics, the lock is released and the map is
    /// unchanged. `f` may read the map; a write to the same map from inside it panics (it
    /// would wait for the lock its own thread holds). Writes to *other* maps work, and their
    /// locks are then the caller's to order, as with two `Mutex`es.
    ///
    /// The building block of every conditional write: [`MassTree::update_or_insert`],
    /// [`MassTree::try_insert`], [`MassTree::compare_exchange`] and the others are `compute`
    /// with a fixed closure.
    ///
    /// ```
    /// use masstree::{Compute, MassTree, Operation};
    ///
    /// // A stock level that never goes below zero.
    /// let stock: MassTree<str, u32> = MassTree::new();
    /// let m = stock.pin();
    /// m.insert("apples", 2);
    /// let take_one = |n: Option<&u32>| match n {
    ///     Some(&n) if n > 0 => Operation::Insert(n - 1),
    ///     Some(_) => Operation::Abort("sold out"),
    ///     None => Operation::Abort("unknown item"),
    /// };
    /// assert_eq!(m.compute("apples", take_one), Compute::Updated { old: &2, new: &1 });
    /// assert_eq!(m.compute("apples", take_one), Compute::Updated { old: &1, new: &0 });
    /// assert_eq!(m.compute("apples", take_one), Compute::Aborted("sold out"));
    /// assert_eq!(m.compute("pears", take_one), Compute::Aborted("unknown item"));
    /// ```
    pub fn compute<'g, F, T, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        f: F,
        guard: &'g G,
    ) -> Compute<'g, V, T, S>
    where
        F: FnOnce(Option<&V>) -> Operation<V, T>,
    {
        let mut aborted = None;
        let written = self.write(key, guard, |old| match f(old.as_ref().map(S::as_value)) {
            Operation::Insert(value) => Decision::Put(value),
            Operation::Remove => Decision::Remove,
            Operation::Abort(t) => {
                aborted = Some(t);
                Decision::Keep
            }
        });
        if let Some(t) = aborted {
            return Compute::Aborted(t);
        }
        match (written.old, written.new) {
            (None, Some(new)) => Compute::Inserted(new),
            (Some(old), Some(new)) => Compute::Updated { old, new },
            (Some(old), None) => Compute::Removed(old),
            (None, None) => Compute::Absent,
        }
    }

    /// Atomically replaces the key's value with `f(&old)`, or inserts `default` if the key is
    /// absent; returns the value stored. `f` runs under the leaf lock, so concurrent updates
    /// never lose each other's work (the rules of [`MassTree::compute`] apply to it).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let words: MassTree<str, u32> = MassTree::new();
    /// let m = words.pin();
    /// for w in ["a", "b", "a"] {
    ///     m.update_or_insert(w, |n| n + 1, 1);
    /// }
    /// assert_eq!(m.get("a"), Some(&2));
    /// assert_eq!(m.get("b"), Some(&1));
    /// ```
    pub fn update_or_insert<'g, F, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        f: F,
        default: V,
        guard: &'g G,
    ) -> S::Ref<'g>
    where
        F: FnOnce(&V) -> V,
    {
        self.update_or_insert_with(key, f, || default, guard)
    }

    /// [`MassTree::update_or_insert`] with the inserted value made by `make` only when the key
    /// is absent. Exactly one of `f` and `make` runs, once, under the leaf lock.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let log: MassTree<u64, Vec<&str>> = MassTree::new();
    /// let m = log.pin();
    /// m.update_or_insert_with(1, |v| [v.as_slice(), &["again"]].concat(), || vec!["first"]);
    /// m.update_or_insert_with(1, |v| [v.as_slice(), &["again"]].concat(), || vec!["first"]);
    /// assert_eq!(m.get(1).unwrap(), &["first", "again"]);
    /// ```
    pub fn update_or_insert_with<'g, F, D, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        f: F,
        make: D,
        guard: &'g G,
    ) -> S::Ref<'g>
    where
        F: FnOnce(&V) -> V,
        D: FnOnce() -> V,
    {
        let written = self.write(key, guard, |old| match old {
            Some(old) => Decision::Put(f(S::as_value(&old))),
            None => Decision::Put(make()),
        });
        written
            .new
            .expect("masstree: a put decision stores a value")
    }

    /// Inserts `value` only if the key is absent, returning the value stored; if the key is
    /// present, the map is unchanged and the error holds its value and `value` handed back.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let sessions: MassTree<u64, String> = MassTree::new();
    /// let m = sessions.pin();
    /// assert!(m.try_insert(7, "alice".to_string()).is_ok());
    /// let taken = m.try_insert(7, "bob".to_string()).unwrap_err();
    /// assert_eq!(taken.current, "alice");
    /// assert_eq!(taken.not_inserted, "bob");
    /// ```
    pub fn try_insert<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        value: V,
        guard: &'g G,
    ) -> Result<S::Ref<'g>, OccupiedError<'g, V, S>> {
        let mut value = Some(value);
        let written = self.write(key, guard, |old| match old {
            Some(_) => Decision::Keep,
            None => Decision::Put(value.take().expect("the decision runs once")),
        });
        match (written.new, written.old, value) {
            (Some(new), _, _) => Ok(new),
            (None, Some(current), Some(not_inserted)) => Err(OccupiedError {
                current,
                not_inserted,
            }),
            _ => unreachable!("masstree: try_insert neither stored nor found a value"),
        }
    }

    /// The stored key and its value: the key as a scan returns it (`String` for `str` keys,
    /// [`ByteKey`](crate::ByteKey) for byte strings), decoded from its stored encoding.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<(String, u32), char> = MassTree::new();
    /// let m = map.pin();
    /// m.insert(("x", 1), 'a');
    /// assert_eq!(m.get_key_value(("x", 1)), Some((("x".to_string(), 1), &'a')));
    /// ```
    pub fn get_key_value<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        guard: &'g G,
    ) -> Option<(K::Owned, S::Ref<'g>)> {
        key.with_encoded(|k| Some((decode::<K>(k), self.raw.get(k, guard)?)))
    }

    /// Removes the key, returning it with its value (valid while the guard lives).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<String, u32> = MassTree::new();
    /// let m = map.pin();
    /// m.insert("k", 1);
    /// assert_eq!(m.remove_entry("k"), Some(("k".to_string(), &1)));
    /// assert_eq!(m.remove_entry("k"), None);
    /// ```
    pub fn remove_entry<'g, G: GuardOf<R>>(
        &'g self,
        key: impl Query<K>,
        guard: &'g G,
    ) -> Option<(K::Owned, S::Ref<'g>)> {
        key.with_encoded(|k| {
            let old = self.write_encoded(k, guard, |_| Decision::Remove).old?;
            Some((decode::<K>(k), old))
        })
    }
}
