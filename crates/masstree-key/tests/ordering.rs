//! Property tests for the ordering contract: comparing keys the way the tree
//! does (slice by slice, layer by layer) is exactly lexicographic order.

mod key_strategy;

use core::cmp::Ordering;

use key_strategy::{config, key, key_pair};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor, compare_entries};
use proptest::prelude::*;

/// Compares two keys as a lookup walks the trie: by `(ikey, keylen)` in each
/// layer, descending while both keys share the slice and go on past it.
fn tree_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut ca, mut cb) = (KeyCursor::new(a), KeyCursor::new(b));
    loop {
        match ca.compare_slot(cb.ikey(), cb.keylen()) {
            Ordering::Equal if ca.keylen() == KEYLEN_SUFFIX => {
                assert!(ca.shift(), "a has a suffix, so it must shift");
                assert!(cb.shift(), "b has a suffix, so it must shift");
                assert_eq!(ca.depth(), cb.depth());
            }
            order => return order,
        }
    }
}

/// Compares two keys with `compare_entries` at the given cursors' layer.
fn entries_cmp(ca: &KeyCursor<'_>, cb: &KeyCursor<'_>) -> Ordering {
    compare_entries(
        ca.ikey(),
        ca.keylen(),
        ca.suffix(),
        cb.ikey(),
        cb.keylen(),
        cb.suffix(),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn tree_order_is_lexicographic((a, b) in key_pair()) {
        prop_assert_eq!(tree_cmp(&a, &b), a.cmp(&b));
        prop_assert_eq!(tree_cmp(&b, &a), b.cmp(&a));
    }

    #[test]
    fn tree_order_is_reflexive(a in key()) {
        prop_assert_eq!(tree_cmp(&a, &a), Ordering::Equal);
        let copy = a.clone();
        prop_assert_eq!(tree_cmp(&a, &copy), Ordering::Equal);
    }

    #[test]
    fn compare_entries_at_depth_zero_is_lexicographic((a, b) in key_pair()) {
        let (ca, cb) = (KeyCursor::new(&a), KeyCursor::new(&b));
        prop_assert_eq!(entries_cmp(&ca, &cb), a.cmp(&b));
        prop_assert_eq!(entries_cmp(&cb, &ca), b.cmp(&a));
    }

    /// Two keys that reach the same layer (they share every earlier slice)
    /// are ordered there as the whole keys are.
    #[test]
    fn compare_entries_in_a_shared_layer_is_lexicographic((a, b) in key_pair()) {
        let (mut ca, mut cb) = (KeyCursor::new(&a), KeyCursor::new(&b));
        loop {
            prop_assert_eq!(entries_cmp(&ca, &cb), a.cmp(&b));
            let same_slot = ca.compare_slot(cb.ikey(), cb.keylen()) == Ordering::Equal;
            if !(same_slot && ca.shift() && cb.shift()) {
                break;
            }
        }
    }

    #[test]
    fn compare_slot_agrees_with_compare_entries_when_not_tied((a, b) in key_pair()) {
        let (ca, cb) = (KeyCursor::new(&a), KeyCursor::new(&b));
        let slot = ca.compare_slot(cb.ikey(), cb.keylen());
        if slot != Ordering::Equal {
            prop_assert_eq!(slot, entries_cmp(&ca, &cb));
        } else {
            prop_assert_eq!(ca.ikey(), cb.ikey());
            prop_assert_eq!(ca.keylen(), cb.keylen());
        }
    }

    #[test]
    fn sorting_by_tree_order_matches_sorting_bytes(
        mut keys in proptest::collection::vec(key(), 0..=16),
    ) {
        let mut by_tree = keys.clone();
        by_tree.sort_by(|a, b| tree_cmp(a, b));
        keys.sort();
        prop_assert_eq!(by_tree, keys);
    }
}
