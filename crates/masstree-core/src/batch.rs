//! Batched lookups: several descents in flight at once, so their cache misses overlap.
//!
//! A single lookup in a large tree is a chain of dependent misses (root, internodes, leaf,
//! value), each waiting for the one before. `get_many` first walks the layer-0 paths of a group
//! of keys level by level, prefetching every key's next node before reading any of them, and
//! the slot word each key would find where it is a pointer (a boxed value, a layer link); then
//! it runs the ordinary validated `get` for each key, which now finds its nodes in cache. The first pass is only a hint: it reads without validating
//! (every node it touches stays allocated while the caller is pinned), and a torn read merely
//! prefetches the wrong line.

use crate::node_ref;
use crate::prefetch::{prefetch_line, prefetch_node};
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor};
use masstree_node::{KEYLEN_LAYER, Leaf, NodeHeader};

/// Lookups in flight together: `get_many` works through its keys in groups of this many.
///
/// ```
/// assert_eq!(masstree_core::GET_MANY_GROUP, 16);
/// ```
pub const GET_MANY_GROUP: usize = 16;

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
        let mut out = Vec::with_capacity(keys.len());
        self.get_many_into(keys, guard, &mut out);
        out
    }

    /// [`RawTree::get_many`], appending the values to `out`: a caller that encodes its keys a
    /// group of [`GET_MANY_GROUP`] at a time fills one vector.
    ///
    /// ```
    /// use masstree_core::{GET_MANY_GROUP, RawTree};
    ///
    /// let tree: RawTree<u64> = RawTree::new();
    /// let guard = tree.pin();
    /// tree.insert(b"a", 1, &guard);
    /// let mut out = Vec::new();
    /// for group in [&b"a"[..], b"b", b"a"].chunks(GET_MANY_GROUP) {
    ///     tree.get_many_into(group, &guard, &mut out);
    /// }
    /// assert_eq!(out, [Some(&1), None, Some(&1)]);
    /// ```
    pub fn get_many_into<'g, G: GuardOf<R>>(
        &'g self,
        keys: &[&[u8]],
        guard: &'g G,
        out: &mut Vec<Option<S::Ref<'g>>>,
    ) {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        out.reserve(keys.len());
        for group in keys.chunks(GET_MANY_GROUP) {
            let leaves = self.prefetch_paths(group);
            out.extend(group.iter().zip(leaves).map(|(k, leaf)| {
                // SAFETY: a hint leaf was read from layer 0 by the pass just above, under
                // `guard`, which is still pinned.
                let hint = (!leaf.is_null()).then(|| unsafe { &*leaf });
                // SAFETY: as above.
                unsafe { self.get_hinted(k, hint, guard) }
            }));
        }
    }

    /// The hint pass: walks each key's layer-0 path one level per round across the group,
    /// prefetching the next node of every key before any of them is read. Returns the layer-0
    /// leaf each key's walk ended at (null where it did not reach one), for the lookups to start
    /// from instead of descending again: unvalidated, so only a hint (see
    /// [`RawTree::get_hinted`]). The caller is pinned.
    ///
    /// At a leaf, the walk searches for the key's slot only when the slot's word may be worth
    /// prefetching: a boxed value, or (inline values) a layer link, which only a key that
    /// goes on past its slice can reach. For inline values and keys of at most 8 bytes that
    /// search found nothing to fetch: it was ~80 of the hint pass's ~555 instructions per key
    /// (callgrind, 200k 8-byte keys, 2026-12-02). The walks are indexed loops over the group
    /// (the iterator chain they replaced cost ~110 instructions per key in adapters).
    fn prefetch_paths(&self, keys: &[&[u8]]) -> [*const Leaf; GET_MANY_GROUP] {
        debug_assert!(
            keys.len() <= GET_MANY_GROUP,
            "a group is at most GET_MANY_GROUP keys"
        );
        let n = keys.len().min(GET_MANY_GROUP);
        let mut leaves: [*const Leaf; GET_MANY_GROUP] = [core::ptr::null(); GET_MANY_GROUP];
        let mut slices: [(u64, u8); GET_MANY_GROUP] = [(0, 0); GET_MANY_GROUP];
        for (slice, key) in slices.iter_mut().zip(keys) {
            let cursor = KeyCursor::new(key);
            *slice = (cursor.ikey(), cursor.keylen());
        }
        let root = self.root();
        // A stale root (it split since the tree recorded it) would lead far left of the keys:
        // walk it for the prefetches only, and give no hints.
        // SAFETY: the root pointer names a live node while the caller is pinned.
        let hints = unsafe { node_ref::header(root) }.version.load().is_root();
        let mut nodes: [*const NodeHeader; GET_MANY_GROUP] = [root; GET_MANY_GROUP];
        // Walks still descending: `nodes[..walking]` after each round's compaction, with
        // `at[j]` the key of walk `j` (walks that reach a leaf drop out).
        let mut at: [usize; GET_MANY_GROUP] = core::array::from_fn(|i| i);
        let mut walking = n;
        for _ in 0..MAX_HEIGHT {
            let mut still = 0;
            for j in 0..walking {
                let (node, i) = (nodes[j], at[j]);
                let (ikey, keylen) = slices[i];
                // SAFETY: `node` was read from the tree while the caller is pinned (the root,
                // or a child pointer of a node read the same way), so it is still allocated;
                // only atomics are read.
                let header = unsafe { node_ref::header(node) };
                if header.is_leaf() {
                    // SAFETY: as above; the `LEAF` bit is fixed at creation.
                    let leaf = unsafe { node_ref::leaf(node) };
                    if (!S::INLINE || keylen == KEYLEN_SUFFIX)
                        && let Search::Found { slot, .. } =
                            search(leaf, leaf.permutation(), ikey, keylen)
                        && (!S::INLINE || leaf.keylen(slot) == KEYLEN_LAYER)
                    {
                        prefetch_line(leaf.value(slot));
                    }
                    if hints {
                        leaves[i] = leaf;
                        // The lookup that takes this hint first checks that its key is not
                        // past the leaf (`advance` reads the next leaf's low bound): a miss
                        // of its own per key, one key after another. Start it now, with the
                        // group's other misses (a hint only; null is skipped).
                        prefetch_line(leaf.next());
                    }
                } else {
                    // SAFETY: as above.
                    let inode = unsafe { node_ref::internode(node) };
                    let child = inode.child(inode.child_index(ikey));
                    if !child.is_null() {
                        prefetch_node(child);
                        nodes[still] = child;
                        at[still] = i;
                        still += 1;
                    }
                }
            }
            walking = still;
            if walking == 0 {
                break;
            }
        }
        leaves
    }
}

#[cfg(test)]
mod tests {
    use crate::{Inline, RawTree, SeizeReclaim};
    use masstree_key::KeyCursor;

    /// The hint pass's answers are exact in a tree nobody writes: each key's hint is the
    /// layer-0 leaf whose range holds the key's first slice (`get_hinted` would still answer
    /// correctly from a wrong hint, only slower, so the differential tests cannot see this),
    /// for full groups and short ones, in a tree of several internode levels.
    #[test]
    fn hints_are_the_leaves_that_hold_each_slice() {
        let tree = RawTree::<u64, SeizeReclaim, Inline>::new();
        let guard = tree.pin();
        let n: u64 = if cfg!(miri) { 400 } else { 20_000 };
        let key = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes();
        for i in 0..n {
            tree.insert(&key(i), i, &guard);
        }
        let owned: Vec<[u8; 8]> = (0..n).map(key).collect();
        for len in [1, 7, 15, 16] {
            for group in owned.chunks(len).take(40) {
                let keys: Vec<&[u8]> = group.iter().map(|k| &k[..]).collect();
                let hints = tree.prefetch_paths(&keys);
                for (i, k) in keys.iter().enumerate() {
                    let ikey = KeyCursor::new(k).ikey();
                    assert!(!hints[i].is_null(), "key {i} of {len} got no hint");
                    // SAFETY: a hint is a live layer-0 leaf while `guard` is pinned.
                    let leaf = unsafe { &*hints[i] };
                    let next = leaf.next();
                    assert!(
                        leaf.low_bound() <= ikey,
                        "hint {i} of {len} is right of its key"
                    );
                    let left_of_next = next.is_null() || {
                        // SAFETY: as above, for the sibling (a live leaf of the same layer).
                        ikey < unsafe { (*next).low_bound() }
                    };
                    assert!(left_of_next, "hint {i} of {len} is left of its key's leaf");
                }
                assert!(hints[keys.len()..].iter().all(|h| h.is_null()));
            }
        }
    }
}
