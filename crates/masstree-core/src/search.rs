//! Searching one leaf for a key's slot.

use masstree_key::KEYLEN_SUFFIX;
use masstree_node::{Leaf, Permutation};

/// Where a key is in a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Search {
    /// At permutation position `pos`, in slot `slot`: the slice and length class match (for a
    /// suffix class the caller still compares suffixes; a layer slot is entered).
    Found { pos: usize, slot: usize },
    /// Not in the leaf; it would be inserted at position `pos`.
    Missing { pos: usize },
}

/// The order of a length class: suffix and layer slots both sort after every key that ends in
/// this slice.
#[inline]
pub(crate) fn class_order(keylen: u8) -> u8 {
    keylen.min(KEYLEN_SUFFIX)
}

/// The fewest live slots for which [`search`] halves its walk first.
const HALVING_MIN: usize = 6;

/// Linear search over the live slots in key order, comparing slices as integers.
#[inline]
pub(crate) fn search(leaf: &Leaf, perm: Permutation, ikey: u64, keylen: u8) -> Search {
    let class = class_order(keylen);
    let len = perm.len();
    // Past the largest slice: the answer without a walk (ascending inserts land here).
    if len == 0 || leaf.ikey(perm.get(len - 1)) < ikey {
        return Search::Missing { pos: len };
    }
    // In a leaf of more than a few keys, one halving step without a branch (see
    // `Internode::child_index`): when the middle slice is below `ikey`, so is every slice
    // before it, and the walk starts past it. A short walk (a sublayer's leaf of one or two
    // keys) is cheaper without the extra load.
    let half = len / 2;
    let start = if len >= HALVING_MIN {
        core::hint::select_unpredictable(leaf.ikey(perm.get(half)) < ikey, half + 1, 0)
    } else {
        0
    };
    for pos in start..len {
        let slot = perm.get(pos);
        let k = leaf.ikey(slot);
        if k < ikey {
            continue;
        }
        if k > ikey {
            return Search::Missing { pos };
        }
        let c = class_order(leaf.keylen(slot));
        if c < class {
            continue;
        }
        if c > class {
            return Search::Missing { pos };
        }
        return Search::Found { pos, slot };
    }
    Search::Missing { pos: len }
}
