//! The differential fuzz target's body: decode an operation sequence from raw bytes, apply it to
//! the map and to `BTreeMap`, and compare every result, ending with a structural check.
//!
//! `fuzz/fuzz_targets/differential.rs` (cargo-fuzz) calls [`run`] on libFuzzer's inputs; the
//! test `tests/fuzz_corpus.rs` replays the committed corpus through it on stable.

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

/// A cursor over the input; reads past the end give zeros.
struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn key(&mut self) -> Vec<u8> {
        let b = self.byte();
        let mut key = PREFIXES[usize::from(b & 3)].to_vec();
        for _ in 0..(b >> 2) % 7 {
            key.push(ALPHABET[usize::from(self.byte() & 3)]);
        }
        key
    }

    fn bound(&mut self) -> Bound<Vec<u8>> {
        match self.byte() % 3 {
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
    let mut input = Input { data, pos: 0 };
    let mut step = 0;
    while !input.done() && step < MAX_OPS {
        step += 1;
        let value = step as u64;
        let op = input.byte() % 14;
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
                let current = if input.byte().is_multiple_of(2) {
                    model.get(&k).copied()
                } else {
                    Some(u64::MAX)
                };
                let new = (input.byte().is_multiple_of(2)).then_some(value);
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
                let mut got_range = m.range::<[u8], _>((as_slice(&start), as_slice(&end)));
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
                        _ => input.byte() % 2 == 1,
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
                if input.byte().is_multiple_of(2) {
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
        // range (Included("abcdefgh"), Excluded("")) : start past end.
        assert_eq!(run(&[0, 2, 7, 0, 2, 1, 0]), Ok(()));
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
