//! The maps under test, behind one trait, so every workload runs the same code on each.
//!
//! Keys are byte strings; values are `u64`. A contender that holds keys by value stores a
//! `Box<[u8]>` copy (the tightest owned byte string). `congee` is an adaptive radix tree over
//! fixed 8-byte keys: it takes part only in workloads whose keys are exactly 8 bytes, with the
//! key read as a big-endian integer (so its order is the byte order).
//!
//! "update" is each map's cheapest way to give an existing key a new value: a read-modify-write
//! where the map has one (ours: `update`, congee: `compute_if_present`, BTreeMap: `get_mut`),
//! otherwise a blind overwrite (masstree 0.9.5: `insert_value_with_guard`, which writes through
//! for `u64`; SkipMap: `insert`; `TreeIndex`: `upsert_sync`).
//!
//! Scans use each map's ordered-range API: ours `MapRef::range(..).values()` (and `.rev()`; the
//! scans only sum values, so ours skips decoding keys, as the others hand out references to
//! theirs), masstree 0.9.5
//! its visitor scans `scan_intra_leaf_batch`/`scan_rev_batch` (its fastest; its iterator copies
//! every key into a `Vec`), `TreeIndex::range`, `SkipMap::range`, `BTreeMap::range` under the
//! read lock (or the mutex), and congee `range` (forward only, into a caller's buffer, filled in
//! chunks). A scan sums the values it reads, so the reads cannot be optimized away.

use std::collections::BTreeMap;
use std::ops::Bound::{self, Included, Unbounded};
use std::sync::{Mutex, RwLock};

use crossbeam_skiplist::SkipMap;
use masstree::ValueSlot;
use masstree::reclaim::SeizeReclaim;
use masstree_seed::RangeBound;

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

/// This workspace's map.
/// Our map as the targets measure it: `u64` values stored inline in the leaves (the
/// configuration of masstree 0.9.5's default `MassTree<u64>`), read by copy.
pub type Ours = masstree::InlineMassTree<[u8], u64>;

/// Our map with boxed values (any `V`, read as `&V`): what a map of non-`Copy` values pays.
pub type OursBoxed = masstree::MassTree<[u8], u64>;

impl<S: ValueSlot<u64>> Contender for masstree::MassTree<[u8], u64, SeizeReclaim, S> {
    const NAME: &'static str = if S::INLINE {
        "masstree Inline"
    } else {
        "masstree Boxed"
    };
    type Session<'a> = masstree::MapRef<'a, [u8], u64, SeizeReclaim, S>;

    fn new() -> Self {
        Self::default()
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        self.pin()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        s.get(key).map(|v| *S::as_value(&v))
    }
    #[inline]
    fn insert(&self, s: &Self::Session<'_>, key: &[u8], value: u64) {
        s.insert(key, value);
    }
    #[inline]
    fn update(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        s.update(key, |v| v.wrapping_add(1)).is_some()
    }
    #[inline]
    fn remove(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        s.remove(key).is_some()
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = s.range::<[u8], _>((from_bound(from), Unbounded));
        Some(Scanned::of(
            range.values().take(n).map(|v| *S::as_value(&v)),
        ))
    }
    #[inline]
    fn scan_rev(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = s.range::<[u8], _>((Unbounded, from_bound(from)));
        Some(Scanned::of(
            range.values().rev().take(n).map(|v| *S::as_value(&v)),
        ))
    }
}

/// The seed project's map, `masstree` 0.9.5 from crates.io (its default `MassTree<u64>`, which
/// stores `u64` values inline in the leaves).
pub struct Seed(masstree_seed::MassTree<u64>);

impl Contender for Seed {
    const NAME: &'static str = "masstree 0.9.5";
    type Session<'a> = seize::LocalGuard<'a>;

    fn new() -> Self {
        Self(masstree_seed::MassTree::new())
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        self.0.guard()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        self.0.get_with_guard(key, s)
    }
    #[inline]
    fn insert(&self, s: &Self::Session<'_>, key: &[u8], value: u64) {
        self.0.insert_value_with_guard(key, value, s);
    }
    #[inline]
    fn update(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0.insert_value_with_guard(key, 1, s).is_some()
    }
    #[inline]
    fn remove(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        matches!(self.0.remove_with_guard(key, s), Ok(Some(_)))
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    /// masstree 0.9.5's ascending scans from a start key skip entries once keys longer than 8
    /// bytes share an 8-byte slice (a sublayer): on 200k YCSB keys half of the 100-entry scans
    /// disagree with a `BTreeMap` (its iterator and every visitor scan alike; descending scans
    /// agree). So its scans run on 8-byte keys only, and YCSB-E is n/a for it.
    fn scans_keys_of(len: usize) -> bool {
        len <= 8
    }
    #[inline]
    fn scan(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut out = Scanned::default();
        if n > 0 {
            let visit = |_: &[u8], v: u64| {
                out.add(v);
                out.entries < n
            };
            let _ = self
                .0
                .scan_intra_leaf_batch(seed_bound(from), RangeBound::Unbounded, visit, s);
        }
        Some(out)
    }
    #[inline]
    fn scan_rev(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut out = Scanned::default();
        if n > 0 {
            let visit = |_: &[u8], v: u64| {
                out.add(v);
                out.entries < n
            };
            let _ = self
                .0
                .scan_rev_batch(RangeBound::Unbounded, seed_bound(from), visit, s);
        }
        Some(out)
    }
}

/// masstree 0.9.5's inclusive bound at `from` (unbounded when `None`).
#[inline]
fn seed_bound(from: Option<&[u8]>) -> RangeBound<'_> {
    from.map_or(RangeBound::Unbounded, RangeBound::Included)
}

/// `scc::TreeIndex`, a lock-free-read B+tree.
pub struct TreeIndex(scc::TreeIndex<Box<[u8]>, u64>);

impl Contender for TreeIndex {
    const NAME: &'static str = "scc TreeIndex";
    type Session<'a> = scc::Guard;

    fn new() -> Self {
        Self(scc::TreeIndex::new())
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        scc::Guard::new()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        self.0.peek(key, s).copied()
    }
    #[inline]
    fn insert(&self, _: &Self::Session<'_>, key: &[u8], value: u64) {
        self.0.upsert_sync(key.into(), value);
    }
    #[inline]
    fn update(&self, _: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0.upsert_sync(key.into(), 1);
        true
    }
    #[inline]
    fn remove(&self, _: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0.remove_sync(key)
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = self.0.range::<[u8], _>((from_bound(from), Unbounded), s);
        Some(Scanned::of(range.take(n).map(|(_, v)| *v)))
    }
    #[inline]
    fn scan_rev(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = self.0.range::<[u8], _>((Unbounded, from_bound(from)), s);
        Some(Scanned::of(range.rev().take(n).map(|(_, v)| *v)))
    }
}

/// `crossbeam_skiplist::SkipMap`.
pub struct SkipList(SkipMap<Box<[u8]>, u64>);

impl Contender for SkipList {
    const NAME: &'static str = "SkipMap";
    type Session<'a> = ();

    fn new() -> Self {
        Self(SkipMap::new())
    }
    fn session(&self) -> Self::Session<'_> {}
    #[inline]
    fn get(&self, (): &(), key: &[u8]) -> Option<u64> {
        self.0.get(key).map(|entry| *entry.value())
    }
    #[inline]
    fn insert(&self, (): &(), key: &[u8], value: u64) {
        self.0.insert(key.into(), value);
    }
    #[inline]
    fn update(&self, (): &(), key: &[u8]) -> bool {
        self.0.insert(key.into(), 1);
        true
    }
    #[inline]
    fn remove(&self, (): &(), key: &[u8]) -> bool {
        self.0.remove(key).is_some()
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = self.0.range::<[u8], _>((from_bound(from), Unbounded));
        Some(Scanned::of(range.take(n).map(|e| *e.value())))
    }
    #[inline]
    fn scan_rev(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = self.0.range::<[u8], _>((Unbounded, from_bound(from)));
        Some(Scanned::of(range.rev().take(n).map(|e| *e.value())))
    }
}

/// `congee`, an adaptive radix tree (ART) over 8-byte keys.
pub struct Congee(congee::Congee<usize, usize>);

/// The 8-byte key as congee's integer key (big-endian, so integer order is byte order).
#[inline]
fn art_key(key: &[u8]) -> usize {
    let bytes: [u8; 8] = key.try_into().expect("congee takes 8-byte keys only");
    u64::from_be_bytes(bytes) as usize
}

impl Contender for Congee {
    const NAME: &'static str = "congee";
    const ONLY_8_BYTE_KEYS: bool = true;
    type Session<'a> = congee::epoch::Guard;

    fn new() -> Self {
        Self(congee::Congee::default())
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        self.0.pin()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        self.0.get(&art_key(key), s).map(|v| v as u64)
    }
    #[inline]
    fn insert(&self, s: &Self::Session<'_>, key: &[u8], value: u64) {
        self.0
            .insert(art_key(key), value as usize, s)
            .expect("congee ran out of memory");
    }
    #[inline]
    fn update(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0
            .compute_if_present(&art_key(key), |v| Some(v.wrapping_add(1)), s)
            .is_some()
    }
    #[inline]
    fn remove(&self, s: &Self::Session<'_>, key: &[u8]) -> bool {
        self.0.remove(&art_key(key), s).is_some()
    }

    /// congee's `range(start, end, buffer)` copies up to `buffer.len()` ascending entries of
    /// `[start, end)` into the buffer; there is no descending scan. Longer scans refill a
    /// 128-entry buffer from one past the last key read (the exclusive end `usize::MAX` leaves
    /// out a key of all `0xff` bytes, which the random key sets practically never hold).
    const SCANS: ScanSupport = ScanSupport::Forward;
    #[inline]
    fn scan(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut at = from.map_or(0, art_key);
        let mut buffer = [(0usize, 0usize); ART_SCAN_CHUNK];
        let mut out = Scanned::default();
        while out.entries < n {
            let want = (n - out.entries).min(ART_SCAN_CHUNK);
            let got = self.0.range(&at, &usize::MAX, &mut buffer[..want], s);
            for &(_, v) in &buffer[..got] {
                out.add(v as u64);
            }
            if got < want {
                break;
            }
            match buffer[got - 1].0.checked_add(1) {
                Some(next) => at = next,
                None => break,
            }
        }
        Some(out)
    }
}

/// Entries congee copies out per `range` call in a scan.
const ART_SCAN_CHUNK: usize = 128;

/// `std::sync::RwLock<BTreeMap>`: readers share the lock, writers serialize.
pub struct RwLockBTree(RwLock<BTreeMap<Box<[u8]>, u64>>);

impl Contender for RwLockBTree {
    const NAME: &'static str = "RwLock<BTreeMap>";
    type Session<'a> = ();

    fn new() -> Self {
        Self(RwLock::new(BTreeMap::new()))
    }
    fn session(&self) -> Self::Session<'_> {}
    #[inline]
    fn get(&self, (): &(), key: &[u8]) -> Option<u64> {
        self.0.read().expect("poisoned").get(key).copied()
    }
    #[inline]
    fn insert(&self, (): &(), key: &[u8], value: u64) {
        self.0.write().expect("poisoned").insert(key.into(), value);
    }
    #[inline]
    fn update(&self, (): &(), key: &[u8]) -> bool {
        let mut map = self.0.write().expect("poisoned");
        map.get_mut(key).map(|v| *v = v.wrapping_add(1)).is_some()
    }
    #[inline]
    fn remove(&self, (): &(), key: &[u8]) -> bool {
        self.0.write().expect("poisoned").remove(key).is_some()
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let map = self.0.read().expect("poisoned");
        let range = map.range::<[u8], _>((from_bound(from), Unbounded));
        Some(Scanned::of(range.take(n).map(|(_, v)| *v)))
    }
    #[inline]
    fn scan_rev(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let map = self.0.read().expect("poisoned");
        let range = map.range::<[u8], _>((Unbounded, from_bound(from)));
        Some(Scanned::of(range.rev().take(n).map(|(_, v)| *v)))
    }
}

/// `std::sync::Mutex<BTreeMap>`: every operation serializes.
pub struct MutexBTree(Mutex<BTreeMap<Box<[u8]>, u64>>);

impl Contender for MutexBTree {
    const NAME: &'static str = "Mutex<BTreeMap>";
    type Session<'a> = ();

    fn new() -> Self {
        Self(Mutex::new(BTreeMap::new()))
    }
    fn session(&self) -> Self::Session<'_> {}
    #[inline]
    fn get(&self, (): &(), key: &[u8]) -> Option<u64> {
        self.0.lock().expect("poisoned").get(key).copied()
    }
    #[inline]
    fn insert(&self, (): &(), key: &[u8], value: u64) {
        self.0.lock().expect("poisoned").insert(key.into(), value);
    }
    #[inline]
    fn update(&self, (): &(), key: &[u8]) -> bool {
        let mut map = self.0.lock().expect("poisoned");
        map.get_mut(key).map(|v| *v = v.wrapping_add(1)).is_some()
    }
    #[inline]
    fn remove(&self, (): &(), key: &[u8]) -> bool {
        self.0.lock().expect("poisoned").remove(key).is_some()
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let map = self.0.lock().expect("poisoned");
        let range = map.range::<[u8], _>((from_bound(from), Unbounded));
        Some(Scanned::of(range.take(n).map(|(_, v)| *v)))
    }
    #[inline]
    fn scan_rev(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let map = self.0.lock().expect("poisoned");
        let range = map.range::<[u8], _>((Unbounded, from_bound(from)));
        Some(Scanned::of(range.rev().take(n).map(|(_, v)| *v)))
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
        assert_eq!(names(Lineup::All).len(), 8);
        assert_eq!(names(Lineup::Locks).len(), 4);
        assert_eq!(names(Lineup::Concurrent).len(), 6);
    }
}
