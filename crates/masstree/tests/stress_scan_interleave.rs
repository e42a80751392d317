//! Review 2: deterministic interleavings. One thread drives a `Range` (forward, reverse or
//! mixed next/next_back) and, between steps, mutates the map through the same guard: inserts
//! and removes of "churn" keys (bulk runs that split and unlink leaves, keys that create and
//! remove layers), while "stable" keys stay. The scan holds stale snapshots across all of this.
//! Checks: order, no crossing, bounds, each stable key in range exactly once, every returned key
//! was present at some point during the scan, every value was one of that key's values.

mod common;
use common::rng;

use masstree::MassTree;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

fn gen_key(seed: &mut u64) -> Vec<u8> {
    let alphabet = [0u8, 1, b'm', 0xfe, 0xff];
    let r = rng(seed);
    match r % 4 {
        0 | 1 => {
            let len = (rng(seed) % 27) as usize;
            (0..len)
                .map(|_| alphabet[(rng(seed) % 5) as usize])
                .collect()
        }
        2 => {
            let n = (rng(seed) % 21) as usize;
            let mut k = vec![b'p'; n];
            let t = (rng(seed) % 4) as usize;
            k.extend((0..t).map(|_| alphabet[(rng(seed) % 5) as usize]));
            k
        }
        _ => {
            // Dense numeric runs under a shared 8-byte slice (splits, unlinks, layer B+trees).
            let mut k = b"dense:::".to_vec();
            let n = rng(seed) % 400;
            k.extend_from_slice(&(n as u16).to_be_bytes());
            if r >> 8 & 1 == 0 {
                k.extend_from_slice(b"-tail-long");
            }
            k
        }
    }
}

fn dense(n: u64, long: bool) -> Vec<u8> {
    let mut k = b"dense:::".to_vec();
    k.extend_from_slice(&(n as u16).to_be_bytes());
    if long {
        k.extend_from_slice(b"-tail-long");
    }
    k
}

fn gen_bound(seed: &mut u64) -> Bound<Vec<u8>> {
    match rng(seed) % 5 {
        0 => Bound::Unbounded,
        1 | 2 => Bound::Included(gen_key(seed)),
        _ => Bound::Excluded(gen_key(seed)),
    }
}

fn in_bounds(k: &[u8], lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> bool {
    (match lo {
        Bound::Included(b) => k >= b.as_slice(),
        Bound::Excluded(b) => k > b.as_slice(),
        Bound::Unbounded => true,
    }) && (match hi {
        Bound::Included(b) => k <= b.as_slice(),
        Bound::Excluded(b) => k < b.as_slice(),
        Bound::Unbounded => true,
    })
}

fn one_case(seed0: u64) {
    let mut seed = seed0 | 1;
    let map: MassTree<[u8], u64> = MassTree::<[u8], _>::new();
    let m = map.pin();
    let mut next_value = 1u64;
    // Stable keys: never touched after setup.
    let mut stable: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for _ in 0..(rng(&mut seed) % 300) {
        let k = gen_key(&mut seed);
        stable.insert(k, 0);
    }
    for (k, v) in stable.iter_mut() {
        *v = next_value;
        m.insert(k, next_value);
        next_value += 1;
    }
    // Churn keys currently present.
    let mut churn: BTreeSet<Vec<u8>> = BTreeSet::new();
    // Every key present at some point since the range was created, with all its values.
    let mut history: HashMap<Vec<u8>, Vec<u64>> = HashMap::new();
    for _ in 0..(rng(&mut seed) % 400) {
        let k = gen_key(&mut seed);
        if stable.contains_key(&k) {
            continue;
        }
        m.insert(&k, next_value);
        churn.insert(k);
        next_value += 1;
    }
    for (k, v) in &stable {
        history.insert(k.clone(), vec![*v]);
    }
    for k in &churn {
        history.insert(k.clone(), vec![*m.get(k).unwrap()]);
    }

    let lo = gen_bound(&mut seed);
    let hi = gen_bound(&mut seed);
    let mode = rng(&mut seed) % 3;
    let mut range = m.range((
        lo.as_ref().map(Vec::as_slice),
        hi.as_ref().map(Vec::as_slice),
    ));
    let mut front: Vec<Vec<u8>> = Vec::new();
    let mut back: Vec<Vec<u8>> = Vec::new();
    let ctx = |s: &str| format!("seed {seed0}: {s} (lo {lo:?}, hi {hi:?}, mode {mode})");
    loop {
        let fwd = match mode {
            0 => true,
            1 => false,
            _ => rng(&mut seed) & 1 == 0,
        };
        let item = if fwd { range.next() } else { range.next_back() };
        let Some((k, v)) = item else { break };
        let k = k.into_vec();
        let vals = history
            .get(&k)
            .unwrap_or_else(|| panic!("{}", ctx(&format!("never-present key {k:?}"))));
        assert!(
            vals.contains(v),
            "{}",
            ctx(&format!("value {v} never held by {k:?} ({vals:?})"))
        );
        assert!(
            in_bounds(&k, &lo, &hi),
            "{}",
            ctx(&format!("{k:?} out of bounds"))
        );
        if fwd {
            if let Some(p) = front.last() {
                assert!(
                    k > *p,
                    "{}",
                    ctx(&format!("front disorder {p:?} then {k:?}"))
                );
            }
            if let Some(b) = back.last() {
                assert!(
                    k < *b,
                    "{}",
                    ctx(&format!("front {k:?} crossed back {b:?}"))
                );
            }
            front.push(k);
        } else {
            if let Some(p) = back.last() {
                assert!(
                    k < *p,
                    "{}",
                    ctx(&format!("back disorder {p:?} then {k:?}"))
                );
            }
            if let Some(f) = front.last() {
                assert!(
                    k > *f,
                    "{}",
                    ctx(&format!("back {k:?} crossed front {f:?}"))
                );
            }
            back.push(k);
        }
        // Mutate between steps.
        let ops = rng(&mut seed) % 6;
        for _ in 0..ops {
            let r = rng(&mut seed);
            match r % 8 {
                0 | 1 => {
                    let k = gen_key(&mut seed);
                    if stable.contains_key(&k) {
                        continue;
                    }
                    m.insert(&k, next_value);
                    history.entry(k.clone()).or_default().push(next_value);
                    churn.insert(k);
                    next_value += 1;
                }
                2 | 3 => {
                    if churn.is_empty() {
                        continue;
                    }
                    let i = (rng(&mut seed) as usize) % churn.len();
                    let k = churn.iter().nth(i).unwrap().clone();
                    assert!(m.remove(&k).is_some());
                    churn.remove(&k);
                }
                4 => {
                    // A dense run: splits.
                    let start = rng(&mut seed) % 400;
                    let long = r >> 8 & 1 == 0;
                    for n in start..(start + 40).min(400) {
                        let k = dense(n, long);
                        if stable.contains_key(&k) {
                            continue;
                        }
                        m.insert(&k, next_value);
                        history.entry(k.clone()).or_default().push(next_value);
                        churn.insert(k);
                        next_value += 1;
                    }
                }
                5 => {
                    // Remove a run of churn keys: empties leaves (unlinks, layer removal).
                    let from = gen_key(&mut seed);
                    let victims: Vec<Vec<u8>> = churn.range(from..).take(40).cloned().collect();
                    let rev = r >> 9 & 1 == 0;
                    let order: Vec<&Vec<u8>> = if rev {
                        victims.iter().rev().collect()
                    } else {
                        victims.iter().collect()
                    };
                    for k in order {
                        assert!(m.remove(k).is_some());
                        churn.remove(k);
                    }
                }
                6 => {
                    // Overwrite a churn key's value.
                    if churn.is_empty() {
                        continue;
                    }
                    let i = (rng(&mut seed) as usize) % churn.len();
                    let k = churn.iter().nth(i).unwrap().clone();
                    m.insert(&k, next_value);
                    history.entry(k).or_default().push(next_value);
                    next_value += 1;
                }
                _ => {
                    // Remove everything churned below/above a point (big unlink cascades).
                    if !(r >> 12).is_multiple_of(4) {
                        continue;
                    }
                    let all: Vec<Vec<u8>> = churn.iter().cloned().collect();
                    for k in all {
                        if !rng(&mut seed).is_multiple_of(3) {
                            assert!(m.remove(&k).is_some());
                            churn.remove(&k);
                        }
                    }
                }
            }
        }
    }
    back.reverse();
    front.extend(back);
    let expect: Vec<&Vec<u8>> = stable.keys().filter(|k| in_bounds(k, &lo, &hi)).collect();
    let seen: Vec<&Vec<u8>> = front.iter().filter(|k| stable.contains_key(*k)).collect();
    assert_eq!(seen, expect, "{}", ctx("stable keys missed or repeated"));
    drop(range);
    drop(m);
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn interleaved_mutation_between_steps() {
    let cases: u64 = std::env::var("REVIEW2_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    for s in 0..cases {
        one_case(0x9e37_79b9_7f4a_7c15 ^ (s * 0x1000_0000_01b3));
    }
}
