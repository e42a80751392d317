//! Cache-line prefetching for the descent: a node's lines are requested together instead of
//! one miss after another as the search touches them.

use core::mem::size_of;
use masstree_node::{Internode, Leaf};

/// Cache lines of the larger node kind (an internode's seven; a leaf has five): what
/// [`prefetch_node`] requests for a node of either kind.
const NODE_LINES: usize = {
    let (leaf, inode) = (size_of::<Leaf>(), size_of::<Internode>());
    (if leaf > inode { leaf } else { inode }) / 64
};

/// Asks the CPU to start loading the cache lines of the node at `ptr` (a leaf or internode;
/// the larger one's size, [`NODE_LINES`]: the kind is not known before the node is read, and
/// past a leaf's end the two extra lines are the suffix tables in its block, if it has any,
/// or mere hints). A hint only: it never faults, whatever `ptr` is. Null is skipped:
/// a prefetch of the null page is not free but a failed page walk per line (measured: the
/// scan fill's prefetch of a last leaf's null `next` was a fifth of YCSB-E, whose sublayers
/// are mostly one leaf each).
#[inline(always)]
pub(crate) fn prefetch_node<T>(ptr: *const T) {
    if ptr.is_null() {
        return;
    }
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let base = ptr.cast::<i8>();
        for line in 0..NODE_LINES {
            // SAFETY: `sse` is part of the x86_64 baseline, so the target feature is present;
            // a prefetch only hints the cache and never faults, for any address (hence
            // `wrapping_add`: nothing here claims the address is in bounds).
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(line * 64)) };
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    let _ = ptr;
}

/// [`prefetch_node`] for a leaf whose block is likely `block_bytes` long (the leaf and the
/// tables allocated with it: see `Leaf::boxed`): also the block's lines past the
/// [`NODE_LINES`] that `prefetch_node` covers.
#[inline(always)]
pub(crate) fn prefetch_leaf_block(ptr: *const Leaf, block_bytes: usize) {
    prefetch_node(ptr);
    if !ptr.is_null() {
        prefetch_block_tail(ptr, block_bytes);
    }
}

/// Asks the CPU to start loading the one cache line at `ptr` (a value, a suffix). Null is
/// skipped, as in [`prefetch_node`] (a slot's suffix or value pointer may be null).
#[inline(always)]
pub(crate) fn prefetch_line<T>(ptr: *const T) {
    if ptr.is_null() {
        return;
    }
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: as in `prefetch_node`: baseline target feature, and prefetches never fault.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(ptr.cast::<i8>()) };
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    let _ = ptr;
}

/// Asks the CPU to start loading `leaf`'s suffix table (one miss more on the way to any long
/// suffix of the leaf), if it has one: its first two lines. For a table in the leaf's block,
/// the block's lines past the seven a descent's [`prefetch_node`] requested (none for a
/// 448-byte block), addressed from the leaf: reading the table pointer would wait for the
/// leaf's line that holds it first (see [`prefetch_short_suffix_table`]).
#[inline(always)]
pub(crate) fn prefetch_suffix_table(leaf: &Leaf) {
    if leaf.has_inline_long_suffixes() {
        prefetch_block_tail(leaf, leaf.block_bytes());
    } else {
        prefetch_table(leaf.suffix_table_addr(), 2);
    }
}

/// [`prefetch_suffix_table`] for the short-suffix table (136 bytes: up to three lines, as the
/// allocation need not start on one). Nothing for a table in the leaf's block: reading the
/// pointer would wait for the leaf's last line first (15% of a YCSB-C lookup's samples sat
/// there), and the seven lines a descent requested hold all but slot 14's word (requesting
/// the block's eighth line as well measured slower: YCSB-C 2.26-2.52 -> 2.09-2.27 Mops/s,
/// five alternated runs).
#[inline(always)]
pub(crate) fn prefetch_short_suffix_table(leaf: &Leaf) {
    if !leaf.has_inline_short_suffixes() {
        prefetch_table(leaf.short_suffix_table_addr(), 3);
    }
}

/// The lines of the `block_bytes`-long block of the leaf at `leaf` past the [`NODE_LINES`]
/// that [`prefetch_node`] covers (its tables' last bytes: the long-suffix table of a 576-byte
/// block with both), from the leaf's own address.
#[inline(always)]
fn prefetch_block_tail(leaf: *const Leaf, block_bytes: usize) {
    let base = leaf.cast::<u8>();
    for line in NODE_LINES..block_bytes.div_ceil(64) {
        prefetch_line(base.wrapping_add(line * 64));
    }
}

/// The first `lines` cache lines of a leaf's table, if the leaf has one (null: none; the
/// lines past it would be addresses in the null page, as costly as null itself).
#[inline(always)]
fn prefetch_table(table: *const u8, lines: usize) {
    if table.is_null() {
        return;
    }
    for line in 0..lines {
        prefetch_line(table.wrapping_add(line * 64));
    }
}
