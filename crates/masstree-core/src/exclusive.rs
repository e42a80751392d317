//! Operations with exclusive access (`&mut self`), as `BTreeMap` users expect: borrowing
//! values mutably in place ([`RawTree::get_mut`], [`RawTree::for_each_mut`]) and moving a
//! value out of the tree ([`RawTree::take`]).
//!
//! `&mut self` proves that no reader or writer runs and that no reference handed out by an
//! earlier lookup is alive (guards and the references read under them borrow the tree). So
//! these walk the trie directly: no validation, no retry, and nothing to defer. The nodes are
//! the same, and only reachable nodes are visited, which nothing can free while the borrow
//! lasts: that is what pinning would otherwise guarantee.
//!
//! Not built under `--cfg loom`: a mutable borrow of an inline value points into the slot's
//! atomic word, and loom's atomics keep their value outside the node ([`Leaf::value_ptr`]).

#![cfg(not(loom))]

use crate::reach::{advance, reach_leaf};
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use core::marker::PhantomData;
use masstree_alloc::Reclaim;
use masstree_key::{KEYLEN_SUFFIX, KeyBuilder, KeyCursor};
use masstree_node::{KEYLEN_LAYER, Leaf, NodeHeader, Permutation, SlotSuffix, Suffix};

/// Where a present key's value lives.
struct Slot<'t> {
    leaf: &'t Leaf,
    /// The slot's position in the leaf's permutation.
    pos: usize,
    slot: usize,
    /// The layer of `leaf` (the key's slice there starts at byte `8 * depth`).
    depth: usize,
}

/// One layer of an in-order walk: the leaf being walked, its live slots, and the next position.
struct Frame<'t> {
    leaf: &'t Leaf,
    perm: Permutation,
    pos: usize,
}

impl<'t> Frame<'t> {
    fn new(leaf: &'t Leaf) -> Self {
        Self {
            leaf,
            perm: leaf.permutation(),
            pos: 0,
        }
    }
}

/// The entries of a tree borrowed mutably, in key order: from [`RawTree::iter_mut`].
pub struct IterMut<'t, V, S> {
    /// One frame per layer the walk is inside (empty when done).
    frames: Vec<Frame<'t>>,
    key: KeyBuilder,
    _values: PhantomData<(&'t mut V, S)>,
}

impl<'t, V, S: ValueSlot<V>> IterMut<'t, V, S> {
    /// The next entry: its key (valid until the next step) and its value (valid for `'t`).
    pub fn next_entry(&mut self) -> Option<(&[u8], &'t mut V)> {
        while let Some(depth) = self.frames.len().checked_sub(1) {
            let frame = &mut self.frames[depth];
            if frame.pos == frame.perm.len() {
                let next = frame.leaf.next();
                if next.is_null() {
                    self.frames.pop();
                } else {
                    // SAFETY: a sibling pointer of a live leaf names a live leaf of the same
                    // layer, next in key order (exclusive access: the chain is settled).
                    *frame = Frame::new(unsafe { &*next });
                }
                continue;
            }
            let leaf = frame.leaf;
            let slot = frame.perm.get(frame.pos);
            frame.pos += 1;
            let class = leaf.keylen(slot);
            let word = leaf.value(slot);
            if class == KEYLEN_LAYER {
                if !word.is_null() {
                    self.key.set_slice(depth, leaf.ikey(slot), 8);
                    // SAFETY: exclusive access; a layer slot points to its layer's first leaf.
                    if let Some(first) = unsafe { first_leaf(word.cast()) } {
                        self.frames.push(Frame::new(first));
                    }
                }
                continue;
            }
            if S::is_vacant(word) {
                continue;
            }
            self.key
                .set_slice(depth, leaf.ikey(slot), usize::from(class.min(8)));
            if class == KEYLEN_SUFFIX {
                let suffix = leaf.suffix(slot);
                // SAFETY: as in `locate_exclusive`: a live suffix-class slot holds its suffix.
                self.key.push_bytes(unsafe { suffix.as_bytes() });
            }
            // SAFETY: as in `get_mut`: the iterator borrows the tree mutably for `'t`, so no
            // one else reads or writes the slot's word; the walk visits each slot once, so the
            // borrows it hands out are of distinct words (and, for boxed values, of distinct
            // boxes) and never alias.
            let word = unsafe { &mut *leaf.value_ptr(slot) };
            // SAFETY: as in `get_mut`: a live word from `S::into_word`, viewed by no one else.
            let value = unsafe { S::value_mut(word) };
            return Some((self.key.as_bytes(), value));
        }
        None
    }
}

/// The leftmost leaf of the layer entered at `root` (a node that is or was its root).
///
/// # Safety
///
/// The caller has exclusive access to the tree for `'t` and `root` is reachable in it.
unsafe fn first_leaf<'t>(root: *mut NodeHeader) -> Option<&'t Leaf> {
    // SAFETY: exclusive access (caller): every node reachable from `root` stays live and
    // unchanged for `'t`, which is what `reach_leaf` asks of pinning. It returns `None` only
    // for a removed layer, which a quiescent tree does not reach.
    unsafe { reach_leaf(root, 0) }.map(|(leaf, _)| leaf)
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Finds the slot holding `key`'s value: the read path's descent (reach the leaf for the
    /// slice, search it, enter a layer or compare a suffix), minus the validation, which
    /// exclusive access makes moot.
    ///
    /// # Safety
    ///
    /// The caller has exclusive access to the tree for `'t` (holds `&mut self`, or is about
    /// to, as `take` is): no reader or writer runs, so nothing found changes or is freed.
    unsafe fn locate_exclusive<'t>(&'t self, key: &[u8]) -> Option<Slot<'t>> {
        let mut cursor = KeyCursor::new(key);
        let mut root = self.root();
        loop {
            let ikey = cursor.ikey();
            // SAFETY: exclusive access (caller): `root` (the tree's root or a layer pointer
            // read from a live slot) and every node reachable from it are live and unchanged
            // for `'t`, standing in for the pin `reach_leaf` and `advance` ask for. In a
            // quiescent tree the descent reaches the leaf holding `ikey` and `advance` stays
            // there; neither returns `None` (a removed layer or unlinked leaf is unreachable).
            let (leaf, _) = unsafe { reach_leaf(root, ikey) }?;
            // SAFETY: as above.
            let (leaf, _) = unsafe { advance(leaf, ikey) }?;
            let Search::Found { pos, slot } =
                search(leaf, leaf.permutation(), ikey, cursor.keylen())
            else {
                return None;
            };
            let class = leaf.keylen(slot);
            let word = leaf.value(slot);
            if class == KEYLEN_LAYER {
                if word.is_null() {
                    return None;
                }
                // The key goes on past this slice (only such keys match a layer slot).
                root = word.cast();
                cursor.shift();
                continue;
            }
            if class == KEYLEN_SUFFIX {
                // SAFETY: a live suffix-class slot holds its key's suffix, owned by the leaf
                // and freed only after leaving it, which needs a writer (exclusive access: none
                // runs).
                let stored = leaf.suffix(slot);
                // SAFETY: as above.
                let stored = unsafe { stored.as_bytes() };
                if stored != cursor.suffix() {
                    // Another key shares this slice; ours is absent.
                    return None;
                }
            }
            if S::is_vacant(word) {
                return None;
            }
            return Some(Slot {
                leaf,
                pos,
                slot,
                depth: cursor.depth(),
            });
        }
    }

    /// A mutable reference to the value of `key`, if present.
    ///
    /// With [`crate::Inline`] values the reference points into the leaf slot's word itself, so
    /// what is written through it is what later lookups read.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        // SAFETY: `&mut self`: exclusive access for the lifetime of the returned reference.
        let found = unsafe { self.locate_exclusive(key) }?;
        // SAFETY: the slot's word is an `UnsafeCell` inside a live leaf; `&mut self` proves no
        // other thread and no other reference reads or writes it while the returned borrow (tied
        // to `&mut self`) lives, so a unique reference to it is sound.
        let word = unsafe { &mut *found.leaf.value_ptr(found.slot) };
        // SAFETY: a live, non-vacant value slot holds a word from `S::into_word`, released only
        // by a removal or replacement, which needs the tree borrowed again (after this borrow);
        // nothing else views the value meanwhile (exclusive access, above).
        Some(unsafe { S::value_mut(word) })
    }

    /// A walk over every entry in key order, yielding each key (its full bytes, in a buffer
    /// reused between steps: no allocation per key) and a mutable reference to its value.
    ///
    /// A simple in-order walk with exclusive access: each layer's leaves along their sibling
    /// chain, entering a deeper layer where a slot points to one, with an explicit stack (a
    /// chain of thousands of layers from very long keys cannot overflow the thread's stack).
    pub fn iter_mut(&mut self) -> IterMut<'_, V, S> {
        // SAFETY: `&mut self`: exclusive access for the iterator's life; the root is reachable.
        let first = unsafe { first_leaf(self.root()) };
        IterMut {
            frames: first.map(Frame::new).into_iter().collect(),
            key: KeyBuilder::new(),
            _values: PhantomData,
        }
    }

    /// Calls `f` with every key and a mutable reference to its value, in key order (see
    /// [`RawTree::iter_mut`]). If `f` panics the walk stops; the tree is unchanged apart from
    /// the values `f` changed.
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&[u8], &mut V)) {
        let mut entries = self.iter_mut();
        while let Some((key, value)) = entries.next_entry() {
            f(key, value);
        }
    }

    /// Removes `key` and returns its value by value (moved out: not cloned, not retired).
    ///
    /// Why not [`RawTree::write`] with [`crate::Decision::Remove`]: that path retires the
    /// removed word, so the reclaimer would later drop a value the caller now owns. Instead
    /// this finds the slot and performs the same removal steps as that path (unpublish the
    /// slot with one permutation store under the leaf's lock, detach the suffix, collapse an
    /// emptied leaf or layer through the same `collapse_empty`, decrement the count), then
    /// takes the word back with [`ValueSlot::into_value`]. Moving out instead of retiring is
    /// sound because `&mut self` proves no reader holds a view of the value. The lock is
    /// uncontended; it is taken because the node operations (and `collapse_empty`) are
    /// written against it. The suffix is freed at once, for the same reason; emptied nodes are
    /// retired through a guard as on the ordinary path.
    pub fn take(&mut self, key: &[u8]) -> Option<V> {
        let this = &*self;
        // SAFETY: `&mut self`: exclusive access for this whole call.
        let Slot {
            leaf,
            pos,
            slot,
            depth,
        } = unsafe { this.locate_exclusive(key) }?;
        let guard = this.pin();
        let word = leaf.value(slot);
        let lock = leaf.version().lock();
        lock.mark_insert();
        let mut perm = leaf.permutation();
        perm.remove(pos);
        leaf.set_permutation(&lock, perm);
        let suffix = leaf.set_suffix(&lock, slot, SlotSuffix::NONE);
        if perm.is_empty() {
            this.collapse_empty(leaf, lock, key, depth, &guard);
        } else {
            drop(lock);
        }
        drop(guard);
        this.len.decrement();
        if !suffix.is_null() {
            // SAFETY: `set_suffix` handed us the slot's suffix, which left the leaf above; no
            // reader holds it (exclusive access), so it is freed once, here.
            drop(unsafe { Suffix::from_raw(suffix) });
        }
        // SAFETY: the word came from `S::into_word`, left its slot above (no reader can reach
        // it, and none viewed it: exclusive access), and is released exactly once, here.
        Some(unsafe { S::into_value(word) })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Decision, Inline, RawTree, SeizeReclaim};
    use masstree_testkit::Rng;
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    type InlineTree<V> = RawTree<V, SeizeReclaim, Inline>;

    /// Keys of 0, 8, 9, 16 and 100 bytes, keys sharing 8- and 16-byte prefixes (so layers
    /// form), a key with NUL padding, and enough filler keys to split leaves in layer 0 and in
    /// a layer.
    fn keys() -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"abcdefgh".to_vec(),
            b"abcdefghi".to_vec(),
            b"abcdefghij".to_vec(),
            b"abcdefghijklmnop".to_vec(),
            b"abcdefghijklmnopq".to_vec(),
            b"abcdefghijklmnopr".to_vec(),
            b"abcdefghijklmnoq".to_vec(),
            b"ab".to_vec(),
            b"ab\0".to_vec(),
            b"zz".to_vec(),
            vec![b'x'; 100],
            {
                let mut k = vec![b'x'; 99];
                k.push(b'y');
                k
            },
        ];
        for i in 0..200u32 {
            keys.push(format!("f{i:03}").into_bytes());
            keys.push(format!("{i:03}-with-a-suffix").into_bytes());
            keys.push(format!("abcdefghijklmnop-{i:04}").into_bytes());
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// Keys that are absent: prefixes and extensions of present keys, a different suffix in a
    /// present slice, and empty-slice variants.
    const ABSENT: &[&[u8]] = &[
        b"\0",
        b"a",
        b"abc",
        b"abcdefg",
        b"abcdefghZ",
        b"abcdefghijklmno",
        b"abcdefghijklmnopqq",
        b"abcdefghijklmnop-",
        b"ab\0\0",
        b"zzz",
        b"f",
        b"f1000",
        b"001-with-a-suffiX",
    ];

    fn boxed_tree(keys: &[Vec<u8>]) -> RawTree<Vec<u8>> {
        let tree = RawTree::<Vec<u8>>::new();
        let guard = tree.pin();
        for k in keys {
            tree.write(k, &guard, |_| Decision::Put(k.clone()));
        }
        drop(guard);
        tree
    }

    fn inline_tree(keys: &[Vec<u8>]) -> InlineTree<u64> {
        let tree = InlineTree::<u64>::new();
        let guard = tree.pin();
        for (i, k) in keys.iter().enumerate() {
            tree.write(k, &guard, |_| Decision::Put(i as u64));
        }
        drop(guard);
        tree
    }

    #[test]
    fn get_mut_changes_what_get_returns_boxed() {
        let keys = keys();
        let mut tree = boxed_tree(&keys);
        for k in &keys {
            let v = tree.get_mut(k).expect("present");
            assert_eq!(v, k, "get_mut found the value of another key");
            v.push(b'!');
        }
        for k in ABSENT {
            assert!(tree.get_mut(k).is_none(), "{k:?} is absent");
        }
        assert_eq!(tree.len(), keys.len());
        let guard = tree.pin();
        for k in &keys {
            let mut want = k.clone();
            want.push(b'!');
            assert_eq!(tree.get(k, &guard), Some(&want));
        }
        drop(guard);
        let stats = tree.check_invariants().expect("invariants hold");
        assert_eq!(stats.keys, keys.len());
        assert!(stats.layers > 2, "the key set builds layers");
        assert!(!tree.root_is_leaf(), "the key set splits layer 0");
    }

    #[test]
    fn get_mut_changes_what_get_returns_inline() {
        let keys = keys();
        let mut tree = inline_tree(&keys);
        for (i, k) in keys.iter().enumerate() {
            let v = tree.get_mut(k).expect("present");
            assert_eq!(*v, i as u64, "get_mut found the value of another key");
            *v = u64::MAX - i as u64;
        }
        for k in ABSENT {
            assert!(tree.get_mut(k).is_none(), "{k:?} is absent");
        }
        let guard = tree.pin();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(tree.get(k, &guard), Some(u64::MAX - i as u64));
        }
        drop(guard);
        assert_eq!(
            tree.check_invariants().expect("invariants").keys,
            keys.len()
        );
    }

    /// Values smaller than the word live in its first bytes: a mutable borrow must change
    /// exactly the bytes `view` reads (on either endianness), and leave the rest alone.
    #[test]
    fn get_mut_of_sub_word_inline_values() {
        let mut tree = InlineTree::<[u8; 3]>::new();
        let mut halves = InlineTree::<u32>::new();
        let mut unit = InlineTree::<()>::new();
        let guard = tree.pin();
        tree.write(b"k", &guard, |_| Decision::Put([1, 2, 3]));
        tree.write(b"l", &guard, |_| Decision::Put([4, 5, 6]));
        drop(guard);
        let guard = halves.pin();
        halves.write(b"k", &guard, |_| Decision::Put(0x0102_0304));
        drop(guard);
        let guard = unit.pin();
        unit.write(b"k", &guard, |_| Decision::Put(()));
        drop(guard);

        tree.get_mut(b"k").expect("present")[1] = 9;
        *halves.get_mut(b"k").expect("present") += 0x1000_0000;
        assert_eq!(unit.get_mut(b"k"), Some(&mut ()));
        let guard = tree.pin();
        assert_eq!(tree.get(b"k", &guard), Some([1, 9, 3]));
        assert_eq!(tree.get(b"l", &guard), Some([4, 5, 6]));
        drop(guard);
        let guard = halves.pin();
        assert_eq!(halves.get(b"k", &guard), Some(0x1102_0304));
        drop(guard);
        assert_eq!(tree.take(b"k"), Some([1, 9, 3]));
        assert_eq!(halves.take(b"k"), Some(0x1102_0304));
        assert_eq!(unit.take(b"k"), Some(()));
        assert_eq!((tree.len(), halves.len(), unit.len()), (1, 0, 0));
    }

    #[test]
    fn for_each_mut_visits_every_key_once_in_order_boxed() {
        let keys = keys();
        let mut tree = boxed_tree(&keys);
        let mut seen = Vec::new();
        tree.for_each_mut(|k, v| {
            assert_eq!(v, k, "the value passed with a key is that key's");
            seen.push(k.to_vec());
            v.extend_from_slice(b"+1");
        });
        assert_eq!(seen, keys, "every key once, in order");
        let guard = tree.pin();
        for k in &keys {
            let mut want = k.clone();
            want.extend_from_slice(b"+1");
            assert_eq!(tree.get(k, &guard), Some(&want), "the mutation persists");
        }
        drop(guard);
        assert_eq!(
            tree.check_invariants().expect("invariants").keys,
            keys.len()
        );
    }

    #[test]
    fn for_each_mut_visits_every_key_once_in_order_inline() {
        let keys = keys();
        let mut tree = inline_tree(&keys);
        let mut seen = Vec::new();
        tree.for_each_mut(|k, v| {
            seen.push((k.to_vec(), *v));
            *v = *v * 2 + 1;
        });
        let want: Vec<(Vec<u8>, u64)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u64))
            .collect();
        assert_eq!(seen, want, "every key once, in order, with its value");
        let guard = tree.pin();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(tree.get(k, &guard), Some(i as u64 * 2 + 1));
        }
        drop(guard);
        let mut empty = InlineTree::<u64>::new();
        empty.for_each_mut(|_, _| panic!("an empty tree has no entries"));
    }

    /// A chain of one-key layers thousands deep: the walk uses no recursion.
    #[test]
    fn for_each_mut_and_take_through_a_deep_layer_chain() {
        let mut tree = RawTree::<u64>::new();
        let mut a = vec![7u8; 4096 * 8];
        let mut b = a.clone();
        a.push(1);
        b.push(2);
        let guard = tree.pin();
        tree.write(&a, &guard, |_| Decision::Put(1));
        tree.write(&b, &guard, |_| Decision::Put(2));
        drop(guard);
        let mut seen = Vec::new();
        tree.for_each_mut(|k, v| {
            seen.push(k.to_vec());
            *v += 10;
        });
        assert_eq!(seen, [a.clone(), b.clone()]);
        assert_eq!(tree.take(&a), Some(11));
        assert_eq!(tree.take(&b), Some(12));
        assert_eq!(tree.len(), 0);
        let stats = tree.check_invariants().expect("invariants");
        assert_eq!(
            (stats.keys, stats.layers),
            (0, 1),
            "the emptied layers collapsed"
        );
    }

    /// Counts its drops.
    struct Counted {
        id: usize,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn take_moves_the_value_out_and_it_drops_once_by_the_caller() {
        let keys = keys();
        let drops = Arc::new(AtomicUsize::new(0));
        let mut tree = RawTree::<Counted>::new();
        let guard = tree.pin();
        for (id, k) in keys.iter().enumerate() {
            let drops = Arc::clone(&drops);
            tree.write(k, &guard, |_| Decision::Put(Counted { id, drops }));
        }
        drop(guard);
        // Take every other key, then the rest, in different orders so leaves and layers empty
        // in between.
        let order: Vec<usize> = (0..keys.len())
            .step_by(2)
            .chain((1..keys.len()).step_by(2).rev())
            .collect();
        for (n, &i) in order.iter().enumerate() {
            let taken = tree.take(&keys[i]).expect("present");
            assert_eq!(taken.id, i, "take returned the value of another key");
            assert_eq!(tree.len(), keys.len() - n - 1);
            assert!(tree.get_mut(&keys[i]).is_none());
            assert!(tree.get(&keys[i], &tree.pin()).is_none());
            assert!(tree.take(&keys[i]).is_none(), "taken once");
            tree.flush();
            assert_eq!(
                drops.load(Ordering::SeqCst),
                n,
                "nothing but the caller drops it"
            );
            drop(taken);
            assert_eq!(drops.load(Ordering::SeqCst), n + 1);
            if n % 64 == 0 {
                let stats = tree.check_invariants().expect("invariants hold mid-way");
                assert_eq!(stats.keys, tree.len());
            }
        }
        for k in ABSENT {
            assert!(tree.take(k).is_none());
        }
        assert!(tree.is_empty());
        let stats = tree.check_invariants().expect("invariants");
        assert_eq!(
            (stats.keys, stats.layers),
            (0, 1),
            "every emptied layer was removed"
        );
        // The tree still works after being emptied this way.
        let guard = tree.pin();
        let d = Arc::clone(&drops);
        tree.write(b"again", &guard, |_| {
            Decision::Put(Counted { id: 7, drops: d })
        });
        drop(guard);
        assert_eq!(tree.get_mut(b"again").map(|c| c.id), Some(7));
        drop(tree);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            keys.len() + 1,
            "no value dropped twice"
        );
    }

    #[test]
    fn take_inline_values() {
        let keys = keys();
        let mut tree = inline_tree(&keys);
        for (i, k) in keys.iter().enumerate().rev() {
            assert_eq!(tree.take(k), Some(i as u64));
            assert!(tree.take(k).is_none());
            assert_eq!(tree.len(), i);
        }
        let stats = tree.check_invariants().expect("invariants");
        assert_eq!((stats.keys, stats.layers), (0, 1));
    }

    /// Random interleavings of writes, `get_mut`, `take` and `for_each_mut` agree with a
    /// `BTreeMap` model, and the structure stays sound.
    #[test]
    fn exclusive_operations_match_a_btreemap() {
        let mut rng = Rng::new(0x5eed);
        let mut tree = RawTree::<u64>::new();
        let mut model = BTreeMap::<Vec<u8>, u64>::new();
        let pool: Vec<Vec<u8>> = (0..300)
            .map(|i| {
                let len = [0, 3, 8, 9, 15, 16, 17, 24, 40][i % 9];
                let mut k = vec![b'p'; len];
                if len > 0 {
                    let at = (rng.next_u64() as usize) % len;
                    k[at] = b'a' + (rng.next_u64() % 4) as u8;
                }
                k
            })
            .collect();
        for step in 0..20_000u64 {
            let k = &pool[(rng.next_u64() as usize) % pool.len()];
            match rng.next_u64() % 8 {
                0..=2 => {
                    let guard = tree.pin();
                    tree.write(k, &guard, |_| Decision::Put(step));
                    model.insert(k.clone(), step);
                }
                3 | 4 => {
                    assert_eq!(tree.take(k), model.remove(k), "take {k:?}");
                }
                5 | 6 => {
                    if let Some(v) = tree.get_mut(k) {
                        *v += 1;
                    }
                    if let Some(v) = model.get_mut(k) {
                        *v += 1;
                    }
                    assert_eq!(tree.get_mut(k).copied(), model.get(k).copied());
                }
                _ => {
                    let mut it = model.iter_mut();
                    tree.for_each_mut(|key, v| {
                        let (mk, mv) = it.next().expect("the model has as many keys");
                        assert_eq!((key, *v), (&mk[..], *mv));
                        *v ^= 1;
                        *mv ^= 1;
                    });
                    assert!(it.next().is_none(), "the tree has as many keys");
                }
            }
            assert_eq!(tree.len(), model.len());
            if step % 1000 == 0 {
                let stats = tree.check_invariants().expect("invariants");
                assert_eq!(stats.keys, model.len());
            }
        }
    }
}
