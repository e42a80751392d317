//! How the tree's retired objects are freed.

use masstree_alloc::Free;
use masstree_node::{Suffix, SuffixRaw};

/// Frees a retired suffix.
pub(crate) struct FreeSuffix;

impl Free<SuffixRaw> for FreeSuffix {
    unsafe fn free(ptr: *mut SuffixRaw) {
        // SAFETY: retired suffixes came from `Suffix::into_raw` and are retired once.
        drop(unsafe { Suffix::from_raw(ptr) });
    }
}

/// Frees a retired leaf (and the suffixes it still owns).
pub(crate) struct FreeLeaf;

impl Free<masstree_node::Leaf> for FreeLeaf {
    unsafe fn free(ptr: *mut masstree_node::Leaf) {
        // SAFETY: leaves are allocated with `Box::new` and retired once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Frees a retired internode.
pub(crate) struct FreeInternode;

impl Free<masstree_node::Internode> for FreeInternode {
    unsafe fn free(ptr: *mut masstree_node::Internode) {
        // SAFETY: internodes are allocated with `Box::new` and retired once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}
