//! Freeing a whole trie with exclusive access (drop and clear).

use crate::node_ref;
use crate::value::ValueSlot;
use masstree_node::{KEYLEN_LAYER, NodeHeader};
use std::panic::resume_unwind;

/// Whether freeing a trie also drops its values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Values {
    /// Drop every value (drop and clear).
    Drop,
    /// Leave the values alone: the caller took them out (draining into an owned iterator).
    Keep,
}

/// Frees every node of the layer rooted at `root`, every deeper layer, and (with
/// [`Values::Drop`]) every value.
///
/// Iterative (an explicit stack), so a chain of thousands of layers from megabyte-long keys
/// cannot overflow the thread's stack. If a value's `Drop` panics, the rest is still freed and
/// the first panic is resumed at the end (as `BTreeMap` does), so nothing leaks.
///
/// # Safety
///
/// The caller has exclusive access to the tree, `root` is the current root of its layer (or a
/// node that was), and nothing reachable from it was retired.
pub(crate) unsafe fn destroy_layer<V, S: ValueSlot<V>>(root: *mut NodeHeader, values: Values) {
    let mut panic = None;
    let mut stack = vec![root];
    while let Some(mut n) = stack.pop() {
        // Climb to the real root in case the pointer is stale.
        // SAFETY: exclusive access; every pointer followed is owned by the tree.
        unsafe {
            while !node_ref::header(n).version.load().is_root() {
                n = node_ref::header(n).parent().cast();
            }
        }
        let mut nodes = vec![n];
        while let Some(node) = nodes.pop() {
            // SAFETY: exclusive access; each node is visited once (a tree), then freed once.
            unsafe {
                if node_ref::header(node).is_leaf() {
                    let leaf = node_ref::leaf(node);
                    for slot in leaf.permutation().iter() {
                        let value = leaf.value(slot);
                        if leaf.keylen(slot) == KEYLEN_LAYER {
                            stack.push(value.cast());
                        } else if values == Values::Drop
                            && let Err(payload) = S::drop_word(value)
                        {
                            panic.get_or_insert(payload);
                        }
                    }
                    masstree_node::Leaf::free(node.cast());
                } else {
                    let inode = node_ref::internode(node);
                    for i in 0..=inode.len() {
                        nodes.push(inode.child(i));
                    }
                    masstree_alloc::NodePool::drop_boxed(node.cast::<masstree_node::Internode>());
                }
            }
        }
    }
    if let Some(payload) = panic {
        resume_unwind(payload);
    }
}
