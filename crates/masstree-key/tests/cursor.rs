//! Property and unit tests for `KeyCursor`.

mod key_strategy;

use key_strategy::{config, key};
use masstree_key::{KEYLEN_SUFFIX, KeyBuilder, KeyCursor, SLICE_LEN, ikey_of, keylen_class};
use proptest::prelude::*;

/// Checks every documented relation between a cursor's accessors.
fn check_invariants(c: &KeyCursor<'_>) -> Result<(), TestCaseError> {
    let key = c.key();
    let offset = c.offset();
    prop_assert_eq!(offset % SLICE_LEN, 0);
    prop_assert!(offset == 0 || offset < key.len());
    prop_assert_eq!(c.depth() * SLICE_LEN, offset);
    prop_assert_eq!(c.remaining(), &key[offset..]);
    let rest = c.remaining();
    prop_assert_eq!(c.ikey(), ikey_of(rest));
    prop_assert_eq!(c.slice_len(), rest.len().min(SLICE_LEN));
    prop_assert_eq!(c.keylen(), keylen_class(rest.len()));
    prop_assert_eq!(c.has_suffix(), c.keylen() == KEYLEN_SUFFIX);
    prop_assert_eq!(c.has_suffix(), rest.len() > SLICE_LEN);
    prop_assert_eq!(c.suffix(), rest.get(SLICE_LEN..).unwrap_or_default());
    Ok(())
}

/// The depth at which a key of `len` bytes ends: the smallest `d` with
/// `len - 8 * d <= 8`.
fn final_depth(len: usize) -> usize {
    len.saturating_sub(1) / SLICE_LEN
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn invariants_hold_at_every_depth(k in key()) {
        let mut c = KeyCursor::new(&k);
        prop_assert_eq!(c.depth(), 0);
        loop {
            check_invariants(&c)?;
            if !c.shift() {
                break;
            }
        }
        prop_assert_eq!(c.depth(), final_depth(k.len()));
        prop_assert!(!c.has_suffix());
        prop_assert!(c.keylen() <= 8);
        let stuck = c;
        prop_assert!(!c.shift());
        prop_assert_eq!(c, stuck);
    }

    #[test]
    fn shift_unshift_round_trip(k in key()) {
        let mut c = KeyCursor::new(&k);
        let mut path = vec![c];
        while c.shift() {
            path.push(c);
        }
        // Walk back up: each unshift restores the cursor of the layer above.
        for expected in path.iter().rev().skip(1) {
            prop_assert!(c.unshift());
            prop_assert_eq!(c, *expected);
            // ...and shifting again gets back down.
            let mut down = c;
            prop_assert!(down.shift());
            prop_assert!(down.unshift());
            prop_assert_eq!(down, c);
        }
        prop_assert_eq!(c, KeyCursor::new(&k));
        prop_assert!(!c.unshift());
        prop_assert_eq!(c, KeyCursor::new(&k));
    }
}

#[test]
fn one_mebibyte_key_does_not_panic() {
    // Miri interprets every step; a smaller key exercises the same code there.
    let len = if cfg!(miri) { 1 << 14 } else { 1 << 20 };
    let mut key = vec![0xA5u8; len];
    for (i, byte) in key.iter_mut().enumerate().step_by(4093) {
        *byte = (i % 251) as u8;
    }
    key[len - 1] = 0xFF;
    let mut c = KeyCursor::new(&key);
    let mut b = KeyBuilder::with_capacity(len);
    loop {
        assert_eq!(c.remaining().len(), len - c.offset());
        b.set_slice(c.depth(), c.ikey(), c.slice_len());
        if !c.shift() {
            break;
        }
    }
    assert_eq!(c.depth(), final_depth(len));
    assert_eq!(c.keylen(), 8);
    assert_eq!(b.as_bytes(), &key[..]);
    assert_eq!(KeyCursor::new(&key).suffix(), &key[SLICE_LEN..]);
    while c.unshift() {}
    assert_eq!(c, KeyCursor::new(&key));

    let mut longer = key.clone();
    longer.push(0);
    assert!(
        KeyCursor::new(&key)
            .compare_slot(ikey_of(&longer), KEYLEN_SUFFIX)
            .is_eq()
    );
    let (ca, cb) = (KeyCursor::new(&key), KeyCursor::new(&longer));
    let order = masstree_key::compare_entries(
        ca.ikey(),
        ca.keylen(),
        ca.suffix(),
        cb.ikey(),
        cb.keylen(),
        cb.suffix(),
    );
    assert!(order.is_lt());
}
