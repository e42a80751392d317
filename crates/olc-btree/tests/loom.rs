//! Loom model of the index's split protocol, through masstree-node's `sync` shim (every atomic
//! of the nodes and of the tree's root pointer is loom's). Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release -p olc-btree --test loom`.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use masstree_alloc::DeferredReclaim;
use olc_btree::OlcBTree;

/// A reader of a key that is present throughout races an insert that splits the full root
/// leaf (a new root appears): it finds the key, with its value, in every interleaving. A
/// planted bug (the parent marked dirty after the child changes, or the old root's `ROOT` bit
/// left set) makes a reader land in the half without the key.
#[test]
fn get_races_a_root_leaf_split() {
    masstree_testkit::loom_model::model(|| {
        let tree: Arc<OlcBTree<u64, DeferredReclaim>> = Arc::new(OlcBTree::new());
        {
            let guard = tree.pin();
            for k in 0..15u64 {
                tree.insert(k * 2, k, &guard);
            }
        }
        let writer = {
            let tree = Arc::clone(&tree);
            thread::spawn(move || {
                let guard = tree.pin();
                tree.insert(1, 100, &guard);
            })
        };
        {
            // Loom switches threads at stores, RMWs, fences and yields: the yield lets the
            // writer run any prefix of its steps before the reader starts.
            thread::yield_now();
            let guard = tree.pin();
            assert_eq!(tree.get(28, &guard), Some(&14), "a present key was missed");
        }
        writer.join().unwrap();
        let guard = tree.pin();
        assert_eq!(tree.get(1, &guard), Some(&100));
        assert_eq!(tree.count(&guard), 16);
    });
}
