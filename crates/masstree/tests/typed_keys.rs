//! Typed keys against `BTreeMap<K, V>`: the same answers for point operations, ranges with
//! typed bounds (forward and reverse) and decoded scans; borrowed lookups; one layer for
//! 8-byte integers; the owned-map conveniences (`IntoIterator`, `Clone`, `PartialEq`).

use masstree::MassTree;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::Bound;

/// Applies `ops` to both maps and compares every answer, then every range.
fn differential<K>(ops: &[(u8, K, u32)], bounds: &[(Bound<K>, Bound<K>)])
where
    K: masstree::Key<Owned = K> + masstree::Query<K> + Ord + Clone + Debug,
{
    let mut map: MassTree<K, u32> = MassTree::new();
    let mut model: BTreeMap<K, u32> = BTreeMap::new();
    {
        let m = map.pin();
        for (op, key, value) in ops {
            match op % 4 {
                0 | 1 => assert_eq!(
                    m.insert(key, *value).copied(),
                    model.insert(key.clone(), *value)
                ),
                2 => assert_eq!(m.remove(key).copied(), model.remove(key)),
                _ => assert_eq!(m.get(key).copied(), model.get(key).copied()),
            }
        }
        let all: Vec<(K, u32)> = m.iter().map(|(k, v)| (k, *v)).collect();
        let expected: Vec<(K, u32)> = model.iter().map(|(k, v)| (k.clone(), *v)).collect();
        assert_eq!(all, expected);
        for (lo, hi) in bounds {
            let valid = match (lo, hi) {
                (
                    Bound::Included(a) | Bound::Excluded(a),
                    Bound::Included(b) | Bound::Excluded(b),
                ) => {
                    a < b
                        || (a == b && matches!((lo, hi), (Bound::Included(_), Bound::Included(_))))
                }
                _ => true,
            };
            let ours: Vec<K> = m
                .range((lo.as_ref(), hi.as_ref()))
                .map(|(k, _)| k)
                .collect();
            let back: Vec<K> = m
                .range((lo.as_ref(), hi.as_ref()))
                .rev()
                .map(|(k, _)| k)
                .collect();
            let theirs: Vec<K> = if valid {
                model
                    .range((lo.clone(), hi.clone()))
                    .map(|(k, _)| k.clone())
                    .collect()
            } else {
                Vec::new()
            };
            assert_eq!(ours, theirs, "range {lo:?}..{hi:?}");
            assert_eq!(back.into_iter().rev().collect::<Vec<_>>(), theirs);
        }
    }
    assert_eq!(map.check_invariants().map(|s| s.keys), Ok(model.len()));
}

fn bound<T: Arbitrary + Clone + 'static>() -> impl Strategy<Value = Bound<T>> {
    prop_oneof![
        any::<T>().prop_map(Bound::Included),
        any::<T>().prop_map(Bound::Excluded),
        Just(Bound::Unbounded),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 64 },
        // No failure file: miri's isolation forbids the file system.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn u64_keys(ops in prop::collection::vec((any::<u8>(), prop_oneof![any::<u64>(), 0u64..64, Just(u64::MAX)], any::<u32>()), 0..200),
                bounds in prop::collection::vec((bound::<u64>(), bound::<u64>()), 0..8)) {
        differential(&ops, &bounds);
    }

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn i32_keys(ops in prop::collection::vec((any::<u8>(), prop_oneof![any::<i32>(), -8i32..8, Just(i32::MIN), Just(i32::MAX)], any::<u32>()), 0..200),
                bounds in prop::collection::vec((bound::<i32>(), bound::<i32>()), 0..8)) {
        differential(&ops, &bounds);
    }

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn string_keys(ops in prop::collection::vec((any::<u8>(), "[a\\x00\u{e9}]{0,12}", any::<u32>()), 0..200),
                   bounds in prop::collection::vec((bound::<String>(), bound::<String>()), 0..8)) {
        differential(&ops, &bounds);
    }

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn tuple_keys(ops in prop::collection::vec((any::<u8>(), ("[ab\\x00]{0,3}", -2i16..2, any::<bool>()), any::<u32>()), 0..200),
                  bounds in prop::collection::vec((bound::<(String, i16, bool)>(), bound::<(String, i16, bool)>()), 0..8)) {
        differential(&ops, &bounds);
    }
}

#[test]
fn lookups_by_borrowed_forms() {
    let map: MassTree<String, u32> = MassTree::new();
    let m = map.pin();
    m.insert(String::from("owned"), 1);
    m.insert("borrowed", 2);
    let key = String::from("owned");
    assert_eq!(m.get(&key), Some(&1));
    assert_eq!(m.get("owned"), Some(&1));
    assert_eq!(m.get(key.as_str()), Some(&1));
    assert_eq!(m.range("a".."c").count(), 1);
    assert_eq!(m.keys().collect::<Vec<_>>(), ["borrowed", "owned"]);

    let pairs: MassTree<(String, u64), ()> = MassTree::new();
    let p = pairs.pin();
    p.insert(("a", 1), ());
    assert!(p.contains_key(("a", 1)));
    assert!(p.contains_key((String::from("a"), 1)));
    assert!(!p.contains_key(("a", 2)));

    let bytes: MassTree<Vec<u8>, ()> = MassTree::new();
    let b = bytes.pin();
    b.insert(b"xyz", ());
    assert!(b.contains_key(&b"xyz"[..]) && b.contains_key(vec![b'x', b'y', b'z']));
    assert_eq!(b.first().map(|(k, _)| k), Some(b"xyz".to_vec()));
}

#[test]
fn eight_byte_integers_take_one_layer_and_order_numerically() {
    let mut map: MassTree<u64, u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..if cfg!(miri) { 100 } else { 5_000u64 } {
            m.insert(i.wrapping_mul(0x9E37_79B9_7F4A_7C15), i);
        }
    }
    let stats = map.check_invariants().unwrap();
    assert_eq!(stats.layers, 1, "every u64 key fits its first slice");
    let keys: Vec<u64> = map.pin().keys().collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));

    let signed: MassTree<i64, ()> = [-5i64, 3, i64::MIN, 0, i64::MAX]
        .map(|k| (k, ()))
        .into_iter()
        .collect();
    assert_eq!(
        signed.pin().keys().collect::<Vec<_>>(),
        [i64::MIN, -5, 0, 3, i64::MAX]
    );
}

#[test]
fn owned_maps_iterate_clone_and_compare() {
    let n = if cfg!(miri) { 40 } else { 300 };
    let map: MassTree<str, String> = (0..n)
        .map(|i| (format!("k{i:03}"), i.to_string()))
        .collect();
    let copy = map.clone();
    assert_eq!(copy, map);
    copy.pin().insert("k000", "changed".into());
    assert_ne!(copy, map);
    copy.pin().insert("k000", "0".into());
    assert_eq!(copy, map);
    copy.pin().insert("extra", "x".into());
    assert_ne!(copy, map);

    let entries: Vec<(String, String)> = map.into_iter().collect();
    assert_eq!(entries.len(), n);
    assert_eq!(entries[0], ("k000".to_string(), "0".to_string()));
    assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
    let mut it = copy.into_iter();
    assert_eq!(
        it.next_back().map(|(k, _)| k),
        Some(format!("k{:03}", n - 1))
    );
    assert_eq!(it.len(), n);
}

#[test]
fn debug_prints_decoded_keys_like_btreemap() {
    let map: MassTree<u8, char> = [(2, 'b'), (1, 'a')].into_iter().collect();
    let model: BTreeMap<u8, char> = [(2, 'b'), (1, 'a')].into_iter().collect();
    assert_eq!(format!("{map:?}"), format!("{model:?}"));
    let mut extended = map.clone();
    extended.extend([(3u8, 'c')]);
    assert_eq!(format!("{extended:?}"), "{1: 'a', 2: 'b', 3: 'c'}");
}
