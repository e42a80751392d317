//! Turning the bytes of one layer into a slot's `(ikey, keylen)` pair.

/// Number of key bytes held by one layer of the trie: one big-endian `u64`.
///
/// ```
/// assert_eq!(masstree_key::SLICE_LEN, core::mem::size_of::<u64>());
/// ```
pub const SLICE_LEN: usize = 8;

/// Length class of a key within one layer.
///
/// `0..=8` means the key ends in this slice with that many bytes;
/// `KEYLEN_SUFFIX` (= 9) means the key continues past this slice (it has a
/// suffix, stored out of line or in a deeper layer).
///
/// Because it is one larger than every "ends here" class, a key that goes on
/// sorts after every key that ends in the same slice with the same `ikey`.
///
/// ```
/// use masstree_key::{KEYLEN_SUFFIX, SLICE_LEN};
/// assert_eq!(usize::from(KEYLEN_SUFFIX), SLICE_LEN + 1);
/// ```
pub const KEYLEN_SUFFIX: u8 = 9;

/// The big-endian, zero-padded `u64` of the first `min(bytes.len(), 8)` bytes.
///
/// Bytes past the eighth are ignored. Missing bytes read as `0x00`, so
/// `b"ab"` and `b"ab\0"` share an `ikey`; [`keylen_class`] tells them apart.
///
/// ```
/// use masstree_key::ikey_of;
/// assert_eq!(ikey_of(b""), 0);
/// assert_eq!(ikey_of(b"\x01"), 0x0100_0000_0000_0000);
/// assert_eq!(ikey_of(b"ab"), ikey_of(b"ab\0"));
/// assert_eq!(ikey_of(b"abcdefgh"), ikey_of(b"abcdefghXYZ"));
/// assert!(ikey_of(b"a\xff") < ikey_of(b"b"));
/// ```
#[must_use]
#[inline]
pub fn ikey_of(bytes: &[u8]) -> u64 {
    let n = bytes.len().min(SLICE_LEN);
    let mut word = [0u8; SLICE_LEN];
    word[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(word)
}

/// The keylen class of `remaining_len` bytes left in a key at some layer:
/// `min(remaining_len, 8)` when the key ends in this slice, or
/// [`KEYLEN_SUFFIX`] when `remaining_len > 8`.
///
/// ```
/// use masstree_key::{keylen_class, KEYLEN_SUFFIX};
/// assert_eq!(keylen_class(0), 0);
/// assert_eq!(keylen_class(3), 3);
/// assert_eq!(keylen_class(8), 8);
/// assert_eq!(keylen_class(9), KEYLEN_SUFFIX);
/// assert_eq!(keylen_class(usize::MAX), KEYLEN_SUFFIX);
/// ```
#[must_use]
#[inline]
pub fn keylen_class(remaining_len: usize) -> u8 {
    match u8::try_from(remaining_len) {
        Ok(n) if usize::from(n) <= SLICE_LEN => n,
        _ => KEYLEN_SUFFIX,
    }
}
