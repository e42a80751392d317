//! New layers: when two keys that both continue past a slice share it, the slot becomes a
//! pointer to a B+tree over their next slices.

use masstree_alloc::NodePool;
use masstree_key::{ikey_of, keylen_class};
use masstree_node::{InlineTables, KEYLEN_LAYER, Leaf, NodeHeader, Permutation, SlotSuffix};

/// Builds the layer(s) holding two distinct key remainders `a` and `b` (the bytes after the
/// shared slice, both non-empty) with their value pointers, and returns the top layer's root.
///
/// If the remainders share further whole slices, each shared slice gets a one-key layer whose
/// slot points one layer down; the bottom layer holds both keys. Built iteratively, so a
/// megabyte of shared prefix costs no stack. Nothing here is published: the caller stores the
/// returned root into its slot under `INSERTING`.
pub(crate) fn build_layer(
    a: &[u8],
    a_value: *mut (),
    b: &[u8],
    b_value: *mut (),
    pool: &NodePool,
) -> *mut NodeHeader {
    debug_assert_ne!(a, b);
    let mut shared = 0;
    while a.len() - shared > 8
        && b.len() - shared > 8
        && a[shared..shared + 8] == b[shared..shared + 8]
    {
        shared += 8;
    }
    let (a_rest, b_rest) = (&a[shared..], &b[shared..]);
    let mut entries = [entry(a_rest, a_value), entry(b_rest, b_value)];
    if (entries[1].0, entries[1].1.min(9)) < (entries[0].0, entries[0].1.min(9)) {
        entries.swap(0, 1);
    }
    // Keys with suffixes (YCSB's keys in their sublayer have short ones) get the leaf with
    // the tables they go to in the same block.
    let tables = InlineTables::with(
        entries.iter().any(|e| e.3.short_word().is_some()),
        entries.iter().any(|e| e.3.long().is_some()),
    );
    let bottom = Leaf::boxed(0, true, false, tables, pool);
    {
        // SAFETY: fresh and unpublished; freed only through the tree.
        let bottom = unsafe { &*bottom };
        let lock = bottom.version().lock();
        for (slot, &(ikey, keylen, value, suffix)) in entries.iter().enumerate() {
            bottom.set_suffix(&lock, slot, suffix);
            bottom.set_slot(&lock, slot, ikey, keylen, value);
        }
        bottom.set_permutation(&lock, Permutation::sorted(2));
    }
    let mut node: *mut NodeHeader = bottom.cast();
    while shared > 0 {
        shared -= 8;
        let leaf = Leaf::new(0, true);
        {
            let lock = leaf.version().lock();
            leaf.set_slot(
                &lock,
                0,
                ikey_of(&a[shared..shared + 8]),
                KEYLEN_LAYER,
                node.cast(),
            );
            leaf.set_permutation(&lock, Permutation::sorted(1));
        }
        node = pool.boxed(leaf).cast();
    }
    node
}

/// A key remainder as a slot: slice, length class, value, suffix (short, or long and owned).
fn entry(rest: &[u8], value: *mut ()) -> (u64, u8, *mut (), SlotSuffix) {
    let suffix = if rest.len() > 8 {
        SlotSuffix::owned(&rest[8..])
    } else {
        SlotSuffix::NONE
    };
    (ikey_of(rest), keylen_class(rest.len()), value, suffix)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use crate::RawTree;
    use masstree_node::{KEYLEN_LAYER, Leaf};

    /// The leaves of the layer under `tree`'s first layer-0 slot, left to right (the test
    /// thread is the only one using the tree).
    fn sublayer_leaves(tree: &RawTree<u64>) -> Vec<&Leaf> {
        // SAFETY: the tree is live and quiescent; nothing is freed while it is borrowed.
        unsafe {
            let (top, _) = crate::reach::reach_leaf(tree.root(), 0).expect("layer 0");
            let slot = top.permutation().get(0);
            assert_eq!(top.keylen(slot), KEYLEN_LAYER);
            let (mut leaf, _) = crate::reach::reach_leaf(top.value(slot).cast(), 0).unwrap();
            let mut leaves = vec![leaf];
            while !leaf.next().is_null() {
                leaf = &*leaf.next();
                leaves.push(leaf);
            }
            leaves
        }
    }

    /// A layer for keys with short suffixes (15-byte keys sharing their first slice: 7 bytes
    /// past the sublayer's slice) starts with its short-suffix table in its leaf's block, and
    /// the leaves its splits make get one too; a layer for keys ending in their slice does not.
    #[test]
    fn short_suffix_layers_get_their_table_in_the_leaf_block() {
        let tree: RawTree<u64> = RawTree::new();
        let guard = tree.pin();
        let key = |i: u64| {
            let mut k = b"sharedsl".to_vec();
            k.extend_from_slice(&i.to_be_bytes()[1..]);
            k.extend_from_slice(b"tail123");
            k
        };
        tree.insert(&key(1), 1, &guard);
        tree.insert(&key(2), 2, &guard);
        let leaves = sublayer_leaves(&tree);
        assert_eq!(leaves.len(), 1);
        assert!(
            leaves[0].has_inline_short_suffixes(),
            "the new layer's leaf"
        );
        for i in 3..60 {
            tree.insert(&key(i), i, &guard);
        }
        let leaves = sublayer_leaves(&tree);
        assert!(leaves.len() > 2, "the layer split");
        assert!(
            leaves.iter().all(|l| l.has_inline_short_suffixes()),
            "split halves"
        );
        for i in 1..60 {
            assert_eq!(tree.get(&key(i), &guard), Some(&i));
        }

        let plain: RawTree<u64> = RawTree::new();
        let guard = plain.pin();
        plain.insert(b"sharedslAAAAAAAA", 1, &guard);
        plain.insert(b"sharedslBBBBBBBB", 2, &guard);
        assert!(!sublayer_leaves(&plain)[0].has_inline_short_suffixes());
    }

    /// The same for long suffixes (keys of 8 shared bytes, a sublayer slice and 20 more): the
    /// new layer's leaf and its split halves have the long-suffix table in their block, and
    /// every key is found and compared through it.
    #[test]
    fn long_suffix_layers_get_their_table_in_the_leaf_block() {
        let tree: RawTree<u64> = RawTree::new();
        let guard = tree.pin();
        let key = |i: u64| {
            let mut k = b"sharedsl".to_vec();
            k.extend_from_slice(&i.to_be_bytes());
            k.extend_from_slice(b"a tail of twenty b's");
            k
        };
        tree.insert(&key(1), 1, &guard);
        tree.insert(&key(2), 2, &guard);
        let leaves = sublayer_leaves(&tree);
        assert_eq!(leaves.len(), 1);
        assert!(leaves[0].has_inline_long_suffixes(), "the new layer's leaf");
        assert!(
            !leaves[0].has_inline_short_suffixes(),
            "no short suffix there"
        );
        for i in 3..60 {
            tree.insert(&key(i), i, &guard);
        }
        let leaves = sublayer_leaves(&tree);
        assert!(leaves.len() > 2, "the layer split");
        assert!(
            leaves.iter().all(|l| l.has_inline_long_suffixes()),
            "split halves"
        );
        for i in 1..60 {
            assert_eq!(tree.get(&key(i), &guard), Some(&i));
            let mut other = key(i);
            *other.last_mut().unwrap() = b'c';
            assert_eq!(tree.get(&other, &guard), None, "a suffix that differs");
        }

        // Short and long tails in one layer: both tables in the block.
        let mixed: RawTree<u64> = RawTree::new();
        let guard = mixed.pin();
        let key = |i: u64| {
            let mut k = key(i);
            if i.is_multiple_of(2) {
                k.truncate(20);
            }
            k
        };
        mixed.insert(&key(1), 1, &guard);
        mixed.insert(&key(2), 2, &guard);
        let both = |l: &&Leaf| l.inline_tables() == masstree_node::InlineTables::BOTH;
        assert!(both(&sublayer_leaves(&mixed)[0]), "the new layer's leaf");
        // Shuffled, so that splits are not ascending ones (whose right half holds just the new
        // key): a half then takes keys of both kinds.
        for i in (3..60).map(|i| 3 + (i * 37) % 57) {
            mixed.insert(&key(i), i, &guard);
        }
        let leaves = sublayer_leaves(&mixed);
        assert!(leaves.len() > 2, "the layer split");
        assert!(
            leaves[1..].iter().any(both),
            "a split half with both tables"
        );
        for i in 1..60 {
            assert_eq!(mixed.get(&key(i), &guard), Some(&i));
        }
    }
}
