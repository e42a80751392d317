//! Random operation sequences against `BTreeMap`, over adversarial keys.

use masstree::reclaim::{Reclaimer, SeizeReclaim};
use masstree::{Boxed, Inline, MassTree, Storage};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Keys built to hit the trie's edge cases: empty, NUL and 0xFF bytes, prefixes of each other,
/// lengths across the 8/16/24 boundaries, long shared prefixes differing in the last byte.
fn key() -> impl Strategy<Value = Vec<u8>> {
    let alphabet = prop_oneof![
        Just(0u8),
        Just(1u8),
        Just(b'a'),
        Just(0x7f),
        Just(0xfe),
        Just(0xff)
    ];
    prop_oneof![
        3 => prop::collection::vec(alphabet.clone(), 0..=40),
        2 => (0usize..=40, prop::collection::vec(alphabet.clone(), 0..=2)).prop_map(|(n, tail)| {
            let mut k = vec![b'p'; n];
            k.extend(tail);
            k
        }),
        1 => (prop::sample::select(vec![7usize, 8, 9, 15, 16, 17, 23, 24, 25, 256, 257]), any::<u8>())
            .prop_map(|(n, last)| {
                let mut k = vec![0x42; n];
                if let Some(b) = k.last_mut() {
                    *b = last;
                }
                k
            }),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Insert(Vec<u8>, u32),
    Remove(Vec<u8>),
    Get(Vec<u8>),
    Update(Vec<u8>),
    GetOrInsert(Vec<u8>, u32),
    CompareExchange(Vec<u8>, Option<u32>, Option<u32>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (key(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
        3 => key().prop_map(Op::Remove),
        2 => key().prop_map(Op::Get),
        1 => key().prop_map(Op::Update),
        1 => (key(), any::<u32>()).prop_map(|(k, v)| Op::GetOrInsert(k, v)),
        1 => (key(), prop::option::of(0u32..4), prop::option::of(0u32..4))
            .prop_map(|(k, c, n)| Op::CompareExchange(k, c, n)),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 64 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A reader view of a `u32` (a `&u32` or, for inline values, a copy) as the value.
fn own<S: Storage<u32>>(view: Option<S::Ref<'_>>) -> Option<u32> {
    view.map(|v| *S::as_value(&v))
}

/// Replays `ops` on a map storing values as `S` says and on a `BTreeMap`, comparing every
/// answer, then checks the map's structure.
fn run<S: Storage<u32>>(ops: Vec<Op>) -> Result<(), TestCaseError> {
    run_with::<SeizeReclaim, S>(ops)
}

/// [`run`] on a map reclaiming memory through `R`.
fn run_with<R: Reclaimer, S: Storage<u32>>(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut map = MassTree::<[u8], u32, R, S>::default();
    let mut model = BTreeMap::new();
    {
        let m = map.pin();
        for op in ops {
            match op {
                Op::Insert(k, v) => prop_assert_eq!(own::<S>(m.insert(&k, v)), model.insert(k, v)),
                Op::Remove(k) => prop_assert_eq!(own::<S>(m.remove(&k)), model.remove(&k)),
                Op::Get(k) => prop_assert_eq!(own::<S>(m.get(&k)), model.get(&k).copied()),
                Op::Update(k) => {
                    let expect = model.get_mut(&k).map(|v| {
                        *v = v.wrapping_mul(3).wrapping_add(1);
                        *v
                    });
                    prop_assert_eq!(
                        own::<S>(m.update(&k, |v| v.wrapping_mul(3).wrapping_add(1))),
                        expect
                    );
                }
                Op::GetOrInsert(k, v) => {
                    let expect = *model.entry(k.clone()).or_insert(v);
                    prop_assert_eq!(own::<S>(Some(m.get_or_insert_with(&k, || v))), Some(expect));
                }
                Op::CompareExchange(k, current, new) => {
                    let found = model.get(&k).copied();
                    let result = m.compare_exchange(&k, current.as_ref(), new);
                    if found == current {
                        prop_assert_eq!(result.map(own::<S>), Ok(found));
                        match new {
                            Some(n) => model.insert(k, n),
                            None => model.remove(&k),
                        };
                    } else {
                        let Err(err) = result else {
                            return Err(TestCaseError::fail(
                                "compare_exchange must fail on mismatch",
                            ));
                        };
                        prop_assert_eq!(own::<S>(err.current), found);
                        prop_assert_eq!(err.new, new);
                    }
                }
            }
        }
        prop_assert_eq!(m.len(), model.len());
        for (k, v) in &model {
            prop_assert_eq!(own::<S>(m.get(k)), Some(*v), "key {:?}", k);
        }
        let scanned: Vec<(Vec<u8>, u32)> = m
            .iter()
            .map(|(k, v)| (k.to_vec(), *S::as_value(&v)))
            .collect();
        let expected: Vec<(Vec<u8>, u32)> = model.iter().map(|(k, v)| (k.clone(), *v)).collect();
        prop_assert_eq!(scanned, expected);
    }
    let stats = map.check_invariants().map_err(TestCaseError::fail)?;
    prop_assert_eq!(stats.keys, model.len());
    let drained: Vec<(Vec<u8>, u32)> = map.into_iter().map(|(k, v)| (k.to_vec(), v)).collect();
    prop_assert_eq!(drained, model.into_iter().collect::<Vec<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn matches_btreemap(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 60 } else { 400 })) {
        run::<Boxed>(ops)?;
    }

    /// The same with values stored inline in the leaves.
    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn inline_values_match_btreemap(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 60 } else { 400 })) {
        run::<Inline>(ops)?;
    }

    /// The same over the second reclaimer, crossbeam-epoch (not under miri: crossbeam-epoch's
    /// tagged pointers are not strict-provenance clean).
    #[test]
    #[cfg(not(miri))]
    fn matches_btreemap_with_epoch_reclamation(ops in prop::collection::vec(op(), 0..400)) {
        run_with::<masstree::reclaim::EpochReclaim, Boxed>(ops.clone())?;
        run_with::<masstree::reclaim::EpochReclaim, Inline>(ops)?;
    }

    /// Many inserts of keys in a narrow alphabet force splits and layers, then removals.
    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn matches_btreemap_under_splits(keys in prop::collection::vec(key(), 0..if cfg!(miri) { 40 } else { 600 })) {
        let mut ops: Vec<Op> = keys.iter().enumerate().map(|(i, k)| Op::Insert(k.clone(), i as u32)).collect();
        ops.extend(keys.iter().step_by(2).map(|k| Op::Remove(k.clone())));
        ops.extend(keys.iter().map(|k| Op::Get(k.clone())));
        run::<Boxed>(ops.clone())?;
        run::<Inline>(ops)?;
    }
}

#[test]
fn huge_and_boundary_keys() {
    let mut keys: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![0],
        vec![0, 0],
        vec![0xff; 8],
        vec![0xff; 9],
    ];
    let mut lengths = vec![256usize, 257];
    if !cfg!(miri) {
        // Slow under miri (hundreds of layers); the 256-byte keys already cross 32 layers.
        lengths.extend([4096, 1 << 20]);
    }
    for len in lengths {
        let base: Vec<u8> = (0..len).map(|i| ((i * 7 + len) % 251) as u8).collect();
        keys.push(base.clone());
        let mut other = base.clone();
        *other.last_mut().unwrap() ^= 1; // shares everything but the last byte
        keys.push(other);
        let mut longer = base.clone();
        longer.push(0);
        keys.push(longer);
        keys.push(base[..len - 1].to_vec());
    }
    let map = MassTree::<[u8], _>::new();
    let m = map.pin();
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(m.insert(k, i), None, "key {i} inserted twice");
    }
    assert_eq!(m.len(), keys.len());
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(m.get(k), Some(&i), "key {i} of length {}", k.len());
    }
    for (i, k) in keys.iter().enumerate().step_by(2) {
        assert_eq!(m.remove(k), Some(&i));
    }
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(m.get(k).copied(), (i % 2 == 1).then_some(i));
    }
}

#[test]
fn sequential_and_reverse_inserts_grow_the_tree() {
    let n: u64 = if cfg!(miri) { 300 } else { 100_000 };
    let map = MassTree::<[u8], _>::new();
    let m = map.pin();
    for i in 0..n {
        m.insert(i.to_be_bytes(), i);
    }
    for i in (n..2 * n).rev() {
        m.insert(i.to_be_bytes(), i);
    }
    assert_eq!(m.len() as u64, 2 * n);
    for i in 0..2 * n {
        assert_eq!(m.get(i.to_be_bytes()), Some(&i));
    }
    assert!(m.get((2 * n).to_be_bytes()).is_none());
}

/// `get_many` against `get` over a tree of several levels, deterministic so that it also runs
/// under miri (the proptests below do not): 8-byte keys (the inline hint pass hands their
/// leaf on without a search), keys sharing 8 and 16 bytes (layer links, which it does search
/// for), long keys, and absent ones, for both value representations.
#[test]
fn get_many_over_layers_matches_get() {
    fn check<S: Storage<u64>>() {
        let map = MassTree::<[u8], u64, SeizeReclaim, S>::default();
        let m = map.pin();
        let n: u64 = if cfg!(miri) { 120 } else { 2_000 };
        let key = |i: u64| -> Vec<u8> {
            let word = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes();
            match i % 4 {
                0 => word.to_vec(),
                1 => [&b"shared08"[..], &word].concat(),
                2 => [&b"shared08shared16"[..], &word[..3]].concat(),
                _ => [&word[..], &[i as u8; 40][..]].concat(),
            }
        };
        for i in 0..n {
            m.insert(key(i), i);
        }
        let owned: Vec<Vec<u8>> = (0..n + n / 4).map(key).collect();
        let probes: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
        let batch = m.get_many(&probes);
        assert_eq!(batch.len(), probes.len());
        for (i, (k, got)) in probes.iter().zip(batch).enumerate() {
            assert_eq!(
                got.map(|v| *S::as_value(&v)),
                (i < n as usize).then_some(i as u64)
            );
            assert_eq!(
                got.map(|v| *S::as_value(&v)),
                m.get(k).map(|v| *S::as_value(&v))
            );
        }
    }
    check::<Inline>();
    check::<Boxed>();
}

proptest! {
    #![proptest_config(config())]

    /// `get_many` gives exactly the answers of `get`, key by key, for present and absent keys.
    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn get_many_matches_get(keys in prop::collection::vec(key(), 0..if cfg!(miri) { 40 } else { 400 }),
                            probes in prop::collection::vec(key(), 0..if cfg!(miri) { 20 } else { 100 })) {
        let map = MassTree::<[u8], _>::new();
        let m = map.pin();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i);
        }
        let all: Vec<&[u8]> = keys.iter().chain(&probes).map(Vec::as_slice).collect();
        let batch = m.get_many(&all);
        prop_assert_eq!(batch.len(), all.len());
        for (k, got) in all.iter().zip(batch) {
            prop_assert_eq!(got, m.get(k));
        }
    }

    /// The same with inline values, whose hint pass searches a leaf only for keys that go on
    /// past their slice (where a layer link may be found) and otherwise just hands the leaf on.
    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn get_many_matches_get_inline(keys in prop::collection::vec(key(), 0..if cfg!(miri) { 40 } else { 400 }),
                                   probes in prop::collection::vec(key(), 0..if cfg!(miri) { 20 } else { 100 })) {
        let map = MassTree::<[u8], u64, SeizeReclaim, Inline>::default();
        let m = map.pin();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i as u64);
        }
        let all: Vec<&[u8]> = keys.iter().chain(&probes).map(Vec::as_slice).collect();
        let batch = m.get_many(&all);
        prop_assert_eq!(batch.len(), all.len());
        for (k, got) in all.iter().zip(batch) {
            prop_assert_eq!(got, m.get(k));
        }
    }
}
