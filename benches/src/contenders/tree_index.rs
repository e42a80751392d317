//! `scc::TreeIndex`.

use super::{Contender, ScanSupport, Scanned, from_bound};
use std::ops::Bound::Unbounded;

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
