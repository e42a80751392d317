//! Loom models of the tree's core races, at small scale, over the real code (atomics come from
//! `masstree_node::sync`). The reclaimer is `DeferredReclaim`: loom cannot model seize.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test --release -p masstree-core --test loom`
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use masstree_core::{Boxed, Decision, DeferredReclaim, RawTree};

type Tree = RawTree<u64, DeferredReclaim>;

use masstree_testkit::loom_model::{model, model_with_bound};

fn key(i: u64) -> [u8; 8] {
    i.to_be_bytes()
}

fn insert(tree: &Tree, k: &[u8], v: u64) {
    let guard = tree.pin();
    tree.write(k, &guard, |_| Decision::Put(v));
}

fn remove(tree: &Tree, k: &[u8]) {
    let guard = tree.pin();
    tree.write(k, &guard, |_| Decision::Remove);
}

/// A lookup; the yield first lets loom schedule the racing writer at any of its steps before
/// the reader runs (loom switches threads at stores, RMWs, fences and yields).
fn get(tree: &Tree, k: &[u8]) -> Option<u64> {
    thread::yield_now();
    let guard = tree.pin();
    tree.get(k, &guard).copied()
}

/// An insert publishing through the permutation vs a get of a present key and of the new key.
#[test]
fn insert_publish_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, &key(20), 20);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(10), 10))
        };
        assert_eq!(get(&tree, &key(20)), Some(20));
        let seen = get(&tree, &key(10));
        assert!(seen.is_none() || seen == Some(10));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(10)), Some(10));
    });
}

/// A leaf split (and root growth) vs gets of keys that stay left and keys that move right.
#[test]
fn leaf_split_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        for i in 0..15 {
            insert(&tree, &key(i * 2), i * 2);
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(9), 9))
        };
        assert_eq!(get(&tree, &key(0)), Some(0), "a key that stays left");
        assert_eq!(get(&tree, &key(28)), Some(28), "a key that moves right");
        t.join().unwrap();
        assert_eq!(get(&tree, &key(9)), Some(9));
        assert!(!tree.root_is_leaf());
    });
}

/// A remove vs gets of the removed key and of a neighbour that stays.
#[test]
fn remove_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, &key(1), 1);
        insert(&tree, &key(2), 2);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || remove(&tree, &key(1)))
        };
        let seen = get(&tree, &key(1));
        assert!(seen.is_none() || seen == Some(1));
        assert_eq!(get(&tree, &key(2)), Some(2));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(1)), None);
    });
}

/// Layer creation (a second long key sharing the first slice) vs a get of the first key.
#[test]
fn layer_creation_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, b"shared-slice/first", 1);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, b"shared-slice/second", 2))
        };
        assert_eq!(get(&tree, b"shared-slice/first"), Some(1));
        t.join().unwrap();
        assert_eq!(get(&tree, b"shared-slice/second"), Some(2));
        assert_eq!(get(&tree, b"shared-slice/first"), Some(1));
    });
}

/// The setup the scan-across-a-split models share: a full leaf of the even keys 0, 2, .., 28,
/// a writer inserting 9 (which splits it), and `read` run on this thread meanwhile.
fn during_a_split_of_the_evens(read: impl Fn(&Tree) + Send + Sync + 'static) {
    model(move || {
        let tree = Arc::new(Tree::new());
        for i in 0..15 {
            insert(&tree, &key(i * 2), i * 2);
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(9), 9))
        };
        thread::yield_now();
        read(&tree);
        t.join().unwrap();
    });
}

/// The even values of `values`, in their order: the keys present throughout a split of the
/// evens.
fn evens(mut values: Vec<u64>) -> Vec<u64> {
    values.retain(|v| v % 2 == 0);
    values
}

/// A forward and a reverse scan crossing a leaf that splits under them: every key present
/// throughout comes out, once, in order.
#[test]
fn scan_crossing_a_split() {
    use masstree_core::scan::{Forward, KeyBound, Reverse, ScanCursor};
    during_a_split_of_the_evens(|tree| {
        let guard = tree.pin();
        let mut forward = ScanCursor::<u64, Boxed, Forward>::new(
            tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut seen = Vec::new();
        while let Some((_, v)) = forward.next_entry() {
            seen.push(*v);
        }
        assert_eq!(evens(seen), (0..15).map(|i| i * 2).collect::<Vec<_>>());
        let mut reverse = ScanCursor::<u64, Boxed, Reverse>::new(
            tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut back = Vec::new();
        while let Some((_, v)) = reverse.next_entry() {
            back.push(*v);
        }
        assert_eq!(
            evens(back),
            (0..15).rev().map(|i| i * 2).collect::<Vec<_>>()
        );
    });
}

/// A values-only scan (`next_value`: after an entry passes the checks, the rest of its leaf
/// snapshot is returned from a run, without keys) crossing a split of the leaf it reads, in
/// both directions: every key present throughout comes out, once, in order.
#[test]
fn values_scan_run_crossing_a_split() {
    use masstree_core::scan::{Forward, KeyBound, Reverse, ScanCursor};
    during_a_split_of_the_evens(|tree| {
        let guard = tree.pin();
        let mut forward = ScanCursor::<u64, Boxed, Forward>::new(
            tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut seen = Vec::new();
        while let Some(v) = forward.next_value() {
            seen.push(*v);
        }
        assert_eq!(evens(seen), (0..15).map(|i| i * 2).collect::<Vec<_>>());
        let mut reverse = ScanCursor::<u64, Boxed, Reverse>::new(
            tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut back = Vec::new();
        while let Some(v) = reverse.next_value() {
            back.push(*v);
        }
        assert_eq!(
            evens(back),
            (0..15).rev().map(|i| i * 2).collect::<Vec<_>>()
        );
    });
}

/// `fold_values` (the run drained with its position in a register) against bounded ends
/// (the run stops at the end's first slice, layer 0) while the leaf it reads splits, in both
/// directions: every key present throughout and inside the bounds comes out, once, in order.
#[test]
fn values_fold_with_bounded_ends_crossing_a_split() {
    use masstree_core::scan::{Forward, KeyBound, Reverse, ScanCursor};
    during_a_split_of_the_evens(|tree| {
        let guard = tree.pin();
        let mut forward = ScanCursor::<u64, Boxed, Forward>::new(
            tree,
            &guard,
            KeyBound::Included(key(4).to_vec().into()),
            KeyBound::Excluded(key(20).to_vec().into()),
        );
        let seen = forward.fold_values(Vec::new(), |mut acc, v| {
            acc.push(*v);
            acc
        });
        assert_eq!(evens(seen), (2..10).map(|i| i * 2).collect::<Vec<_>>());
        let mut reverse = ScanCursor::<u64, Boxed, Reverse>::new(
            tree,
            &guard,
            KeyBound::Excluded(key(24).to_vec().into()),
            KeyBound::Included(key(6).to_vec().into()),
        );
        let back = reverse.fold_values(Vec::new(), |mut acc, v| {
            acc.push(*v);
            acc
        });
        assert_eq!(
            evens(back),
            (3..12).rev().map(|i| i * 2).collect::<Vec<_>>()
        );
    });
}

/// A forward scan entering sublayers from their left end, where it starts at the layer's
/// entry leaf without a descent, while a writer splits the first layer's entry leaf; the
/// second layer reuses the first layer's frame. Every key present throughout comes out, once,
/// in order.
#[test]
fn scan_entering_layers_at_their_entry_leaf() {
    layers_scanned_during_a_split_of_the_first(false);
}

/// The same with a values-only scan, whose run goes on from the first layer's last leaf into
/// the second layer without the keyed path (`refill_run`'s hop): every value present
/// throughout comes out, once, in order.
#[test]
fn values_run_hopping_layers_during_a_split() {
    layers_scanned_during_a_split_of_the_first(true);
}

fn layers_scanned_during_a_split_of_the_first(values_only: bool) {
    use masstree_core::scan::{Forward, KeyBound, ScanCursor};
    fn long(first: &[u8; 8], i: u64) -> Vec<u8> {
        let mut k = first.to_vec();
        k.extend_from_slice(&key(i));
        k
    }
    model(move || {
        let tree = Arc::new(Tree::new());
        for i in 0..15 {
            insert(&tree, &long(b"layer-aa", i * 2), i * 2);
        }
        insert(&tree, &long(b"layer-bb", 1), 1001);
        insert(&tree, &long(b"layer-bb", 3), 1003);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &long(b"layer-aa", 9), 9))
        };
        thread::yield_now();
        let guard = tree.pin();
        let mut forward = ScanCursor::<u64, Boxed, Forward>::new(
            &tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut seen = Vec::new();
        if values_only {
            while let Some(v) = forward.next_value() {
                if *v == 1001 {
                    // The first key of the layer the run hopped to, written from the run.
                    let want = long(b"layer-bb", 1);
                    assert_eq!(forward.last_key(), Some(&want[..]), "key after the hop");
                }
                seen.push(*v);
            }
        } else {
            while let Some((_, v)) = forward.next_entry() {
                seen.push(*v);
            }
        }
        seen.retain(|v| v % 2 == 0 || *v > 1000);
        let mut expected: Vec<u64> = (0..15).map(|i| i * 2).collect();
        expected.extend([1001, 1003]);
        assert_eq!(seen, expected);
        drop(guard);
        t.join().unwrap();
    });
}

/// A tree whose layer-0 root is an internode over two leaves: `0..15` on the left, and `15`
/// alone on the right (an insert at the very end of a full leaf splits off just that key).
fn two_leaves_right_holding_one() -> Tree {
    let mut tree = Tree::new();
    for i in 0..16 {
        insert(&tree, &key(i), i);
    }
    let stats = tree.check_invariants().expect("a valid tree");
    assert_eq!(stats.leaves, 2, "the model needs two leaves");
    tree
}

/// A values-only forward scan whose run reaches the end of the left leaf refills it from the
/// right one (`refill_run`) while another thread empties and unlinks that right leaf: the
/// refill finds it deleted and the scan relocates from its position, or reads it before; the
/// values come out once each, in order: `0..15`, with or without `15`.
#[test]
fn values_run_refill_vs_unlink_of_the_next_leaf() {
    use masstree_core::Inline;
    use masstree_core::scan::{Forward, KeyBound, ScanCursor};
    model(|| {
        let mut tree = RawTree::<u64, DeferredReclaim, Inline>::new();
        for i in 0..16 {
            let guard = tree.pin();
            tree.write(&key(i), &guard, |_| Decision::Put(i));
        }
        assert_eq!(tree.check_invariants().expect("a valid tree").leaves, 2);
        let tree = Arc::new(tree);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || {
                let guard = tree.pin();
                tree.write(&key(15), &guard, |_| Decision::Remove);
            })
        };
        thread::yield_now();
        let guard = tree.pin();
        let mut scan = ScanCursor::<u64, Inline, Forward>::new(
            &tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut seen = Vec::new();
        while let Some(v) = scan.next_value() {
            seen.push(v);
        }
        let left: Vec<u64> = (0..15).collect();
        assert!(
            seen == left || seen == (0..16).collect::<Vec<_>>(),
            "values {seen:?}"
        );
        drop(scan);
        drop(guard);
        t.join().unwrap();
    });
}

/// The remove of the last key in a leaf (which empties and unlinks the leaf) vs a concurrent
/// insert into that leaf's range: the insert must land in a live leaf, not be lost with the
/// unlinked one, and the tree must stay well formed.
#[test]
fn remove_last_key_in_leaf_vs_insert_into_it() {
    model(|| {
        let tree = Arc::new(two_leaves_right_holding_one());
        let t = {
            let tree = tree.clone();
            thread::spawn(move || remove(&tree, &key(15)))
        };
        thread::yield_now();
        insert(&tree, &key(16), 16);
        t.join().unwrap();
        assert_eq!(get(&tree, &key(16)), Some(16), "the insert was lost");
        assert_eq!(get(&tree, &key(15)), None);
        assert_eq!(get(&tree, &key(14)), Some(14));
        let mut tree = Arc::try_unwrap(tree).unwrap_or_else(|_| panic!("threads joined"));
        let stats = tree.check_invariants().expect("a well-formed tree");
        assert_eq!(stats.keys, 16);
    });
}

/// A writer's finger on the right leaf (its last append went there) while another thread
/// empties and unlinks that leaf: the fingered insert into the leaf's old range must land in a
/// live leaf (it locks the fingered leaf and sees it deleted, or gets there first and keeps
/// the leaf alive), and the tree stays well formed.
#[test]
fn fingered_insert_vs_unlink_of_the_finger_leaf() {
    use masstree_core::Fingered;
    model(|| {
        let tree = Arc::new(two_leaves_right_holding_one());
        let pinned = Fingered::new(tree.pin());
        // An append at the right leaf's end: the finger now names it.
        tree.insert_fingered(&key(16), 16, &pinned);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || {
                remove(&tree, &key(15));
                remove(&tree, &key(16));
            })
        };
        thread::yield_now();
        tree.insert_fingered(&key(17), 17, &pinned);
        drop(pinned);
        t.join().unwrap();
        assert_eq!(
            get(&tree, &key(17)),
            Some(17),
            "the fingered insert was lost"
        );
        assert_eq!(get(&tree, &key(16)), None);
        assert_eq!(get(&tree, &key(14)), Some(14));
        let mut tree = Arc::try_unwrap(tree).unwrap_or_else(|_| panic!("threads joined"));
        let stats = tree.check_invariants().expect("a well-formed tree");
        assert_eq!(stats.keys, 16);
    });
}

/// The same leaf emptied and unlinked vs a get of a key that stays (in the left leaf) and of
/// the key being removed.
#[test]
fn remove_last_key_in_leaf_vs_get() {
    model(|| {
        let tree = Arc::new(two_leaves_right_holding_one());
        let t = {
            let tree = tree.clone();
            thread::spawn(move || remove(&tree, &key(15)))
        };
        let seen = get(&tree, &key(15));
        assert!(seen.is_none() || seen == Some(15));
        assert_eq!(get(&tree, &key(14)), Some(14));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(15)), None);
    });
}

/// Three threads on one full leaf: an insert that splits it, a second insert into the same
/// leaf (racing for its lock, so it may land before or after the split, on either side), and a
/// reader of a key that moves right. Preemption bound 1: at 2 the state space is far beyond CI.
#[test]
fn insert_vs_split_vs_get_on_one_leaf() {
    model_with_bound(1, || {
        let tree = Arc::new(Tree::new());
        for i in 0..15 {
            insert(&tree, &key(i * 2), i * 2);
        }
        let splitter = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(9), 9))
        };
        let second = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(21), 21))
        };
        assert_eq!(get(&tree, &key(28)), Some(28), "a key that moves right");
        splitter.join().unwrap();
        second.join().unwrap();
        assert_eq!(get(&tree, &key(9)), Some(9));
        assert_eq!(get(&tree, &key(21)), Some(21));
        let mut tree = Arc::try_unwrap(tree).unwrap_or_else(|_| panic!("threads joined"));
        assert_eq!(tree.check_invariants().expect("well formed").keys, 17);
    });
}

/// Layer creation vs a get of the *new* key under the new layer and of the key that moves
/// down into it.
#[test]
fn layer_creation_vs_get_of_the_new_key() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, b"shared-slice/first", 1);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, b"shared-slice/second", 2))
        };
        let seen = get(&tree, b"shared-slice/second");
        assert!(seen.is_none() || seen == Some(2));
        assert_eq!(get(&tree, b"shared-slice/first"), Some(1));
        t.join().unwrap();
        assert_eq!(get(&tree, b"shared-slice/second"), Some(2));
    });
}

/// An insert into a reused slot (still holding a removed key's slice and value) vs a get of
/// that removed key: the reader must never see the stale slot published. Removing keys 1..=15
/// in order leaves key 1's slot first in the free list, so the next insert reuses it.
#[test]
fn insert_into_reused_slot_vs_get_of_the_removed_key() {
    model(|| {
        let tree = Arc::new(Tree::new());
        for i in 1..=15 {
            insert(&tree, &key(i), i);
        }
        for i in 1..=15 {
            remove(&tree, &key(i));
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(100), 100))
        };
        assert_eq!(get(&tree, &key(1)), None, "a removed key came back");
        let seen = get(&tree, &key(100));
        assert!(seen.is_none() || seen == Some(100));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(100)), Some(100));
    });
}

/// A key with slice `i` and a short suffix (kept as a word in the leaf's short-suffix table).
fn short_key(i: u64, tail: &[u8]) -> Vec<u8> {
    let mut k = key(i).to_vec();
    k.extend_from_slice(tail);
    k
}

/// A reused slot gets a key with the removed key's slice and another short suffix: a reader
/// looking for the removed key must never match the new value through a stale suffix word,
/// nor the new key through the old one.
#[test]
fn insert_into_reused_slot_with_a_short_suffix_vs_get_of_the_removed_key() {
    model(|| {
        let tree = Arc::new(Tree::new());
        for i in 1..=15 {
            insert(&tree, &short_key(i, b"s"), i);
        }
        for i in 1..=15 {
            remove(&tree, &short_key(i, b"s"));
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &short_key(1, b"t"), 100))
        };
        assert_eq!(
            get(&tree, &short_key(1, b"s")),
            None,
            "a removed key came back"
        );
        let seen = get(&tree, &short_key(1, b"t"));
        assert!(seen.is_none() || seen == Some(100));
        t.join().unwrap();
        assert_eq!(get(&tree, &short_key(1, b"t")), Some(100));
        assert_eq!(get(&tree, &short_key(1, b"s")), None);
    });
}

/// A split moves keys with short suffixes into the new right leaf (copying their words) while
/// a reader looks one up: it finds it, before or after the move. The new key goes first, so
/// the leaf splits in the middle and keys 8..=15 move.
#[test]
fn split_moving_short_suffixes_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        for i in 1..=15 {
            insert(&tree, &short_key(i, b"s"), i);
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &short_key(0, b"s"), 100))
        };
        assert_eq!(get(&tree, &short_key(12, b"s")), Some(12));
        assert_eq!(get(&tree, &short_key(3, b"s")), Some(3));
        t.join().unwrap();
        assert_eq!(get(&tree, &short_key(0, b"s")), Some(100));
        assert_eq!(get(&tree, &short_key(12, b"s")), Some(12));
    });
}

/// The first key with a short suffix in a leaf allocates the leaf's short-suffix table while a
/// reader looks the key up: a reader that sees the slot sees the table initialised.
#[test]
fn first_short_suffix_allocates_the_table_vs_get() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, &key(1), 1);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &short_key(2, b"s"), 2))
        };
        let seen = get(&tree, &short_key(2, b"s"));
        assert!(seen.is_none() || seen == Some(2));
        assert_eq!(get(&tree, &key(1)), Some(1));
        t.join().unwrap();
        assert_eq!(get(&tree, &short_key(2, b"s")), Some(2));
    });
}

/// Adds one to `k`'s value if it has one: `Some(old)` if it did.
fn increment(tree: &Tree, k: &[u8]) -> Option<u64> {
    let guard = tree.pin();
    let written = tree.write(k, &guard, |old| match old {
        Some(v) => Decision::Put(*v + 1),
        None => Decision::Keep,
    });
    written.new.and(written.old.copied())
}

/// A write of a key with a suffix searches its leaf before locking it and, if nothing moved
/// the slot since, reuses what it found under the lock (`write.rs`, `peek_slot`). Here another
/// writer removes that key and puts an 8-byte key with the same slice into the very slot at
/// the same position (the leaf is full, so the freed slot is the only one): the update must
/// not land on the new key. (Planted bug: without the version check on reuse, this model
/// fails with the new key's value at 101.)
#[test]
fn update_reusing_a_peeked_slot_vs_its_reuse_by_another_key() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, &short_key(1, b"x"), 1);
        for i in 2..=15 {
            insert(&tree, &key(i), i);
        }
        let t = {
            let tree = tree.clone();
            thread::spawn(move || {
                remove(&tree, &short_key(1, b"x"));
                insert(&tree, &key(1), 100);
            })
        };
        let updated = increment(&tree, &short_key(1, b"x"));
        assert!(updated.is_none() || updated == Some(1));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(1)), Some(100), "the update hit another key");
        assert_eq!(get(&tree, &short_key(1, b"x")), None);
    });
}

/// A write passes through a layer link without locking its leaf (`peek_slot`) while another
/// writer turns the key's suffix slot into a layer link (kind first, then the pointer): the
/// update must find the key, in the slot or in the new layer, and never follow the old value
/// word as a layer. Inline values, so that the old word is the value itself (1), no pointer to
/// any allocation. (Planted bug: without `peek_slot`'s version check, this model follows the
/// word 1 as a node and crashes.)
#[test]
fn update_through_a_layer_link_vs_the_layer_being_built() {
    use masstree_core::Inline;
    type InlineTree = RawTree<u64, DeferredReclaim, Inline>;
    fn put(tree: &InlineTree, k: &[u8], v: u64) {
        let guard = tree.pin();
        tree.write(k, &guard, |_| Decision::Put(v));
    }
    fn increment(tree: &InlineTree, k: &[u8]) -> Option<u64> {
        let guard = tree.pin();
        let written = tree.write(k, &guard, |old| match old {
            Some(v) => Decision::Put(v + 1),
            None => Decision::Keep,
        });
        written.new.and(written.old)
    }
    fn value(tree: &InlineTree, k: &[u8]) -> Option<u64> {
        let guard = tree.pin();
        tree.get(k, &guard)
    }
    model(|| {
        let tree = Arc::new(InlineTree::new());
        put(&tree, b"shared-slice/first", 1);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || put(&tree, b"shared-slice/second", 2))
        };
        // As in `get`: lets loom run the writer at any of its steps before this one starts.
        thread::yield_now();
        assert_eq!(increment(&tree, b"shared-slice/first"), Some(1));
        t.join().unwrap();
        assert_eq!(value(&tree, b"shared-slice/first"), Some(2));
        assert_eq!(value(&tree, b"shared-slice/second"), Some(2));
        assert_eq!(increment(&tree, b"shared-slice/second"), Some(2));
        assert_eq!(value(&tree, b"shared-slice/second"), Some(3));
    });
}

/// The slot reused under the lock must still sit at the position the peek found it at:
/// another writer inserts a key below it into a free slot (no dirty bit: positions shift, the
/// version does not move) between the peek and the lock, and the write then removes the key.
/// The removal must take out that key and nothing else. (Planted bug: without the position
/// check on reuse, this model fails with key 1 removed instead.)
#[test]
fn remove_reusing_a_peeked_slot_vs_an_insert_shifting_positions() {
    model(|| {
        let tree = Arc::new(Tree::new());
        insert(&tree, &short_key(5, b"x"), 5);
        insert(&tree, &key(9), 9);
        let t = {
            let tree = tree.clone();
            thread::spawn(move || insert(&tree, &key(1), 1))
        };
        remove(&tree, &short_key(5, b"x"));
        t.join().unwrap();
        assert_eq!(get(&tree, &key(1)), Some(1), "the insert was removed");
        assert_eq!(get(&tree, &key(9)), Some(9));
        assert_eq!(get(&tree, &short_key(5, b"x")), None);
    });
}
