//! Casts between node header pointers and the concrete node types.

use masstree_node::{Internode, Leaf, NodeHeader};

/// The leaf behind a header pointer.
///
/// # Safety
///
/// `n` must point to a live `Leaf` (its version has the `LEAF` bit) for `'a`: for readers,
/// loaded from the tree while pinned; nodes are freed only through the reclaimer.
#[inline]
pub(crate) unsafe fn leaf<'a>(n: *const NodeHeader) -> &'a Leaf {
    // SAFETY: `Leaf` is `#[repr(C)]` with its header first; the caller guarantees it is live.
    unsafe { &*n.cast::<Leaf>() }
}

/// The internode behind a header pointer.
///
/// # Safety
///
/// As for [`leaf`], for a live `Internode`.
#[inline]
pub(crate) unsafe fn internode<'a>(n: *const NodeHeader) -> &'a Internode {
    // SAFETY: `Internode` is `#[repr(C)]` with its header first; the caller guarantees it is live.
    unsafe { &*n.cast::<Internode>() }
}

/// The header of a node.
///
/// # Safety
///
/// `n` must point to a live node for `'a`.
#[inline]
pub(crate) unsafe fn header<'a>(n: *const NodeHeader) -> &'a NodeHeader {
    // SAFETY: the caller guarantees `n` is live.
    unsafe { &*n }
}

/// A leaf as a header pointer.
#[inline]
pub(crate) fn leaf_header(leaf: &Leaf) -> *mut NodeHeader {
    (leaf as *const Leaf).cast_mut().cast()
}
