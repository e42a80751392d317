//! Scans spread over threads: a pinned scope other threads can scan under, and split points
//! that cut a tree's key space into pieces of similar size.
//!
//! A parallel scan hands `&'g V` from worker threads to a consumer that may keep them until
//! the whole scan ends. The worker's own guard is dropped when its piece ends, so the
//! references rest on the *caller's* guard, which stays pinned for `'g`: every reclaimer here
//! frees an object retired while a guard is pinned only after that guard is dropped (seize
//! attaches the retired batch to every active thread; crossbeam-epoch cannot advance two
//! epochs past a pinned participant), and an object retired before the caller pinned is
//! unreachable to workers, which start after it (the handoff to the worker orders their loads
//! after the caller's pin). Workers still pin while scanning, so their own loads are ordered
//! by their own pin as for any reader.

use crate::RawTree;
use crate::node_ref;
use crate::scan::{Forward, KeyBound, ScanCursor};
use crate::value::{Boxed, ValueSlot};
use core::marker::PhantomData;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_node::KEYLEN_LAYER;

/// Proof that a guard of one tree stays pinned for `'g` on some thread. It is `Copy`, `Send`
/// and `Sync`, so worker threads can scan under it (see the module docs).
#[derive(Clone, Copy, Debug)]
pub struct PinnedScope<'g> {
    /// The address of the tree whose guard is pinned: a scope protects that tree only.
    tree: usize,
    _pinned: PhantomData<&'g ()>,
}

/// A forward scan run on a worker thread under a [`PinnedScope`]: it holds the worker's own
/// guard while it scans; the values it returns live for the scope.
pub struct ScopedScan<'g, V, R: Reclaim + 'g, S: ValueSlot<V> = Boxed> {
    cursor: ScanCursor<'g, V, S, Forward>,
    _guard: R::Guard<'g>,
}

impl<'g, V: 'g, R: Reclaim + 'g, S: ValueSlot<V>> ScopedScan<'g, V, R, S> {
    /// The next key and value, or `None` at the end of the piece.
    #[inline]
    pub fn next_entry(&mut self) -> Option<(&[u8], S::Ref<'g>)> {
        self.cursor.next_entry()
    }
}

/// Nodes [`RawTree::split_points`] reads at most.
const SPLIT_NODE_BUDGET: usize = 256;

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// A scope pinned by `guard` for `'g`.
    pub fn scope<'g, G: GuardOf<R>>(&'g self, guard: &'g G) -> PinnedScope<'g> {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        PinnedScope {
            tree: self.address(),
            _pinned: PhantomData,
        }
    }

    /// A forward scan of `start..end` on the current thread, under `scope`.
    ///
    /// # Panics
    ///
    /// If `scope` was made from a guard of another tree (it would protect nothing here).
    pub fn scoped_scan<'g>(
        &'g self,
        scope: PinnedScope<'g>,
        start: KeyBound,
        end: KeyBound,
    ) -> ScopedScan<'g, V, R, S> {
        assert_eq!(
            scope.tree,
            self.address(),
            "masstree: a scope of another map was passed to this map"
        );
        // Pin before the cursor reads the root; the cursor's values are tied to `'g`, the
        // scope's lifetime: the scope's guard keeps them allocated after this scan's own guard
        // is gone (module docs).
        let guard = self.pin();
        let cursor = ScanCursor::open(self, start, end);
        ScopedScan {
            cursor,
            _guard: guard,
        }
    }

    /// About `want` increasing byte strings (or fewer, for small trees) that cut the key
    /// space into pieces holding similar numbers of keys: the separators and keys of the
    /// top nodes, read breadth-first, descending into deeper layers when layer 0 is small
    /// (keys sharing their first bytes). Any increasing list is a correct cut; concurrent
    /// writes only make it less even.
    pub fn split_points<G: GuardOf<R>>(&self, guard: &G, want: usize) -> Vec<Vec<u8>> {
        assert!(self.owns_guard(guard));
        let mut queue = std::collections::VecDeque::from([(Vec::new(), self.root())]);
        let mut points: Vec<Vec<u8>> = Vec::new();
        let mut visited = 0;
        while let Some((prefix, node)) = queue.pop_front() {
            if points.len() >= want || visited == SPLIT_NODE_BUDGET {
                break;
            }
            visited += 1;
            let with_slice = |ikey: u64, len: usize| {
                let mut point = prefix.clone();
                point.extend_from_slice(&ikey.to_be_bytes()[..len]);
                point
            };
            // SAFETY: `node` was loaded from the tree while `guard` is pinned; nodes are
            // freed only through the reclaimer.
            if unsafe { node_ref::header(node) }.is_leaf() {
                // SAFETY: as above; the header says it is a leaf.
                let leaf = unsafe { node_ref::leaf(node) };
                let version = leaf.version().stable();
                let mut found = Vec::new();
                let mut layers = Vec::new();
                for slot in leaf.permutation().iter() {
                    let (ikey, keylen) = (leaf.ikey(slot), leaf.keylen(slot));
                    if keylen == KEYLEN_LAYER {
                        layers.push((with_slice(ikey, 8), leaf.value(slot).cast()));
                    }
                    found.push(with_slice(ikey, usize::from(keylen.min(8))));
                }
                if !leaf.version().has_changed(version) {
                    points.extend(found);
                    queue.extend(layers);
                }
            } else {
                // SAFETY: as above; the header says it is an internode.
                let inode = unsafe { node_ref::internode(node) };
                let version = inode.version().stable();
                let len = inode.len();
                let found: Vec<Vec<u8>> = (0..len).map(|i| with_slice(inode.key(i), 8)).collect();
                let children: Vec<_> = (0..=len).map(|i| inode.child(i)).collect();
                if !inode.version().has_changed(version) {
                    points.extend(found);
                    let children = children.into_iter().filter(|c| !c.is_null());
                    queue.extend(children.map(|c| (prefix.clone(), c)));
                }
            }
        }
        points.sort_unstable();
        points.dedup();
        if points.len() > want {
            // Keep `want` evenly spaced ones.
            let step = points.len() as f64 / want as f64;
            points = (0..want)
                .map(|i| core::mem::take(&mut points[(i as f64 * step) as usize]))
                .collect();
        }
        points
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::scan::KeyBound;

    #[test]
    #[should_panic(expected = "a scope of another map")]
    fn a_scope_protects_only_its_own_tree() {
        let (a, b) = (RawTree::<u64>::new(), RawTree::<u64>::new());
        let guard = a.pin();
        let scope = a.scope(&guard);
        let _ = b.scoped_scan(scope, KeyBound::Unbounded, KeyBound::Unbounded);
    }

    #[test]
    fn a_scope_scans_its_own_tree() {
        let tree = RawTree::<u64>::new();
        let guard = tree.pin();
        tree.write(b"k", &guard, |_| crate::Decision::Put(7));
        let scope = tree.scope(&guard);
        let mut scan = tree.scoped_scan(scope, KeyBound::Unbounded, KeyBound::Unbounded);
        assert_eq!(scan.next_entry(), Some((&b"k"[..], &7)));
        assert_eq!(scan.next_entry(), None);
    }
}
