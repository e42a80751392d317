//! Loading ascending keys: a finger on the leaf the last key went to skips the descent, and
//! the leaf stays locked while the following keys are appended to it.
//!
//! Ascending input lands at the right end of one leaf after another. Instead of descending
//! for every key, the loader keeps the last leaf (and the trie layer it belongs to) locked
//! and, for each key, checks that it sorts after every key in the leaf and before the next
//! leaf's low bound: the checks a descent would have made. Then it appends the key with one
//! permutation store (readers see each key as soon as it is appended; a free slot needs no
//! dirty bit); a full leaf splits with the new key alone on the right (the ascending split),
//! so loaded leaves end up full. Any key that fails the checks releases the leaf and takes the
//! ordinary write path, so unsorted input is loaded correctly, only without the speedup.
//!
//! The input is taken in chunks of [`CHUNK`] pairs before any leaf is locked, so the caller's
//! iterator never runs under a lock (it may read and write the map, or wait for threads that
//! do); a leaf stays locked at most for the appends of one chunk.

use crate::reach::reach_leaf;
use crate::search::{Search, class_order, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use crate::write::{Decision, NewEntry, insert_into_free_slot, lock_leaf};
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::codec::KeyBuf;
use masstree_key::{KeyCursor, SLICE_LEN};
use masstree_node::{KEYLEN_LAYER, Leaf, NodeLock};

/// The leaf the last key went to, the layer it is in, and the key bytes that lead to that
/// layer.
struct Finger<'g> {
    leaf: &'g Leaf,
    depth: usize,
    prefix: Vec<u8>,
}

impl Finger<'_> {
    /// Whether `key` lives in the finger's layer: it starts with the layer's prefix and goes
    /// on past it (a key that ends exactly at the prefix lives one layer up).
    fn covers(&self, key: &[u8]) -> bool {
        key.len() > self.prefix.len() && key.starts_with(&self.prefix)
    }
}

/// A locked leaf being appended to, with the appends not yet added to the tree's count.
struct OpenLeaf<'g, V, R: Reclaim, S: ValueSlot<V>> {
    tree: &'g RawTree<V, R, S>,
    leaf: &'g Leaf,
    lock: Option<NodeLock<'g>>,
    added: usize,
}

/// Pairs taken from the input before a leaf is locked.
const CHUNK: usize = 32;

impl<'g, V, R: Reclaim, S: ValueSlot<V>> OpenLeaf<'g, V, R, S> {
    /// Whether the key `(ikey, keylen)` of this leaf's layer sorts after every key in the
    /// leaf and inside its range.
    fn accepts(&self, ikey: u64, keylen: u8) -> bool {
        let leaf = self.leaf;
        let perm = leaf.permutation();
        let after_all = match perm.len() {
            0 => ikey >= leaf.low_bound(),
            n => {
                let last = perm.get(n - 1);
                // Equal slices that both go on would need a new layer: not an append.
                (ikey, class_order(keylen)) > (leaf.ikey(last), class_order(leaf.keylen(last)))
            }
        };
        let next = leaf.next();
        // SAFETY: sibling pointers name live leaves while we are pinned.
        after_all && (next.is_null() || ikey < unsafe { (*next).low_bound() })
    }

    /// Appends the key (which [`OpenLeaf::accepts`]) with `value`. Returns the leaf to keep
    /// appending to when the leaf had to split (the lock is gone then).
    fn append(&mut self, cursor: &KeyCursor<'_>, value: V) -> Option<&'g Leaf> {
        let entry = NewEntry::new(cursor, S::into_word(value));
        self.added += 1;
        let perm = self.leaf.permutation();
        let lock = self.lock.take().expect("an open leaf holds its lock");
        if perm.is_full() {
            self.tree.split_insert(self.leaf, lock, perm.len(), entry);
            // The ascending split left the new key alone in the new right sibling.
            let right = self.leaf.next();
            if right.is_null() {
                return Some(self.leaf);
            }
            // SAFETY: sibling pointers name live leaves while we are pinned.
            Some(unsafe { &*right })
        } else {
            insert_into_free_slot(self.leaf, &lock, perm, perm.len(), entry);
            self.lock = Some(lock);
            None
        }
    }
}

impl<V, R: Reclaim, S: ValueSlot<V>> Drop for OpenLeaf<'_, V, R, S> {
    fn drop(&mut self) {
        drop(self.lock.take());
        self.tree.len.add(self.added);
    }
}

/// The cursor of `key` moved down to the layer at `depth`.
fn cursor_at(key: &[u8], depth: usize) -> KeyCursor<'_> {
    let mut cursor = KeyCursor::new(key);
    for _ in 0..depth {
        cursor.shift();
    }
    cursor
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Inserts every pair (a later pair for a key replaces an earlier one), fastest when the
    /// keys ascend: see the module docs. Safe under concurrent reads and writes.
    ///
    /// Keys come as [`KeyBuf`]s (a type of this project, so no caller code runs while a leaf
    /// is locked: not even an `AsRef` or a `Drop`).
    pub fn extend_sorted<'g, G: GuardOf<R>>(
        &'g self,
        entries: impl IntoIterator<Item = (KeyBuf, V)>,
        guard: &'g G,
    ) {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        assert!(
            !self.in_decision(),
            "masstree: a closure passed to a write of this map wrote to the same map; it may \
             read but not write it"
        );
        // As in `write`: with an owned guard, pin the thread while leaves are locked.
        let _thread = self.thread_pin(guard);
        let mut finger: Option<Finger<'g>> = None;
        let mut entries = entries.into_iter();
        let mut chunk = Vec::with_capacity(CHUNK);
        loop {
            chunk.extend(entries.by_ref().take(CHUNK));
            if chunk.is_empty() {
                return;
            }
            let mut open: Option<OpenLeaf<'g, V, R, S>> = None;
            for (key, value) in chunk.drain(..) {
                let key = key.as_slice();
                let value = match finger.as_mut() {
                    Some(f) if f.covers(key) => {
                        let cursor = cursor_at(key, f.depth);
                        let (ikey, keylen) = (cursor.ikey(), cursor.keylen());
                        if !open.as_ref().is_some_and(|o| o.accepts(ikey, keylen)) {
                            // Unlock before locking another leaf: one lock at a time.
                            drop(open.take());
                            // SAFETY: the finger's leaf was reached while pinned by `guard`.
                            open =
                                unsafe { lock_leaf(f.leaf, ikey) }.map(|(leaf, lock)| OpenLeaf {
                                    tree: self,
                                    leaf,
                                    lock: Some(lock),
                                    added: 0,
                                });
                        }
                        match open.as_mut().filter(|o| o.accepts(ikey, keylen)) {
                            Some(o) => {
                                f.leaf = o.leaf;
                                if let Some(right) = o.append(&cursor, value) {
                                    f.leaf = right;
                                    open = None;
                                }
                                continue;
                            }
                            None => value,
                        }
                    }
                    _ => value,
                };
                drop(open.take());
                self.write(key, guard, |_| Decision::Put(value));
                finger = self.locate(key, guard);
            }
        }
    }

    /// The leaf that holds `key` (or would), and its layer, found by an optimistic descent;
    /// `None` when a concurrent change got in the way (the caller just loses its finger).
    fn locate<'g, G: GuardOf<R>>(&'g self, key: &[u8], _guard: &'g G) -> Option<Finger<'g>> {
        let mut cursor = KeyCursor::new(key);
        let mut root = self.root();
        let mut depth = 0;
        loop {
            let ikey = cursor.ikey();
            // SAFETY: `root` is the tree's root or a validated layer pointer; we are pinned.
            let (leaf, version) = unsafe { reach_leaf(root, ikey) }?;
            let found = match search(leaf, leaf.permutation(), ikey, cursor.keylen()) {
                Search::Found { slot, .. } => Some((leaf.keylen(slot), leaf.value(slot))),
                Search::Missing { .. } => None,
            };
            if leaf.version().has_changed(version) {
                return None;
            }
            match found {
                Some((KEYLEN_LAYER, layer)) if !layer.is_null() => {
                    root = layer.cast();
                    cursor.shift();
                    depth += 1;
                }
                _ => {
                    return Some(Finger {
                        leaf,
                        depth,
                        prefix: key[..depth * SLICE_LEN].to_vec(),
                    });
                }
            }
        }
    }
}
