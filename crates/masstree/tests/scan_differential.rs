//! Range scans against `BTreeMap::range`: every kind of bound, forward, reverse and mixed.

use masstree::MassTree;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ops::Bound;

/// Keys around the trie's edges: shared long prefixes (layers), 8/16/24-byte boundaries, NUL
/// and 0xFF bytes, prefixes of one another.
fn key() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![Just(0u8), Just(1u8), Just(b'm'), Just(0xfe), Just(0xff)];
    prop_oneof![
        3 => prop::collection::vec(byte.clone(), 0..=26),
        2 => (0usize..=20, prop::collection::vec(byte, 0..=3)).prop_map(|(n, tail)| {
            let mut k = vec![b'p'; n];
            k.extend(tail);
            k
        }),
    ]
}

fn bound() -> impl Strategy<Value = Bound<Vec<u8>>> {
    prop_oneof![
        1 => Just(Bound::Unbounded),
        2 => key().prop_map(Bound::Included),
        2 => key().prop_map(Bound::Excluded),
    ]
}

/// How the iterator is driven: a pattern of `next` (true) and `next_back` (false) calls.
fn pattern() -> impl Strategy<Value = Vec<bool>> {
    prop::collection::vec(any::<bool>(), 0..64)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 96 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn as_slices(b: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    b.as_ref().map(Vec::as_slice)
}

/// `BTreeMap::range` panics on start > end (or equal and both excluded); we yield nothing.
fn model_range<'a>(
    model: &'a BTreeMap<Vec<u8>, u32>,
    start: &Bound<Vec<u8>>,
    end: &Bound<Vec<u8>>,
) -> Vec<(&'a Vec<u8>, &'a u32)> {
    if let (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) =
        (start, end)
    {
        let both_included = matches!((start, end), (Bound::Included(_), Bound::Included(_)));
        if s > e || (s == e && !both_included) {
            return Vec::new();
        }
    }
    model
        .range::<[u8], _>((as_slices(start), as_slices(end)))
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn range_matches_btreemap(
        keys in prop::collection::vec(key(), 0..if cfg!(miri) { 40 } else { 300 }),
        removals in prop::collection::vec(any::<prop::sample::Index>(), 0..100),
        start in bound(),
        end in bound(),
        drive in pattern(),
        drive_values in pattern(),
        split in 0usize..320,
    ) {
        let map = MassTree::<[u8], _>::new();
        let mut model = BTreeMap::new();
        let m = map.pin();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i as u32);
            model.insert(k.clone(), i as u32);
        }
        if !keys.is_empty() {
            for r in &removals {
                let k = &keys[r.index(keys.len())];
                m.remove(k);
                model.remove(k);
            }
        }
        let expect = model_range(&model, &start, &end);

        let forward: Vec<(Vec<u8>, u32)> = m
            .range((as_slices(&start), as_slices(&end)))
            .map(|(k, v)| (k.into_vec(), *v))
            .collect();
        let want: Vec<(Vec<u8>, u32)> = expect.iter().map(|(k, v)| ((*k).clone(), **v)).collect();
        prop_assert_eq!(&forward, &want);

        let reverse: Vec<(Vec<u8>, u32)> = m
            .range((as_slices(&start), as_slices(&end)))
            .rev()
            .map(|(k, v)| (k.into_vec(), *v))
            .collect();
        let want_rev: Vec<(Vec<u8>, u32)> = want.iter().rev().cloned().collect();
        prop_assert_eq!(&reverse, &want_rev);

        // Mixed next/next_back, as with BTreeMap's ranges.
        let mut ours = m.range((as_slices(&start), as_slices(&end)));
        let mut theirs = expect.into_iter();
        for front in drive {
            let (a, b) = if front {
                (ours.next(), theirs.next())
            } else {
                (ours.next_back(), theirs.next_back())
            };
            prop_assert_eq!(a.map(|(k, v)| (k.into_vec(), *v)), b.map(|(k, v)| (k.clone(), *v)));
        }

        // Values only (keys not built on the fast path): forward, reverse and mixed, where the
        // back end must still stop at the front's last key.
        let values: Vec<u32> = m
            .range((as_slices(&start), as_slices(&end)))
            .values()
            .copied()
            .collect();
        let want_values: Vec<u32> = want.iter().map(|(_, v)| *v).collect();
        prop_assert_eq!(&values, &want_values);
        let values_rev: Vec<u32> = m
            .range((as_slices(&start), as_slices(&end)))
            .values()
            .rev()
            .copied()
            .collect();
        prop_assert_eq!(values_rev, want_values.iter().rev().copied().collect::<Vec<_>>());
        let mut ours = m.range((as_slices(&start), as_slices(&end))).values();
        let mut theirs = want_values.iter();
        for front in drive_values {
            let (a, b) = if front {
                (ours.next(), theirs.next())
            } else {
                (ours.next_back(), theirs.next_back())
            };
            prop_assert_eq!(a, b);
        }

        // Values folded (`sum`, `for_each`, `fold`: the run drained with its position in a
        // register), whole, after `split` steps from the front, and after one from the back
        // (the ends then compare keys).
        let push = |mut acc: Vec<u32>, v: &u32| {
            acc.push(*v);
            acc
        };
        let range = || m.range((as_slices(&start), as_slices(&end)));
        prop_assert_eq!(&range().values().fold(Vec::new(), push), &want_values);
        let mut part = range().values();
        let head: Vec<u32> = part.by_ref().take(split).copied().collect();
        prop_assert_eq!(&part.fold(head, push), &want_values);
        let reversed = want_values.iter().rev().copied().collect::<Vec<_>>();
        prop_assert_eq!(&range().values().rev().fold(Vec::new(), push), &reversed);
        let mut part = range().values().rev();
        let head: Vec<u32> = part.by_ref().take(split).copied().collect();
        prop_assert_eq!(&part.fold(head, push), &reversed);
        let mut part = range().values();
        let first = part.next().copied();
        let mut from_back = part.rev().fold(Vec::new(), push);
        from_back.extend(first);
        prop_assert_eq!(&from_back, &reversed);
        let mut part = range().values();
        let last = part.next_back().copied();
        let mut both = part.fold(Vec::new(), push);
        both.extend(last);
        prop_assert_eq!(&both, &want_values);
    }

    #[test]
    #[cfg_attr(miri, ignore = "proptest under miri is too slow for CI; the deterministic tests cover miri")]
    fn prefix_first_last_match_btreemap(keys in prop::collection::vec(key(), 0..200), p in key()) {
        let map = MassTree::<[u8], _>::new();
        let mut model = BTreeMap::new();
        let m = map.pin();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i as u32);
            model.insert(k.clone(), i as u32);
        }
        let ours: Vec<Vec<u8>> = m.prefix(&p).map(|(k, _)| k.into_vec()).collect();
        let theirs: Vec<Vec<u8>> = model.keys().filter(|k| k.starts_with(&p)).cloned().collect();
        prop_assert_eq!(ours, theirs);
        prop_assert_eq!(m.first().map(|(k, v)| (k.into_vec(), *v)), model.first_key_value().map(|(k, v)| (k.clone(), *v)));
        prop_assert_eq!(m.last().map(|(k, v)| (k.into_vec(), *v)), model.last_key_value().map(|(k, v)| (k.clone(), *v)));
        let keys_in_order: Vec<Vec<u8>> = m.keys().map(|k| k.into_vec()).collect();
        prop_assert_eq!(keys_in_order, model.keys().cloned().collect::<Vec<_>>());
    }
}

#[test]
fn full_scans_of_a_large_tree_in_both_directions() {
    let n: u64 = if cfg!(miri) { 500 } else { 100_000 };
    let map = MassTree::<[u8], _>::new();
    let m = map.pin();
    for i in 0..n {
        m.insert((i * 3).to_be_bytes(), i);
    }
    let forward: Vec<u64> = m.values().copied().collect();
    assert_eq!(forward, (0..n).collect::<Vec<_>>());
    let reverse: Vec<u64> = m.values().rev().copied().collect();
    assert_eq!(reverse, (0..n).rev().collect::<Vec<_>>());
    // A 100-key window, both ways, with a start between keys.
    let at = n / 5; // the window starts just after key number `at`
    let start = (3 * at + 1).to_be_bytes();
    let window: Vec<u64> = m.range(&start[..]..).take(100).map(|(_, v)| *v).collect();
    assert_eq!(window, (at + 1..at + 101).collect::<Vec<_>>());
    let back: Vec<u64> = m
        .range(..&start[..])
        .rev()
        .take(100)
        .map(|(_, v)| *v)
        .collect();
    assert_eq!(back, (at - 99..=at).rev().collect::<Vec<_>>());
}

#[test]
fn pop_first_and_last_drain_in_order() {
    let map = MassTree::<[u8], _>::new();
    let m = map.pin();
    for i in 0..100u32 {
        m.insert(i.to_be_bytes(), i);
    }
    assert_eq!(m.pop_first().map(|(_, v)| *v), Some(0));
    assert_eq!(m.pop_last().map(|(_, v)| *v), Some(99));
    assert_eq!(m.len(), 98);
    assert_eq!(m.first().map(|(_, v)| *v), Some(1));
    let mut seen = Vec::new();
    while let Some((_, v)) = m.pop_first() {
        seen.push(*v);
    }
    assert_eq!(seen, (1..99).collect::<Vec<_>>());
    assert!(m.pop_last().is_none());
}

#[test]
fn debug_prints_like_btreemap() {
    let map = MassTree::<[u8], _>::new();
    map.pin().insert(b"b", 2);
    map.pin().insert(b"a", 1);
    assert_eq!(format!("{map:?}"), r#"{"a": 1, "b": 2}"#);
}

/// `values()` skips building keys on its fast path; when the back end opens after the front has
/// run that way, the two ends must still meet exactly (every value once), over many leaves and
/// with bounded and unbounded ends.
#[test]
fn values_only_ends_meet_exactly() {
    let n: u32 = if cfg!(miri) { 60 } else { 1_000 };
    let map: MassTree<u32, u32> = (0..n).map(|i| (i, i)).collect();
    let m = map.pin();
    for front in [0, 1, 2, 15, 16, 17, n / 2, n - 1, n] {
        for (lo, hi) in [(0, n), (3, n - 3), (n / 3, n / 2)] {
            let mut it = m.range(lo..hi).values();
            let mut got: Vec<u32> = it.by_ref().take(front as usize).copied().collect();
            let mut back: Vec<u32> = it.by_ref().rev().copied().collect();
            back.reverse();
            got.extend(back);
            assert_eq!(
                got,
                (lo..hi).collect::<Vec<_>>(),
                "front {front}, {lo}..{hi}"
            );
        }
        let mut it = m.values();
        let mut got: Vec<u32> = it.by_ref().take(front as usize).copied().collect();
        got.extend(it.rev().copied().collect::<Vec<_>>().into_iter().rev());
        assert_eq!(got, (0..n).collect::<Vec<_>>(), "front {front}, full");
    }
}

/// `values().fold(..)` and `values().rev().fold(..)` (and so `sum` and `for_each`) drain the
/// scan's runs with their position in a register; they must return what `next` does, over
/// layers (keys sharing 8-byte prefixes), suffixes, leaf boundaries, bounded ends in and below
/// layer 0, and after partial consumption.
#[test]
fn values_fold_matches_next() {
    let n: u32 = if cfg!(miri) { 80 } else { 3_000 };
    let key = |i: u32| -> Vec<u8> {
        let mut k = b"pre".to_vec();
        k.extend_from_slice(&(i / 7).to_be_bytes());
        if !i.is_multiple_of(3) {
            k.extend_from_slice(&i.to_be_bytes()); // a layer below "pre" + i / 7
        }
        if i.is_multiple_of(5) {
            k.extend_from_slice(b"-with-a-long-suffix"); // a suffix past its slice
        }
        k
    };
    let map = MassTree::<[u8], u32>::new();
    let mut model = BTreeMap::new();
    let m = map.pin();
    for i in 0..n {
        m.insert(key(i), i);
        model.insert(key(i), i);
    }
    let push = |mut acc: Vec<u32>, v: &u32| {
        acc.push(*v);
        acc
    };
    let lo = key(n / 4);
    let hi = key(3 * n / 4);
    type Bounds<'a> = (Bound<&'a [u8]>, Bound<&'a [u8]>);
    let bounds: [Bounds<'_>; 4] = [
        (Bound::Unbounded, Bound::Unbounded),
        (Bound::Included(&lo), Bound::Excluded(&hi)),
        (Bound::Excluded(&lo), Bound::Included(&hi)),
        (Bound::Unbounded, Bound::Excluded(&b"pre\0\0"[..])),
    ];
    for (start, end) in bounds {
        let want: Vec<u32> = model
            .range::<[u8], _>((start, end))
            .map(|(_, &v)| v)
            .collect();
        let stepped: Vec<u32> = m.range((start, end)).values().copied().collect();
        assert_eq!(stepped, want, "{start:?}..{end:?}");
        for skip in [0, 1, 2, 13, 14, 15, 100] {
            let mut it = m.range((start, end)).values();
            let head: Vec<u32> = it.by_ref().take(skip).copied().collect();
            assert_eq!(it.fold(head, push), want, "{start:?}..{end:?}, skip {skip}");
            let want_rev: Vec<u32> = want.iter().rev().copied().collect();
            let mut it = m.range((start, end)).values().rev();
            let head: Vec<u32> = it.by_ref().take(skip).copied().collect();
            assert_eq!(
                it.fold(head, push),
                want_rev,
                "rev {start:?}..{end:?}, skip {skip}"
            );
        }
        let sum: u64 = m.range((start, end)).values().map(|&v| u64::from(v)).sum();
        assert_eq!(sum, want.iter().map(|&v| u64::from(v)).sum::<u64>());
    }
    assert_eq!(m.values().count(), model.len());
}

/// `Debug` shows an end's last key only once it is written: values taken from a run leave the
/// key pending (not written), and a stale key must not be shown in its place.
#[test]
fn values_debug_never_shows_a_stale_key() {
    let map: MassTree<u32, u32> = (0..100u32).map(|i| (i, i)).collect();
    let m = map.pin();
    let mut it = m.values();
    assert_eq!(it.next(), Some(&0)); // the keyed path: key 0 written
    assert_eq!(
        format!("{it:?}"),
        "Values(Range { front: Some([0, 0, 0, 0]), back: None, .. })"
    );
    assert_eq!((it.next(), it.next()), (Some(&1), Some(&2))); // from the run: key 2 pending
    assert_eq!(
        format!("{it:?}"),
        "Values(Range { front: None, back: None, .. })"
    );
    assert_eq!(it.next_back(), Some(&99)); // the back end reads the front's key: written
    assert_eq!(
        format!("{it:?}"),
        "Values(Range { front: Some([0, 0, 0, 2]), back: Some([0, 0, 0, 99]), .. })"
    );
}

/// A values-only scan (`values()`: runs of a leaf's entries without their keys) that took a
/// leaf to its end goes on in the next leaf past what it returned already, even when, before
/// its next step, the leaf it left was emptied and unlinked, and keys were inserted back into
/// its range, behind the scan: those must not come out, and the values (each key's number)
/// stay in key order. Which neighbour takes over an unlinked leaf's range depends on its place
/// under its parent (the right one for a first child), so every leaf of a two-level tree is
/// tried in turn. Also for `fold` (`sum`).
#[test]
fn values_run_goes_on_past_a_leaf_emptied_and_refilled_behind_it() {
    const LEAF: u64 = 15; // ascending inserts fill leaves of 15
    let leaves: Vec<u64> = if cfg!(miri) {
        vec![1, 24]
    } else {
        (1..32).collect()
    };
    let key = |n: u64| (n * 10).to_be_bytes();
    for emptied in leaves {
        for fold in [false, true] {
            let mut map: MassTree<[u8], u64> = MassTree::new();
            let total = (emptied + 3) * LEAF;
            for n in 0..total {
                map.pin().insert(key(n), n * 10);
            }
            let stats = map.check_invariants().expect("a valid tree");
            assert_eq!(
                stats.leaves as u64,
                emptied + 3,
                "the test needs full leaves"
            );
            let m = map.pin();
            let mut values = m.values();
            let upto = (emptied + 1) * LEAF;
            let taken: Vec<u64> = values.by_ref().take(upto as usize).copied().collect();
            assert_eq!(taken, (0..upto).map(|n| n * 10).collect::<Vec<_>>());
            // The leaf whose last value was just returned empties and goes; keys come back into
            // its range, below the scan's position.
            for n in upto - LEAF..upto {
                assert_eq!(m.remove(&key(n)[..]), Some(&(n * 10)));
            }
            for n in [upto - LEAF, upto - 3, upto - 2] {
                m.insert((n * 10 + 5).to_be_bytes(), n * 10 + 5);
            }
            let want: Vec<u64> = (upto..total).map(|n| n * 10).collect();
            if fold {
                let sum: u64 = values.copied().sum();
                assert_eq!(sum, want.iter().sum::<u64>(), "fold, leaf {emptied}");
            } else {
                let rest: Vec<u64> = values.copied().collect();
                assert_eq!(rest, want, "next, leaf {emptied}");
            }
        }
    }
}

/// Values-only scans in both directions over many leaves and many layers (keys sharing 8-byte
/// first slices in groups, some with an exactly-8-byte key beside the group's layer link and a
/// plain 8-byte key after it) return what `BTreeMap` does, through `next`, `fold`
/// and partial takes: the runs refilled from leaf to leaf and hop from layer to layer.
#[test]
fn values_runs_over_many_leaves_and_layers_match_btreemap() {
    let groups: u64 = if cfg!(miri) { 6 } else { 120 };
    let map: MassTree<[u8], u64> = MassTree::new();
    let mut model = BTreeMap::new();
    let m = map.pin();
    let mut put = |k: Vec<u8>, v: u64| {
        m.insert(&k[..], v);
        model.insert(k, v);
    };
    for g in 0..groups {
        // Most groups' layer links are neighbours in layer 0 (a run hops from one layer to the
        // next); every fourth has an exactly-8-byte key beside its link and a plain key after.
        let first = (g * 2).to_be_bytes();
        if g % 4 == 0 {
            put(first.to_vec(), g * 1000);
            put((g * 2 + 1).to_be_bytes().to_vec(), g * 1000 + 999);
        }
        for i in 0..(g % 40) + 2 {
            let mut k = first.to_vec();
            k.extend_from_slice(&i.to_be_bytes());
            put(k, g * 1000 + i + 1);
        }
    }
    let forward: Vec<u64> = model.values().copied().collect();
    let reverse: Vec<u64> = model.values().rev().copied().collect();
    assert_eq!(m.values().copied().collect::<Vec<_>>(), forward);
    assert_eq!(m.values().rev().copied().collect::<Vec<_>>(), reverse);
    assert_eq!(
        m.values().copied().sum::<u64>(),
        forward.iter().sum::<u64>()
    );
    assert_eq!(
        m.values().rev().copied().sum::<u64>(),
        forward.iter().sum::<u64>()
    );
    for n in [1, 7, 40, 333] {
        let front: Vec<u64> = m.values().take(n).copied().collect();
        let back: Vec<u64> = m.values().rev().take(n).copied().collect();
        assert_eq!(front, forward[..n.min(forward.len())]);
        assert_eq!(back, reverse[..n.min(reverse.len())]);
    }
}
