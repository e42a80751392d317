//! `Range`: a double-ended iterator over a key range, under a guard.

use crate::Storage;
use crate::reclaim::Reclaimer;
use core::marker::PhantomData;
use masstree_core::scan::{Forward, KeyBound, Reverse, ScanCursor};
use masstree_core::{Boxed, GuardOf, RawTree};
use masstree_key::codec::Key;

/// An iterator over `(key, &value)` pairs in key order, from [`MassTree::range`],
/// [`MassTree::iter`] or [`MassTree::prefix`] (or the same methods of [`MapRef`]). Keys come
/// out decoded, as `K::Owned` (`u64` for `u64` keys, `String` for `String` or `str` keys,
/// [`ByteKey`](crate::ByteKey) for `[u8]` keys).
///
/// It is double-ended: `.rev()` scans backwards, and `next`/`next_back` can be mixed as with
/// `BTreeMap`'s ranges; the two ends never cross. Under concurrent writes: keys come out
/// strictly in order; a key present for the whole scan and inside the range is returned; a key
/// absent for the whole scan is not; each value returned was the key's value at some instant
/// during the scan. No lock is taken and nothing shared is written.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u32, char> = (1..=4u32).zip('a'..).collect();
/// let m = map.pin();
/// let mut range = m.range(..);
/// assert_eq!(range.next(), Some((1, &'a')));
/// assert_eq!(range.next_back(), Some((4, &'d')));
/// assert_eq!(range.map(|(k, _)| k).collect::<Vec<_>>(), [2, 3]); // the ends never cross
/// ```
///
/// # Panics
///
/// Only if a [`Key`] implementation's `decode` does not accept what its `encode` wrote (the
/// keys of the provided types always decode).
///
/// [`MassTree::range`]: crate::MassTree::range
/// [`MassTree::iter`]: crate::MassTree::iter
/// [`MassTree::prefix`]: crate::MassTree::prefix
/// [`MapRef`]: crate::MapRef
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Range<'g, K: ?Sized, V: 'g, S: Storage<V> = Boxed> {
    /// The two ends; each stops at the last key the other returned (kept in the other's key
    /// buffer), so they never cross. The back end is opened by the first `next_back` (most
    /// scans go one way only; `.rev()` leaves the front unstarted, which costs nothing).
    front: ScanCursor<'g, V, S, Forward>,
    back: Option<ScanCursor<'g, V, S, Reverse>>,
    _key: PhantomData<fn(&K)>,
}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> Range<'g, K, V, S> {
    pub(crate) fn new<R: Reclaimer, G: GuardOf<R>>(
        tree: &'g RawTree<V, R, S>,
        guard: &'g G,
        start: KeyBound,
        end: KeyBound,
    ) -> Self {
        Self {
            front: ScanCursor::new(tree, guard, start, end),
            back: None,
            _key: PhantomData,
        }
    }

    /// The next entry from the front, key still encoded.
    #[inline]
    pub(crate) fn next_encoded(&mut self) -> Option<(&[u8], S::Ref<'g>)> {
        let (key, value) = self.front.next_entry()?;
        if let Some(back) = &mut self.back
            && back.last_key().is_some_and(|b| key >= b)
        {
            self.front.finish();
            return None;
        }
        Some((self.front.last_key()?, value))
    }

    /// The key the front end returned last (encoded).
    #[inline]
    pub(crate) fn last_key(&mut self) -> Option<&[u8]> {
        self.front.last_key()
    }

    /// The next value from the front, its key not decoded (nor built, where it need not be).
    #[inline(always)]
    fn next_value(&mut self) -> Option<S::Ref<'g>> {
        if self.back.is_some() {
            // The ends must compare keys so as not to cross.
            return self.next_encoded().map(|(_, value)| value);
        }
        self.front.next_value()
    }

    /// The next value from the back, its key not decoded (nor built, while the front end has
    /// returned nothing: then there is nothing to cross, the common case of `.rev()`).
    #[inline(always)]
    fn next_back_value(&mut self) -> Option<S::Ref<'g>> {
        if !self.front.has_emitted() {
            let back = self.back.get_or_insert_with(|| self.front.opposite());
            return back.next_value();
        }
        self.next_back_encoded().map(|(_, value)| value)
    }

    /// The next entry from the back, key still encoded.
    #[inline]
    pub(crate) fn next_back_encoded(&mut self) -> Option<(&[u8], S::Ref<'g>)> {
        let back = self.back.get_or_insert_with(|| self.front.opposite());
        let (key, value) = back.next_entry()?;
        if self.front.last_key().is_some_and(|f| key <= f) {
            back.finish();
            return None;
        }
        Some((back.last_key()?, value))
    }
}

/// Decodes a key the map stored.
impl<'g, K: ?Sized, V: 'g, S: Storage<V>> Range<'g, K, V, S> {
    /// The values of the range only, in the same order: the keys are not decoded, which makes
    /// a scan that only reads values (sums, counts, copies) faster.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<u32, u64> = (0..100u32).map(|i| (i, u64::from(i))).collect();
    /// let m = map.pin();
    /// let sum: u64 = m.range(10..20).values().sum();
    /// assert_eq!(sum, (10..20).sum());
    /// assert_eq!(m.range(10..20).values().next_back(), Some(&19));
    /// ```
    pub fn values(self) -> Values<'g, K, V, S> {
        Values { range: self }
    }

    /// The keys of the range only, in the same order.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<str, ()> = ["b", "a", "c"].into_iter().map(|k| (k, ())).collect();
    /// let keys: Vec<String> = map.pin().range("b"..).keys().collect();
    /// assert_eq!(keys, ["b", "c"]);
    /// ```
    pub fn keys(self) -> Keys<'g, K, V, S> {
        Keys { range: self }
    }
}

/// The values of a [`Range`], without its keys: from [`Range::values`] or
/// [`MassTree::values`](crate::MassTree::values). Double-ended, with the guarantees of
/// [`Range`].
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<str, u32> = [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();
/// let m = map.pin();
/// let mut values = m.values();
/// assert_eq!(values.next_back(), Some(&3));
/// assert_eq!(values.sum::<u32>(), 3);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Values<'g, K: ?Sized, V: 'g, S: Storage<V> = Boxed> {
    range: Range<'g, K, V, S>,
}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> Iterator for Values<'g, K, V, S> {
    type Item = S::Ref<'g>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        self.range.next_value()
    }

    #[inline]
    fn fold<B, F: FnMut(B, Self::Item) -> B>(mut self, init: B, mut f: F) -> B {
        if self.range.back.is_some() {
            // The ends must compare keys so as not to cross: one by one.
            let mut acc = init;
            for value in self.by_ref() {
                acc = f(acc, value);
            }
            return acc;
        }
        self.range.front.fold_values(init, f)
    }
}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> DoubleEndedIterator for Values<'g, K, V, S> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back_value()
    }

    #[inline]
    fn rfold<B, F: FnMut(B, Self::Item) -> B>(mut self, init: B, mut f: F) -> B {
        if self.range.front.has_emitted() {
            // The ends must compare keys so as not to cross: one by one.
            let mut acc = init;
            while let Some(value) = self.next_back() {
                acc = f(acc, value);
            }
            return acc;
        }
        let range = &mut self.range;
        let back = range.back.get_or_insert_with(|| range.front.opposite());
        back.fold_values(init, f)
    }
}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> core::iter::FusedIterator for Values<'g, K, V, S> {}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> core::fmt::Debug for Values<'g, K, V, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Values").field(&self.range).finish()
    }
}

/// Decodes a stored key into `slot`'s value, reusing its buffers (or into a new value when
/// `slot` is empty), and returns it.
#[inline]
pub(crate) fn decode_reusing<'k, K: ?Sized + Key>(
    bytes: &[u8],
    slot: &'k mut Option<K::Owned>,
) -> &'k K::Owned {
    match slot {
        Some(key) => {
            if let Err(error) = K::decode_key_into(bytes, key) {
                undecodable::<K>(error);
            }
            key
        }
        None => slot.insert(decode::<K>(bytes)),
    }
}

/// Reports a stored key its `Key` implementation does not decode.
#[cold]
fn undecodable<K: ?Sized>(error: masstree_key::codec::DecodeError) -> ! {
    panic!(
        "masstree: a stored key does not decode as `{}` ({error}); its `Key` \
         implementation's decode does not invert its encode",
        core::any::type_name::<K>()
    )
}

/// The keys of a [`Range`], without its values: from [`Range::keys`] or
/// [`MassTree::keys`](crate::MassTree::keys). Double-ended, with the guarantees of [`Range`].
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u32, ()> = (0..5u32).map(|k| (k, ())).collect();
/// let m = map.pin();
/// assert_eq!(m.keys().rev().collect::<Vec<_>>(), [4, 3, 2, 1, 0]);
/// assert_eq!(m.range(1..3).keys().collect::<Vec<_>>(), [1, 2]);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Keys<'g, K: ?Sized, V: 'g, S: Storage<V> = Boxed> {
    range: Range<'g, K, V, S>,
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> Iterator for Keys<'g, K, V, S> {
    type Item = K::Owned;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.range.next().map(|(key, _)| key)
    }
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> DoubleEndedIterator for Keys<'g, K, V, S> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back().map(|(key, _)| key)
    }
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> core::iter::FusedIterator for Keys<'g, K, V, S> {}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> core::fmt::Debug for Keys<'g, K, V, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Keys").field(&self.range).finish()
    }
}

#[inline]
pub(crate) fn decode<K: ?Sized + Key>(bytes: &[u8]) -> K::Owned {
    match K::decode_key(bytes) {
        Ok(key) => key,
        Err(error) => undecodable::<K>(error),
    }
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> Iterator for Range<'g, K, V, S> {
    type Item = (K::Owned, S::Ref<'g>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.next_encoded()?;
        Some((decode::<K>(key), value))
    }
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> DoubleEndedIterator for Range<'g, K, V, S> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        let (key, value) = self.next_back_encoded()?;
        Some((decode::<K>(key), value))
    }
}

impl<'g, K: ?Sized + Key, V: 'g, S: Storage<V>> core::iter::FusedIterator for Range<'g, K, V, S> {}

impl<'g, K: ?Sized, V: 'g, S: Storage<V>> core::fmt::Debug for Range<'g, K, V, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Range")
            .field("front", &self.front.last_key_written())
            .field(
                "back",
                &self.back.as_ref().and_then(ScanCursor::last_key_written),
            )
            .finish_non_exhaustive()
    }
}
