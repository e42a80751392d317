//! How retired objects are freed.

/// A way to free objects of type `T`, named by a (usually zero-sized) type so that a retired
/// pointer carries no closure.
pub trait Free<T> {
    /// Frees `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid for this way of freeing, and freed at most once.
    unsafe fn free(ptr: *mut T);

    /// The bytes freeing `ptr` returns, as far as this type can see (by default the size of
    /// `T`; a variable-length object reports its length). Reclaimers use it to hand large
    /// retirements over early.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid for this way of freeing and not yet freed.
    unsafe fn size(ptr: *const T) -> usize {
        let _ = ptr;
        core::mem::size_of::<T>()
    }
}

/// Frees a pointer that came from `Box::into_raw`.
#[derive(Clone, Copy, Debug, Default)]
pub struct FreeBox;

impl<T> Free<T> for FreeBox {
    unsafe fn free(ptr: *mut T) {
        // SAFETY: the caller guarantees `ptr` came from `Box::into_raw` and is freed once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}
