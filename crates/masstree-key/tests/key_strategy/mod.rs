//! Key strategies and the proptest configuration shared by the property tests.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use proptest::collection::vec;
use proptest::prelude::*;

/// Few cases under miri, no failure files anywhere (miri cannot write them).
pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A byte, biased toward the values where padding and ordering get subtle.
pub fn edge_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => any::<u8>(),
        2 => Just(0x00u8),
        2 => Just(0xFFu8),
        1 => Just(0x01u8),
        1 => Just(0xFEu8),
    ]
}

/// Keys of 0..=40 bytes, spanning the 8/16/24/32 slice boundaries.
pub fn short_key() -> impl Strategy<Value = Vec<u8>> {
    vec(edge_byte(), 0..=40)
}

/// A key of `len` bytes: `pattern` repeated, with byte `at` (mod `len`) set
/// to `value`. Cheap to generate at any length, even under miri.
fn repeated(len: usize, pattern: &[u8], at: usize, value: u8) -> Vec<u8> {
    let mut key: Vec<u8> = pattern.iter().copied().cycle().take(len).collect();
    if let Some(byte) = key.get_mut(at % len.max(1)) {
        *byte = value;
    }
    key
}

/// Long keys: 256, 257 and 4096 bytes, a repeated pattern with one byte set.
pub fn long_key() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![256usize, 257, 4096]),
        vec(edge_byte(), 1..=17),
        any::<usize>(),
        edge_byte(),
    )
        .prop_map(|(len, pattern, at, value)| repeated(len, &pattern, at, value))
}

/// Any key: mostly short, sometimes empty, sometimes long.
pub fn key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => Just(Vec::new()),
        8 => short_key(),
        1 => long_key(),
    ]
}

/// Lengths at which two related keys start to differ.
const SPLIT_POINTS: [usize; 14] = [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 32, 40, 256];

/// Pairs of keys that are likely to be close in the order: independent keys,
/// prefixes, extensions (also by zero bytes), keys sharing 8/16/24/... bytes
/// and then differing, and keys differing in one byte. Either order.
pub fn key_pair() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    let independent = (key(), key());
    let prefix = key()
        .prop_flat_map(|a| {
            let n = a.len();
            (Just(a), 0..=n)
        })
        .prop_map(|(a, n)| {
            let b = a[..n].to_vec();
            (a, b)
        });
    let extension = (key(), vec(edge_byte(), 1..=17)).prop_map(|(a, tail)| {
        let mut b = a.clone();
        b.extend_from_slice(&tail);
        (a, b)
    });
    let zero_extension = (key(), 1..=17usize).prop_map(|(a, zeros)| {
        let mut b = a.clone();
        b.resize(a.len() + zeros, 0);
        (a, b)
    });
    let shared_prefix = (
        prop::sample::select(SPLIT_POINTS.to_vec()),
        vec(edge_byte(), 41),
        vec(edge_byte(), 0..=17),
        vec(edge_byte(), 0..=17),
    )
        .prop_map(|(n, head, x, y)| {
            // Random up to byte 41, then `head` repeated: cheap at length 256.
            let mut a = repeated(n, &head, 0, head[0]);
            let mut b = a.clone();
            a.extend_from_slice(&x);
            b.extend_from_slice(&y);
            (a, b)
        });
    let one_byte = key()
        .prop_flat_map(|a| {
            let n = a.len().max(1);
            (Just(a), 0..n, edge_byte())
        })
        .prop_map(|(a, i, v)| {
            let mut b = a.clone();
            if let Some(byte) = b.get_mut(i) {
                *byte = v;
            }
            (a, b)
        });
    (
        prop_oneof![
            independent,
            prefix,
            extension,
            zero_extension,
            shared_prefix,
            one_byte
        ],
        any::<bool>(),
    )
        .prop_map(|((a, b), swap)| if swap { (b, a) } else { (a, b) })
}
