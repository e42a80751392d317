//! `KeyPrefix`: the first element of a tuple key, as a prefix of the key's encoding.

use super::{Key, KeyBuf, Query};

/// A value of the first element of a tuple key `K`, encoded as a prefix of `K`'s keys: the
/// bound of a range over "every key whose first element is `x`", with no sentinel values
/// for the other elements.
///
/// [`encode_prefix`](KeyPrefix::encode_prefix) writes the first element exactly as the
/// tuple's [`Query::encode`] writes it (with `last = false`: escaped and terminated when
/// variable-length). Two guarantees follow:
///
/// * **Prefix**: for every key `k` of `K` whose first element equals `x`, `enc(k)` starts
///   with `prefix(x)`.
/// * **Order**: for first-element values `a < b`, every key whose first element is `a`
///   sorts before every key whose first element is `b`; in particular `prefix(a) < prefix(b)`
///   and neither is a prefix of the other.
///
/// Hence the keys with first element `x` are exactly the byte strings of the tree in
/// `[prefix(x), successor(prefix(x)))`, where `successor(p)` is the smallest byte string
/// above every extension of `p` (drop trailing `0xFF` bytes, add one to the last byte; none,
/// i.e. unbounded, when `p` is all `0xFF`). For a range of first elements `a..b`, use
/// `[prefix(a), prefix(b))`.
///
/// Implemented for 2-, 3- and 4-tuple keys by every [`Query`] of their first element
/// (`u64` for `(u64, u32)`, `str` or `String` for `(String, u64)`). The guarantees hold for
/// the key types of this crate and for any [`Key`] whose `last = false` encoding keeps the
/// tuple contract (no encoding of one value a proper prefix of another's). One-element
/// tuples are not covered: their element is encoded as last, unframed.
///
/// ```
/// use masstree_key::codec::{encode_prefix_to_vec, encode_to_vec};
///
/// /// The smallest byte string above every extension of `p`; `None` when unbounded.
/// fn successor(mut p: Vec<u8>) -> Option<Vec<u8>> {
///     while let Some(last) = p.pop() {
///         if last < 0xFF {
///             p.push(last + 1);
///             return Some(p);
///         }
///     }
///     None
/// }
/// fn within(key: &[u8], lo: &[u8], hi: &Option<Vec<u8>>) -> bool {
///     lo <= key && hi.as_ref().is_none_or(|hi| key < hi.as_slice())
/// }
///
/// // Fixed-width first element: the prefix is its 8 bytes.
/// let p = encode_prefix_to_vec::<(u64, u32), _>(&7u64);
/// assert_eq!(p, 7u64.to_be_bytes());
/// let hi = successor(p.clone());
/// for second in [0, 1, u32::MAX] {
///     let key = encode_to_vec::<(u64, u32), _>(&(7u64, second));
///     assert!(p <= key && key.starts_with(&p));
///     assert!(within(&key, &p, &hi));
///     let other = encode_to_vec::<(u64, u32), _>(&(8u64, second));
///     assert!(!within(&other, &p, &hi));
/// }
///
/// // Variable-length first element: escaped and terminated, as inside the tuple.
/// let p = encode_prefix_to_vec::<(String, u64), _>("ab");
/// assert_eq!(p, b"ab\0\0");
/// let hi = successor(p.clone());
/// for second in [0, u64::MAX] {
///     assert!(within(&encode_to_vec::<(String, u64), _>(&("ab", second)), &p, &hi));
///     // Neither a shorter nor a longer first element is inside.
///     assert!(!within(&encode_to_vec::<(String, u64), _>(&("a", second)), &p, &hi));
///     assert!(!within(&encode_to_vec::<(String, u64), _>(&("ab\0", second)), &p, &hi));
///     assert!(!within(&encode_to_vec::<(String, u64), _>(&("abc", second)), &p, &hi));
/// }
///
/// // The u64 first element the other way round.
/// let p = encode_prefix_to_vec::<(u64, String), _>(&u64::MAX);
/// assert_eq!(successor(p.clone()), None); // no upper bound: the last first element
/// let key = encode_to_vec::<(u64, String), _>(&(u64::MAX, "anything"));
/// assert!(p <= key && key.starts_with(&p));
/// ```
pub trait KeyPrefix<K: ?Sized> {
    /// Appends the prefix: the first element encoded with `last = false`.
    fn encode_prefix(&self, out: &mut KeyBuf);
}

impl<A: Key, B: Key, Q: ?Sized + Query<A>> KeyPrefix<(A, B)> for Q {
    #[inline]
    fn encode_prefix(&self, out: &mut KeyBuf) {
        Query::<A>::encode(self, out, false);
    }
}

impl<A: Key, B: Key, C: Key, Q: ?Sized + Query<A>> KeyPrefix<(A, B, C)> for Q {
    #[inline]
    fn encode_prefix(&self, out: &mut KeyBuf) {
        Query::<A>::encode(self, out, false);
    }
}

impl<A: Key, B: Key, C: Key, D: Key, Q: ?Sized + Query<A>> KeyPrefix<(A, B, C, D)> for Q {
    #[inline]
    fn encode_prefix(&self, out: &mut KeyBuf) {
        Query::<A>::encode(self, out, false);
    }
}

/// The prefix of `K`'s keys with first element `prefix` (see [`KeyPrefix`]) as a `Vec`.
///
/// ```
/// use masstree_key::codec::{encode_prefix_to_vec, encode_to_vec};
///
/// let p = encode_prefix_to_vec::<(String, u32, bool), _>("user");
/// assert!(encode_to_vec::<(String, u32, bool), _>(&("user", 9, true)).starts_with(&p));
/// ```
pub fn encode_prefix_to_vec<K: ?Sized, P: ?Sized + KeyPrefix<K>>(prefix: &P) -> Vec<u8> {
    let mut buf = KeyBuf::new();
    prefix.encode_prefix(&mut buf);
    buf.into_vec()
}
