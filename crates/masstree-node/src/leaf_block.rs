//! How a leaf is allocated (a block of a map's `NodePool`) and freed: alone, or in one block
//! with its suffix tables.
//!
//! A leaf's suffix tables are separate objects, allocated the first time the leaf needs one,
//! wherever the allocator has room: a lookup that compares a suffix waits for the leaf, then
//! for the table's line, then for the suffix. A leaf that is known to need a table when it is
//! made (a split's half that takes such suffixes, a new layer's leaf) gets it right after its
//! own 320 bytes instead, where the lines a descent prefetches with the leaf bring it along:
//! one dependent miss fewer per suffix compared.

use crate::leaf::{Leaf, SuffixTable};
use crate::slot_suffix::ShortSuffixes;
use crate::suffix::Suffix;
use crate::sync::{AtomicPtr, Ordering};
use crate::version::NodeVersion;
use masstree_alloc::NodePool;

/// Which of a leaf's suffix tables come in the leaf's own block ([`Leaf::boxed`]): the
/// short-suffix table (suffixes of 1 to 8 bytes), the long-suffix table (pointers to longer
/// ones), both, or none.
///
/// ```
/// use masstree_node::InlineTables;
///
/// let both = InlineTables::with(true, true);
/// assert!(both.short() && both.long());
/// assert_eq!(InlineTables::with(false, false), InlineTables::NONE);
/// assert!(InlineTables::LONG.long() && !InlineTables::LONG.short());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlineTables(u8);

impl InlineTables {
    /// A plain leaf: its tables, if it ever needs them, are allocations of their own.
    pub const NONE: Self = Self(0);
    /// The short-suffix table in the block (512 bytes in all).
    pub const SHORT: Self = Self(1);
    /// The long-suffix table in the block (448 bytes in all: the seven lines a descent
    /// prefetches for a node).
    pub const LONG: Self = Self(2);
    /// Both tables in the block (576 bytes in all).
    pub const BOTH: Self = Self(3);

    /// The tables a leaf for short suffixes (`short`) and long ones (`long`) should have.
    #[must_use]
    pub const fn with(short: bool, long: bool) -> Self {
        Self(short as u8 | ((long as u8) << 1))
    }

    /// Whether the short-suffix table is in the block.
    #[must_use]
    pub const fn short(self) -> bool {
        self.0 & 1 != 0
    }

    /// Whether the long-suffix table is in the block.
    #[must_use]
    pub const fn long(self) -> bool {
        self.0 & 2 != 0
    }

    /// The flag byte a leaf keeps.
    pub(crate) const fn bits(self) -> u8 {
        self.0
    }

    /// The tables of a leaf's flag byte.
    pub(crate) const fn from_bits(bits: u8) -> Self {
        Self(bits & 3)
    }
}

/// A leaf and tables allocated with it. The leaf comes first, so a pointer to the block is a
/// pointer to the leaf.
#[repr(C)]
struct Block<T> {
    leaf: Leaf,
    tables: T,
}

/// Both tables of a block ([`InlineTables::BOTH`]).
#[repr(C)]
struct BothTables {
    short: ShortSuffixes,
    long: SuffixTable,
}

fn empty_long_table() -> SuffixTable {
    core::array::from_fn(|_| AtomicPtr::new(core::ptr::null_mut()))
}

impl Leaf {
    /// An empty leaf in a block of `pool`, holding slices `>= low_bound`, root of its layer or
    /// not, with `tables` allocated in its block (see [`InlineTables`]; a
    /// [`InlineTables::NONE`] block is the leaf alone). Starts locked when `locked` (a split's
    /// new sibling, taken over with [`NodeVersion::adopt_lock`]).
    ///
    /// Free it with [`Leaf::free`] while `pool` is alive.
    ///
    /// ```
    /// use masstree_alloc::NodePool;
    /// use masstree_node::{InlineTables, Leaf, SlotSuffix};
    ///
    /// let pool = NodePool::default();
    /// let leaf = Leaf::boxed(0, true, false, InlineTables::BOTH, &pool);
    /// // SAFETY: fresh, and freed once below.
    /// let leaf_ref = unsafe { &*leaf };
    /// {
    ///     let lock = leaf_ref.version().lock();
    ///     leaf_ref.set_suffix(&lock, 3, SlotSuffix::owned(b"tail"));
    ///     leaf_ref.set_suffix(&lock, 4, SlotSuffix::owned(b"a tail of more than a word"));
    /// }
    /// // SAFETY: a short suffix holds its bytes itself; the long one lives with the leaf.
    /// unsafe {
    ///     assert_eq!(leaf_ref.suffix(3).as_bytes(), b"tail");
    ///     assert_eq!(leaf_ref.suffix(4).as_bytes(), b"a tail of more than a word");
    /// }
    /// assert_eq!(leaf_ref.inline_tables(), InlineTables::BOTH);
    /// // SAFETY: made by `boxed`, freed once, no one else reads it.
    /// unsafe { Leaf::free(leaf) };
    /// ```
    #[must_use]
    pub fn boxed(
        low_bound: u64,
        root: bool,
        locked: bool,
        tables: InlineTables,
        pool: &NodePool,
    ) -> *mut Leaf {
        let version = if locked {
            NodeVersion::new_locked(true, root)
        } else {
            NodeVersion::new(true, root)
        };
        let leaf = Self::with_version(low_bound, version);
        match tables {
            InlineTables::SHORT => boxed_block(pool, leaf, ShortSuffixes::new(), tables, |t| {
                (t, core::ptr::null_mut())
            }),
            InlineTables::LONG => boxed_block(pool, leaf, empty_long_table(), tables, |t| {
                (core::ptr::null_mut(), t)
            }),
            InlineTables::BOTH => {
                let both = BothTables {
                    short: ShortSuffixes::new(),
                    long: empty_long_table(),
                };
                boxed_block(pool, leaf, both, tables, |t| {
                    // SAFETY: `t` points to the fresh block's tables; the field projections
                    // stay inside them and keep the block's provenance.
                    unsafe { (&raw mut (*t).short, &raw mut (*t).long) }
                })
            }
            _ => pool.boxed(leaf),
        }
    }

    /// Frees a leaf made by [`Leaf::boxed`], with its tables and the long suffixes it owns.
    ///
    /// ```
    /// use masstree_alloc::NodePool;
    /// use masstree_node::{InlineTables, Leaf};
    ///
    /// let pool = NodePool::default();
    /// let plain = Leaf::boxed(0, true, false, InlineTables::NONE, &pool);
    /// let with_table = Leaf::boxed(0, true, false, InlineTables::LONG, &pool);
    /// // SAFETY: each was made as listed, is freed once, and no one else reads it.
    /// unsafe {
    ///     Leaf::free(plain);
    ///     Leaf::free(with_table);
    /// }
    /// ```
    ///
    /// # Safety
    ///
    /// `leaf` was made by [`Leaf::boxed`] of a pool that is still alive, is freed once, and no
    /// one reads it after.
    /// It may have been derived from a `&Leaf` (so its borrow covers only the leaf's bytes, not
    /// a block's tables): a block is freed through a table pointer, which covers it all.
    pub unsafe fn free(leaf: *mut Leaf) {
        // SAFETY: `leaf` is valid (caller).
        let leaf_ref = unsafe { &*leaf };
        let tables = leaf_ref.inline_tables();
        // Relaxed: the freeing thread owns the leaf (the reclaimer or an exclusive owner
        // ordered everything before), and an inline table's pointer is fixed at creation.
        let short = leaf_ref.short_suffixes.load(Ordering::Relaxed);
        let long = leaf_ref.suffixes.load(Ordering::Relaxed);
        if tables.long() {
            // The long suffixes in a block's table go first, while the table is read through
            // its own pointer; `Drop` leaves an inline table alone.
            // SAFETY: an inline table lives as long as the leaf, and we own both.
            free_long_suffixes(unsafe { &*long });
        }
        // SAFETY: in every arm, an inline table means the leaf is the first field of a block
        // made by `boxed` with those tables, and the table pointer was made from the raw block
        // pointer, so it carries the block's provenance (one made from `&Leaf` would not,
        // under Stacked Borrows); stepping back by the table's offset gives the block's start,
        // as the pool returned it. Each is freed once (caller).
        unsafe {
            match tables {
                InlineTables::SHORT => free_block::<ShortSuffixes>(short.cast()),
                InlineTables::LONG => free_block::<SuffixTable>(long.cast()),
                InlineTables::BOTH => free_block::<BothTables>(
                    short
                        .byte_sub(core::mem::offset_of!(BothTables, short))
                        .cast(),
                ),
                // The caller's guarantee: a plain leaf from `boxed`, in a pool block.
                _ => NodePool::drop_boxed(leaf),
            }
        }
    }

    /// The tables allocated with this leaf, in its block ([`Leaf::boxed`]): their lines lie
    /// right after the leaf's.
    ///
    /// ```
    /// use masstree_node::{InlineTables, Leaf};
    ///
    /// assert_eq!(Leaf::new(0, true).inline_tables(), InlineTables::NONE);
    /// let pool = masstree_alloc::NodePool::default();
    /// let leaf = Leaf::boxed(0, true, false, InlineTables::SHORT, &pool);
    /// // SAFETY: fresh; freed once below, after the last read.
    /// assert!(unsafe { (*leaf).inline_tables() }.short());
    /// unsafe { Leaf::free(leaf) };
    /// ```
    #[inline]
    pub fn inline_tables(&self) -> InlineTables {
        // Relaxed: fixed before the leaf is published, and a reader reaches the leaf through
        // a release store of a pointer to it, which orders the flag before the reader's load.
        InlineTables::from_bits(self.inline_tables.load(Ordering::Relaxed))
    }

    /// The bytes of the leaf's block, from the leaf's start: its own 320, plus the tables
    /// allocated with it. What a prefetch of the leaf and its tables covers.
    ///
    /// ```
    /// use masstree_node::{InlineTables, Leaf};
    ///
    /// assert_eq!(Leaf::new(0, true).block_bytes(), 320);
    /// let pool = masstree_alloc::NodePool::default();
    /// let leaf = Leaf::boxed(0, true, false, InlineTables::LONG, &pool);
    /// // SAFETY: fresh; freed once below, after the last read.
    /// assert_eq!(unsafe { (*leaf).block_bytes() }, 448);
    /// unsafe { Leaf::free(leaf) };
    /// ```
    #[inline]
    pub fn block_bytes(&self) -> usize {
        // Indexed by the flag's bits (a load, where a `match` compiled to a jump table in the
        // scan's fill).
        const BYTES: [usize; 4] = [
            size_of::<Leaf>(),
            size_of::<Block<ShortSuffixes>>(),
            size_of::<Block<SuffixTable>>(),
            size_of::<Block<BothTables>>(),
        ];
        BYTES[usize::from(self.inline_tables().bits())]
    }
}

/// Allocates `leaf` and `tables` in one block, points the leaf at its tables (`link` maps the
/// tables' address to the leaf's short and long table pointers, null for one not in the
/// block) and records `which` it has.
fn boxed_block<T>(
    pool: &NodePool,
    leaf: Leaf,
    tables: T,
    which: InlineTables,
    link: impl FnOnce(*mut T) -> (*mut ShortSuffixes, *mut SuffixTable),
) -> *mut Leaf {
    let block = pool.boxed(Block { leaf, tables });
    // SAFETY: `block` is fresh and valid; the tables stay at this address until the block is
    // freed. Relaxed: the leaf is not published yet, and whatever publishes it (a release
    // store of a pointer to it) orders these stores before any reader's load.
    unsafe {
        let (short, long) = link(&raw mut (*block).tables);
        let leaf = &(*block).leaf;
        if !short.is_null() {
            leaf.short_suffixes.store(short, Ordering::Relaxed);
        }
        if !long.is_null() {
            leaf.suffixes.store(long, Ordering::Relaxed);
        }
        leaf.inline_tables.store(which.bits(), Ordering::Relaxed);
    }
    block.cast()
}

/// Frees a block given its tables' address.
///
/// # Safety
///
/// `tables` points to the `tables` field of a live `Block<T>` made by [`boxed_block`], with
/// the whole block's provenance, and the block is freed once; its long suffixes, if any, were
/// freed already.
unsafe fn free_block<T>(tables: *mut T) {
    // SAFETY: the caller's guarantee: stepping back by the field's offset gives the block.
    let block = unsafe { tables.byte_sub(core::mem::offset_of!(Block<T>, tables)) };
    // SAFETY: as above: the start of a pool block holding a `Block<T>`, freed once.
    unsafe { NodePool::drop_boxed(block.cast::<Block<T>>()) };
}

/// Frees the long suffixes a table points to (the leaf that owns the table is being freed)
/// and clears the entries.
pub(crate) fn free_long_suffixes(table: &SuffixTable) {
    for slot in table {
        // Relaxed: the freeing thread owns the leaf; the reclaimer or exclusive access ordered
        // every writer's stores before this.
        let raw = slot.swap(core::ptr::null_mut(), Ordering::Relaxed);
        if !raw.is_null() {
            // SAFETY: a non-null entry is a suffix the leaf owns (writers take ownership of
            // replaced pointers from `set_suffix`), and the leaf is being freed by its owner.
            drop(unsafe { Suffix::from_raw(raw) });
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::InlineTables;
    use crate::{Leaf, SlotSuffix};

    /// Every kind of block stores, replaces and frees short and long suffixes in every slot,
    /// and reads back what it stored (under miri: the block's provenance, and no leak).
    #[test]
    fn every_block_kind_keeps_and_frees_its_suffixes() {
        let kinds = [
            InlineTables::NONE,
            InlineTables::SHORT,
            InlineTables::LONG,
            InlineTables::BOTH,
        ];
        let bytes = |slot: usize, round: usize| -> Vec<u8> {
            // Short (1..=8 bytes) in odd slots, long (9.. bytes) in even ones; the other way
            // around in the second round, so each slot's replacement changes kind.
            let long = (slot + round).is_multiple_of(2);
            let len = if long { 9 + slot } else { 1 + slot % 8 };
            (0..len).map(|i| (slot * 31 + i + round) as u8).collect()
        };
        for kind in kinds {
            let pool = masstree_alloc::NodePool::default();
            let leaf = Leaf::boxed(7, false, false, kind, &pool);
            // SAFETY: fresh; freed once at the end, after the last read.
            let leaf_ref = unsafe { &*leaf };
            assert_eq!(leaf_ref.inline_tables(), kind);
            assert_eq!(leaf_ref.low_bound(), 7);
            for round in 0..2 {
                let lock = leaf_ref.version().lock();
                for slot in 0..crate::WIDTH {
                    let old =
                        leaf_ref.set_suffix(&lock, slot, SlotSuffix::owned(&bytes(slot, round)));
                    if !old.is_null() {
                        // SAFETY: the replaced long suffix passed to us; no reader holds it.
                        drop(unsafe { crate::Suffix::from_raw(old) });
                    }
                }
                drop(lock);
                for slot in 0..crate::WIDTH {
                    let suffix = leaf_ref.suffix(slot);
                    // SAFETY: the suffix was stored above and is owned by the live leaf.
                    let got = unsafe { suffix.as_bytes() }.to_vec();
                    assert_eq!(
                        got,
                        bytes(slot, round),
                        "{kind:?} slot {slot} round {round}"
                    );
                }
            }
            // SAFETY: made by `boxed`, freed once, no one else reads it.
            unsafe { Leaf::free(leaf) };
        }
    }
}
