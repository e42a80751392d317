//! `SlotSuffix`: the bytes of a key past its slice, as one leaf slot holds them.
//!
//! A suffix of 1 to [`SHORT_SUFFIX_MAX`] bytes is kept as one atomic word (plus its length) in
//! the leaf's short-suffix table, a 136-byte allocation made once per leaf, usually right beside
//! the leaf itself: reading it needs no pointer of its own and no allocation placed wherever the
//! allocator had room. A longer suffix is an out-of-line [`Suffix`] behind the leaf's suffix
//! table. Both tables are read by optimistic readers and validated with the leaf's version, like
//! the slots' slices.

use crate::permutation::WIDTH;
use crate::suffix::{Suffix, SuffixRaw};
use crate::sync::{AtomicU8, AtomicU64};

/// The longest suffix kept in the leaf's short-suffix table (one word).
pub const SHORT_SUFFIX_MAX: usize = 8;

/// The suffix of one slot: read from a leaf ([`crate::Leaf::suffix`]) or about to be stored in
/// one ([`crate::Leaf::set_suffix`]). It is none, short (1 to [`SHORT_SUFFIX_MAX`] bytes, held
/// in the leaf's short-suffix table) or long (an out-of-line [`Suffix`]).
///
/// A plain struct of aligned words rather than an enum: scans copy one per entry several
/// times, and an enum's packed payload compiled to overlapping moves that stalled on store
/// forwarding (measured: a fifth of YCSB-E).
///
/// ```
/// use masstree_node::SlotSuffix;
///
/// let short = SlotSuffix::owned(b"tail");
/// assert!(short.long().is_none());
/// // SAFETY: a short suffix holds its bytes itself.
/// assert_eq!(unsafe { short.as_bytes() }, b"tail");
///
/// let long = SlotSuffix::owned(b"more than eight bytes");
/// assert!(long.long().is_some());
/// // SAFETY: the suffix was just allocated and is freed below, once.
/// unsafe {
///     assert_eq!(long.as_bytes(), b"more than eight bytes");
///     long.free_owned();
/// }
/// ```
#[derive(Clone, Copy)]
pub struct SlotSuffix {
    bits: Bits,
    /// A short suffix's length (then `bits` holds its word); 0 if it is not short (then `bits`
    /// holds the long suffix, or null). A whole word, so the struct has no padding: copies of
    /// it are two aligned moves (with a byte here, the compiler copied the padded tail with
    /// overlapping moves that failed store forwarding).
    len: usize,
}

/// A long suffix's pointer or a short suffix's bytes (zero-padded, in memory order:
/// `u64::from_ne_bytes` of them), told apart by [`SlotSuffix`]'s `len`.
#[derive(Clone, Copy)]
union Bits {
    long: *mut SuffixRaw,
    word: u64,
}

impl SlotSuffix {
    /// No suffix.
    pub const NONE: Self = Self::from_long(core::ptr::null_mut());

    /// The suffix for `bytes`: short if they fit a word, else a new [`Suffix`] the caller owns
    /// (it stores it in a leaf, which then owns it, or frees it with
    /// [`SlotSuffix::free_owned`]).
    pub fn owned(bytes: &[u8]) -> Self {
        match Self::short(bytes) {
            Some(short) => short,
            None => Self::from_long(Suffix::into_raw(Suffix::new(bytes))),
        }
    }

    /// The short form of `bytes`, if they are 1 to [`SHORT_SUFFIX_MAX`] bytes.
    ///
    /// ```
    /// use masstree_node::SlotSuffix;
    ///
    /// assert!(SlotSuffix::short(b"12345678").is_some());
    /// assert!(SlotSuffix::short(b"123456789").is_none());
    /// assert!(SlotSuffix::short(b"").is_none()); // length 0 marks "no short suffix"
    /// ```
    #[inline]
    pub fn short(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty() || bytes.len() > SHORT_SUFFIX_MAX {
            return None;
        }
        // The zero-padded big-endian word is a slice's encoding: `ikey_of` (fixed-size reads,
        // no `memcpy`), the same word `get` compares with.
        Some(Self::from_short_word(
            masstree_key::ikey_of(bytes),
            bytes.len() as u8,
        ))
    }

    /// A short suffix from its big-endian word (the bytes zero-padded, as the leaf's table
    /// holds them) and its length, 1 to [`SHORT_SUFFIX_MAX`]: a longer length is cut to the
    /// word's 8 bytes, and 0 gives [`SlotSuffix::NONE`].
    ///
    /// ```
    /// use masstree_node::SlotSuffix;
    ///
    /// let s = SlotSuffix::from_short_word(u64::from_be_bytes(*b"ab\0\0\0\0\0\0"), 2);
    /// // SAFETY: a short suffix holds its bytes itself.
    /// assert_eq!(unsafe { s.as_bytes() }, b"ab");
    /// assert!(SlotSuffix::from_short_word(7, 0).is_none());
    /// ```
    #[inline]
    pub fn from_short_word(big_endian: u64, len: u8) -> Self {
        if len == 0 {
            return Self::NONE;
        }
        Self {
            bits: Bits {
                word: u64::from_ne_bytes(big_endian.to_be_bytes()),
            },
            len: usize::from(len).min(SHORT_SUFFIX_MAX),
        }
    }

    /// A long suffix (null: none).
    #[inline]
    pub const fn from_long(raw: *mut SuffixRaw) -> Self {
        Self {
            bits: Bits { long: raw },
            len: 0,
        }
    }

    /// Whether the slot has no suffix.
    #[inline]
    pub fn is_none(&self) -> bool {
        self.long().is_none() && self.len == 0
    }

    /// The short suffix as (big-endian word, length), if it is one.
    #[inline]
    pub fn short_word(&self) -> Option<(u64, u8)> {
        (self.len != 0).then(|| {
            // SAFETY: a non-zero `len` means `bits` was written as a word.
            let word = unsafe { self.bits.word };
            (u64::from_be_bytes(word.to_ne_bytes()), self.len as u8)
        })
    }

    /// The out-of-line suffix, if it is one.
    #[inline]
    pub fn long(&self) -> Option<*mut SuffixRaw> {
        if self.len != 0 {
            return None;
        }
        // SAFETY: a zero `len` means `bits` was written as a pointer.
        let long = unsafe { self.bits.long };
        (!long.is_null()).then_some(long)
    }

    /// The bytes (empty for none).
    ///
    /// # Safety
    ///
    /// A long suffix must be live for as long as the bytes are used: one loaded from a leaf
    /// while the reader is pinned (suffixes are freed only through the reclaimer), or one the
    /// caller owns.
    #[inline]
    pub unsafe fn as_bytes(&self) -> &[u8] {
        if self.len != 0 {
            let len = self.len.min(SHORT_SUFFIX_MAX);
            // SAFETY: a non-zero `len` means `bits` holds the word: 8 initialised bytes,
            // borrowed with `self`, holding the suffix in memory order.
            return unsafe {
                core::slice::from_raw_parts((&raw const self.bits.word).cast::<u8>(), len)
            };
        }
        match self.long() {
            // SAFETY: the caller's promise.
            Some(long) => unsafe { Suffix::bytes_of(long) },
            None => &[],
        }
    }

    /// Frees an owned long suffix (a no-op for the other forms).
    ///
    /// # Safety
    ///
    /// The caller owns the suffix (from [`SlotSuffix::owned`], never stored in a leaf) and no
    /// reader can reach it.
    pub unsafe fn free_owned(self) {
        if let Some(raw) = self.long() {
            // SAFETY: the caller's promise.
            drop(unsafe { Suffix::from_raw(raw) });
        }
    }
}

impl core::fmt::Debug for SlotSuffix {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match (self.short_word(), self.long()) {
            (Some((word, len)), _) => f
                .debug_struct("Short")
                .field("word", &format_args!("{word:#018x}"))
                .field("len", &len)
                .finish(),
            (None, Some(long)) => f.debug_tuple("Long").field(&long).finish(),
            (None, None) => f.write_str("None"),
        }
    }
}

/// A leaf's short suffixes: a length (0: none) and a big-endian word per slot.
#[repr(C)]
pub(crate) struct ShortSuffixes {
    pub(crate) lens: [AtomicU8; WIDTH],
    _pad: AtomicU8,
    pub(crate) words: [AtomicU64; WIDTH],
}

impl ShortSuffixes {
    pub(crate) fn new() -> Self {
        Self {
            lens: core::array::from_fn(|_| AtomicU8::new(0)),
            _pad: AtomicU8::new(0),
            words: core::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}
