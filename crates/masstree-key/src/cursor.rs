//! A position in a key: which layer of the trie it is being looked up in.

use core::cmp::Ordering;

use crate::{SLICE_LEN, ikey_of, keylen_class};

/// A key together with the layer it is currently being compared in.
///
/// The cursor starts at depth 0 (offset 0). [`shift`](Self::shift) moves it
/// one layer down, consuming one 8-byte slice, and only when the key goes on
/// past the current slice; so the offset is always a multiple of 8 and is
/// either 0 or strictly less than `key.len()`.
///
/// ```
/// use masstree_key::{KeyCursor, KEYLEN_SUFFIX};
///
/// let mut c = KeyCursor::new(b"0123456789");
/// assert_eq!((c.depth(), c.slice_len(), c.keylen()), (0, 8, KEYLEN_SUFFIX));
/// assert_eq!(c.suffix(), b"89");
/// assert!(c.shift());
/// assert_eq!((c.depth(), c.offset(), c.keylen()), (1, 8, 2));
/// assert_eq!(c.remaining(), b"89");
/// assert!(!c.shift()); // the key ends in this slice
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyCursor<'k> {
    key: &'k [u8],
    offset: usize,
}

impl<'k> KeyCursor<'k> {
    /// A cursor at depth 0 of `key`. Any length is accepted, including 0.
    ///
    /// ```
    /// let c = masstree_key::KeyCursor::new(b"");
    /// assert_eq!((c.depth(), c.ikey(), c.keylen()), (0, 0, 0));
    /// ```
    #[must_use]
    #[inline]
    pub const fn new(key: &'k [u8]) -> Self {
        Self { key, offset: 0 }
    }

    /// The whole key, independent of the depth.
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(b"0123456789");
    /// c.shift();
    /// assert_eq!(c.key(), b"0123456789");
    /// ```
    #[must_use]
    #[inline]
    pub const fn key(&self) -> &'k [u8] {
        self.key
    }

    /// Bytes consumed by the layers above: `8 * depth()`.
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(&[7; 20]);
    /// c.shift();
    /// c.shift();
    /// assert_eq!(c.offset(), 16);
    /// ```
    #[must_use]
    #[inline]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The index of the current layer (0 for the root layer).
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(&[7; 20]);
    /// assert_eq!(c.depth(), 0);
    /// c.shift();
    /// assert_eq!(c.depth(), 1);
    /// ```
    #[must_use]
    #[inline]
    pub const fn depth(&self) -> usize {
        self.offset / SLICE_LEN
    }

    /// The current slice as a big-endian `u64`, zero-padded: `ikey_of(remaining())`.
    ///
    /// ```
    /// let c = masstree_key::KeyCursor::new(b"\x01\x02");
    /// assert_eq!(c.ikey(), 0x0102_0000_0000_0000);
    /// ```
    #[must_use]
    #[inline]
    pub fn ikey(&self) -> u64 {
        ikey_of(self.remaining())
    }

    /// Bytes of the key inside the current slice, `0..=8`.
    ///
    /// ```
    /// assert_eq!(masstree_key::KeyCursor::new(b"abc").slice_len(), 3);
    /// assert_eq!(masstree_key::KeyCursor::new(&[0; 100]).slice_len(), 8);
    /// ```
    #[must_use]
    #[inline]
    pub fn slice_len(&self) -> usize {
        self.remaining().len().min(SLICE_LEN)
    }

    /// The keylen class of the remaining bytes: `0..=8`, or
    /// [`KEYLEN_SUFFIX`](crate::KEYLEN_SUFFIX) when more than 8 bytes remain.
    ///
    /// ```
    /// use masstree_key::{KeyCursor, KEYLEN_SUFFIX};
    /// assert_eq!(KeyCursor::new(b"12345678").keylen(), 8);
    /// assert_eq!(KeyCursor::new(b"123456789").keylen(), KEYLEN_SUFFIX);
    /// ```
    #[must_use]
    #[inline]
    pub fn keylen(&self) -> u8 {
        keylen_class(self.remaining().len())
    }

    /// Whether more than 8 bytes remain, i.e. the key continues past this slice.
    ///
    /// ```
    /// assert!(!masstree_key::KeyCursor::new(b"12345678").has_suffix());
    /// assert!(masstree_key::KeyCursor::new(b"123456789").has_suffix());
    /// ```
    #[must_use]
    #[inline]
    pub fn has_suffix(&self) -> bool {
        self.remaining().len() > SLICE_LEN
    }

    /// The bytes not consumed by the layers above: `key()[offset()..]`.
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(b"0123456789");
    /// c.shift();
    /// assert_eq!(c.remaining(), b"89");
    /// ```
    #[must_use]
    #[inline]
    pub fn remaining(&self) -> &'k [u8] {
        self.key.get(self.offset..).unwrap_or_default()
    }

    /// The bytes past the current slice: `key()[offset() + 8..]`, or empty
    /// when the key ends in this slice.
    ///
    /// ```
    /// assert_eq!(masstree_key::KeyCursor::new(b"0123456789").suffix(), b"89");
    /// assert_eq!(masstree_key::KeyCursor::new(b"01234567").suffix(), b"");
    /// ```
    #[must_use]
    #[inline]
    pub fn suffix(&self) -> &'k [u8] {
        self.remaining().get(SLICE_LEN..).unwrap_or_default()
    }

    /// Descends one layer (`offset += 8`). Only does so when
    /// [`has_suffix`](Self::has_suffix); otherwise returns `false` and leaves
    /// the cursor unchanged.
    ///
    /// A key of exactly `8 * d + 8` bytes therefore stops at depth `d`, with
    /// keylen 8, and never reaches an empty layer.
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(&[1; 16]);
    /// assert!(c.shift());
    /// assert_eq!(c.keylen(), 8);
    /// assert!(!c.shift());
    /// assert_eq!(c.depth(), 1);
    /// ```
    #[inline]
    pub fn shift(&mut self) -> bool {
        if self.has_suffix() {
            self.offset += SLICE_LEN;
            true
        } else {
            false
        }
    }

    /// Goes back up one layer (`offset -= 8`). Returns `false` and does
    /// nothing at depth 0.
    ///
    /// ```
    /// let mut c = masstree_key::KeyCursor::new(&[1; 9]);
    /// assert!(!c.unshift());
    /// assert!(c.shift());
    /// assert!(c.unshift());
    /// assert_eq!(c.depth(), 0);
    /// ```
    #[inline]
    pub fn unshift(&mut self) -> bool {
        match self.offset.checked_sub(SLICE_LEN) {
            Some(offset) => {
                self.offset = offset;
                true
            }
            None => false,
        }
    }

    /// The order of this key's `(ikey, keylen)` against a slot's, compared
    /// as `(u64, u8)`.
    ///
    /// `Equal` with keylen [`KEYLEN_SUFFIX`](crate::KEYLEN_SUFFIX) means "same slice, and both keys
    /// go on": the tie is broken by the suffixes (or by shifting into the
    /// next layer). Any other result is the final order of the two keys, as
    /// long as they share all earlier slices.
    ///
    /// ```
    /// use core::cmp::Ordering;
    /// use masstree_key::{ikey_of, KeyCursor};
    ///
    /// let c = KeyCursor::new(b"ab");
    /// assert_eq!(c.compare_slot(ikey_of(b"ab"), 2), Ordering::Equal);
    /// assert_eq!(c.compare_slot(ikey_of(b"ab\0"), 3), Ordering::Less);
    /// assert_eq!(c.compare_slot(ikey_of(b"a"), 1), Ordering::Greater);
    /// ```
    #[must_use]
    #[inline]
    pub fn compare_slot(&self, ikey: u64, keylen: u8) -> Ordering {
        (self.ikey(), self.keylen()).cmp(&(ikey, keylen))
    }
}
