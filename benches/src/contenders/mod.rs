//! The maps under test, behind one trait, so every workload runs the same code on each.
//!
//! Keys are byte strings; values are `u64`. A contender that holds keys by value stores a
//! `Box<[u8]>` copy (the tightest owned byte string), except bbtree and ferntree, which hold
//! `Vec<u8>` (ferntree's keys must implement its `OptimisticRead`, which `Box<[u8]>` does not;
//! bbtree takes `Vec<u8>` as the issue asks, to compare the two B+-trees on the same keys).
//! `congee` is an adaptive radix tree over fixed 8-byte keys: it takes part only in workloads
//! whose keys are exactly 8 bytes, with the key read as a big-endian integer (so its order is
//! the byte order).
//!
//! "update" is each map's cheapest way to give an existing key a new value: a read-modify-write
//! where the map has one (ours: `update`, congee: `compute_if_present`, BTreeMap: `get_mut`,
//! bbtree: `update`, ferntree: `raw_iter_mut` then `&mut V`),
//! otherwise a blind overwrite (masstree 0.9.5: `insert_value_with_guard`, which writes through
//! for `u64`; SkipMap: `insert`; `TreeIndex`: `upsert_sync`).
//!
//! Scans use each map's ordered-range API: ours `MapRef::range(..).values()` (and `.rev()`; the
//! scans only sum values, so ours skips decoding keys, as the others hand out references to
//! theirs), masstree 0.9.5
//! its visitor scans `scan_intra_leaf_batch`/`scan_rev_batch` (its fastest; its iterator copies
//! every key into a `Vec`), `TreeIndex::range`, `SkipMap::range`, `BTreeMap::range` under the
//! read lock (or the mutex), and congee `range` (forward only, into a caller's buffer, filled in
//! chunks), bbtree `scan`/`scan_rev` (a closure per entry, which breaks after `n`) and ferntree
//! `raw_iter` (`seek`/`seek_for_prev`, then `next`/`prev`). A scan sums the values it reads, so
//! the reads cannot be optimized away.
//!
//! One file per contender (`ours.rs`, `seed.rs`, `tree_index.rs`, `skip_list.rs`,
//! `congee.rs`, `bbtree.rs`, `ferntree.rs`, `locked_btree.rs` for both lock-wrapped
//! `BTreeMap`s); this file holds the trait,
//! the lineup and the checks every contender passes.

mod bbtree;
mod congee;
mod ferntree;
mod locked_btree;
mod ours;
mod seed;
mod skip_list;
mod tree_index;

pub use self::bbtree::BBTree;
pub use self::congee::Congee;
pub use self::ferntree::Ferntree;
pub use locked_btree::{MutexBTree, RwLockBTree};
pub use ours::{Ours, OursBoxed};
pub use seed::Seed;
pub use skip_list::SkipList;
pub use tree_index::TreeIndex;

use std::ops::Bound::{self, Included, Unbounded};

/// Which ordered scans a map offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanSupport {
    /// No ordered iteration.
    None,
    /// Ascending scans only.
    Forward,
    /// Ascending and descending scans.
    Both,
}

impl ScanSupport {
    /// Whether ascending scans are offered.
    pub fn forward(self) -> bool {
        self != Self::None
    }
    /// Whether descending scans are offered.
    pub fn reverse(self) -> bool {
        self == Self::Both
    }
}

/// What one scan read: the entries visited and the (wrapping) sum of their values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scanned {
    /// Entries visited.
    pub entries: usize,
    /// Sum of their values.
    pub sum: u64,
}

impl Scanned {
    /// Counts and sums `values`.
    #[inline]
    pub fn of(values: impl Iterator<Item = u64>) -> Self {
        let mut out = Self::default();
        for v in values {
            out.add(v);
        }
        out
    }
    /// Adds one entry.
    #[inline]
    pub fn add(&mut self, value: u64) {
        self.entries += 1;
        self.sum = self.sum.wrapping_add(value);
    }
}

/// The lower bound of an ascending scan from `from` (from the first key when `None`).
#[inline]
fn from_bound(from: Option<&[u8]>) -> Bound<&[u8]> {
    from.map_or(Unbounded, Included)
}

/// A map under test.
pub trait Contender: Send + Sync + Sized {
    /// The name in tables and charts.
    const NAME: &'static str;
    /// Whether the map only takes 8-byte keys (it sits out other workloads).
    const ONLY_8_BYTE_KEYS: bool = false;

    /// What a thread holds across a short batch of operations (a pinned guard, or nothing).
    /// The driver drops and re-creates it every few hundred operations, so reclamation is not
    /// held back.
    type Session<'a>
    where
        Self: 'a;

    /// An empty map.
    fn new() -> Self;
    /// A session for the calling thread.
    fn session(&self) -> Self::Session<'_>;
    /// The value of `key`, copied out.
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64>;
    /// Stores `value` under `key` (inserting or replacing).
    fn insert(&self, s: &Self::Session<'_>, key: &[u8], value: u64);
    /// Gives an existing `key` a new value; false if the key was absent.
    fn update(&self, s: &Self::Session<'_>, key: &[u8]) -> bool;
    /// Removes `key`; false if it was absent.
    fn remove(&self, s: &Self::Session<'_>, key: &[u8]) -> bool;

    /// Whether the map can hold keys of `len` bytes.
    fn supports(len: usize) -> bool {
        !Self::ONLY_8_BYTE_KEYS || len == 8
    }

    /// Which ordered scans the map offers ([`scan`](Self::scan) and
    /// [`scan_rev`](Self::scan_rev) return `Some` exactly where this says so).
    const SCANS: ScanSupport = ScanSupport::None;

    /// Whether the map's scans return the right entries over keys of `len` bytes (scan
    /// workloads are n/a where not).
    fn scans_keys_of(len: usize) -> bool {
        Self::supports(len)
    }

    /// Reads up to `n` entries in ascending key order, starting at the first key `>= from`
    /// (at the smallest key when `from` is `None`); `None` if the map has no ordered scans.
    fn scan(&self, _s: &Self::Session<'_>, _from: Option<&[u8]>, _n: usize) -> Option<Scanned> {
        None
    }

    /// Reads up to `n` entries in descending key order, starting at the last key `<= from`
    /// (at the largest key when `from` is `None`); `None` if the map has no reverse scans.
    fn scan_rev(&self, _s: &Self::Session<'_>, _from: Option<&[u8]>, _n: usize) -> Option<Scanned> {
        None
    }
}

/// Something to do with each contender type in turn (Rust has no loop over types).
pub trait Visitor {
    /// Called once per contender, in [`Lineup`] order.
    fn visit<C: Contender>(&mut self);
}

/// Which contenders a suite runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lineup {
    /// Ours against the lock-wrapped `BTreeMap`s (`lock_comparison`).
    Locks,
    /// Ours against the concurrent peers (`concurrent_maps`).
    Concurrent,
    /// Everyone (the throughput runner).
    All,
}

/// Calls `visitor` for each contender in `lineup`, ours first.
pub fn for_each<V: Visitor>(lineup: Lineup, visitor: &mut V) {
    visitor.visit::<Ours>();
    visitor.visit::<OursBoxed>();
    if lineup != Lineup::Locks {
        visitor.visit::<Seed>();
        visitor.visit::<TreeIndex>();
        visitor.visit::<SkipList>();
        visitor.visit::<Congee>();
        visitor.visit::<BBTree>();
        visitor.visit::<Ferntree>();
    }
    if lineup != Lineup::Concurrent {
        visitor.visit::<RwLockBTree>();
        visitor.visit::<MutexBTree>();
    }
}

/// The names of the contenders in `lineup`, in [`for_each`] order.
pub fn names(lineup: Lineup) -> Vec<&'static str> {
    struct Names(Vec<&'static str>);
    impl Visitor for Names {
        fn visit<C: Contender>(&mut self) {
            self.0.push(C::NAME);
        }
    }
    let mut names = Names(Vec::new());
    for_each(lineup, &mut names);
    names.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Smoke;
    impl Visitor for Smoke {
        fn visit<C: Contender>(&mut self) {
            let map = C::new();
            let s = map.session();
            let keys: Vec<[u8; 8]> = (0..1000u64).map(|i| (i * 7919).to_be_bytes()).collect();
            for (i, k) in keys.iter().enumerate() {
                map.insert(&s, k, i as u64);
            }
            for (i, k) in keys.iter().enumerate() {
                assert_eq!(map.get(&s, k), Some(i as u64), "{}", C::NAME);
            }
            assert!(map.update(&s, &keys[3]), "{}", C::NAME);
            assert!(map.get(&s, &keys[3]).is_some());
            assert!(map.remove(&s, &keys[5]), "{}", C::NAME);
            assert!(!map.remove(&s, &keys[5]), "{}", C::NAME);
            assert_eq!(map.get(&s, &keys[5]), None, "{}", C::NAME);
            if C::supports(40) {
                let long = [7u8; 40];
                map.insert(&s, &long, 9);
                assert_eq!(map.get(&s, &long), Some(9), "{}", C::NAME);
            }
        }
    }

    #[test]
    fn every_contender_is_a_map() {
        for_each(Lineup::All, &mut Smoke);
    }

    /// Two threads share each map, each inserting and updating its own half of the keys while
    /// the other does; then every key is there, once.
    struct Shared;
    impl Visitor for Shared {
        fn visit<C: Contender>(&mut self) {
            let map = C::new();
            let keys: Vec<[u8; 8]> = (0..4000u64)
                .map(|i| masstree_testkit::mix64(i).to_be_bytes())
                .collect();
            std::thread::scope(|scope| {
                for half in keys.chunks(keys.len() / 2) {
                    let map = &map;
                    scope.spawn(move || {
                        for chunk in half.chunks(256) {
                            let s = map.session();
                            for (i, k) in chunk.iter().enumerate() {
                                map.insert(&s, k, i as u64);
                                assert!(map.update(&s, k), "{}", C::NAME);
                            }
                        }
                    });
                }
            });
            let s = map.session();
            assert!(keys.iter().all(|k| map.get(&s, k).is_some()), "{}", C::NAME);
            if C::SCANS.forward() {
                let all = map.scan(&s, None, usize::MAX).unwrap();
                assert_eq!(all.entries, keys.len(), "{}", C::NAME);
            }
        }
    }

    #[test]
    fn every_contender_is_shared_by_two_threads() {
        for_each(Lineup::All, &mut Shared);
    }

    /// Every scan agrees with a `BTreeMap` holding the same entries (8- and 23-byte keys).
    struct ScanCheck;
    impl Visitor for ScanCheck {
        fn visit<C: Contender>(&mut self) {
            for len in [8, 23] {
                if !C::scans_keys_of(len) {
                    continue;
                }
                let map = C::new();
                let s = map.session();
                let mut reference = BTreeMap::new();
                for i in 0..3000u64 {
                    let mut key = vec![b'k'; len];
                    let hashed = masstree_testkit::mix64(i).to_be_bytes();
                    key[len - 8..].copy_from_slice(&hashed);
                    map.insert(&s, &key, i);
                    reference.insert(key, i);
                }
                let probes: Vec<&Vec<u8>> = reference.keys().step_by(97).collect();
                let fwd = |from: Option<&[u8]>, n: usize| {
                    let range = reference.range::<[u8], _>((from_bound(from), Unbounded));
                    Scanned::of(range.take(n).map(|(_, v)| *v))
                };
                let rev = |from: Option<&[u8]>, n: usize| {
                    let range = reference.range::<[u8], _>((Unbounded, from_bound(from)));
                    Scanned::of(range.rev().take(n).map(|(_, v)| *v))
                };
                for from in probes.iter().map(|k| Some(k.as_slice())).chain([None]) {
                    for n in [0, 1, 100, 250, usize::MAX] {
                        let (f, r) = (map.scan(&s, from, n), map.scan_rev(&s, from, n));
                        let want_f = C::SCANS.forward().then(|| fwd(from, n));
                        let want_r = C::SCANS.reverse().then(|| rev(from, n));
                        assert_eq!(f, want_f, "{} {len} B fwd {from:?} {n}", C::NAME);
                        assert_eq!(r, want_r, "{} {len} B rev {from:?} {n}", C::NAME);
                    }
                }
                if C::SCANS.forward() {
                    assert_eq!(map.scan(&s, None, usize::MAX).unwrap().entries, 3000);
                }
            }
        }
    }

    #[test]
    fn scans_agree_with_btreemap() {
        for_each(Lineup::All, &mut ScanCheck);
    }

    /// Why masstree 0.9.5 scans 8-byte keys only (see `Seed::scans_keys_of`): with 23-byte keys
    /// under a shared 15-byte prefix, its ascending scans from a start key skip entries.
    #[test]
    fn seed_forward_scans_skip_entries_in_sublayers() {
        let map = Seed::new();
        let s = map.session();
        let mut reference = BTreeMap::new();
        for i in 0..3000u64 {
            let mut key = vec![b'k'; 23];
            key[15..].copy_from_slice(&masstree_testkit::mix64(i).to_be_bytes());
            map.insert(&s, &key, i);
            reference.insert(key, i);
        }
        let wrong = reference
            .keys()
            .filter(|k| {
                let want = reference.range::<[u8], _>((Included(k.as_slice()), Unbounded));
                map.scan(&s, Some(k), 10) != Some(Scanned::of(want.take(10).map(|(_, v)| *v)))
            })
            .count();
        assert!(
            wrong > 0,
            "masstree 0.9.5 scans long keys right: lift the 8-byte limit"
        );
        assert!(!Seed::scans_keys_of(23) && Seed::scans_keys_of(8));
    }

    #[test]
    fn lineups_put_ours_first() {
        assert_eq!(
            names(Lineup::All)[..2],
            ["masstree Inline", "masstree Boxed"]
        );
        assert_eq!(names(Lineup::All).len(), 10);
        assert_eq!(names(Lineup::Locks).len(), 4);
        assert_eq!(names(Lineup::Concurrent).len(), 8);
    }
}
