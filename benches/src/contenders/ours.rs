//! This workspace's map, in both value representations.

use super::{Contender, ScanSupport, Scanned, from_bound};
use masstree::Storage;
use masstree::reclaim::SeizeReclaim;
use std::ops::Bound::Unbounded;

/// This workspace's map.
/// Our map as the targets measure it: `u64` values stored inline in the leaves (the
/// configuration of masstree 0.9.5's default `MassTree<u64>`), read by copy.
pub type Ours = masstree::InlineMassTree<[u8], u64>;

/// Our map with boxed values (any `V`, read as `&V`): what a map of non-`Copy` values pays.
pub type OursBoxed = masstree::MassTree<[u8], u64>;

impl<S: Storage<u64>> Contender for masstree::MassTree<[u8], u64, SeizeReclaim, S> {
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
        let range = s.range((from_bound(from), Unbounded));
        Some(Scanned::of(
            range.values().take(n).map(|v| *S::as_value(&v)),
        ))
    }
    #[inline]
    fn scan_rev(&self, s: &Self::Session<'_>, from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let range = s.range((Unbounded, from_bound(from)));
        Some(Scanned::of(
            range.values().rev().take(n).map(|v| *S::as_value(&v)),
        ))
    }
}
