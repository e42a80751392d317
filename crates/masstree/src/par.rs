//! Parallel bulk work with rayon (feature `rayon`): building and extending a map from a
//! parallel iterator, and parallel iteration over a key range.

use crate::Storage;
use crate::range::decode;
use crate::reclaim::Reclaimer;
use crate::{MapRef, MassTree};
use core::marker::PhantomData;
use core::ops::Bound;
use masstree_core::scan::KeyBound;
use masstree_core::{Boxed, GuardOf, PinnedScope, RawTree, ScopedScan};
use masstree_key::codec::{Key, KeyRange, Query};
use rayon::iter::plumbing::UnindexedConsumer;
use rayon::iter::{FromParallelIterator, IntoParallelIterator, ParallelExtend, ParallelIterator};

/// Pieces per rayon thread a parallel range is cut into (more pieces even out the work).
const PIECES_PER_THREAD: usize = 8;

/// Builds a map from many threads at once: each rayon worker inserts its share.
///
/// ```
/// use masstree::MassTree;
/// use rayon::prelude::*;
/// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
///
/// let map: MassTree<u64, u64> = (0..10_000u64).into_par_iter().map(|i| (i, i * i)).collect();
/// assert_eq!(map.len(), 10_000);
/// assert_eq!(map.pin().get(12), Some(&144));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<K, Q, V, R, S> FromParallelIterator<(Q, V)> for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    Q: Query<K> + Send,
    V: Send + Sync,
    R: Reclaimer,
    S: Storage<V>,
{
    fn from_par_iter<I: IntoParallelIterator<Item = (Q, V)>>(iter: I) -> Self {
        let mut map = Self::with_reclaimer();
        map.par_extend(iter);
        map
    }
}

/// Inserts every pair from many threads at once (later pairs for the same key win in no
/// particular order, as with concurrent inserts).
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<K, Q, V, R, S> ParallelExtend<(Q, V)> for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    Q: Query<K> + Send,
    V: Send + Sync,
    R: Reclaimer,
    S: Storage<V>,
{
    fn par_extend<I: IntoParallelIterator<Item = (Q, V)>>(&mut self, iter: I) {
        let map = &*self;
        iter.into_par_iter().for_each_init(
            || map.pin(),
            |m, (key, value)| {
                m.insert(key, value);
            },
        );
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MassTree<K, V, R, S> {
    /// A parallel iterator over the keys in `range` with their values, for rayon: the key
    /// space is cut at the separators of the tree's top levels into several pieces per
    /// thread, each scanned by one worker. Reductions that keep order (`collect`) see the
    /// entries in key order. The guarantees under concurrent writes are those of
    /// [`Range`](crate::Range), piece by piece.
    ///
    /// ```
    /// use masstree::MassTree;
    /// use rayon::prelude::*;
    /// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
    ///
    /// let map: MassTree<u32, u64> = (0..50_000u32).map(|i| (i, u64::from(i))).collect();
    /// let m = map.pin();
    /// let sum: u64 = m.par_range(1_000..2_000).map(|(_, v)| *v).sum();
    /// assert_eq!(sum, (1_000..2_000u64).sum());
    /// let keys: Vec<u32> = m.par_iter().map(|(k, _)| k).collect();
    /// assert!(keys.iter().copied().eq(0..50_000));
    /// ```
    pub fn par_range<'g, B: KeyRange<K>, G: GuardOf<R>>(
        &'g self,
        range: B,
        guard: &'g G,
    ) -> ParRange<'g, K, V, R, S> {
        let (start, end) = range.encode_bounds();
        ParRange::new(&self.raw, self.raw.scope(guard), guard, start, end)
    }

    /// A parallel iterator over every key (see [`MassTree::par_range`]).
    ///
    /// ```
    /// use masstree::MassTree;
    /// use rayon::prelude::*;
    /// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
    ///
    /// let map: MassTree<u32, u32> = (0..1_000u32).map(|i| (i, i % 7)).collect();
    /// let guard = map.guard();
    /// let multiples_of_7 = map.par_iter(&guard).filter(|(_, v)| **v == 0).count();
    /// assert_eq!(multiples_of_7, 143);
    /// ```
    pub fn par_iter<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> ParRange<'g, K, V, R, S> {
        self.par_range(.., guard)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<'m, K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> MapRef<'m, K, V, R, S> {
    /// See [`MassTree::par_range`].
    ///
    /// ```
    /// use masstree::MassTree;
    /// use rayon::prelude::*;
    /// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
    ///
    /// let map: MassTree<u64, u64> = (0..10_000u64).map(|i| (i, i)).collect();
    /// let m = map.pin();
    /// assert_eq!(m.par_range(..5_000).map(|(k, _)| k).max(), Some(4_999));
    /// assert_eq!(m.par_range(5_000..).count(), 5_000);
    /// ```
    pub fn par_range<B: KeyRange<K>>(&self, range: B) -> ParRange<'_, K, V, R, S> {
        self.map().par_range(range, self.guard())
    }

    /// See [`MassTree::par_iter`].
    ///
    /// ```
    /// use masstree::MassTree;
    /// use rayon::prelude::*;
    /// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
    ///
    /// let map: MassTree<str, u32> = [("b", 2), ("a", 1)].into_iter().collect();
    /// let keys: Vec<String> = map.pin().par_iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["a", "b"]); // `collect` keeps key order
    /// ```
    pub fn par_iter(&self) -> ParRange<'_, K, V, R, S> {
        self.map().par_iter(self.guard())
    }
}

/// A rayon parallel iterator over a key range, from [`MassTree::par_range`] or
/// [`MassTree::par_iter`]; items are `(K::Owned, &V)`, valid while the guard it was made with
/// lives.
///
/// ```
/// use masstree::MassTree;
/// use rayon::prelude::*;
/// # if cfg!(miri) { return; } // rayon's deques are not strict-provenance clean
///
/// let map: MassTree<u64, u64> = (0..1_000u64).map(|i| (i, 2 * i)).collect();
/// let m = map.pin();
/// let doubled: Vec<u64> = m.par_range(100..200).map(|(_, v)| *v).collect();
/// assert!(doubled.iter().copied().eq((100..200u64).map(|i| 2 * i)));
/// ```
pub struct ParRange<'g, K: ?Sized, V, R: Reclaimer, S: Storage<V> = Boxed> {
    tree: &'g RawTree<V, R, S>,
    scope: PinnedScope<'g>,
    pieces: Vec<(KeyBound, KeyBound)>,
    _key: PhantomData<fn(&K)>,
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<'g, K: ?Sized, V, R: Reclaimer, S: Storage<V>> ParRange<'g, K, V, R, S> {
    fn new<G: GuardOf<R>>(
        tree: &'g RawTree<V, R, S>,
        scope: PinnedScope<'g>,
        guard: &G,
        start: Bound<Vec<u8>>,
        end: Bound<Vec<u8>>,
    ) -> Self {
        let want = rayon::current_num_threads() * PIECES_PER_THREAD;
        let inside = |p: &Vec<u8>| {
            let after_start = match &start {
                Bound::Included(s) | Bound::Excluded(s) => p > s,
                Bound::Unbounded => true,
            };
            let before_end = match &end {
                Bound::Included(e) | Bound::Excluded(e) => p < e,
                Bound::Unbounded => true,
            };
            after_start && before_end
        };
        let points: Vec<Vec<u8>> = tree
            .split_points(guard, want)
            .into_iter()
            .filter(inside)
            .collect();
        let mut pieces = Vec::with_capacity(points.len() + 1);
        let mut lo = KeyBound::from(start.as_ref().map(Vec::as_slice));
        for p in points {
            pieces.push((lo, KeyBound::from(Bound::Excluded(p.clone()))));
            lo = KeyBound::from(Bound::Included(p));
        }
        pieces.push((lo, KeyBound::from(end.as_ref().map(Vec::as_slice))));
        Self {
            tree,
            scope,
            pieces,
            _key: PhantomData,
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<'g, K, V, R, S> ParallelIterator for ParRange<'g, K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Send,
    V: Send + Sync,
    R: Reclaimer,
    S: Storage<V>,
    S::Ref<'g>: Send,
{
    type Item = (K::Owned, S::Ref<'g>);

    fn drive_unindexed<C: UnindexedConsumer<Self::Item>>(self, consumer: C) -> C::Result {
        let (tree, scope) = (self.tree, self.scope);
        self.pieces
            .into_par_iter()
            .flat_map_iter(move |(lo, hi)| Piece::<K, V, R, S> {
                scan: tree.scoped_scan(scope, lo, hi),
                _key: PhantomData,
            })
            .drive_unindexed(consumer)
    }
}

/// One piece of a parallel range, scanned by one worker.
struct Piece<'g, K: ?Sized, V: 'g, R: Reclaimer + 'g, S: Storage<V>> {
    scan: ScopedScan<'g, V, R, S>,
    _key: PhantomData<fn(&K)>,
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<'g, K: ?Sized + Key, V: 'g, R: Reclaimer, S: Storage<V>> Iterator for Piece<'g, K, V, R, S> {
    type Item = (K::Owned, S::Ref<'g>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.scan.next_entry()?;
        Some((decode::<K>(key), value))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl<K: ?Sized, V, R: Reclaimer, S: Storage<V>> core::fmt::Debug for ParRange<'_, K, V, R, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ParRange")
            .field("pieces", &self.pieces.len())
            .finish_non_exhaustive()
    }
}
