//! The total order on the entries of one layer.

use core::cmp::Ordering;

use crate::KEYLEN_SUFFIX;

/// The tree's total order on entries of one layer.
///
/// Compares `(ikey, keylen)` as `(u64, u8)`; when that ties and both keylens
/// are [`KEYLEN_SUFFIX`], compares the suffixes bytewise. Suffixes are ignored
/// otherwise (a key that ends in this slice has none).
///
/// At depth 0, with `suffix = key[8..]` for keys longer than 8 bytes, this is
/// exactly `a.cmp(b)` on the whole keys; at any depth it is the order of two
/// keys that share all earlier slices.
///
/// ```
/// use core::cmp::Ordering;
/// use masstree_key::{compare_entries, ikey_of, keylen_class, KeyCursor};
///
/// fn cmp(a: &[u8], b: &[u8]) -> Ordering {
///     let (ca, cb) = (KeyCursor::new(a), KeyCursor::new(b));
///     compare_entries(ca.ikey(), ca.keylen(), ca.suffix(), cb.ikey(), cb.keylen(), cb.suffix())
/// }
/// assert_eq!(cmp(b"ab", b"ab\0"), Ordering::Less);
/// assert_eq!(cmp(b"abcdefgh", b"abcdefgh\0"), Ordering::Less);
/// assert_eq!(cmp(b"abcdefghZ", b"abcdefghA"), Ordering::Greater);
/// assert_eq!(cmp(b"", b""), Ordering::Equal);
/// ```
#[must_use]
#[inline]
pub fn compare_entries(
    a_ikey: u64,
    a_keylen: u8,
    a_suffix: &[u8],
    b_ikey: u64,
    b_keylen: u8,
    b_suffix: &[u8],
) -> Ordering {
    (a_ikey, a_keylen).cmp(&(b_ikey, b_keylen)).then_with(|| {
        if a_keylen == KEYLEN_SUFFIX {
            a_suffix.cmp(b_suffix)
        } else {
            Ordering::Equal
        }
    })
}
