//! How a tree keeps its values in leaf slots: [`Boxed`] (any type, readers get `&V`) or
//! [`Inline`] (small plain-data types stored in the slot word itself, readers get a copy).
//!
//! A leaf slot's value is one pointer-sized atomic word. [`Boxed`] stores a `Box<V>` pointer
//! there: a replaced or removed value is retired through the reclaimer, so a `&V` handed to a
//! reader stays valid until its guard drops. [`Inline`] stores the value's bits in the word: a
//! lookup follows no pointer (one cache miss fewer), an update is one atomic store with no
//! allocation and no retirement, and nothing is ever freed. The price is that readers get the
//! value by copy, not by reference: a reference into the slot could be overwritten under the
//! reader by the next update.

use crate::free::FreeValue;
use masstree_alloc::ReclaimGuard;
use std::panic::{AssertUnwindSafe, catch_unwind};

mod sealed {
    /// Implemented by [`super::Boxed`] and [`super::Inline`] only.
    pub trait Sealed {}

    impl Sealed for super::Boxed {}
    impl Sealed for super::Inline {}
}

/// A value representation: how values are encoded into a leaf slot's word, read back, and
/// released. Implemented by [`Boxed`] and [`Inline`] only (the trait is sealed: the tree's
/// memory safety rests on its contract); the tree is generic over it.
///
/// # Safety
///
/// Implementations promise that [`ValueSlot::view`] of a word produced by
/// [`ValueSlot::into_word`] stays valid for `'g` as long as the word is released only through
/// [`ValueSlot::retire`] (which must defer any free until no guard that could have read the word
/// is alive) or through [`ValueSlot::drop_word`] / [`ValueSlot::into_value`] with exclusive
/// access, and that [`ValueSlot::value_mut`] borrows exactly the value [`ValueSlot::view`]
/// would read (for inline values: within the word itself). Further, the tree relies on these:
/// - [`ValueSlot::view`] may run any number of times, concurrently, on the same word, and takes
///   no ownership (a `ptr::read` of a non-`Copy` value there would drop it twice);
/// - [`ValueSlot::into_word`] never returns a word for which [`ValueSlot::is_vacant`] is true
///   (lookups treat such a word as absent, but scans and drops do not check);
/// - [`ValueSlot::INLINE`] only decides whether words are prefetched as pointers.
pub unsafe trait ValueSlot<V>: sealed::Sealed + Send + Sync + 'static {
    /// What a reader gets for a value it found: `&'g V` ([`Boxed`]) or a copy ([`Inline`]).
    type Ref<'g>: Copy
    where
        V: 'g;

    /// Whether the value lives in the slot word itself (no pointer to follow or prefetch).
    const INLINE: bool;

    /// Encodes an owned value as a slot word.
    fn into_word(value: V) -> *mut ();

    /// Whether `word` stands for no value (a null box). Never true for [`Inline`].
    fn is_vacant(word: *mut ()) -> bool;

    /// The reader's view of the value behind `word`.
    ///
    /// # Safety
    ///
    /// `word` came from [`ValueSlot::into_word`] and is not released for `'g`.
    unsafe fn view<'g>(word: *mut ()) -> Self::Ref<'g>
    where
        V: 'g;

    /// Borrows the value of a view.
    fn as_value<'a, 'g: 'a>(view: &'a Self::Ref<'g>) -> &'a V
    where
        V: 'g;

    /// The value behind the slot word `*word`, borrowed mutably for `'a`: for [`Boxed`] the
    /// value in the box `*word` points to, for [`Inline`] the bytes of the word itself (the
    /// first `size_of::<V>()` bytes of its memory, where [`ValueSlot::into_word`] put them), so
    /// writes through the reference change the word and later views see them. `word` must
    /// therefore be the slot's own storage, not a copy of the word.
    ///
    /// # Safety
    ///
    /// `*word` came from [`ValueSlot::into_word`] (possibly changed since through an earlier
    /// `value_mut`), is not released for `'a`, and nothing else reads or writes the word or the
    /// value for `'a`: the caller has exclusive access to the tree (`&mut` to it), so no reader
    /// holds a view of the value and no writer replaces the word.
    unsafe fn value_mut<'a>(word: &'a mut *mut ()) -> &'a mut V
    where
        V: 'a;

    /// Takes the value back out of its word (the word is not used again).
    ///
    /// # Safety
    ///
    /// `word` came from [`ValueSlot::into_word`], no reader can reach it any more, and it is
    /// released exactly once (by this, [`ValueSlot::drop_word`] or [`ValueSlot::retire`]).
    unsafe fn into_value(word: *mut ()) -> V;

    /// Drops the value behind `word` now, containing a panic from its `Drop` and returning it
    /// (the caller decides when to resume it).
    ///
    /// # Safety
    ///
    /// As for [`ValueSlot::into_value`].
    unsafe fn drop_word(word: *mut ()) -> std::thread::Result<()>;

    /// Releases a word that left its slot while readers may still hold views of it.
    ///
    /// # Safety
    ///
    /// `word` came from [`ValueSlot::into_word`], is unreachable for readers that pin after
    /// this call, and is released exactly once.
    unsafe fn retire<G: ReclaimGuard>(guard: &G, word: *mut ());
}

/// Values in their own heap allocation: any `V`, read as `&V`. The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Boxed;

// SAFETY: a box is freed only by `retire` (through the reclaimer, after every guard that could
// have loaded it) or with exclusive access; `view` borrows it for no longer than that.
unsafe impl<V> ValueSlot<V> for Boxed {
    type Ref<'g>
        = &'g V
    where
        V: 'g;

    const INLINE: bool = false;

    #[inline]
    fn into_word(value: V) -> *mut () {
        Box::into_raw(Box::new(value)).cast()
    }

    #[inline]
    fn is_vacant(word: *mut ()) -> bool {
        word.is_null()
    }

    #[inline]
    unsafe fn view<'g>(word: *mut ()) -> &'g V
    where
        V: 'g,
    {
        // SAFETY: the caller guarantees a live `Box<V>` for `'g`.
        unsafe { &*word.cast::<V>() }
    }

    #[inline]
    fn as_value<'a, 'g: 'a>(view: &'a &'g V) -> &'a V
    where
        V: 'g,
    {
        view
    }

    #[inline]
    unsafe fn value_mut<'a>(word: &'a mut *mut ()) -> &'a mut V
    where
        V: 'a,
    {
        // SAFETY: the caller guarantees `*word` is a live `Box<V>` pointer from `into_word`
        // for `'a` and that nothing else reads or writes the value meanwhile, so a unique
        // borrow of the boxed value is sound for `'a`.
        unsafe { &mut *(*word).cast::<V>() }
    }

    #[inline]
    unsafe fn into_value(word: *mut ()) -> V {
        // SAFETY: the word is a `Box<V>` from `into_word`, released once, here.
        *unsafe { Box::from_raw(word.cast::<V>()) }
    }

    unsafe fn drop_word(word: *mut ()) -> std::thread::Result<()> {
        // SAFETY: as for `into_value`.
        let value = unsafe { Box::from_raw(word.cast::<V>()) };
        catch_unwind(AssertUnwindSafe(move || drop(value)))
    }

    #[inline]
    unsafe fn retire<G: ReclaimGuard>(guard: &G, word: *mut ()) {
        // SAFETY: forwarded from the caller; `FreeValue` frees a `Box<V>`.
        unsafe { guard.retire::<V, FreeValue>(word.cast::<V>()) }
    }
}

/// Values stored in the slot word itself: plain-data types (`bytemuck::Pod`: integers, floats,
/// byte arrays, `#[repr(C)]` structs of them) no larger than a pointer, read by copy.
///
/// A lookup then follows no pointer, an update is one atomic store (no allocation, nothing to
/// reclaim) and the map uses 8 bytes less per key. A type larger than a pointer is rejected at
/// compile time:
///
/// ```compile_fail
/// use masstree_core::{Inline, RawTree};
///
/// let tree: RawTree<[u64; 2], masstree_core::SeizeReclaim, Inline> = RawTree::new();
/// let guard = tree.pin();
/// tree.write(b"k", &guard, |_| masstree_core::Decision::Put([1, 2]));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Inline;

impl Inline {
    /// Checked at compile time for every `V` an inline tree is built with.
    const fn check<V>() {
        assert!(
            size_of::<V>() <= size_of::<usize>(),
            "masstree: an Inline value must be no larger than a pointer (8 bytes on 64-bit \
             targets); use Boxed values for larger types"
        );
    }
}

// SAFETY: a view is a copy taken from the word; nothing is ever freed (`Pod` types have no
// `Drop`), so there is nothing to keep alive.
unsafe impl<V: bytemuck::Pod + Send + Sync> ValueSlot<V> for Inline {
    type Ref<'g>
        = V
    where
        V: 'g;

    const INLINE: bool = true;

    #[inline]
    fn into_word(value: V) -> *mut () {
        const { Inline::check::<V>() };
        let mut bits = [0u8; size_of::<usize>()];
        bits[..size_of::<V>()].copy_from_slice(bytemuck::bytes_of(&value));
        core::ptr::without_provenance_mut(usize::from_ne_bytes(bits))
    }

    #[inline]
    fn is_vacant(_word: *mut ()) -> bool {
        false
    }

    #[inline]
    unsafe fn view<'g>(word: *mut ()) -> V
    where
        V: 'g,
    {
        const { Inline::check::<V>() };
        let bits = word.addr().to_ne_bytes();
        bytemuck::pod_read_unaligned(&bits[..size_of::<V>()])
    }

    #[inline]
    fn as_value<'a, 'g: 'a>(view: &'a V) -> &'a V
    where
        V: 'g,
    {
        view
    }

    #[inline]
    unsafe fn value_mut<'a>(word: &'a mut *mut ()) -> &'a mut V
    where
        V: 'a,
    {
        const { Inline::check::<V>() };
        const {
            assert!(
                align_of::<V>() <= align_of::<*mut ()>(),
                "masstree: an Inline value borrowed mutably must be no more aligned than a \
                 pointer"
            );
        };
        // SAFETY: a `*mut ()` is `size_of::<usize>()` initialised bytes with the alignment of a
        // pointer, so it can be viewed as a byte array of that size (an inline word is an
        // integer without provenance; nothing is lost). The byte array borrows `word` uniquely
        // for `'a`, as the caller's exclusive access allows.
        let bytes = unsafe { &mut *core::ptr::from_mut(word).cast::<[u8; size_of::<usize>()]>() };
        // `into_word` put the value's bytes first in the word's memory (native byte order of
        // `usize::from_ne_bytes`, which `view` undoes with `to_ne_bytes`), on either
        // endianness; `V: Pod` accepts any bytes, and the slice is aligned for `V` (the word
        // is pointer-aligned and `V` no more, checked above), so this cannot fail.
        bytemuck::from_bytes_mut(&mut bytes[..size_of::<V>()])
    }

    #[inline]
    unsafe fn into_value(word: *mut ()) -> V {
        // SAFETY: forwarded; reading the bits has no precondition beyond the word's origin.
        unsafe { <Self as ValueSlot<V>>::view(word) }
    }

    #[inline]
    unsafe fn drop_word(_word: *mut ()) -> std::thread::Result<()> {
        Ok(())
    }

    #[inline]
    unsafe fn retire<G: ReclaimGuard>(_guard: &G, _word: *mut ()) {}
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn round_trip<V: bytemuck::Pod + Send + Sync + PartialEq + core::fmt::Debug>(v: V) {
        let word = <Inline as ValueSlot<V>>::into_word(v);
        // SAFETY: the word came from `into_word`; inline words are never released.
        assert_eq!(unsafe { <Inline as ValueSlot<V>>::view(word) }, v);
    }

    #[test]
    fn inline_words_round_trip_every_small_pod_type() {
        round_trip(0u64);
        round_trip(u64::MAX);
        round_trip(-5i32);
        round_trip(1.5f64);
        round_trip([1u8, 2, 3]);
        round_trip(());
        round_trip(0x8000_0000_0000_0001u64);
    }

    #[test]
    fn boxed_words_round_trip_and_drop_once() {
        let word = <Boxed as ValueSlot<String>>::into_word("value".to_owned());
        assert!(!<Boxed as ValueSlot<String>>::is_vacant(word));
        // SAFETY: the word is a live box from `into_word`.
        assert_eq!(unsafe { <Boxed as ValueSlot<String>>::view(word) }, "value");
        // SAFETY: released once, here.
        let value = unsafe { <Boxed as ValueSlot<String>>::into_value(word) };
        assert_eq!(value, "value");
    }
}
