//! `Suffix`: an immutable, heap-allocated byte string behind a thin pointer.
//!
//! Leaves keep the bytes of a key that lie past its slice in a `Suffix`. A suffix is never
//! changed after it is published: a writer that needs different bytes allocates a new one and
//! retires the old one through the tree's reclaimer, so a reader that loaded the pointer may read
//! the bytes without validation races. Any length works, from 1 byte to gigabytes.

use core::ptr::NonNull;
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};

/// Header of a suffix allocation; the bytes follow it.
#[repr(C)]
struct Header {
    len: usize,
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
    ptr: NonNull<Header>,
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
    fn layout(len: usize) -> Layout {
        let (layout, _) = Layout::new::<Header>()
            .extend(Layout::array::<u8>(len).expect("suffix length overflows a Layout"))
            .expect("suffix length overflows a Layout");
        layout.pad_to_align()
    }

    /// Copies `bytes` into a new suffix.
    pub fn new(bytes: &[u8]) -> Self {
        let layout = Self::layout(bytes.len());
        // SAFETY: the layout has a non-zero size (it holds at least the header).
        let raw = unsafe { alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<Header>()) else {
            handle_alloc_error(layout)
        };
        // SAFETY: `ptr` is a fresh allocation of `layout`, which holds a header followed by
        // `bytes.len()` bytes; the regions written do not overlap `bytes`.
        unsafe {
            ptr.as_ptr().write(Header { len: bytes.len() });
            let data = ptr.as_ptr().add(1).cast::<u8>();
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), data, bytes.len());
        }
        Self { ptr }
    }

    /// The bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: `self.ptr` is a live allocation this value owns.
        unsafe { Self::bytes_of(self.ptr.as_ptr().cast()) }
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

    /// Gives up ownership, for storing in an `AtomicPtr<SuffixRaw>`.
    #[inline]
    pub fn into_raw(this: Self) -> *mut SuffixRaw {
        let raw = this.ptr.as_ptr().cast();
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
            ptr: unsafe { NonNull::new_unchecked(raw.cast()) },
        }
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
        let header = raw.cast::<Header>();
        // SAFETY: the caller guarantees a live suffix allocation: a header then `len` bytes that
        // are never written after construction.
        unsafe {
            let len = (*header).len;
            core::slice::from_raw_parts(header.add(1).cast::<u8>(), len)
        }
    }
}

impl Drop for Suffix {
    fn drop(&mut self) {
        let layout = Self::layout(self.len());
        // SAFETY: `self.ptr` was allocated in `new` with this same layout and is owned.
        unsafe { dealloc(self.ptr.as_ptr().cast(), layout) }
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
        for len in [0usize, 1, 7, 8, 9, 255, 256, 257, 4096, big] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 256) as u8).collect();
            let s = Suffix::new(&bytes);
            assert_eq!(s.as_bytes(), &bytes[..]);
            let raw = Suffix::into_raw(s);
            // SAFETY: `raw` is live and owned by nobody else until taken back below.
            assert_eq!(unsafe { Suffix::bytes_of(raw) }, &bytes[..]);
            // SAFETY: from `into_raw`, taken back once.
            drop(unsafe { Suffix::from_raw(raw) });
        }
    }
}
