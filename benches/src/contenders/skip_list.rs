//! `crossbeam_skiplist::SkipMap`.

use super::{Contender, ScanSupport, Scanned, from_bound};
use crossbeam_skiplist::SkipMap;
use std::ops::Bound::Unbounded;

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
