//! Batched lookups: several descents in flight at once, so their cache misses overlap.
//!
//! A single lookup in a large tree is a chain of dependent misses (root, internodes, leaf,
//! value), each waiting for the one before. `get_many` first walks the layer-0 paths of a group
//! of keys level by level, prefetching every key's next node before reading any of them, and
//! the value each key would find; then it runs the ordinary validated `get` for each key, which
//! now finds its nodes in cache. The first pass is only a hint: it reads without validating
//! (every node it touches stays allocated while the caller is pinned), and a torn read merely
//! prefetches the wrong line.

use crate::node_ref;
use crate::prefetch::{prefetch_line, prefetch_node};
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::KeyCursor;
use masstree_node::{KEYLEN_LAYER, Leaf, NodeHeader};

/// Lookups in flight together.
const GROUP: usize = 16;

/// Deepest layer-0 path the hint pass follows (a tree of 15-way leaves and 24-way internodes
/// this deep holds more keys than memory does).
const MAX_HEIGHT: usize = 16;

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// The values of `keys`, in order: the same answers as calling [`RawTree::get`] for each key,
    /// with the descents of up to 16 keys overlapped.
    pub fn get_many<'g, G: GuardOf<R>>(
        &'g self,
        keys: &[&[u8]],
        guard: &'g G,
    ) -> Vec<Option<S::Ref<'g>>> {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        let mut out = Vec::with_capacity(keys.len());
        for group in keys.chunks(GROUP) {
            let leaves = self.prefetch_paths(group);
            out.extend(group.iter().zip(leaves).map(|(k, leaf)| {
                // SAFETY: a hint leaf was read from layer 0 by the pass just above, under
                // `guard`, which is still pinned.
                let hint = (!leaf.is_null()).then(|| unsafe { &*leaf });
                // SAFETY: as above.
                unsafe { self.get_hinted(k, hint, guard) }
            }));
        }
        out
    }

    /// The hint pass: walks each key's layer-0 path one level per round across the group,
    /// prefetching the next node of every key before any of them is read. Returns the layer-0
    /// leaf each key's walk ended at (null where it did not reach one), for the lookups to start
    /// from instead of descending again: unvalidated, so only a hint (see
    /// [`RawTree::get_hinted`]). The caller is pinned.
    fn prefetch_paths(&self, keys: &[&[u8]]) -> [*const Leaf; GROUP] {
        let mut leaves: [*const Leaf; GROUP] = [core::ptr::null(); GROUP];
        let mut nodes: [*const NodeHeader; GROUP] = [core::ptr::null(); GROUP];
        let slices: [(u64, u8); GROUP] = core::array::from_fn(|i| {
            keys.get(i).map_or((0, 0), |k| {
                let cursor = KeyCursor::new(k);
                (cursor.ikey(), cursor.keylen())
            })
        });
        let root = self.root();
        // A stale root (it split since the tree recorded it) would lead far left of the keys:
        // walk it for the prefetches only, and give no hints.
        // SAFETY: the root pointer names a live node while the caller is pinned.
        let hints = unsafe { node_ref::header(root) }.version.load().is_root();
        nodes[..keys.len()].fill(root);
        for _ in 0..MAX_HEIGHT {
            let mut descending = false;
            let walks = nodes.iter_mut().zip(&slices).take(keys.len());
            for (i, (node, &(ikey, keylen))) in walks.enumerate() {
                if node.is_null() {
                    continue;
                }
                // SAFETY: `node` was read from the tree while the caller is pinned (the root,
                // or a child pointer of a node read the same way), so it is still allocated;
                // only atomics are read.
                let header = unsafe { node_ref::header(*node) };
                if header.is_leaf() {
                    // SAFETY: as above; the `LEAF` bit is fixed at creation.
                    let leaf = unsafe { node_ref::leaf(*node) };
                    if let Search::Found { slot, .. } =
                        search(leaf, leaf.permutation(), ikey, keylen)
                        && (!S::INLINE || leaf.keylen(slot) == KEYLEN_LAYER)
                    {
                        prefetch_line(leaf.value(slot));
                    }
                    if hints {
                        leaves[i] = leaf;
                    }
                    *node = core::ptr::null();
                } else {
                    // SAFETY: as above.
                    let inode = unsafe { node_ref::internode(*node) };
                    let child = inode.child(inode.child_index(ikey));
                    prefetch_node(child);
                    *node = child;
                    descending = !child.is_null() || descending;
                }
            }
            if !descending {
                break;
            }
        }
        leaves
    }
}
