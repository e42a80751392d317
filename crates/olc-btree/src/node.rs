//! Views of a node pointer and the search of one leaf.

use masstree_node::{Internode, Leaf, NodeHeader, Permutation};

/// The header of node `n`.
///
/// # Safety
///
/// `n` is a node of a live tree (nodes are freed only when the tree drops).
#[inline]
pub(crate) unsafe fn header<'t>(n: *mut NodeHeader) -> &'t NodeHeader {
    // SAFETY: forwarded from the caller.
    unsafe { &*n }
}

/// Node `n` as a leaf.
///
/// # Safety
///
/// As [`header`], and `n`'s version says it is a leaf (fixed at creation). A leaf starts with
/// its header (`#[repr(C)]`).
#[inline]
pub(crate) unsafe fn leaf<'t>(n: *mut NodeHeader) -> &'t Leaf {
    // SAFETY: forwarded from the caller.
    unsafe { &*n.cast::<Leaf>() }
}

/// Node `n` as an internode.
///
/// # Safety
///
/// As [`header`], and `n`'s version says it is not a leaf.
#[inline]
pub(crate) unsafe fn internode<'t>(n: *mut NodeHeader) -> &'t Internode {
    // SAFETY: forwarded from the caller.
    unsafe { &*Internode::from_header(n) }
}

/// Whether node `n` is full (a leaf with 15 keys, an internode with `INTERNODE_WIDTH`
/// separators): an insert into it, or a split below it, splits it too.
///
/// # Safety
///
/// As [`header`].
pub(crate) unsafe fn is_full(n: *mut NodeHeader) -> bool {
    // SAFETY: forwarded from the caller; the header says which node type it is.
    unsafe {
        if header(n).is_leaf() {
            leaf(n).permutation().is_full()
        } else {
            internode(n).is_full()
        }
    }
}

/// Where `ikey` is in a leaf's permutation `perm`: its position and slot, or the position it
/// would take.
#[inline]
pub(crate) fn search(leaf: &Leaf, perm: Permutation, ikey: u64) -> Result<(usize, usize), usize> {
    for pos in 0..perm.len() {
        let slot = perm.get(pos);
        let k = leaf.ikey(slot);
        if k == ikey {
            return Ok((pos, slot));
        }
        if k > ikey {
            return Err(pos);
        }
    }
    Err(perm.len())
}

/// The slice of a key (for a `u64`, its value: big-endian bytes compare as the integer).
#[inline]
pub(crate) fn ikey(key: u64) -> u64 {
    masstree_key::ikey_of(&key.to_be_bytes())
}

/// The length class of every key here: 8 bytes, no suffix.
pub(crate) const KEYLEN: u8 = 8;
