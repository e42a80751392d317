//! `bbtree::BBTreeMap`, a B+-tree with optimistically read internal nodes and latched leaves.

use super::{Contender, ScanSupport, Scanned, from_bound};
use std::ops::Bound::Unbounded;
use std::ops::ControlFlow;

/// `bbtree::BBTreeMap<Vec<u8>, u64>`: shared through `&self`, no guards (an operation latches
/// the leaf it needs, or reads it optimistically, and holds nothing between calls).
///
/// Each operation is its fastest documented single-key call: `get_copied` (no latch for keys
/// that end within the 8 bytes a leaf keeps of each key past the bytes its keys share, the
/// 8-byte keys; longer keys are copied out under the leaf latch), `insert`, `update` (a
/// read-modify-write under the leaf latch) and `remove`. Scans are `scan`/`scan_rev` with a
/// closure that stops after `n` entries (its iterator, `range_cloned`, clones every key).
/// Its batch calls (`get_many_copied`, `insert_many`) take fixed-size arrays of keys and have
/// no counterpart in the other maps' per-operation runs, so they are not used.
pub struct BBTree(bbtree::BBTreeMap<Vec<u8>, u64>);

impl Contender for BBTree {
    const NAME: &'static str = "bbtree";
    type Session<'a> = ();

    fn new() -> Self {
        Self(bbtree::BBTreeMap::new())
    }
    fn session(&self) -> Self::Session<'_> {}
    #[inline]
    fn get(&self, (): &(), key: &[u8]) -> Option<u64> {
        self.0.get_copied(key)
    }
    #[inline]
    fn insert(&self, (): &(), key: &[u8], value: u64) {
        let inserted = self.0.insert(key.to_vec(), value);
        assert!(inserted.is_ok(), "bbtree ran out of memory");
    }
    #[inline]
    fn update(&self, (): &(), key: &[u8]) -> bool {
        self.0.update(key, |_, v| *v = v.wrapping_add(1)).is_some()
    }
    #[inline]
    fn remove(&self, (): &(), key: &[u8]) -> bool {
        self.0.remove(key).is_some()
    }

    const SCANS: ScanSupport = ScanSupport::Both;
    #[inline]
    fn scan(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut out = Scanned::default();
        if n > 0 {
            self.0
                .scan::<[u8], ()>((from_bound(from), Unbounded), |_, v| take(&mut out, *v, n));
        }
        Some(out)
    }
    #[inline]
    fn scan_rev(&self, (): &(), from: Option<&[u8]>, n: usize) -> Option<Scanned> {
        let mut out = Scanned::default();
        if n > 0 {
            self.0
                .scan_rev::<[u8], ()>((Unbounded, from_bound(from)), |_, v| take(&mut out, *v, n));
        }
        Some(out)
    }
}

/// Adds `value` to `out`; breaks once `out` holds `n` entries.
#[inline]
fn take(out: &mut Scanned, value: u64, n: usize) -> ControlFlow<()> {
    out.add(value);
    if out.entries < n {
        ControlFlow::Continue(())
    } else {
        ControlFlow::Break(())
    }
}
