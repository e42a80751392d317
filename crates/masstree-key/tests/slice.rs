//! Property tests for `ikey_of` and `keylen_class`.

mod key_strategy;

use key_strategy::{config, key, key_pair};
use masstree_key::{KEYLEN_SUFFIX, SLICE_LEN, ikey_of, keylen_class};
use proptest::prelude::*;

/// The first 8 bytes of `bytes`, zero-padded to 8.
fn padded_word(bytes: &[u8]) -> [u8; SLICE_LEN] {
    let mut word = [0u8; SLICE_LEN];
    for (dst, src) in word.iter_mut().zip(bytes) {
        *dst = *src;
    }
    word
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ikey_is_the_big_endian_padded_word(a in key()) {
        prop_assert_eq!(ikey_of(&a), u64::from_be_bytes(padded_word(&a)));
    }

    #[test]
    fn ikey_order_is_padded_word_order((a, b) in key_pair()) {
        prop_assert_eq!(ikey_of(&a).cmp(&ikey_of(&b)), padded_word(&a).cmp(&padded_word(&b)));
    }

    /// Order-preserving: `a <= b` implies `ikey_of(a) <= ikey_of(b)`.
    #[test]
    fn ikey_is_monotone((a, b) in key_pair()) {
        let (lo, hi) = if a <= b { (&a, &b) } else { (&b, &a) };
        prop_assert!(ikey_of(lo) <= ikey_of(hi));
    }

    /// Zero padding: trailing zero bytes inside the slice do not change the
    /// ikey, and bytes past the eighth are ignored.
    #[test]
    fn ikey_zero_padding(a in key(), zeros in 0..=16usize, tail in key()) {
        let head = &a[..a.len().min(SLICE_LEN)];
        let mut padded = head.to_vec();
        padded.resize(head.len() + zeros, 0);
        prop_assert_eq!(ikey_of(&padded), ikey_of(head));
        let mut longer = padded_word(&a).to_vec();
        longer.extend_from_slice(&tail);
        prop_assert_eq!(ikey_of(&longer), ikey_of(&a));
    }

    #[test]
    fn keylen_class_is_length_or_suffix(len in prop_oneof![0..=64usize, any::<usize>()]) {
        let class = keylen_class(len);
        if len > SLICE_LEN {
            prop_assert_eq!(class, KEYLEN_SUFFIX);
        } else {
            prop_assert_eq!(usize::from(class), len);
        }
        prop_assert!(class <= KEYLEN_SUFFIX);
    }
}
