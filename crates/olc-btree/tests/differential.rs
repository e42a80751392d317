//! Random operation sequences against `BTreeMap`: every answer, and every scan.

use olc_btree::OlcBTree;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

#[derive(Clone, Debug)]
enum Op {
    Insert(u64, u32),
    Remove(u64),
    Get(u64),
    Scan(u64, usize),
}

/// Keys from a small range (many collisions, splits of the same leaves) or anywhere (the
/// extremes included).
fn key() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0u64..600,
        1 => any::<u64>(),
        1 => prop::sample::select(vec![0, 1, u64::MAX - 1, u64::MAX]),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (key(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
        3 => key().prop_map(Op::Remove),
        2 => key().prop_map(Op::Get),
        1 => (key(), 0usize..40).prop_map(|(k, n)| Op::Scan(k, n)),
    ]
}

fn scan_of(tree: &OlcBTree<u32>, from: u64, n: usize) -> Vec<(u64, u32)> {
    let guard = tree.pin();
    let mut out = Vec::new();
    tree.scan(from, &guard, |k, v| {
        if out.len() == n {
            return ControlFlow::Break(());
        }
        out.push((k, *v));
        ControlFlow::Continue(())
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 64 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn matches_btreemap(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 60 } else { 1500 })) {
        let tree: OlcBTree<u32> = OlcBTree::new();
        let mut model = BTreeMap::new();
        let guard = tree.pin();
        for op in ops {
            match op {
                Op::Insert(k, v) => prop_assert_eq!(tree.insert(k, v, &guard).copied(), model.insert(k, v)),
                Op::Remove(k) => prop_assert_eq!(tree.remove(k, &guard).copied(), model.remove(&k)),
                Op::Get(k) => prop_assert_eq!(tree.get(k, &guard).copied(), model.get(&k).copied()),
                Op::Scan(k, n) => {
                    let expected: Vec<(u64, u32)> = model.range(k..).take(n).map(|(k, v)| (*k, *v)).collect();
                    prop_assert_eq!(scan_of(&tree, k, n), expected);
                }
            }
        }
        let all: Vec<(u64, u32)> = model.iter().map(|(k, v)| (*k, *v)).collect();
        prop_assert_eq!(scan_of(&tree, 0, usize::MAX), all);
        prop_assert_eq!(tree.count(&guard), model.len());
    }
}

/// Ascending, descending and interleaved loads grow the tree several levels deep (root
/// splits of leaves and internodes) and keep every key.
#[test]
fn deep_trees_keep_every_key() {
    // Under miri, enough keys for internode splits too (more than 24 leaves).
    let n: u64 = if cfg!(miri) { 400 } else { 60_000 };
    for order in 0..3 {
        let tree: OlcBTree<u64> = OlcBTree::new();
        let guard = tree.pin();
        for i in 0..n {
            let k = match order {
                0 => i,
                1 => n - 1 - i,
                _ => (i * 7919) % n,
            };
            assert_eq!(tree.insert(k, k + 1, &guard), None);
        }
        for k in 0..n {
            assert_eq!(
                tree.get(k, &guard),
                Some(&(k + 1)),
                "order {order}, key {k}"
            );
        }
        assert_eq!(tree.count(&guard), n as usize);
        for k in (0..n).step_by(2) {
            assert_eq!(tree.remove(k, &guard), Some(&(k + 1)));
        }
        let odd: Vec<u64> = (1..n).step_by(2).collect();
        let mut seen = Vec::new();
        tree.scan(0, &guard, |k, _| {
            seen.push(k);
            ControlFlow::Continue(())
        });
        assert_eq!(seen, odd);
    }
}

#[test]
#[should_panic(expected = "a guard of another tree")]
fn a_guard_of_another_tree_is_rejected() {
    let (a, b) = (OlcBTree::<u8>::new(), OlcBTree::<u8>::new());
    let guard = b.pin();
    let _ = a.get(1, &guard);
}
