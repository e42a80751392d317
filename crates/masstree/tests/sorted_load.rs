//! `extend_sorted`: the ascending fast path gives the same map as plain inserts for any
//! input order (sorted, reversed, shuffled, with duplicates, across layers), fills leaves
//! when the input ascends, and stays correct while other threads write.

mod common;
use common::value_for;

use masstree::MassTree;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Loads `pairs` with `extend_sorted` and checks the result against a `BTreeMap` model.
fn check(pairs: &[(Vec<u8>, u64)]) {
    let mut map: MassTree<[u8], u64> = MassTree::new();
    map.pin()
        .extend_sorted(pairs.iter().map(|(k, v)| (k.as_slice(), *v)));
    let model: BTreeMap<Vec<u8>, u64> = pairs.iter().cloned().collect();
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(model.len()));
    let got: Vec<(Vec<u8>, u64)> = map.pin().iter().map(|(k, v)| (k.into_vec(), *v)).collect();
    let want: Vec<(Vec<u8>, u64)> = model.into_iter().collect();
    assert_eq!(got, want);
}

fn key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(prop_oneof![Just(0u8), Just(b'a'), Just(0xff)], 0..20),
        (0usize..24, any::<u8>()).prop_map(|(n, b)| {
            let mut k = vec![b'p'; n];
            k.push(b);
            k
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 64 },
        // No failure file: miri's isolation forbids the file system.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn any_order_gives_the_model(pairs in prop::collection::vec((key(), any::<u64>()), 0..300)) {
        check(&pairs);
        let mut sorted = pairs.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        check(&sorted);
        sorted.reverse();
        check(&sorted);
    }
}

#[test]
fn ascending_input_fills_leaves_and_crosses_layers() {
    let n = if cfg!(miri) { 150u64 } else { 50_000 };
    // 8-byte keys: one layer.
    let mut dense: MassTree<u64, u64> = MassTree::new();
    dense.pin().extend_sorted((0..n).map(|i| (i, i)));
    let stats = dense.check_invariants().unwrap();
    assert_eq!(stats.keys, n as usize);
    assert!(
        stats.leaves <= (n as usize).div_ceil(15) + 1,
        "{} leaves for {n} ascending keys: leaves should be full",
        stats.leaves
    );
    // Long shared prefixes: every key lives in layer 2, and the finger follows it there.
    let mut layered: MassTree<str, u64> = MassTree::new();
    layered
        .pin()
        .extend_sorted((0..n).map(|i| (format!("tenant-0000000042/{i:010}"), i)));
    let stats = layered.check_invariants().unwrap();
    assert_eq!(stats.keys, n as usize);
    assert!(
        stats.leaves <= (n as usize).div_ceil(15) + 8,
        "{} leaves",
        stats.leaves
    );
    let m = layered.pin();
    assert_eq!(m.get("tenant-0000000042/0000000007"), Some(&7));
    assert_eq!(m.first().map(|(_, v)| *v), Some(0));
    assert_eq!(m.last().map(|(_, v)| *v), Some(n - 1));
}

#[test]
fn concurrent_writers_and_a_sorted_loader_lose_nothing() {
    let per = if cfg!(miri) { 100u64 } else { 20_000 };
    let map: MassTree<[u8], u64> = MassTree::new();
    std::thread::scope(|s| {
        // The loader appends ascending even keys while two writers insert odd keys into the
        // same leaves and remove some of them again.
        s.spawn(|| {
            map.pin().extend_sorted(
                (0..per).map(|i| ((2 * i).to_be_bytes(), value_for(&(2 * i).to_be_bytes()))),
            );
        });
        for t in 0..2u64 {
            let map = &map;
            s.spawn(move || {
                for i in (t..per).step_by(2) {
                    let k = (2 * i + 1).to_be_bytes();
                    let m = map.pin();
                    m.insert(k, value_for(&k));
                    if i % 5 == 0 {
                        m.remove(k);
                    }
                }
            });
        }
    });
    let mut map = map;
    let m = map.pin();
    for i in 0..per {
        let even = (2 * i).to_be_bytes();
        assert_eq!(m.get(even), Some(&value_for(&even)), "loaded key {i}");
        let odd = (2 * i + 1).to_be_bytes();
        let expect = (i % 5 != 0).then(|| value_for(&odd));
        assert_eq!(m.get(odd).copied(), expect, "written key {i}");
    }
    drop(m);
    assert!(map.check_invariants().is_ok());
}
