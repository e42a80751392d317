//! `Suffix`: an immutable, heap-allocated byte string behind a thin pointer.
//!
//! Leaves keep the bytes of a key that lie past its slice in a `Suffix`. A suffix is never
//! changed after it is published: a writer that needs different bytes allocates a new one and
//! retires the old one through the tree's reclaimer, so a reader that loaded the pointer may read
//! the bytes without validation races. Any length works, from 1 byte to gigabytes.
//!
//! On 64-bit x86-64 a suffix of 1 to 127 bytes is stored without a header: its
//! length rides in the pointer's top 7 bits (user-space addresses are below 2^47, or 2^56 with
//! 5-level paging), so a 24-byte suffix takes 24 bytes, not 32, and its length is known before
//! its memory arrives. Longer suffixes, and every suffix on other targets, keep a `usize`
//! length before their bytes. (Not on aarch64: its allocators may put tags in the top byte.)

use core::ptr::NonNull;
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};

/// Header of a suffix allocation that does not carry its length in the pointer; the bytes
/// follow it.
#[repr(C)]
struct Header {
    len: usize,
}

/// The length tag of a raw suffix pointer, on targets whose pointers have spare top bits.
#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
mod tag {
    use super::SuffixRaw;

    /// The lowest bit of the tag.
    const SHIFT: u32 = 57;

    /// The longest suffix whose length rides in its pointer.
    pub(super) const MAX: usize = (1 << (usize::BITS - SHIFT)) - 1;

    /// Whether a suffix of `len` bytes carries its length in its pointer.
    #[inline(always)]
    pub(super) fn fits(len: usize) -> bool {
        (1..=MAX).contains(&len)
    }

    /// The length `raw` carries; 0 when the suffix has a header.
    #[inline(always)]
    pub(super) fn of(raw: *const SuffixRaw) -> usize {
        raw.addr() >> SHIFT
    }

    /// `raw` without its tag: the address of the allocation.
    #[inline(always)]
    pub(super) fn strip(raw: *const SuffixRaw) -> *const u8 {
        raw.map_addr(|a| a & ((1 << SHIFT) - 1)).cast()
    }

    /// `base` (an untagged allocation) tagged with `len`, which [`fits`].
    #[inline(always)]
    pub(super) fn apply(base: *mut u8, len: usize) -> *mut SuffixRaw {
        base.map_addr(|a| a | (len << SHIFT)).cast()
    }
}

/// No length tags: every suffix has a header.
#[cfg(not(all(target_arch = "x86_64", target_pointer_width = "64")))]
mod tag {
    use super::SuffixRaw;

    #[inline(always)]
    pub(super) fn fits(_len: usize) -> bool {
        false
    }

    #[inline(always)]
    pub(super) fn of(_raw: *const SuffixRaw) -> usize {
        0
    }

    #[inline(always)]
    pub(super) fn strip(raw: *const SuffixRaw) -> *const u8 {
        raw.cast()
    }

    #[inline(always)]
    pub(super) fn apply(base: *mut u8, _len: usize) -> *mut SuffixRaw {
        base.cast()
    }
}

/// An owned, immutable byte string addressed by one thin pointer (so it fits an `AtomicPtr`).
///
/// ```
/// use masstree_node::Suffix;
///
/// let s = Suffix::new(b"tail bytes");
/// assert_eq!(s.as_bytes(), b"tail bytes");
/// let raw = Suffix::into_raw(s);
/// // SAFETY: `raw` came from `into_raw` and is converted back once.
/// let s = unsafe { Suffix::from_raw(raw) };
/// assert_eq!(s.len(), 10);
/// ```
pub struct Suffix {
    /// The raw pointer as [`Suffix::into_raw`] gives it out (tagged with the length, or to a
    /// [`Header`]).
    raw: NonNull<SuffixRaw>,
}

// SAFETY: a `Suffix` owns plain bytes that are never mutated after construction.
unsafe impl Send for Suffix {}
// SAFETY: as above; shared access is read-only.
unsafe impl Sync for Suffix {}

/// The opaque pointee type of a raw suffix pointer (`*mut SuffixRaw`).
#[repr(C)]
pub struct SuffixRaw {
    _private: [u8; 0],
}

impl Suffix {
    /// The allocation of a suffix of `len` bytes.
    fn layout(len: usize) -> Layout {
        if tag::fits(len) {
            return Layout::array::<u8>(len).expect("suffix length overflows a Layout");
        }
        let (layout, _) = Layout::new::<Header>()
            .extend(Layout::array::<u8>(len).expect("suffix length overflows a Layout"))
            .expect("suffix length overflows a Layout");
        layout.pad_to_align()
    }

    /// Copies `bytes` into a new suffix.
    ///
    /// # Panics
    ///
    /// If the allocator returns an address with any of the top 7 bits set (on x86-64: no
    /// allocator in user space does unless the process enabled linear address masking, which
    /// Rust programs do not), rather than lose the length.
    pub fn new(bytes: &[u8]) -> Self {
        let len = bytes.len();
        let layout = Self::layout(len);
        // SAFETY: the layout has a non-zero size (a header, or at least one byte).
        let base = unsafe { alloc(layout) };
        if base.is_null() {
            handle_alloc_error(layout)
        }
        if tag::of(base.cast()) != 0 {
            // SAFETY: `base` was just allocated with `layout` and nothing else holds it.
            unsafe { dealloc(base, layout) };
            panic!(
                "suffix allocated at {base:p}, above the addresses whose top bits hold its length"
            );
        }
        // SAFETY: `base` is a fresh allocation of `layout`: `len` bytes, after a header unless
        // tagged; the regions written do not overlap `bytes`.
        let raw = unsafe {
            if tag::fits(len) {
                core::ptr::copy_nonoverlapping(bytes.as_ptr(), base, len);
                tag::apply(base, len)
            } else {
                let header = base.cast::<Header>();
                header.write(Header { len });
                core::ptr::copy_nonoverlapping(bytes.as_ptr(), header.add(1).cast::<u8>(), len);
                header.cast::<SuffixRaw>()
            }
        };
        Self {
            // SAFETY: a tag only sets bits of a non-null address.
            raw: unsafe { NonNull::new_unchecked(raw) },
        }
    }

    /// The bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: `self.raw` is a live suffix this value owns.
        unsafe { Self::bytes_of(self.raw.as_ptr()) }
    }

    /// Number of bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether there are no bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives up ownership, for storing in an `AtomicPtr<SuffixRaw>`. The pointer is not null,
    /// but it need not be an address to read: pass it to [`Suffix::bytes_of`], or to
    /// [`Suffix::storage`] to prefetch.
    #[inline]
    pub fn into_raw(this: Self) -> *mut SuffixRaw {
        let raw = this.raw.as_ptr();
        core::mem::forget(this);
        raw
    }

    /// Takes ownership back.
    ///
    /// # Safety
    ///
    /// `raw` must come from [`Suffix::into_raw`] and be taken back at most once.
    #[inline]
    pub unsafe fn from_raw(raw: *mut SuffixRaw) -> Self {
        Self {
            // SAFETY: `into_raw` never returns null (the caller promises `raw` came from it).
            raw: unsafe { NonNull::new_unchecked(raw) },
        }
    }

    /// Where a raw suffix's memory starts (null for null): the line to prefetch before
    /// [`Suffix::bytes_of`] reads it. Reads nothing.
    ///
    /// ```
    /// use masstree_node::Suffix;
    ///
    /// let raw = Suffix::into_raw(Suffix::new(b"a tail of a key"));
    /// assert!(!Suffix::storage(raw).is_null());
    /// assert!(Suffix::storage(core::ptr::null()).is_null());
    /// // SAFETY: from `into_raw`, taken back once.
    /// drop(unsafe { Suffix::from_raw(raw) });
    /// ```
    #[inline(always)]
    pub fn storage(raw: *const SuffixRaw) -> *const u8 {
        tag::strip(raw)
    }

    /// Borrows the bytes behind a raw pointer.
    ///
    /// # Safety
    ///
    /// `raw` must come from [`Suffix::into_raw`] and the allocation must stay alive for `'a`
    /// (for a reader: it was loaded from a published slot while the reader's guard was pinned,
    /// and suffixes are only freed through the reclaimer).
    #[inline]
    pub unsafe fn bytes_of<'a>(raw: *const SuffixRaw) -> &'a [u8] {
        let tagged_len = tag::of(raw);
        // SAFETY: the caller guarantees a live suffix allocation: `tagged_len` bytes at the untagged
        // address, or a header then `len` bytes; never written after construction.
        unsafe {
            if tagged_len != 0 {
                core::slice::from_raw_parts(tag::strip(raw), tagged_len)
            } else {
                let header = raw.cast::<Header>();
                core::slice::from_raw_parts(header.add(1).cast::<u8>(), (*header).len)
            }
        }
    }

    /// The bytes a raw suffix's allocation takes (its bytes and any header), for accounting.
    ///
    /// # Safety
    ///
    /// As for [`Suffix::bytes_of`].
    ///
    /// ```
    /// use masstree_node::Suffix;
    ///
    /// let raw = Suffix::into_raw(Suffix::new(&[7; 24]));
    /// // SAFETY: `raw` is live until taken back below.
    /// assert!(unsafe { Suffix::allocation_size(raw) } >= 24);
    /// // SAFETY: from `into_raw`, taken back once.
    /// drop(unsafe { Suffix::from_raw(raw) });
    /// ```
    #[inline]
    pub unsafe fn allocation_size(raw: *const SuffixRaw) -> usize {
        // SAFETY: the caller's promise.
        Self::layout(unsafe { Self::bytes_of(raw) }.len()).size()
    }
}

impl Drop for Suffix {
    fn drop(&mut self) {
        let layout = Self::layout(self.len());
        // SAFETY: the untagged pointer is the allocation `new` made with this same layout (the
        // length decides both), and it is owned.
        unsafe { dealloc(tag::strip(self.raw.as_ptr()).cast_mut(), layout) }
    }
}

impl core::fmt::Debug for Suffix {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Suffix").field(&self.as_bytes()).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_length() {
        let big = if cfg!(miri) { 1 << 12 } else { 1 << 20 };
        #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
        let edges = [tag::MAX - 1, tag::MAX, tag::MAX + 1];
        #[cfg(not(all(target_arch = "x86_64", target_pointer_width = "64")))]
        let edges = [126, 127, 128];
        for len in [0usize, 1, 7, 8, 9, 255, 256, 257, 4096, big]
            .into_iter()
            .chain(edges)
        {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 256) as u8).collect();
            let s = Suffix::new(&bytes);
            assert_eq!(s.as_bytes(), &bytes[..]);
            let raw = Suffix::into_raw(s);
            // SAFETY: `raw` is live and owned by nobody else until taken back below.
            assert_eq!(unsafe { Suffix::bytes_of(raw) }, &bytes[..], "length {len}");
            // SAFETY: as above.
            let size = unsafe { Suffix::allocation_size(raw) };
            if tag::fits(len) {
                assert_eq!(tag::of(raw), len, "a short suffix carries its length");
                assert_eq!(size, len, "a tagged suffix has no header");
            } else {
                assert_eq!(tag::of(raw), 0, "length {len} has a header");
                assert!(size >= len + core::mem::size_of::<Header>(), "length {len}");
            }
            assert_eq!(
                tag::of(Suffix::storage(raw).cast()),
                0,
                "storage is an untagged address"
            );
            // SAFETY: from `into_raw`, taken back once.
            drop(unsafe { Suffix::from_raw(raw) });
        }
    }

    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    #[test]
    fn every_tagged_length_round_trips() {
        assert_eq!(tag::MAX, 127);
        for len in 1..=tag::MAX + 1 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let raw = Suffix::into_raw(Suffix::new(&bytes));
            // SAFETY: live until taken back below.
            assert_eq!(unsafe { Suffix::bytes_of(raw) }, &bytes[..], "length {len}");
            // SAFETY: from `into_raw`, taken back once.
            drop(unsafe { Suffix::from_raw(raw) });
        }
    }
}
