//! Freeing the whole tree when it drops.

use crate::OlcBTree;
use crate::node::{header, internode, leaf};
use masstree_alloc::Reclaim;
use masstree_node::sync::Ordering;
use masstree_node::{Internode, Leaf, NodeHeader};

impl<V, R: Reclaim> Drop for OlcBTree<V, R> {
    fn drop(&mut self) {
        // `&mut self`: no guard is alive, no other thread uses the tree; every node reachable
        // from the root is owned by it (nodes are never unlinked), and each once.
        let mut stack: Vec<*mut NodeHeader> = vec![self.root.load(Ordering::Relaxed)];
        while let Some(n) = stack.pop() {
            // SAFETY: see above; the header says which node type it is.
            unsafe {
                if header(n).is_leaf() {
                    let leaf_ref = leaf(n);
                    for slot in leaf_ref.permutation().iter() {
                        drop(Box::from_raw(leaf_ref.value(slot).cast::<V>()));
                    }
                    drop(Box::from_raw(n.cast::<Leaf>()));
                } else {
                    let inode = internode(n);
                    stack.extend((0..=inode.len()).map(|i| inode.child(i)));
                    drop(Box::from_raw(Internode::from_header(n)));
                }
            }
        }
        // Retired values are freed by the reclaimer's own drop, after this.
    }
}
