//! `Leaf`: a border node of one layer's B+tree.

use crate::header::NodeHeader;
use crate::permutation::{Permutation, WIDTH};
use crate::slot_suffix::{ShortSuffixes, SlotSuffix};
use crate::suffix::SuffixRaw;
use crate::sync::{AtomicPtr, AtomicU8, AtomicU64, Ordering};
use crate::version::{NodeLock, NodeVersion};

/// `keylen` of a slot whose value slot points to the root of a deeper layer.
pub const KEYLEN_LAYER: u8 = 10;

/// Per-slot suffix pointers, allocated the first time a leaf stores a key with a long suffix.
pub(crate) type SuffixTable = [AtomicPtr<SuffixRaw>; WIDTH];

/// A leaf: up to 15 keys of one layer, in slots ordered by a [`Permutation`].
///
/// Slot `s` holds the key's slice (`ikey`), its length class (`keylen`: `0..=8` bytes in this
/// slice, [`masstree_key::KEYLEN_SUFFIX`] when the key continues in a [`SlotSuffix`], or
/// [`KEYLEN_LAYER`] when the value slot points to a deeper layer), and a type-erased value
/// pointer the tree interprets. Only the slots listed by the permutation are live; a writer fills
/// a free slot and then publishes it with one release store of the permutation.
///
/// A key's bytes past the slice are a [`SlotSuffix`]: up to 8 of them sit in the leaf's
/// short-suffix table (a word per slot), more in an out-of-line [`Suffix`](crate::Suffix)
/// behind the leaf's long-suffix table. Each table is allocated the first time the leaf needs
/// it, unless it was allocated with the leaf, in its block ([`Leaf::boxed`]). The leaf owns
/// both and the suffixes it points to ([`Leaf::free`] frees them, and [`Drop`] for a leaf not
/// in a block); it does not own values or layers, which the tree frees.
#[derive(Debug)]
#[repr(C, align(64))]
pub struct Leaf {
    /// Version and parent.
    pub header: NodeHeader,
    permutation: AtomicU64,
    /// The smallest slice this leaf holds. B-link: a reader whose slice is `>= next.low_bound()`
    /// moves right. Set at creation; lowered only when the leaf absorbs the range of an unlinked
    /// left neighbour (see [`Leaf::set_low_bound`]).
    low_bound: AtomicU64,
    next: AtomicPtr<Leaf>,
    prev: AtomicPtr<Leaf>,
    keylens: [AtomicU8; WIDTH],
    /// Which tables were allocated with the leaf, in its block ([`Leaf::boxed`]: the bits of
    /// an [`crate::InlineTables`]); fixed at creation. Also what would otherwise be
    /// padding: every byte of a leaf lies in an `UnsafeCell`, so node pointers derived from
    /// `&Leaf` keep write and free permission under miri's Stacked Borrows, which does not
    /// grant it for plain padding bytes.
    pub(crate) inline_tables: AtomicU8,
    ikeys: [AtomicU64; WIDTH],
    values: [AtomicPtr<()>; WIDTH],
    pub(crate) suffixes: AtomicPtr<SuffixTable>,
    pub(crate) short_suffixes: AtomicPtr<ShortSuffixes>,
}

// SAFETY: the raw pointers are links inside one tree; every access goes through atomics, the
// long suffixes it owns are immutable byte strings, and its short-suffix table is atomics.
unsafe impl Send for Leaf {}
// SAFETY: as above.
unsafe impl Sync for Leaf {}

impl Leaf {
    /// An empty leaf holding slices `>= low_bound`, root of its layer or not.
    pub fn new(low_bound: u64, root: bool) -> Self {
        Self::with_version(low_bound, NodeVersion::new(true, root))
    }

    /// An empty leaf that starts locked (a split's new right sibling, locked until its parent
    /// knows it). Take the lock with [`NodeVersion::adopt_lock`].
    pub fn new_locked(low_bound: u64) -> Self {
        Self::with_version(low_bound, NodeVersion::new_locked(true, false))
    }

    pub(crate) fn with_version(low_bound: u64, version: NodeVersion) -> Self {
        Self {
            header: NodeHeader::new(version),
            permutation: AtomicU64::new(Permutation::empty().raw()),
            low_bound: AtomicU64::new(low_bound),
            next: AtomicPtr::new(core::ptr::null_mut()),
            prev: AtomicPtr::new(core::ptr::null_mut()),
            keylens: core::array::from_fn(|_| AtomicU8::new(0)),
            inline_tables: AtomicU8::new(0),
            ikeys: core::array::from_fn(|_| AtomicU64::new(0)),
            values: core::array::from_fn(|_| AtomicPtr::new(core::ptr::null_mut())),
            suffixes: AtomicPtr::new(core::ptr::null_mut()),
            short_suffixes: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// The version word.
    #[inline]
    pub fn version(&self) -> &NodeVersion {
        &self.header.version
    }

    /// The smallest slice this leaf can hold.
    #[inline]
    pub fn low_bound(&self) -> u64 {
        // Acquire: pairs with `set_low_bound`, which happens before the `next` store that
        // makes a reader look at this bound.
        self.low_bound.load(Ordering::Acquire)
    }

    /// Lowers the bound when this leaf takes over the range of its unlinked left neighbour.
    ///
    /// Protocol: the caller holds the lock of that neighbour (`prev_lock`), which every other
    /// writer of this bound would also need, and stores the bound before it relinks `next`
    /// pointers to this leaf.
    #[inline]
    pub fn set_low_bound(&self, prev_lock: &NodeLock<'_>, low_bound: u64) {
        debug_assert!(prev_lock.current().is_leaf());
        self.low_bound.store(low_bound, Ordering::Release);
    }

    /// The live slots. Acquire: pairs with [`Self::set_permutation`]'s release store, so the
    /// contents of every slot it lists are visible.
    #[inline]
    pub fn permutation(&self) -> Permutation {
        Permutation::from_raw_unchecked(self.permutation.load(Ordering::Acquire))
    }

    /// Publishes a new permutation: the one store that makes an insert visible.
    #[inline]
    pub fn set_permutation(&self, lock: &NodeLock<'_>, p: Permutation) {
        debug_assert!(lock.guards(self.version()));
        self.permutation.store(p.raw(), Ordering::Release);
    }

    /// The slice of slot `s`.
    #[inline]
    pub fn ikey(&self, s: usize) -> u64 {
        self.ikeys[s].load(Ordering::Relaxed)
    }

    /// The length class of slot `s`.
    #[inline]
    pub fn keylen(&self, s: usize) -> u8 {
        self.keylens[s].load(Ordering::Relaxed)
    }

    /// The value pointer of slot `s`. Acquire: pairs with the release store that wrote it, so
    /// the pointee's contents are visible.
    #[inline]
    pub fn value(&self, s: usize) -> *mut () {
        self.values[s].load(Ordering::Acquire)
    }

    /// The address of slot `s`'s value word, for an owner with exclusive access to the whole
    /// tree (no reader or writer runs), who may then read and write the word in place, e.g.
    /// borrow a value stored in the word itself mutably. Not under `--cfg loom`: loom's
    /// atomics keep their value outside the struct, so there is no word to point to.
    #[cfg(not(loom))]
    #[inline]
    pub fn value_ptr(&self, s: usize) -> *mut *mut () {
        self.values[s].as_ptr()
    }

    /// The address of the per-slot suffix pointers (null if the leaf never held a long suffix),
    /// for prefetching them before the slot is known: they are a separate allocation, one cache
    /// miss more on the way to a suffix.
    #[inline]
    pub fn suffix_table_addr(&self) -> *const u8 {
        // Relaxed: the address is only prefetched, never dereferenced; `suffix` reads the
        // table with acquire.
        self.suffixes.load(Ordering::Relaxed).cast_const().cast()
    }

    /// Whether the short-suffix table lies right after the leaf, in its block
    /// ([`Leaf::boxed`]).
    #[inline]
    pub fn has_inline_short_suffixes(&self) -> bool {
        self.inline_tables().short()
    }

    /// Whether the long-suffix table lies right after the leaf, in its block
    /// ([`Leaf::boxed`]).
    #[inline]
    pub fn has_inline_long_suffixes(&self) -> bool {
        self.inline_tables().long()
    }

    /// The address of the short-suffix table (null if the leaf never held a short suffix), for
    /// prefetching it before the slot is known.
    #[inline]
    pub fn short_suffix_table_addr(&self) -> *const u8 {
        // Relaxed: only prefetched; `short_suffix` reads the table with acquire.
        self.short_suffixes
            .load(Ordering::Relaxed)
            .cast_const()
            .cast()
    }

    /// The suffix of slot `s`, short or long. Like the slot's slice it is read before the
    /// reader validates the leaf, which then tells whether it belonged to the key found.
    ///
    /// ```
    /// use masstree_node::{Leaf, SlotSuffix};
    ///
    /// let leaf = Leaf::new(0, true);
    /// let lock = leaf.version().lock();
    /// leaf.set_suffix(&lock, 0, SlotSuffix::owned(b"short"));
    /// let suffix = leaf.suffix(0);
    /// // SAFETY: a short suffix holds its bytes itself.
    /// assert_eq!(unsafe { suffix.as_bytes() }, b"short");
    /// assert!(leaf.suffix(1).is_none());
    /// ```
    #[inline]
    pub fn suffix(&self, s: usize) -> SlotSuffix {
        let (word, len) = self.short_suffix(s);
        if len != 0 {
            return SlotSuffix::from_short_word(word, len);
        }
        SlotSuffix::from_long(self.long_suffix(s).cast_mut())
    }

    /// The short suffix of slot `s` as (big-endian word, length); length 0 if it has none.
    /// Relaxed loads, like the slot's slice: the table is read under validation. Acquire on the
    /// table pointer pairs with its release store, so a reader sees it initialised.
    #[inline]
    pub fn short_suffix(&self, s: usize) -> (u64, u8) {
        let table = self.short_suffixes.load(Ordering::Acquire);
        if table.is_null() {
            return (0, 0);
        }
        // SAFETY: a non-null table is allocated once (by `set_suffix`, or with the leaf by
        // `boxed`) and freed only with the leaf (`Drop`, `Leaf::free`).
        let table = unsafe { &*table };
        (
            table.words[s].load(Ordering::Relaxed),
            table.lens[s].load(Ordering::Relaxed),
        )
    }

    /// The long (out-of-line) suffix of slot `s`, or null. Acquire loads pair with
    /// [`Self::set_suffix`].
    #[inline]
    pub fn long_suffix(&self, s: usize) -> *const SuffixRaw {
        let table = self.suffixes.load(Ordering::Acquire);
        if table.is_null() {
            return core::ptr::null();
        }
        // SAFETY: a non-null table is allocated once (by `set_suffix`, or with the leaf by
        // `boxed`) and freed only with the leaf (`Drop`, `Leaf::free`).
        unsafe { (*table)[s].load(Ordering::Acquire) }
    }

    /// Writes the key and value of slot `s`. For a free slot no dirty bit is needed (readers
    /// only look at live slots); for a live slot the caller has called `mark_insert`.
    #[inline]
    pub fn set_slot(&self, lock: &NodeLock<'_>, s: usize, ikey: u64, keylen: u8, value: *mut ()) {
        debug_assert!(lock.guards(self.version()));
        self.ikeys[s].store(ikey, Ordering::Relaxed);
        self.keylens[s].store(keylen, Ordering::Relaxed);
        self.values[s].store(value, Ordering::Release);
    }

    /// Replaces the value pointer of slot `s` (same key): readers see the old or the new pointer.
    #[inline]
    pub fn set_value(&self, lock: &NodeLock<'_>, s: usize, value: *mut ()) {
        debug_assert!(lock.guards(self.version()));
        self.values[s].store(value, Ordering::Release);
    }

    /// Changes the length class of live slot `s` (a suffix becoming a layer); the caller has
    /// called `mark_insert`.
    #[inline]
    pub fn set_keylen(&self, lock: &NodeLock<'_>, s: usize, keylen: u8) {
        debug_assert!(lock.guards(self.version()));
        self.keylens[s].store(keylen, Ordering::Relaxed);
    }

    /// Stores `suffix` as slot `s`'s suffix ([`SlotSuffix::NONE`]: clears it) and returns the
    /// long suffix the slot had, or null, which the caller now owns (and retires through its
    /// reclaimer if readers may hold it). A long suffix passes to the leaf.
    ///
    /// For a free slot no dirty bit is needed (readers look only at live slots, and the
    /// permutation's release store publishes the stores here); for a live slot the caller has
    /// marked the change (`mark_insert` or `mark_split`), so readers that read it retry.
    #[inline]
    pub fn set_suffix(&self, lock: &NodeLock<'_>, s: usize, suffix: SlotSuffix) -> *mut SuffixRaw {
        debug_assert!(lock.guards(self.version()));
        // Relaxed: the tables are only allocated and stored under this lock, and taking the
        // lock acquired everything earlier holders wrote (the Acquire loads are for readers).
        let short = self.short_suffixes.load(Ordering::Relaxed);
        let long = self.suffixes.load(Ordering::Relaxed);
        if let Some((word, len)) = suffix.short_word() {
            let table = if short.is_null() {
                let fresh = Box::into_raw(Box::new(ShortSuffixes::new()));
                // Release: readers that load the table see it initialised.
                self.short_suffixes.store(fresh, Ordering::Release);
                fresh
            } else {
                short
            };
            // SAFETY: the table is live until `Drop`; we hold the lock, so no other writer
            // races.
            let table = unsafe { &*table };
            table.words[s].store(word, Ordering::Relaxed);
            table.lens[s].store(len, Ordering::Relaxed);
            return if long.is_null() {
                core::ptr::null_mut()
            } else {
                self.swap_suffix(long, s, core::ptr::null_mut())
            };
        }
        if !short.is_null() {
            // SAFETY: as above.
            unsafe { &*short }.lens[s].store(0, Ordering::Relaxed);
        }
        let raw = suffix.long().unwrap_or(core::ptr::null_mut());
        if long.is_null() && raw.is_null() {
            // A leaf of short keys: no table, nothing to store.
            return core::ptr::null_mut();
        }
        self.swap_suffix(long, s, raw)
    }

    /// Stores a long suffix pointer (or null) in slot `s` of the suffix table, allocating the
    /// table if need be; returns the previous pointer.
    fn swap_suffix(
        &self,
        mut table: *mut SuffixTable,
        s: usize,
        suffix: *mut SuffixRaw,
    ) -> *mut SuffixRaw {
        if table.is_null() {
            let fresh: Box<SuffixTable> = Box::new(core::array::from_fn(|_| {
                AtomicPtr::new(core::ptr::null_mut())
            }));
            table = Box::into_raw(fresh);
            // Release: readers that load the table see it initialised.
            self.suffixes.store(table, Ordering::Release);
        }
        // SAFETY: the table is live until `Drop`; we hold the lock, so no other writer races.
        unsafe { (*table)[s].swap(suffix, Ordering::AcqRel) }
    }

    /// The right sibling, or null. Acquire: pairs with [`Self::set_next`].
    #[inline]
    pub fn next(&self) -> *mut Leaf {
        self.next.load(Ordering::Acquire)
    }

    /// Links the right sibling (a split publishes the new sibling here, fully built).
    #[inline]
    pub fn set_next(&self, next: *mut Leaf) {
        self.next.store(next, Ordering::Release);
    }

    /// The left sibling, or null.
    #[inline]
    pub fn prev(&self) -> *mut Leaf {
        self.prev.load(Ordering::Acquire)
    }

    /// Links the left sibling.
    #[inline]
    pub fn set_prev(&self, prev: *mut Leaf) {
        self.prev.store(prev, Ordering::Release);
    }
}

impl Drop for Leaf {
    fn drop(&mut self) {
        let short = self.short_suffixes.load(Ordering::Acquire);
        // An inline table is part of the block the leaf is in, freed with it.
        if !short.is_null() && !self.has_inline_short_suffixes() {
            // SAFETY: created by `Box::into_raw` in `set_suffix`; we are its only owner.
            drop(unsafe { Box::from_raw(short) });
        }
        let table = self.suffixes.load(Ordering::Acquire);
        // An inline table is part of the block, and `Leaf::free` freed its suffixes already.
        if table.is_null() || self.has_inline_long_suffixes() {
            return;
        }
        // SAFETY: the table was created by `Box::into_raw` in `set_suffix`; we are its only owner.
        let table = unsafe { Box::from_raw(table) };
        crate::leaf_block::free_long_suffixes(&table);
    }
}
