//! The operations of the 0.10 API (compute and the conditional writes, bulk removal, seeks,
//! cursors, closure scans, prefix ranges) against `BTreeMap`, on random operation sequences
//! over adversarial byte keys.

use masstree::{MassTree, Operation};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ops::Bound::{self, Excluded, Included, Unbounded};
use std::ops::ControlFlow;

/// Keys over a small alphabet, so operations collide, with lengths across the 8- and 16-byte
/// slice boundaries and shared prefixes (trie layers).
fn key() -> impl Strategy<Value = Vec<u8>> {
    let alphabet = prop_oneof![Just(0u8), Just(b'a'), Just(0xff)];
    prop_oneof![
        3 => prop::collection::vec(alphabet.clone(), 0..=3),
        2 => (prop::sample::select(vec![7usize, 8, 9, 16, 17]), alphabet)
            .prop_map(|(n, last)| {
                let mut k = vec![b'p'; n];
                k.push(last);
                k
            }),
    ]
}

fn bound() -> impl Strategy<Value = Bound<Vec<u8>>> {
    prop_oneof![
        key().prop_map(Included),
        key().prop_map(Excluded),
        Just(Unbounded)
    ]
}

#[derive(Clone, Debug)]
enum Step {
    Next,
    Prev,
}

#[derive(Clone, Debug)]
enum Op {
    Insert(Vec<u8>, u32),
    Compute(Vec<u8>, u32),
    TryInsert(Vec<u8>, u32),
    UpdateOrInsert(Vec<u8>, u32),
    GetKeyValue(Vec<u8>),
    RemoveEntry(Vec<u8>),
    RemoveRange(Bound<Vec<u8>>, Bound<Vec<u8>>),
    Retain(u32),
    ExtractIf(Bound<Vec<u8>>, Bound<Vec<u8>>, u32),
    LowerBound(Bound<Vec<u8>>),
    UpperBound(Bound<Vec<u8>>),
    Cursor(Bound<Vec<u8>>, Vec<Step>),
    Scan(Bound<Vec<u8>>, Bound<Vec<u8>>, bool, usize),
    Clear,
    GetMut(Vec<u8>, u32),
    IterMut(u32),
    ValuesMut(u32),
    ForEachMut(u32),
    Take(Vec<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    let step = prop_oneof![Just(Step::Next), Just(Step::Prev)];
    prop_oneof![
        6 => (key(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
        3 => (key(), any::<u32>()).prop_map(|(k, v)| Op::Compute(k, v)),
        2 => (key(), any::<u32>()).prop_map(|(k, v)| Op::TryInsert(k, v)),
        2 => (key(), any::<u32>()).prop_map(|(k, v)| Op::UpdateOrInsert(k, v)),
        1 => key().prop_map(Op::GetKeyValue),
        2 => key().prop_map(Op::RemoveEntry),
        1 => (bound(), bound()).prop_map(|(a, b)| Op::RemoveRange(a, b)),
        1 => (2u32..5).prop_map(Op::Retain),
        1 => (bound(), bound(), 2u32..4).prop_map(|(a, b, m)| Op::ExtractIf(a, b, m)),
        2 => bound().prop_map(Op::LowerBound),
        2 => bound().prop_map(Op::UpperBound),
        2 => (bound(), prop::collection::vec(step, 0..8)).prop_map(|(b, s)| Op::Cursor(b, s)),
        2 => (bound(), bound(), any::<bool>(), 0usize..6).prop_map(|(a, b, r, n)| Op::Scan(a, b, r, n)),
        1 => Just(Op::Clear),
        2 => (key(), any::<u32>()).prop_map(|(k, v)| Op::GetMut(k, v)),
        1 => any::<u32>().prop_map(Op::IterMut),
        1 => any::<u32>().prop_map(Op::ValuesMut),
        1 => any::<u32>().prop_map(Op::ForEachMut),
        2 => key().prop_map(Op::Take),
    ]
}

/// Operations per sequence (fewer under miri, where each costs thousands of times more).
const MAX_OPS: usize = if cfg!(miri) { 24 } else { 120 };

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 1 } else { 128 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn as_slice(bound: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    bound.as_ref().map(Vec::as_slice)
}

fn inside(key: &[u8], start: &Bound<Vec<u8>>, end: &Bound<Vec<u8>>) -> bool {
    use std::ops::RangeBounds;
    (as_slice(start), as_slice(end)).contains(key)
}

/// The model's entries between two bounds, in order (no panic for crossed bounds: empty).
fn model_range<'a>(
    model: &'a BTreeMap<Vec<u8>, u32>,
    start: &'a Bound<Vec<u8>>,
    end: &'a Bound<Vec<u8>>,
) -> impl DoubleEndedIterator<Item = (&'a Vec<u8>, &'a u32)> + 'a {
    model.iter().filter(move |(k, _)| inside(k, start, end))
}

/// What `compute` does in these tests, from the value it sees.
fn decide(current: Option<&u32>, x: u32) -> Operation<u32, u32> {
    match current {
        Some(&v) if v % 3 == 0 => Operation::Remove,
        Some(&v) if v % 3 == 1 => Operation::Insert(v.wrapping_add(x)),
        Some(&v) => Operation::Abort(v),
        None if x.is_multiple_of(2) => Operation::Insert(x),
        None if x % 4 == 1 => Operation::Remove,
        None => Operation::Abort(x),
    }
}

/// Applies an operation that needs `&mut` access, or hands it back.
fn exclusive(
    map: &mut MassTree<[u8], u32>,
    model: &mut BTreeMap<Vec<u8>, u32>,
    op: Op,
) -> Result<Option<Op>, TestCaseError> {
    match op {
        Op::GetMut(k, x) => {
            if let Some(v) = map.get_mut(&k) {
                *v ^= x;
            }
            if let Some(v) = model.get_mut(&k) {
                *v ^= x;
            }
        }
        Op::IterMut(x) => {
            let mut seen = Vec::new();
            for (k, v) in map.iter_mut() {
                *v = v.wrapping_add(x);
                seen.push(k.to_vec());
            }
            prop_assert_eq!(seen, model.keys().cloned().collect::<Vec<_>>());
            model.values_mut().for_each(|v| *v = v.wrapping_add(x));
        }
        Op::ValuesMut(x) => {
            map.values_mut().for_each(|v| *v = v.rotate_left(x % 32));
            model.values_mut().for_each(|v| *v = v.rotate_left(x % 32));
        }
        Op::ForEachMut(x) => {
            let mut seen = Vec::new();
            map.for_each_mut(|k, v| {
                seen.push(k.to_vec());
                *v ^= x;
            });
            prop_assert_eq!(seen, model.keys().cloned().collect::<Vec<_>>());
            model.values_mut().for_each(|v| *v ^= x);
        }
        Op::Take(k) => prop_assert_eq!(map.take(&k), model.remove(&k)),
        other => return Ok(Some(other)),
    }
    Ok(None)
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut map: MassTree<[u8], u32> = MassTree::new();
    let mut model: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
    for op in ops {
        let Some(op) = exclusive(&mut map, &mut model, op)? else {
            prop_assert_eq!(map.len(), model.len());
            continue;
        };
        let m = map.pin();
        match op {
            Op::Insert(k, v) => {
                prop_assert_eq!(m.insert(&k, v).copied(), model.insert(k, v));
            }
            Op::Compute(k, x) => {
                let got = m.compute(&k, |cur| decide(cur, x));
                let before = model.get(&k).copied();
                let want = match decide(before.as_ref(), x) {
                    Operation::Insert(v) => {
                        model.insert(k.clone(), v);
                        match before {
                            Some(old) => format!("Updated {{ old: {old}, new: {v} }}"),
                            None => format!("Inserted({v})"),
                        }
                    }
                    Operation::Remove => match model.remove(&k) {
                        Some(old) => format!("Removed({old})"),
                        None => "Absent".to_string(),
                    },
                    Operation::Abort(t) => format!("Aborted({t})"),
                };
                prop_assert_eq!(format!("{got:?}"), want);
            }
            Op::TryInsert(k, v) => match model.get(&k) {
                Some(&cur) => {
                    let err = m.try_insert(&k, v).unwrap_err();
                    prop_assert_eq!((*err.current, err.not_inserted), (cur, v));
                }
                None => {
                    prop_assert_eq!(m.try_insert(&k, v).copied(), Ok(v));
                    model.insert(k, v);
                }
            },
            Op::UpdateOrInsert(k, v) => {
                let want = model.get(&k).map_or(v, |old| old ^ v);
                prop_assert_eq!(*m.update_or_insert(&k, |old| old ^ v, v), want);
                model.insert(k, want);
            }
            Op::GetKeyValue(k) => {
                let got = m.get_key_value(&k).map(|(k, v)| (k.to_vec(), *v));
                prop_assert_eq!(got, model.get_key_value(&k).map(|(k, v)| (k.clone(), *v)));
            }
            Op::RemoveEntry(k) => {
                let got = m.remove_entry(&k).map(|(k, v)| (k.to_vec(), *v));
                prop_assert_eq!(got, model.remove_entry(&k));
            }
            Op::RemoveRange(start, end) => {
                let doomed: Vec<Vec<u8>> = model_range(&model, &start, &end)
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in &doomed {
                    model.remove(k);
                }
                prop_assert_eq!(
                    m.remove_range((as_slice(&start), as_slice(&end))),
                    doomed.len()
                );
            }
            Op::Retain(modulus) => {
                m.retain(|_, v| v % modulus != 0);
                model.retain(|_, v| *v % modulus != 0);
            }
            Op::ExtractIf(start, end, modulus) => {
                let got: Vec<(Vec<u8>, u32)> = m
                    .extract_if((as_slice(&start), as_slice(&end)), |_, v| v % modulus == 0)
                    .map(|(k, v)| (k.to_vec(), *v))
                    .collect();
                let want: Vec<(Vec<u8>, u32)> = model_range(&model, &start, &end)
                    .filter(|(_, v)| *v % modulus == 0)
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                for (k, _) in &want {
                    model.remove(k);
                }
                prop_assert_eq!(got, want);
            }
            Op::LowerBound(b) => {
                let got = m.lower_bound(as_slice(&b)).map(|(k, v)| (k.to_vec(), *v));
                let want = model_range(&model, &b, &Unbounded)
                    .next()
                    .map(|(k, v)| (k.clone(), *v));
                prop_assert_eq!(got, want);
            }
            Op::UpperBound(b) => {
                let got = m.upper_bound(as_slice(&b)).map(|(k, v)| (k.to_vec(), *v));
                let want = model_range(&model, &Unbounded, &b)
                    .next_back()
                    .map(|(k, v)| (k.clone(), *v));
                prop_assert_eq!(got, want);
            }
            Op::Cursor(b, steps) => {
                let mut cursor = m.cursor(as_slice(&b));
                // The model cursor: the gap as (keys before it, keys after it) in key order.
                let keys: Vec<&Vec<u8>> = model.keys().collect();
                let mut gap = keys.iter().filter(|k| !inside(k, &b, &Unbounded)).count();
                for step in steps {
                    let (got, want) = match step {
                        Step::Next => {
                            let want = keys.get(gap).map(|k| (*k).clone());
                            if want.is_some() {
                                gap += 1;
                            }
                            (cursor.next().map(|(k, _)| k.to_vec()), want)
                        }
                        Step::Prev => {
                            let want = gap.checked_sub(1).map(|i| keys[i].clone());
                            if want.is_some() {
                                gap -= 1;
                            }
                            (cursor.prev().map(|(k, _)| k.to_vec()), want)
                        }
                    };
                    prop_assert_eq!(got, want);
                }
            }
            Op::Scan(start, end, rev, stop_after) => {
                let mut got = Vec::new();
                let visit = |k: &masstree::ByteKey, v: &u32| {
                    got.push((k.to_vec(), *v));
                    if got.len() == stop_after {
                        ControlFlow::Break(got.len())
                    } else {
                        ControlFlow::Continue(())
                    }
                };
                let bounds = (as_slice(&start), as_slice(&end));
                let flow = if rev {
                    m.scan_rev(bounds, visit)
                } else {
                    m.scan(bounds, visit)
                };
                let all: Vec<(Vec<u8>, u32)> = model_range(&model, &start, &end)
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                let mut want: Vec<(Vec<u8>, u32)> = if rev {
                    all.into_iter().rev().collect()
                } else {
                    all
                };
                let stopped = want.len() >= stop_after && stop_after > 0;
                if stopped {
                    want.truncate(stop_after);
                }
                prop_assert_eq!(flow.is_break(), stopped);
                prop_assert_eq!(got, want);
            }
            Op::Clear => {
                m.clear();
                model.clear();
            }
            _ => unreachable!("exclusive operations are applied above"),
        }
        prop_assert_eq!(m.len(), model.len());
    }
    let m = map.pin();
    let got: Vec<(Vec<u8>, u32)> = m.iter().map(|(k, v)| (k.to_vec(), *v)).collect();
    let want: Vec<(Vec<u8>, u32)> = model.into_iter().collect();
    prop_assert_eq!(got, want);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn new_operations_match_btreemap(ops in prop::collection::vec(op(), 1..MAX_OPS)) {
        run(ops)?;
    }

    /// `prefix_range` over the first element of `(u64, String)` keys, including `u64::MAX`,
    /// against filtering a `BTreeMap` by the first element.
    #[test]
    fn prefix_ranges_match_filtering_by_the_first_element(
        keys in prop::collection::vec(
            (prop_oneof![0u64..4, Just(u64::MAX - 1), Just(u64::MAX)], "[a\u{0}]{0,3}"),
            0..40,
        ),
        lo in prop_oneof![0u64..5, Just(u64::MAX)],
        hi in prop_oneof![0u64..5, Just(u64::MAX)],
    ) {
        let map: MassTree<(u64, String), ()> = MassTree::new();
        let m = map.pin();
        let mut model = BTreeMap::new();
        for (ts, s) in keys {
            m.insert((ts, s.as_str()), ());
            model.insert((ts, s), ());
        }
        let check = |got: Vec<(u64, String)>, keep: &dyn Fn(u64) -> bool| {
            let want: Vec<(u64, String)> = model.keys().filter(|(t, _)| keep(*t)).cloned().collect();
            assert_eq!(got, want);
        };
        let keys = |r: masstree::Range<'_, (u64, String), ()>| r.map(|(k, _)| k).collect();
        check(keys(m.prefix_range(..=hi)), &|t| t <= hi);
        check(keys(m.prefix_range(..hi)), &|t| t < hi);
        check(keys(m.prefix_range(lo..)), &|t| t >= lo);
        check(keys(m.prefix_range((Excluded(lo), Unbounded))), &|t| t > lo);
        check(keys(m.prefix_range(lo..=lo)), &|t| t == lo);
        check(keys(m.prefix_range(lo..=hi)), &|t| lo <= t && t <= hi);
    }
}
