//! A validated copy of one leaf's live slots, in key order.

use super::direction::Direction;
use crate::search::class_order;
use arrayvec::ArrayVec;
use core::mem::MaybeUninit;
use masstree_key::KEYLEN_SUFFIX;
use masstree_node::{KEYLEN_LAYER, Leaf, Permutation, SlotSuffix, WIDTH};

/// A position within one layer: `(ikey, class)` with `class = min(keylen, 9)`.
pub(super) type Position = (u64, u8);

/// One live slot, as read in a validated snapshot.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub(super) ikey: u64,
    pub(super) keylen: u8,
    pub(super) value: *mut (),
    /// Initialized exactly when `keylen` is `KEYLEN_SUFFIX` (the only entries that have one):
    /// [`Snapshot::fill`] (`copy_slots`) writes no suffix for the others, two stores of five
    /// per entry fewer for keys that end in their slice.
    suffix: MaybeUninit<SlotSuffix>,
}

impl Entry {
    /// The slot's suffix (none unless `keylen` is `KEYLEN_SUFFIX`).
    #[inline]
    pub(super) fn suffix(&self) -> SlotSuffix {
        if self.keylen == KEYLEN_SUFFIX {
            // SAFETY: a suffix entry's suffix is initialized (see the field).
            unsafe { self.suffix.assume_init() }
        } else {
            SlotSuffix::NONE
        }
    }

    /// Whether the key ends in this layer (in its slice, or with its suffix): not a layer
    /// link, nor a suffix slot without its suffix. Such an entry needs no step beyond its own
    /// key: the entries a scan's fast paths take.
    #[inline]
    pub(super) fn ends_in_layer(&self) -> bool {
        self.keylen <= 8 || (self.keylen == KEYLEN_SUFFIX && !self.suffix().is_none())
    }

    #[inline]
    pub(super) fn position(&self) -> Position {
        (self.ikey, class_order(self.keylen))
    }
}

/// A validated copy of one leaf's live slots, in key order.
pub(super) struct Snapshot {
    pub(super) entries: ArrayVec<Entry, WIDTH>,
    /// The leaf read.
    pub(super) leaf: *const Leaf,
    pub(super) next: *mut Leaf,
    /// The left sibling as the leaf records it: a hint for reverse scans, checked before use.
    pub(super) prev: *mut Leaf,
    pub(super) low_bound: u64,
    /// Whether value words are pointers worth prefetching (boxed values, not inline ones).
    pub(super) prefetch_values: bool,
    /// Whether every entry is a key that ends in this layer (in its slice, or with a suffix):
    /// no layer link, no suffix slot without its suffix. Lets a scan's run take the whole
    /// snapshot without looking at each entry first.
    pub(super) plain: bool,
}

impl Snapshot {
    /// Reads `leaf` into `self` (in place: no copy of the entries) until a read validates;
    /// `false` if the leaf was unlinked.
    pub(super) fn fill<D: Direction>(&mut self, leaf: &Leaf) -> bool {
        loop {
            let v = leaf.version().stable();
            if v.is_deleted() {
                return false;
            }
            let perm = leaf.permutation();
            self.entries.clear();
            self.leaf = leaf;
            self.next = leaf.next();
            self.prev = leaf.prev();
            // The leaf the scan reads next: its lines load while this one is read and its
            // entries are emitted, instead of one miss after another when the scan gets there
            // (a full scan spent half its time waiting on each leaf's first line). Issued
            // before validation, as early as the pointer is known; a prefetch is only a hint.
            let ahead = if D::FORWARD { self.next } else { self.prev };
            // A leaf with suffix tables in its block passes them on when it splits, so its
            // neighbour most likely has the same block.
            crate::prefetch::prefetch_leaf_block(ahead, leaf.block_bytes());
            self.low_bound = leaf.low_bound();
            // The long-suffix table (an allocation of its own, or the end of the leaf's block)
            // is read for the first long suffix below: request its lines before the slots are
            // walked (a hint only). Not the short-suffix table: prefetching it too measured
            // slower (YCSB-E 0.43 -> 0.415 Mops/s, medians of 4), its first read comes soon
            // after anyway.
            crate::prefetch::prefetch_suffix_table(leaf);
            let count = perm.len();
            let plain = if self.prefetch_values {
                copy_slots::<true>(leaf, perm, &mut self.entries)
            } else {
                copy_slots::<false>(leaf, perm, &mut self.entries)
            };
            // SAFETY: `copy_slots` wrote the first `count` entries, every field but a
            // non-suffix entry's suffix, which may stay uninitialized (`Entry` is `Copy`:
            // nothing to drop in what they replace).
            unsafe { self.entries.set_len(count) };
            if !leaf.version().has_changed(v) {
                self.plain = plain;
                return true;
            }
        }
    }
}

/// Copies each of `perm`'s live slots of `leaf`, in key order, into `entries`' storage (its
/// length is left for the caller to set), before validation; returns whether every entry is a
/// key that ends in its layer (`Snapshot::plain`). With `PREFETCH_VALUES` (boxed values:
/// scattered allocations, read next, one per key) every value word but a layer link's is
/// prefetched, so that their misses overlap instead of queueing (a prefetch is only a hint,
/// never a read). The flag is a parameter, not a test per entry, and the classes are folded
/// into a mask tested once: the loop that tested both for each entry took 26 instructions per
/// entry of an 8-byte-key scan, ~2600 of a 100-entry scan's 8034 (callgrind, 2026-12-02).
#[inline(always)]
fn copy_slots<const PREFETCH_VALUES: bool>(
    leaf: &Leaf,
    perm: Permutation,
    entries: &mut ArrayVec<Entry, WIDTH>,
) -> bool {
    // Written through a pointer with the count in a register: `push` would load and store the
    // vector's length around every entry (the leaf's atomics keep the compiler from holding
    // it).
    let out = entries.as_mut_ptr();
    // Bit `c` set when an entry of class `c` was copied: one shift and one `or` per entry.
    let mut classes = 0u32;
    let mut suffix_missing = false;
    for pos in 0..perm.len() {
        let slot = perm.get(pos);
        let keylen = leaf.keylen(slot);
        // Even before validation: a class is one atomic byte, and writers store only classes.
        debug_assert!(keylen <= KEYLEN_LAYER);
        let value = leaf.value(slot);
        if PREFETCH_VALUES && keylen != KEYLEN_LAYER {
            crate::prefetch::prefetch_line(value);
        }
        // SAFETY: a permutation lists at most `WIDTH` slots, the vector's capacity, so
        // `pos < WIDTH`: `at` is inside the vector's storage.
        let at = unsafe { out.add(pos) };
        // SAFETY: `at` is valid for writes (above); fields are written one by one, the suffix
        // only for a suffix entry, as `Entry::suffix` requires.
        unsafe {
            (&raw mut (*at).ikey).write(leaf.ikey(slot));
            (&raw mut (*at).keylen).write(keylen);
            (&raw mut (*at).value).write(value);
        }
        classes |= 1u32.wrapping_shl(u32::from(keylen));
        if keylen == KEYLEN_SUFFIX {
            let suffix = leaf.suffix(slot);
            if let Some(long) = suffix.long() {
                crate::prefetch::prefetch_line(masstree_node::Suffix::storage(long));
            }
            // SAFETY: as above.
            unsafe { (&raw mut (*at).suffix).write(MaybeUninit::new(suffix)) };
            suffix_missing |= suffix.is_none();
        }
    }
    // No layer link (nor, defensively, any class past it: none is ever stored) and no
    // suffix slot without its suffix.
    classes >> KEYLEN_LAYER == 0 && !suffix_missing
}
