//! Range bounds over typed keys, encoded: [`KeyRange`] for ranges of keys, and
//! [`prefix_bounds`] for ranges over the first element of tuple keys.

use super::{KeyBuf, KeyPrefix, Query, encode_prefix_to_vec, encode_to_buf, encode_to_vec};
use core::ops::RangeToInclusive;
use core::ops::{Bound, Range, RangeBounds, RangeFrom, RangeFull, RangeInclusive, RangeTo};

/// Encoded start and end bounds of a range of keys.
pub type EncodedBounds = (Bound<Vec<u8>>, Bound<Vec<u8>>);

/// [`EncodedBounds`] in [`KeyBuf`]s: a bound of up to 64 bytes needs no allocation.
pub type EncodedBoundBufs = (Bound<KeyBuf>, Bound<KeyBuf>);

/// A range of keys of type `K`: `..`, `a..b`, `a..=b`, `a..`, `..b`, `..=b` and
/// `(Bound, Bound)` pairs, whose ends are any [`Query`] of `K`. Unlike `RangeBounds<Q>`, the
/// query type of `..` needs no annotation: `map.range(..)` works for every key type.
///
/// ```
/// use masstree_key::codec::KeyRange;
/// use std::ops::Bound;
///
/// let (start, end) = KeyRange::<u64>::encode_bounds(&(5u64..));
/// assert_eq!(start, Bound::Included(5u64.to_be_bytes().to_vec()));
/// assert_eq!(end, Bound::Unbounded);
/// let all = KeyRange::<str>::encode_bounds(&..);
/// assert_eq!(all, (Bound::Unbounded, Bound::Unbounded));
/// ```
pub trait KeyRange<K: ?Sized> {
    /// The encoded start and end bounds.
    fn encode_bounds(&self) -> EncodedBounds;

    /// The encoded bounds in [`KeyBuf`]s, which keep bounds of up to 64 bytes inline: what a
    /// scan holds on to, without a heap allocation for each bound (an allocation, a copy and
    /// a free were a tenth of a short scan's instructions). The default converts
    /// [`KeyRange::encode_bounds`]'s vectors (no copy); the ranges provided here encode into
    /// the buffers directly.
    ///
    /// ```
    /// use masstree_key::codec::KeyRange;
    /// use std::ops::Bound;
    ///
    /// let (start, end) = KeyRange::<u64>::encode_bound_bufs(&(5u64..));
    /// assert!(matches!(start, Bound::Included(b) if b.as_slice() == 5u64.to_be_bytes()));
    /// assert!(matches!(end, Bound::Unbounded));
    /// ```
    fn encode_bound_bufs(&self) -> EncodedBoundBufs {
        let (start, end) = self.encode_bounds();
        (start.map(KeyBuf::from), end.map(KeyBuf::from))
    }
}

impl<K: ?Sized> KeyRange<K> for RangeFull {
    #[inline]
    fn encode_bounds(&self) -> EncodedBounds {
        (Bound::Unbounded, Bound::Unbounded)
    }

    #[inline]
    fn encode_bound_bufs(&self) -> EncodedBoundBufs {
        (Bound::Unbounded, Bound::Unbounded)
    }
}

macro_rules! key_range {
    ($($range:ident),*) => {$(
        impl<K: ?Sized, Q: Query<K>> KeyRange<K> for $range<Q> {
            #[inline]
            fn encode_bounds(&self) -> EncodedBounds {
                encode_range_bounds::<K, Q>(self)
            }

            #[inline]
            fn encode_bound_bufs(&self) -> EncodedBoundBufs {
                encode_range_bound_bufs::<K, Q>(self)
            }
        }
    )*};
}

key_range!(Range, RangeFrom, RangeTo, RangeInclusive, RangeToInclusive);

impl<K: ?Sized, Q: Query<K>> KeyRange<K> for (Bound<Q>, Bound<Q>) {
    #[inline]
    fn encode_bounds(&self) -> EncodedBounds {
        encode_range_bounds::<K, Q>(self)
    }

    #[inline]
    fn encode_bound_bufs(&self) -> EncodedBoundBufs {
        encode_range_bound_bufs::<K, Q>(self)
    }
}

/// The encoded bounds of any `RangeBounds` over queries of `K`.
pub fn encode_range_bounds<K: ?Sized, Q: ?Sized + Query<K>>(
    range: &impl RangeBounds<Q>,
) -> EncodedBounds {
    (
        range.start_bound().map(encode_to_vec::<K, Q>),
        range.end_bound().map(encode_to_vec::<K, Q>),
    )
}

/// [`encode_range_bounds`] into [`KeyBuf`]s (see [`KeyRange::encode_bound_bufs`]).
fn encode_range_bound_bufs<K: ?Sized, Q: ?Sized + Query<K>>(
    range: &impl RangeBounds<Q>,
) -> EncodedBoundBufs {
    (
        range.start_bound().map(encode_to_buf::<K, Q>),
        range.end_bound().map(encode_to_buf::<K, Q>),
    )
}

/// The smallest byte string greater than every string starting with `prefix`, or `None` if
/// there is none (the prefix is empty or all `0xFF`).
///
/// ```
/// use masstree_key::codec::prefix_successor;
///
/// assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
/// assert_eq!(prefix_successor(b"a\xff"), Some(b"b".to_vec()));
/// assert_eq!(prefix_successor(b"\xff\xff"), None);
/// ```
pub fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The encoded bounds of the keys of tuple type `K` whose first element lies in `range`
/// (see [`KeyPrefix`]): `..=now` is every key whose first element is at most `now`, `x..=x`
/// every key whose first element is `x`, with no sentinel for the other elements.
///
/// ```
/// use masstree_key::codec::{encode_to_vec, prefix_bounds};
/// use std::ops::{Bound, RangeBounds};
///
/// let (start, end) = prefix_bounds::<(u64, String), u64>(&(7..=7));
/// let bounds = (start.as_ref().map(Vec::as_slice), end.as_ref().map(Vec::as_slice));
/// let inside = encode_to_vec::<(u64, String), _>(&(7, "any"));
/// let after = encode_to_vec::<(u64, String), _>(&(8, ""));
/// assert!(bounds.contains(inside.as_slice()));
/// assert!(!bounds.contains(after.as_slice()));
/// // `u64::MAX` needs no `MAX + 1`:
/// assert_eq!(prefix_bounds::<(u64, String), u64>(&(..=u64::MAX)).1, Bound::Unbounded);
/// ```
pub fn prefix_bounds<K: ?Sized, P: ?Sized + KeyPrefix<K>>(
    range: &impl RangeBounds<P>,
) -> EncodedBounds {
    let start = match range.start_bound() {
        Bound::Included(p) => Bound::Included(encode_prefix_to_vec::<K, P>(p)),
        Bound::Excluded(p) => {
            let prefix = encode_prefix_to_vec::<K, P>(p);
            match prefix_successor(&prefix) {
                Some(after) => Bound::Included(after),
                // Nothing sorts after every extension of an all-0xFF prefix: an empty range
                // (its start is its excluded end).
                None => return (Bound::Included(prefix.clone()), Bound::Excluded(prefix)),
            }
        }
        Bound::Unbounded => Bound::Unbounded,
    };
    let end = match range.end_bound() {
        Bound::Included(p) => match prefix_successor(&encode_prefix_to_vec::<K, P>(p)) {
            Some(after) => Bound::Excluded(after),
            None => Bound::Unbounded,
        },
        Bound::Excluded(p) => Bound::Excluded(encode_prefix_to_vec::<K, P>(p)),
        Bound::Unbounded => Bound::Unbounded,
    };
    (start, end)
}
