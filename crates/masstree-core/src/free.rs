//! How the tree's retired objects are freed.

use masstree_alloc::{Free, NodePool};
use masstree_node::{Internode, Leaf, Suffix, SuffixRaw};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Frees a retired suffix.
pub(crate) struct FreeSuffix;

impl Free<SuffixRaw> for FreeSuffix {
    unsafe fn free(ptr: *mut SuffixRaw) {
        // SAFETY: retired suffixes came from `Suffix::into_raw` and are retired once.
        drop(unsafe { Suffix::from_raw(ptr) });
    }

    unsafe fn size(ptr: *const SuffixRaw) -> usize {
        // SAFETY: a retired suffix is valid until freed (caller).
        unsafe { Suffix::allocation_size(ptr) }
    }
}

/// Frees a retired leaf, with the suffix tables allocated in its block ([`Leaf::free`]).
pub(crate) struct FreeLeaf;

impl Free<Leaf> for FreeLeaf {
    unsafe fn free(ptr: *mut Leaf) {
        // SAFETY: retired leaves came from `Leaf::boxed` of the tree's pool, which outlives
        // its reclaimer, and are retired once.
        unsafe { Leaf::free(ptr) };
    }

    unsafe fn size(ptr: *const Leaf) -> usize {
        // SAFETY: a retired leaf is valid until freed (caller).
        unsafe { (*ptr).block_bytes() }
    }
}

/// Frees a retired value (a `Box<V>`), containing a panic from `V::drop`.
///
/// Retired values are dropped by the reclaimer, on whichever thread happens to reclaim their
/// batch and at a time unrelated to the write that retired them: a panic there cannot reach
/// the code responsible, and unwinding through the reclaimer's own bookkeeping would leave it
/// inconsistent (memory freed twice). The panic is caught here instead (the panic hook still
/// prints it) and the value's memory is freed as usual.
pub(crate) struct FreeValue;

impl<V> Free<V> for FreeValue {
    unsafe fn free(ptr: *mut V) {
        // SAFETY: retired values came from `Box::into_raw` and are retired once.
        let value = unsafe { Box::from_raw(ptr) };
        let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
    }
}

/// Frees a retired internode (a block of the tree's [`masstree_alloc::NodePool`]).
pub(crate) struct FreeInternode;

impl Free<Internode> for FreeInternode {
    unsafe fn free(ptr: *mut Internode) {
        // SAFETY: retired internodes came from the tree's pool (`NodePool::boxed`), which
        // outlives its reclaimer, and are retired once.
        unsafe { NodePool::drop_boxed(ptr) };
    }
}
