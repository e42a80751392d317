//! Property tests for `KeyBuilder`: rebuilding keys from a cursor's slices.

mod key_strategy;

use key_strategy::{config, key};
use masstree_key::{KeyBuilder, KeyCursor, SLICE_LEN};
use proptest::prelude::*;

/// Rebuilds `k` into `b` the way a scan does: one `set_slice` per layer,
/// then `push_bytes` of the (empty) rest.
fn rebuild(b: &mut KeyBuilder, k: &[u8]) {
    let mut c = KeyCursor::new(k);
    loop {
        b.set_slice(c.depth(), c.ikey(), c.slice_len());
        if !c.shift() {
            break;
        }
    }
    b.push_bytes(&[]);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn slices_round_trip(k in key()) {
        let mut b = KeyBuilder::new();
        rebuild(&mut b, &k);
        prop_assert_eq!(b.as_bytes(), &k[..]);
        prop_assert_eq!(b.len(), k.len());
        prop_assert_eq!(b.is_empty(), k.is_empty());
    }

    /// A builder left holding another key is reused without clearing.
    #[test]
    fn slices_round_trip_in_a_reused_builder(old in key(), k in key()) {
        let mut b = KeyBuilder::with_capacity(old.len());
        b.push_bytes(&old);
        rebuild(&mut b, &k);
        prop_assert_eq!(b.as_bytes(), &k[..]);
    }

    /// Stopping at any layer and appending that layer's suffix also rebuilds
    /// the key (a suffix stored in a leaf instead of a deeper layer).
    #[test]
    fn slices_plus_suffix_round_trip(k in key(), stop in 0..8usize) {
        let mut b = KeyBuilder::new();
        let mut c = KeyCursor::new(&k);
        loop {
            b.set_slice(c.depth(), c.ikey(), c.slice_len());
            if c.depth() == stop || !c.shift() {
                break;
            }
        }
        b.push_bytes(c.suffix());
        prop_assert_eq!(b.as_bytes(), &k[..]);
    }

    #[test]
    fn truncate_to_depth_keeps_whole_slices(k in key(), depth in 0..8usize) {
        let mut b = KeyBuilder::new();
        b.push_bytes(&k);
        b.truncate_to_depth(depth);
        let keep = k.len().min(depth * SLICE_LEN);
        prop_assert_eq!(b.as_bytes(), &k[..keep]);
        b.clear();
        prop_assert!(b.is_empty());
    }

    /// `set_slice` writes exactly `len` big-endian bytes (clamped to 8).
    #[test]
    fn set_slice_writes_big_endian_prefix(ikey in any::<u64>(), len in 0..=12usize) {
        let mut b = KeyBuilder::new();
        b.set_slice(0, ikey, len);
        let n = len.min(SLICE_LEN);
        prop_assert_eq!(b.as_bytes(), &ikey.to_be_bytes()[..n]);
    }
}
