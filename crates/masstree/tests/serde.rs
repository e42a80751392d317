//! The serde feature: maps round-trip through a format as maps in key order (as `BTreeMap`
//! does), the sequence-of-pairs form still loads, and bad input is an error, not a panic.
#![cfg(feature = "serde")]

use masstree::MassTree;

#[test]
fn typed_maps_round_trip_in_key_order() {
    let ints: MassTree<i64, String> = [(3, "c"), (-1, "a"), (2, "b")]
        .map(|(k, v)| (k, v.to_string()))
        .into_iter()
        .collect();
    let json = serde_json::to_string(&ints).unwrap();
    assert_eq!(json, r#"{"-1":"a","2":"b","3":"c"}"#);
    let back: MassTree<i64, String> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ints);
    // The sequence form earlier versions wrote still loads.
    let old: MassTree<i64, String> = serde_json::from_str(r#"[[-1,"a"],[2,"b"],[3,"c"]]"#).unwrap();
    assert_eq!(old, ints);

    let pairs: MassTree<(String, u32), bool> =
        [(("x", 2), true), (("x", 1), false)].into_iter().collect();
    let mut json = Vec::new();
    masstree::pairs::serialize(&pairs, &mut serde_json::Serializer::new(&mut json)).unwrap();
    assert_eq!(json, br#"[[["x",1],false],[["x",2],true]]"#);
    let back: MassTree<(String, u32), bool> = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, pairs);
    // As for `BTreeMap`, JSON objects cannot have tuple keys: an error, not a panic.
    assert!(serde_json::to_string(&pairs).is_err());
}

#[test]
fn documents_of_btreemap_load_and_the_other_way_round() {
    use std::collections::BTreeMap;
    let std_map: BTreeMap<String, Vec<u32>> =
        [("b".to_string(), vec![2]), ("a".to_string(), vec![1, 1])]
            .into_iter()
            .collect();
    let json = serde_json::to_string(&std_map).unwrap();
    let ours: MassTree<str, Vec<u32>> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&ours).unwrap(), json);
    let round: BTreeMap<String, Vec<u32>> =
        serde_json::from_str(&serde_json::to_string(&ours).unwrap()).unwrap();
    assert_eq!(round, std_map);

    let ids: BTreeMap<u64, bool> = [(10, true), (2, false)].into_iter().collect();
    let ours: MassTree<u64, bool> =
        serde_json::from_str(&serde_json::to_string(&ids).unwrap()).unwrap();
    assert_eq!(
        ours.pin()
            .iter()
            .map(|(k, v)| (k, *v))
            .collect::<BTreeMap<_, _>>(),
        ids
    );
}

#[test]
fn byte_keys_round_trip_with_nul_and_long_keys() {
    let keys: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0xff, 0], vec![7; 300]];
    let map: MassTree<[u8], usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_slice(), i))
        .collect();
    let mut json = Vec::new();
    masstree::pairs::serialize(&map, &mut serde_json::Serializer::new(&mut json)).unwrap();
    let back: MassTree<[u8], usize> = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, map);
    assert_eq!(back.len(), 4);
}

#[test]
fn bad_input_is_an_error() {
    assert!(serde_json::from_str::<MassTree<u8, u8>>(r#"[[300, 1]]"#).is_err());
    assert!(serde_json::from_str::<MassTree<u8, u8>>(r#"{"a": 1}"#).is_err());
    assert!(serde_json::from_str::<MassTree<u8, u8>>(r#"{"300": 1}"#).is_err());
    assert!(serde_json::from_str::<MassTree<u8, u8>>(r#"7"#).is_err());
    assert!(serde_json::from_str::<MassTree<str, u8>>(r#"[["a"]]"#).is_err());
    let later_wins: MassTree<str, u8> = serde_json::from_str(r#"[["a",1],["a",2]]"#).unwrap();
    assert_eq!(later_wins.pin().get("a"), Some(&2));
}
