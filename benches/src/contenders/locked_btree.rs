//! `std::collections::BTreeMap` behind a lock: `RwLock` (readers share it, writers serialize)
//! and `Mutex` (every operation serializes), one implementation over both.

use super::{Contender, ScanSupport, Scanned, from_bound};
use std::collections::BTreeMap;
use std::ops::Bound::Unbounded;
use std::sync::{Mutex, RwLock};

/// The map a lock guards.
type Map = BTreeMap<Box<[u8]>, u64>;

/// A lock around a [`Map`]: how a reader and a writer get at it.
pub trait MapLock: Send + Sync + Default {
    /// The name in tables and charts.
    const NAME: &'static str;
    /// Runs `f` with shared access (a read lock, or the mutex).
    fn read<R>(&self, f: impl FnOnce(&Map) -> R) -> R;
    /// Runs `f` with exclusive access.
    fn write<R>(&self, f: impl FnOnce(&mut Map) -> R) -> R;
}

impl MapLock for RwLock<Map> {
    const NAME: &'static str = "RwLock<BTreeMap>";
    #[inline]
    fn read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.read().expect("poisoned"))
    }
    #[inline]
    fn write<R>(&self, f: impl FnOnce(&mut Map) -> R) -> R {
        f(&mut self.write().expect("poisoned"))
    }
}

impl MapLock for Mutex<Map> {
    const NAME: &'static str = "Mutex<BTreeMap>";
    #[inline]
    fn read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.lock().expect("poisoned"))
    }
    #[inline]
    fn write<R>(&self, f: impl FnOnce(&mut Map) -> R) -> R {
        f(&mut self.lock().expect("poisoned"))
    }
}

/// A `BTreeMap` behind the lock `L`.
pub struct LockedBTree<L>(L);

/// `std::sync::RwLock<BTreeMap>`: readers share the lock, writers serialize.
pub type RwLockBTree = LockedBTree<RwLock<Map>>;

/// `std::sync::Mutex<BTreeMap>`: every operation serializes.
pub type MutexBTree = LockedBTree<Mutex<Map>>;

impl<L: MapLock + 'static> Contender for LockedBTree<L> {
    const NAME: &'static str = L::NAME;
    type Session<'a> = ();

    fn new() -> Self {
        Self(L::default())
    }
    fn session(&self) -> Self::Session<'_> {}
    #[inline]
    fn get(&self, (): &(), key: &[u8]) -> Option<u64> {
        self.0.read(|map| map.get(key).copied())
    }
    #[inline]
    fn insert(&self, (): &(), key: &[u8], value: u64) {
        self.0.write(|map| map.insert(key.into(), value));
    }
    #[inline]
    fn update(&self, (): &(), key: &[u8]) -> bool {
        self.0
            .write(|map| map.get_mut(key).map(|v| *v = v.wrapping_add(1)).is_some())
    }
    #[inline]
    fn remove(&self, (): &(), key: &[u8]) -> bool {
        self.0.write(|map| map.remove(key).is_some())
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        self.0.read(|map| {
            let range = map.range::<[u8], _>((from_bound(from), Unbounded));
            Some(Scanned::of(range.take(n).map(|(_, v)| *v)))
        })
    }
    #[inline]
    fn scan_rev(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        self.0.read(|map| {
            let range = map.range::<[u8], _>((Unbounded, from_bound(from)));
            Some(Scanned::of(range.rev().take(n).map(|(_, v)| *v)))
        })
    }
}
