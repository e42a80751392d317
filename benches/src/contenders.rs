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

use std::collections::BTreeMap;
use std::sync::{Mutex, RwLock};

use crossbeam_skiplist::SkipMap;

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
}

/// This workspace's map.
pub type Ours = masstree::MassTree<u64>;

impl Contender for Ours {
    const NAME: &'static str = "masstree";
    type Session<'a> = masstree::MapRef<'a, u64>;

    fn new() -> Self {
        masstree::MassTree::new()
    }
    #[inline]
    fn session(&self) -> Self::Session<'_> {
        self.pin()
    }
    #[inline]
    fn get(&self, s: &Self::Session<'_>, key: &[u8]) -> Option<u64> {
        s.get(key).copied()
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
}

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

    #[test]
    fn lineups_put_ours_first() {
        assert_eq!(names(Lineup::All)[0], "masstree");
        assert_eq!(names(Lineup::All).len(), 7);
        assert_eq!(names(Lineup::Locks).len(), 3);
        assert_eq!(names(Lineup::Concurrent).len(), 5);
    }
}
