//! Bulk removal: `retain`, `remove_range`, `extract_if` and `clear`, each a sequence of
//! single-key atomic removals safe under concurrent readers and writers.

use crate::MassTree;
use crate::Storage;
use crate::range::{Range, decode};
use crate::reclaim::Reclaimer;
use core::ops::Bound;
use masstree_core::scan::KeyBound;
use masstree_core::{Decision, GuardOf, ReclaimGuard};
use masstree_key::codec::{Key, KeyRange};

/// Keys a bulk removal handles under one guard before it refreshes the guard, so values it
/// removes are freed as it goes instead of all held back until it returns.
const KEYS_PER_GUARD: usize = 256;

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// Keeps only the entries for which `keep` returns `true`, removing the others, in key
    /// order. Safe while other threads read and write: each key is decided atomically under
    /// its leaf lock from its value at that moment (`keep` runs there, with the rules of
    /// [`MassTree::compute`]), so a key that is present and rejected for the whole call is
    /// removed and every other key is left untouched; keys inserted during the call may or may
    /// not be visited. Values removed are freed as the call goes (it pins and refreshes its own
    /// guard), not held back until it returns.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, u32> = (0..10u32).map(|i| (i, i * i)).collect();
    /// map.retain(|&k, &v| k % 2 == 0 && v < 50);
    /// assert_eq!(map.pin().keys().collect::<Vec<_>>(), [0, 2, 4, 6]);
    /// ```
    pub fn retain<F>(&self, mut keep: F)
    where
        F: FnMut(&K::Owned, &V) -> bool,
    {
        let mut key = None;
        self.remove_matching(Bound::Unbounded, Bound::Unbounded, |bytes, value| {
            let key = match &mut key {
                Some(key) => {
                    *key = decode::<K>(bytes);
                    key
                }
                None => key.insert(decode::<K>(bytes)),
            };
            !keep(key, value)
        });
    }

    /// Removes every key in `range` and returns how many it removed. Safe while other threads
    /// read and write: a key present in the range for the whole call is removed, keys outside
    /// it are untouched, and keys inserted into the range during the call may or may not be.
    /// Values are freed as the call goes, as for [`MassTree::retain`].
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u64, ()> = (0..100u64).map(|i| (i, ())).collect();
    /// assert_eq!(map.remove_range(10..90), 80);
    /// assert_eq!(map.len(), 20);
    /// assert_eq!(map.remove_range(..), 20);
    /// ```
    pub fn remove_range<B: KeyRange<K>>(&self, range: B) -> usize {
        let (start, end) = range.encode_bounds();
        self.remove_matching(start, end, |_, _| true)
    }

    /// Removes every key, with shared access: through an `Arc`, while other threads read and
    /// write (a key present for the whole call is removed; keys inserted meanwhile may stay).
    /// The nodes' memory stays with the map, for the nodes it makes next (a map's node memory
    /// goes back to the allocator when it drops, or on [`MassTree::clear_mut`]). With exclusive
    /// access, [`MassTree::clear_mut`] is faster.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use std::sync::Arc;
    ///
    /// let map: Arc<MassTree<u64, u64>> = Arc::new((0..1000u64).map(|i| (i, i)).collect());
    /// let reader = Arc::clone(&map);
    /// std::thread::spawn(move || reader.pin().get(5).copied()).join().unwrap();
    /// map.clear();
    /// assert!(map.is_empty());
    /// ```
    pub fn clear(&self) {
        self.remove_matching(Bound::Unbounded, Bound::Unbounded, |_, _| true);
    }

    /// An iterator that removes, in key order, the entries of `range` for which `pred` returns
    /// `true`, and yields them. Each removal is atomic under the key's leaf lock (`pred` runs
    /// there, on the value of that moment, with the rules of [`MassTree::compute`]); a key
    /// another thread removes first is skipped. Entries not yielded stay in the map: dropping
    /// the iterator early stops the removal there. Values yielded are valid while the guard
    /// lives.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// // Evict expired sessions: keys are (expiry, id).
    /// let sessions: MassTree<(u64, u32), &str> = MassTree::new();
    /// let m = sessions.pin();
    /// m.insert((100, 1), "a");
    /// m.insert((200, 2), "b");
    /// m.insert((300, 3), "c");
    /// let now = 250;
    /// let evicted: Vec<u32> = m
    ///     .extract_if(.., |&(expiry, _), _| expiry <= now)
    ///     .map(|((_, id), _)| id)
    ///     .collect();
    /// assert_eq!(evicted, [1, 2]);
    /// assert_eq!(m.len(), 1);
    /// ```
    pub fn extract_if<'g, B, F, G>(
        &'g self,
        range: B,
        pred: F,
        guard: &'g G,
    ) -> ExtractIf<'g, K, V, R, S, G, F>
    where
        B: KeyRange<K>,
        F: FnMut(&K::Owned, &V) -> bool,
        G: GuardOf<R>,
    {
        ExtractIf {
            map: self,
            guard,
            range: self.range(range, guard),
            pred,
        }
    }

    /// Removes the keys between `start` and `end` (encoded) that `matches` accepts, each under
    /// its leaf lock, refreshing its own guard every [`KEYS_PER_GUARD`] keys. Returns the
    /// number removed.
    fn remove_matching<F>(
        &self,
        mut start: Bound<Vec<u8>>,
        end: Bound<Vec<u8>>,
        mut matches: F,
    ) -> usize
    where
        F: FnMut(&[u8], &V) -> bool,
    {
        let mut guard = self.raw.pin();
        let mut removed = 0;
        loop {
            let mut range = Range::<K, V, S>::new(
                &self.raw,
                &guard,
                KeyBound::from(start.clone()),
                KeyBound::from(end.clone()),
            );
            let mut visited = 0;
            while let Some((key, _)) = range.next_encoded() {
                let mut hit = false;
                self.write_encoded(key, &guard, |current| match current {
                    Some(value) if matches(key, S::as_value(&value)) => {
                        hit = true;
                        Decision::Remove
                    }
                    _ => Decision::Keep,
                });
                removed += usize::from(hit);
                visited += 1;
                if visited == KEYS_PER_GUARD {
                    break;
                }
            }
            if visited < KEYS_PER_GUARD {
                return removed;
            }
            let Some(last) = range.last_key() else {
                return removed;
            };
            start = Bound::Excluded(last.to_vec());
            drop(range);
            guard.refresh();
        }
    }
}

/// The iterator of [`MassTree::extract_if`]: removes and yields matching entries.
/// Lazy: each `next` removes one matching entry, so dropping it early leaves the rest.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u32, u32> = (0..10u32).map(|i| (i, i)).collect();
/// let m = map.pin();
/// let mut odd = m.extract_if(.., |k, _| k % 2 == 1);
/// assert_eq!(odd.next(), Some((1, &1)));
/// drop(odd); // the removal stops here: 3, 5, 7 and 9 stay
/// assert_eq!(m.len(), 9);
/// ```
pub struct ExtractIf<'g, K: ?Sized, V, R: Reclaimer, S: Storage<V>, G, F> {
    map: &'g MassTree<K, V, R, S>,
    guard: &'g G,
    range: Range<'g, K, V, S>,
    pred: F,
}

impl<'g, K, V, R, S, G, F> Iterator for ExtractIf<'g, K, V, R, S, G, F>
where
    K: ?Sized + Key,
    R: Reclaimer,
    S: Storage<V>,
    G: GuardOf<R>,
    F: FnMut(&K::Owned, &V) -> bool,
{
    type Item = (K::Owned, S::Ref<'g>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (bytes, _) = self.range.next_encoded()?;
            let key = decode::<K>(bytes);
            let mut hit = false;
            let pred = &mut self.pred;
            let written = self
                .map
                .write_encoded(bytes, self.guard, |current| match current {
                    Some(value) if pred(&key, S::as_value(&value)) => {
                        hit = true;
                        Decision::Remove
                    }
                    _ => Decision::Keep,
                });
            if hit && let Some(value) = written.old {
                return Some((key, value));
            }
        }
    }
}

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>, G, F> core::iter::FusedIterator
    for ExtractIf<'_, K, V, R, S, G, F>
where
    G: GuardOf<R>,
    F: FnMut(&K::Owned, &V) -> bool,
{
}

impl<K: ?Sized, V, R: Reclaimer, S: Storage<V>, G, F> core::fmt::Debug
    for ExtractIf<'_, K, V, R, S, G, F>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExtractIf")
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}
