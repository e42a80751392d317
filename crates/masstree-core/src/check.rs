//! A structural check of the whole trie, for tests and soak runs (not public API).

use crate::node_ref;
use crate::search::class_order;
use crate::tree::RawTree;
use crate::value::ValueSlot;
use masstree_alloc::Reclaim;
use masstree_node::{KEYLEN_LAYER, NodeHeader};

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Walks every layer with exclusive access and checks: keys strictly increasing in every
    /// leaf and across the leaf chain, every key within its leaf's and parent's bounds, parent
    /// pointers consistent, no node locked or dirty, sibling links forming one chain per layer.
    /// Returns what it counted.
    #[doc(hidden)]
    pub fn check_invariants(&mut self) -> Result<TreeStats, String> {
        let mut stats = TreeStats::default();
        let mut layers = vec![self.root()];
        while let Some(mut root) = layers.pop() {
            // SAFETY: `&mut self`: exclusive access, every node is live.
            unsafe {
                while !node_ref::header(root).version.load().is_root() {
                    root = node_ref::header(root).parent().cast();
                }
                check_layer(root, &mut layers, &mut stats)?;
            }
            stats.layers += 1;
        }
        Ok(stats)
    }
}

/// What [`RawTree::check_invariants`] counted.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TreeStats {
    /// Keys (values) in the trie.
    pub keys: usize,
    /// Leaves, over all layers.
    pub leaves: usize,
    /// Internodes, over all layers.
    pub internodes: usize,
    /// Layers, layer 0 included.
    pub layers: usize,
}

/// Checks one layer's B+tree; pushes the roots of deeper layers.
///
/// # Safety
///
/// Exclusive access to a live tree.
unsafe fn check_layer(
    root: *mut NodeHeader,
    layers: &mut Vec<*mut NodeHeader>,
    stats: &mut TreeStats,
) -> Result<(), String> {
    let mut leaves = Vec::new();
    // (node, low bound inclusive, high bound exclusive or None, expected parent)
    let mut stack = vec![(root, 0u64, None::<u64>, core::ptr::null_mut::<NodeHeader>())];
    while let Some((n, low, high, parent)) = stack.pop() {
        // SAFETY: exclusive access (caller).
        let header = unsafe { node_ref::header(n) };
        let v = header.version.load();
        if v.is_locked() || v.is_dirty() || v.is_deleted() {
            return Err(format!("node {n:p} has version {v:?}"));
        }
        if !parent.is_null() && header.parent() != parent {
            return Err(format!(
                "node {n:p} has parent {:p}, expected {parent:p}",
                header.parent()
            ));
        }
        let in_bounds = |k: u64| k >= low && high.is_none_or(|h| k < h);
        if v.is_leaf() {
            // SAFETY: a leaf, live.
            let leaf = unsafe { node_ref::leaf(n) };
            let mut prev: Option<(u64, u8)> = None;
            for slot in leaf.permutation().iter() {
                let k = (leaf.ikey(slot), class_order(leaf.keylen(slot)));
                if !in_bounds(k.0) {
                    return Err(format!(
                        "leaf {n:p}: key {:#x} outside [{low:#x}, {high:?})",
                        k.0
                    ));
                }
                if prev.is_some_and(|p| p >= k) {
                    return Err(format!("leaf {n:p}: keys out of order at {k:?}"));
                }
                prev = Some(k);
                if leaf.keylen(slot) == KEYLEN_LAYER {
                    layers.push(leaf.value(slot).cast());
                } else {
                    stats.keys += 1;
                }
            }
            if !leaf.prev().is_null() && leaf.low_bound() != low {
                return Err(format!(
                    "leaf {n:p}: low bound {:#x} is not its range's {low:#x}",
                    leaf.low_bound()
                ));
            }
            stats.leaves += 1;
            leaves.push(n);
        } else {
            // SAFETY: an internode, live.
            let inode = unsafe { node_ref::internode(n) };
            stats.internodes += 1;
            let len = inode.len();
            for i in 0..len {
                if !in_bounds(inode.key(i)) || (i > 0 && inode.key(i - 1) >= inode.key(i)) {
                    return Err(format!(
                        "internode {n:p}: separator {i} out of order or bounds"
                    ));
                }
            }
            for i in (0..=len).rev() {
                let lo = if i == 0 { low } else { inode.key(i - 1) };
                let hi = if i == len { high } else { Some(inode.key(i)) };
                stack.push((inode.child(i), lo, hi, n));
            }
        }
    }
    // The leaves, visited left to right, must be exactly the `next` chain.
    for pair in leaves.windows(2) {
        // SAFETY: live leaves.
        let (a, b) = unsafe { (node_ref::leaf(pair[0]), node_ref::leaf(pair[1])) };
        if a.next().cast::<NodeHeader>() != pair[1] || b.prev().cast::<NodeHeader>() != pair[0] {
            return Err(format!(
                "leaf chain broken between {:p} and {:p}",
                pair[0], pair[1]
            ));
        }
    }
    Ok(())
}
