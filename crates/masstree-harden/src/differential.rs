//! The differential fuzz target's body: decode an operation sequence from raw bytes, apply it to
//! the map and to `BTreeMap`, and compare every result, ending with a structural check.
//!
//! `fuzz/fuzz_targets/differential.rs` (cargo-fuzz) calls [`run`] on libFuzzer's inputs; the
//! test `tests/fuzz_corpus.rs` replays the committed corpus through it on stable.

use arbitrary::Unstructured;
use std::collections::BTreeMap;
use std::ops::Bound;

/// The map under test.
/// Byte-string keys: the engine's own key type, so every byte string is exercised.
type Map = masstree::MassTree<[u8], u64>;

/// At most this many operations are decoded from one input.
pub const MAX_OPS: usize = 1024;

/// Key prefixes: empty, ending inside the first slice, exactly one slice, two slices. Shared
/// prefixes make layers; the short tails make keys that differ at slice boundaries.
const PREFIXES: [&[u8]; 4] = [b"", b"abcdefg", b"abcdefgh", b"abcdefghijklmnop"];

/// Tail bytes: NUL (padding collisions), small, letter, 0xff.
const ALPHABET: [u8; 4] = [0x00, 0x01, b'a', 0xff];

/// The operations' inputs, drawn with `arbitrary` from libFuzzer's bytes (past their end every
/// draw gives its smallest value, so any byte string decodes).
struct Input<'a> {
    u: Unstructured<'a>,
}

impl Input<'_> {
    fn done(&self) -> bool {
        self.u.is_empty()
    }

    /// One of the operations (`0..=13`).
    fn op(&mut self) -> u8 {
        self.u.int_in_range(0..=13).unwrap_or(0)
    }

    fn coin(&mut self) -> bool {
        self.u.arbitrary().unwrap_or(false)
    }

    /// A key biased toward the trie's edge cases: one of [`PREFIXES`], then up to six bytes of
    /// [`ALPHABET`].
    fn key(&mut self) -> Vec<u8> {
        let prefix: &[u8] = self.u.choose(&PREFIXES).copied().unwrap_or_default();
        let tail = self.u.int_in_range(0..=6).unwrap_or(0);
        let mut key = prefix.to_vec();
        for _ in 0..tail {
            key.push(self.u.choose(&ALPHABET).copied().unwrap_or(0));
        }
        key
    }

    fn bound(&mut self) -> Bound<Vec<u8>> {
        match self.u.int_in_range(0..=2).unwrap_or(2) {
            0 => Bound::Included(self.key()),
            1 => Bound::Excluded(self.key()),
            _ => Bound::Unbounded,
        }
    }
}

/// Whether `BTreeMap::range` accepts these bounds (it panics on a start past the end, and on
/// equal bounds both excluded); the map yields nothing there instead.
fn valid(start: &Bound<Vec<u8>>, end: &Bound<Vec<u8>>) -> bool {
    match (start, end) {
        (Bound::Excluded(s), Bound::Excluded(e)) => s < e,
        (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) => {
            s <= e
        }
        _ => true,
    }
}

/// Borrows a bound's key as bytes.
fn as_slice(b: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match b {
        Bound::Included(k) => Bound::Included(k),
        Bound::Excluded(k) => Bound::Excluded(k),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// Compares one result; the error names the step and the operation.
fn same<T: PartialEq + std::fmt::Debug>(
    step: usize,
    what: &str,
    got: T,
    want: T,
) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "step {step}: {what}: the map returned {got:?}, BTreeMap {want:?}"
        ))
    }
}

/// Applies the operations `data` encodes to the map and to `BTreeMap`; the first difference,
/// or a failed structural check, is returned as an error.
pub fn run(data: &[u8]) -> Result<(), String> {
    let mut map = Map::new();
    let mut model: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    let mut input = Input {
        u: Unstructured::new(data),
    };
    let mut step = 0;
    while !input.done() && step < MAX_OPS {
        step += 1;
        let value = step as u64;
        let op = input.op();
        if op == 13 {
            map.check_invariants()
                .map_err(|e| format!("step {step}: structure: {e}"))?;
            continue;
        }
        let m = map.pin();
        match op {
            0 => {
                let k = input.key();
                same(
                    step,
                    &format!("insert {k:?}"),
                    m.insert(&k, value).copied(),
                    model.insert(k.clone(), value),
                )?;
            }
            1 => {
                let k = input.key();
                same(
                    step,
                    &format!("remove {k:?}"),
                    m.remove(&k).copied(),
                    model.remove(&k),
                )?;
            }
            2 => {
                let k = input.key();
                same(
                    step,
                    &format!("get {k:?}"),
                    m.get(&k).copied(),
                    model.get(&k).copied(),
                )?;
                same(
                    step,
                    &format!("contains {k:?}"),
                    m.contains_key(&k),
                    model.contains_key(&k),
                )?;
            }
            3 => {
                let k = input.key();
                let want = model.get_mut(&k).map(|v| {
                    *v += 1;
                    *v
                });
                same(
                    step,
                    &format!("update {k:?}"),
                    m.update(&k, |v| v + 1).copied(),
                    want,
                )?;
            }
            4 => {
                let k = input.key();
                let want = *model.entry(k.clone()).or_insert(value);
                same(
                    step,
                    &format!("get_or_insert_with {k:?}"),
                    *m.get_or_insert_with(&k, || value),
                    want,
                )?;
            }
            5 => {
                let k = input.key();
                let want = match model.get(&k) {
                    Some(v) if v % 2 == 0 => model.remove(&k),
                    _ => None,
                };
                same(
                    step,
                    &format!("remove_if {k:?}"),
                    m.remove_if(&k, |v| v % 2 == 0).copied(),
                    want,
                )?;
            }
            6 => {
                let k = input.key();
                // Expect the model's value half the time, a wrong one otherwise.
                let current = if input.coin() {
                    model.get(&k).copied()
                } else {
                    Some(u64::MAX)
                };
                let new = input.coin().then_some(value);
                let got = m
                    .compare_exchange(&k, current.as_ref(), new)
                    .map(|o| o.copied())
                    .map_err(|e| e.current.copied());
                let old = model.get(&k).copied();
                let want = if old == current {
                    match new {
                        Some(v) => model.insert(k.clone(), v),
                        None => model.remove(&k),
                    };
                    Ok(old)
                } else {
                    Err(old)
                };
                same(step, &format!("compare_exchange {k:?}"), got, want)?;
            }
            7..=9 => {
                let (start, end) = (input.bound(), input.bound());
                let what = format!("range ({start:?}, {end:?}) mode {op}");
                let mut got_range = m.range((as_slice(&start), as_slice(&end)));
                let mut want_range = if valid(&start, &end) {
                    Some(model.range::<Vec<u8>, _>((start.clone(), end.clone())))
                } else {
                    None
                };
                // Mode 7: forward; 8: reverse; 9: ends mixed as the input says.
                let mut got = Vec::new();
                let mut want = Vec::new();
                loop {
                    let back = match op {
                        7 => false,
                        8 => true,
                        _ => input.coin(),
                    };
                    let g = if back {
                        got_range.next_back()
                    } else {
                        got_range.next()
                    };
                    let w = want_range
                        .as_mut()
                        .and_then(|r| if back { r.next_back() } else { r.next() });
                    let done = g.is_none() && w.is_none();
                    got.push(g.map(|(k, v)| (k.into_vec(), *v)));
                    want.push(w.map(|(k, v)| (k.clone(), *v)));
                    if done || got.last() != want.last() {
                        break;
                    }
                }
                same(step, &what, got, want)?;
            }
            10 => {
                let p = input.key();
                let got: Vec<(Vec<u8>, u64)> =
                    m.prefix(&p).map(|(k, v)| (k.into_vec(), *v)).collect();
                let want: Vec<(Vec<u8>, u64)> = model
                    .range(p.clone()..)
                    .take_while(|(k, _)| k.starts_with(&p))
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                same(step, &format!("prefix {p:?}"), got, want)?;
            }
            11 => {
                let first = m.first().map(|(k, v)| (k.into_vec(), *v));
                same(
                    step,
                    "first",
                    first,
                    model.first_key_value().map(|(k, v)| (k.clone(), *v)),
                )?;
                let last = m.last().map(|(k, v)| (k.into_vec(), *v));
                same(
                    step,
                    "last",
                    last,
                    model.last_key_value().map(|(k, v)| (k.clone(), *v)),
                )?;
                same(step, "len", m.len(), model.len())?;
            }
            _ => {
                if input.coin() {
                    same(
                        step,
                        "pop_first",
                        m.pop_first().map(|(k, v)| (k.into_vec(), *v)),
                        model.pop_first(),
                    )?;
                } else {
                    same(
                        step,
                        "pop_last",
                        m.pop_last().map(|(k, v)| (k.into_vec(), *v)),
                        model.pop_last(),
                    )?;
                }
            }
        }
    }
    let stats = map
        .check_invariants()
        .map_err(|e| format!("end: structure: {e}"))?;
    same(step, "keys at the end", stats.keys, model.len())?;
    let m = map.pin();
    let got: Vec<(Vec<u8>, u64)> = m.iter().map(|(k, v)| (k.into_vec(), *v)).collect();
    let want: Vec<(Vec<u8>, u64)> = model.into_iter().collect();
    same(step, "contents at the end", got, want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_small_inputs_pass() {
        for data in [
            &[][..],
            &[0, 5],
            &[0, 0xff, 1, 2, 3, 7, 0, 0, 2, 2],
            &[12, 0, 12, 1],
        ] {
            assert_eq!(run(data), Ok(()), "{data:?}");
        }
    }

    #[test]
    fn invalid_bounds_are_empty_not_a_panic() {
        // Every range op (7, 8, 9: the op draw is `int_in_range(0..=13)`) with bounds drawn
        // from every byte value: start past the end and equal excluded bounds among them.
        for op in [7u8, 8, 9] {
            for b in 0..=255u8 {
                assert_eq!(
                    run(&[op, b, b.wrapping_mul(7), b ^ 0x55, b.rotate_left(3)]),
                    Ok(())
                );
            }
        }
        assert!(!valid(&Bound::Excluded(vec![1]), &Bound::Excluded(vec![1])));
        assert!(valid(&Bound::Included(vec![1]), &Bound::Excluded(vec![1])));
        assert!(!valid(&Bound::Included(vec![2]), &Bound::Included(vec![1])));
    }

    #[test]
    fn a_pseudo_random_input_passes() {
        let mut rng = masstree_testkit::Rng::new(42);
        for _ in 0..200 {
            let data: Vec<u8> = (0..rng.index(400)).map(|_| rng.next_u64() as u8).collect();
            assert_eq!(run(&data), Ok(()), "{data:?}");
        }
    }
}
