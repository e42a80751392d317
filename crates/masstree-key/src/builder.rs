//! Rebuilding whole keys from per-layer slices, for scans.

use crate::SLICE_LEN;

/// The capacity a builder's buffer starts at when it first grows: four slices, enough for
/// most keys without a reallocation.
const MIN_CAPACITY: usize = 4 * SLICE_LEN;

/// Rebuilds full keys from slices during a scan: a reusable byte buffer.
///
/// A scan that walks down the trie calls [`set_slice`](Self::set_slice) with
/// each layer's `(ikey, len)` and finishes a key with
/// [`push_bytes`](Self::push_bytes) of its suffix (if any). Moving on to a
/// sibling at the same depth just calls `set_slice` again: it first drops
/// everything at or below that depth.
///
/// ```
/// use masstree_key::{ikey_of, KeyBuilder};
///
/// let mut b = KeyBuilder::new();
/// b.set_slice(0, ikey_of(b"01234567"), 8);
/// b.set_slice(1, ikey_of(b"89ab"), 4);
/// assert_eq!(b.as_bytes(), b"0123456789ab");
/// b.set_slice(1, ikey_of(b"xy"), 2);
/// b.push_bytes(b"-tail");
/// assert_eq!(b.as_bytes(), b"01234567xy-tail");
/// ```
#[derive(Clone, Debug, Default)]
pub struct KeyBuilder {
    buf: Vec<u8>,
}

impl KeyBuilder {
    /// An empty builder; allocates nothing until used.
    ///
    /// ```
    /// assert!(masstree_key::KeyBuilder::new().is_empty());
    /// ```
    #[must_use]
    #[inline]
    pub const fn new() -> Self {
        Self { buf: Vec::new() }
    }

    /// An empty builder with room for `n` bytes before it reallocates.
    ///
    /// ```
    /// let b = masstree_key::KeyBuilder::with_capacity(64);
    /// assert_eq!(b.len(), 0);
    /// ```
    #[must_use]
    #[inline]
    pub fn with_capacity(n: usize) -> Self {
        Self {
            buf: Vec::with_capacity(n),
        }
    }

    /// The key built so far.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.push_bytes(b"abc");
    /// assert_eq!(b.as_bytes(), b"abc");
    /// ```
    #[must_use]
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Length in bytes of the key built so far.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.set_slice(0, u64::MAX, 5);
    /// assert_eq!(b.len(), 5);
    /// ```
    #[must_use]
    #[inline]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the key built so far is empty.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// assert!(b.is_empty());
    /// b.push_bytes(b"x");
    /// assert!(!b.is_empty());
    /// ```
    #[must_use]
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Empties the buffer, keeping its allocation.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.push_bytes(b"abc");
    /// b.clear();
    /// assert!(b.is_empty());
    /// ```
    #[inline]
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Bytes the builder holds room for before it reallocates.
    ///
    /// ```
    /// let b = masstree_key::KeyBuilder::with_capacity(64);
    /// assert!(b.capacity() >= 64);
    /// ```
    #[must_use]
    #[inline]
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Truncates to `depth` full slices (`8 * depth` bytes), then appends the
    /// first `len` bytes of `ikey` in big-endian order.
    ///
    /// `len` is clamped to `0..=8`. The layers above are expected to have
    /// been set already; if the buffer holds fewer than `8 * depth` bytes it
    /// is not padded, and the slice is appended at its current end.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.set_slice(0, 0x6162_6300_0000_0000, 3);
    /// assert_eq!(b.as_bytes(), b"abc");
    /// b.set_slice(0, 0x6162_6300_0000_0000, 4);
    /// assert_eq!(b.as_bytes(), b"abc\0");
    /// ```
    #[inline]
    pub fn set_slice(&mut self, depth: usize, ikey: u64, len: usize) {
        // One fixed 8-byte store and two length updates (a scan calls this once per key):
        // size the buffer to hold the whole slice, write it, then cut it to `len`.
        let at = depth.saturating_mul(SLICE_LEN).min(self.buf.len());
        if self.buf.capacity() < at + SLICE_LEN {
            // Room for a few slices at once: growing 8 -> 16 -> 32 bytes one reallocation at a
            // time cost a scan of 23-byte keys three allocations.
            self.buf
                .reserve((at + SLICE_LEN).max(MIN_CAPACITY) - self.buf.len());
        }
        self.buf.resize(at + SLICE_LEN, 0);
        self.buf[at..at + SLICE_LEN].copy_from_slice(&ikey.to_be_bytes());
        self.buf.truncate(at + len.min(SLICE_LEN));
    }

    /// Appends arbitrary bytes, typically a key's suffix.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.push_bytes(b"ab");
    /// b.push_bytes(b"");
    /// b.push_bytes(b"cd");
    /// assert_eq!(b.as_bytes(), b"abcd");
    /// ```
    #[inline]
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Truncates to `depth` full slices (`8 * depth` bytes). Never grows
    /// the buffer: it is left alone if it is already that short.
    ///
    /// ```
    /// let mut b = masstree_key::KeyBuilder::new();
    /// b.push_bytes(b"0123456789");
    /// b.truncate_to_depth(1);
    /// assert_eq!(b.as_bytes(), b"01234567");
    /// b.truncate_to_depth(5);
    /// assert_eq!(b.as_bytes(), b"01234567");
    /// ```
    #[inline]
    pub fn truncate_to_depth(&mut self, depth: usize) {
        self.buf.truncate(depth.saturating_mul(SLICE_LEN));
    }
}
