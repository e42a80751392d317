//! `Key::decode_into` and `Key::decode_key_into`: the same values as `decode`, for every
//! provided key type, whatever the output held before; buffers are reused, not reallocated.

mod key_strategy;

use core::fmt::Debug;
use key_strategy::config;
use masstree_key::codec::{ByteKey, DecodeError, Key, KeyBuf, Query, encode_to_vec};
use proptest::prelude::*;

/// Checks, for one encoded value, that decoding into `out` (whatever it held) gives what
/// `decode` gives, both as a whole key (`last = true`) and, when `inner` is the same value
/// encoded with `last = false` followed by a trailing byte, inside a larger key. Returns
/// what is left of `inner`.
fn check_into<'a, K>(whole: &[u8], inner: &'a [u8], out: &mut K::Owned) -> &'a [u8]
where
    K: Key + ?Sized,
    K::Owned: PartialEq + Debug,
{
    let expected = K::decode_key(whole);
    let got = K::decode_key_into(whole, out).map(|()| &*out);
    assert_eq!(
        got,
        expected.as_ref().map_err(|e| *e),
        "whole key {whole:?}"
    );

    let mut a = inner;
    let expected = K::decode(&mut a, false);
    let mut b = inner;
    let got = K::decode_into(&mut b, false, out).map(|()| &*out);
    assert_eq!(
        got,
        expected.as_ref().map_err(|e| *e),
        "inner part {inner:?}"
    );
    assert_eq!(a, b, "both leave the same rest of {inner:?}");
    b
}

/// The two encodings `check_into` takes of `value`.
fn encodings<K: ?Sized, Q: ?Sized + Query<K>>(value: &Q) -> (Vec<u8>, Vec<u8>) {
    let whole = encode_to_vec::<K, Q>(value);
    let mut buf = KeyBuf::new();
    value.encode(&mut buf, false);
    buf.push(0x5A);
    (whole, buf.into_vec())
}

/// Decodes `value` into `out` and checks the result (the round trip through `decode_into`).
fn round_trip<K>(value: &K, out: &mut K::Owned)
where
    K: Key + ?Sized,
    K::Owned: PartialEq + Debug,
{
    let (whole, inner) = encodings::<K, K>(value);
    let rest = check_into::<K>(&whole, &inner, out);
    assert_eq!(rest, [0x5A], "the part ends where it was written");
}

/// Strings rich in NUL bytes, `ÿ` (UTF-8 `C3 BF`) and letters; sometimes long.
fn string() -> impl Strategy<Value = String> {
    let short = prop::collection::vec(
        prop_oneof![Just('\0'), Just('a'), Just('\u{ff}'), any::<char>()],
        0..8,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        1 => Just(String::new()),
        6 => short.clone(),
        1 => (short, 1..200usize).prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// Byte strings with runs of `0x00 0xFF` (the escape of a zero), NULs and `0xFF`s.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => key_strategy::key(),
        1 => (0..40usize).prop_map(|n| [0x00, 0xFF].repeat(n)),
        1 => (0..40usize).prop_map(|n| vec![0; n]),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Every provided key type, decoding into a fresh value and into one that held another
    /// key (longer or shorter).
    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn decode_into_matches_decode(
        s in string(), t in string(), v in bytes(), w in bytes(), n: u64, m: u32, i: i16,
    ) {
        round_trip::<String>(&s, &mut String::new());
        round_trip::<String>(&s, &mut t.clone());
        round_trip::<str>(&s, &mut t.clone());
        round_trip::<Vec<u8>>(&v, &mut Vec::new());
        round_trip::<Vec<u8>>(&v, &mut w.clone());
        round_trip::<[u8]>(&v, &mut ByteKey::new(&w));
        round_trip::<ByteKey>(&ByteKey::new(&v), &mut ByteKey::new(&[]));
        round_trip::<ByteKey>(&ByteKey::new(&v), &mut ByteKey::new(&w));
        round_trip::<u64>(&n, &mut m.into());
        round_trip::<i16>(&i, &mut 0);
        round_trip::<(String,)>(&(s.clone(),), &mut (t.clone(),));
        round_trip::<(String, u64)>(&(s.clone(), n), &mut (t.clone(), 0));
        round_trip::<(u64, String)>(&(n, s.clone()), &mut (0, t.clone()));
        round_trip::<(Vec<u8>, String, u32)>(&(v.clone(), s.clone(), m), &mut (w.clone(), t.clone(), 1));
        round_trip::<(ByteKey, String, Vec<u8>, String)>(
            &(ByteKey::new(&v), s.clone(), w.clone(), t.clone()),
            &mut (ByteKey::new(&w), t.clone(), v.clone(), s.clone()),
        );
        round_trip::<(String, (Vec<u8>, i16))>(&(s.clone(), (v.clone(), i)), &mut (t, (w, 0)));
    }

    /// Arbitrary bytes: `decode_into` fails exactly when `decode` does, and agrees with it
    /// when both succeed.
    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn decode_into_agrees_on_any_bytes(raw in bytes(), s in string()) {
        let mut inner = raw.clone();
        inner.push(0x5A);
        let _ = check_into::<String>(&raw, &inner, &mut s.clone());
        let _ = check_into::<Vec<u8>>(&raw, &inner, &mut Vec::new());
        let _ = check_into::<[u8]>(&raw, &inner, &mut ByteKey::new(s.as_bytes()));
        let _ = check_into::<(String, u8)>(&raw, &inner, &mut (s, 0));
    }
}

/// Lengths that go down and up across the inline limits (30 for `ByteKey`) and beyond the
/// capacity reached so far; every other key has NUL bytes, so escaping is exercised.
const LENGTHS: [usize; 14] = [0, 100, 3, 50, 0, 200, 31, 30, 29, 1, 300, 8, 0, 64];

fn text(len: usize, seed: usize) -> String {
    (0..len)
        .map(|i| match (i + seed) % 7 {
            0 if seed.is_multiple_of(2) => '\0',
            k => char::from(b'a' + k as u8),
        })
        .collect()
}

#[test]
fn one_buffer_reused_across_longer_and_shorter_keys() {
    let mut string = String::new();
    let mut vec = Vec::new();
    let mut byte_key = ByteKey::new(&[]);
    let mut tuple = (String::new(), Vec::new(), 0u32);
    for (seed, len) in LENGTHS.into_iter().enumerate() {
        let s = text(len, seed);
        String::decode_key_into(&encode_to_vec::<String, _>(&s), &mut string).unwrap();
        assert_eq!(string, s, "String of length {len}");
        Vec::<u8>::decode_key_into(s.as_bytes(), &mut vec).unwrap();
        assert_eq!(vec, s.as_bytes(), "Vec<u8> of length {len}");
        <[u8]>::decode_key_into(s.as_bytes(), &mut byte_key).unwrap();
        assert_eq!(byte_key, *s.as_bytes(), "ByteKey of length {len}");

        let other = text(LENGTHS[(seed + 5) % LENGTHS.len()], seed + 1);
        let key = (s.clone(), other.clone().into_bytes(), len as u32);
        let enc = encode_to_vec::<(String, Vec<u8>, u32), _>(&key);
        <(String, Vec<u8>, u32)>::decode_key_into(&enc, &mut tuple).unwrap();
        assert_eq!(tuple, key, "tuple with lengths {len} and {}", other.len());
        // The escaped form too, into the ByteKey.
        let enc = encode_to_vec::<(ByteKey, u8), _>(&(s.as_bytes(), 9u8));
        let mut input = &enc[..];
        <ByteKey>::decode_into(&mut input, false, &mut byte_key).unwrap();
        assert_eq!(byte_key, *s.as_bytes(), "escaped ByteKey of length {len}");
        assert_eq!(input, [9]);
    }
}

#[test]
fn decoding_into_enough_capacity_does_not_reallocate() {
    let s = "a\0b".repeat(30); // 90 bytes, with NULs to unescape
    // A string key, last and escaped.
    let mut out = String::with_capacity(128);
    let (ptr, cap) = (out.as_ptr(), out.capacity());
    for _ in 0..3 {
        String::decode_key_into(&encode_to_vec::<String, _>(&s), &mut out).unwrap();
        assert_eq!(out, s);
        assert_eq!((out.as_ptr(), out.capacity()), (ptr, cap), "String, last");
        let enc = encode_to_vec::<(String, u64), _>(&(s.as_str(), 5u64));
        let mut input = &enc[..];
        String::decode_into(&mut input, false, &mut out).unwrap();
        assert_eq!(out, s);
        assert_eq!(
            (out.as_ptr(), out.capacity()),
            (ptr, cap),
            "String, escaped"
        );
    }
    // Inside tuples.
    let mut tuple = (String::with_capacity(128), 0u64);
    let (ptr, cap) = (tuple.0.as_ptr(), tuple.0.capacity());
    let enc = encode_to_vec::<(String, u64), _>(&(s.as_str(), 5u64));
    <(String, u64)>::decode_key_into(&enc, &mut tuple).unwrap();
    assert_eq!(tuple, (s.clone(), 5));
    assert_eq!(
        (tuple.0.as_ptr(), tuple.0.capacity()),
        (ptr, cap),
        "(String, u64)"
    );
    // Byte strings, last and escaped.
    let mut vec = Vec::with_capacity(128);
    let (ptr, cap) = (vec.as_ptr(), vec.capacity());
    Vec::<u8>::decode_key_into(s.as_bytes(), &mut vec).unwrap();
    assert_eq!(vec, s.as_bytes());
    assert_eq!((vec.as_ptr(), vec.capacity()), (ptr, cap), "Vec<u8>, last");
    let enc = encode_to_vec::<(Vec<u8>, u8), _>(&(s.as_bytes(), 1u8));
    let mut input = &enc[..];
    Vec::<u8>::decode_into(&mut input, false, &mut vec).unwrap();
    assert_eq!(vec, s.as_bytes());
    assert_eq!(
        (vec.as_ptr(), vec.capacity()),
        (ptr, cap),
        "Vec<u8>, escaped"
    );
    // A ByteKey on the heap keeps its buffer, even for a short key.
    let mut key = ByteKey::new(&[7; 120]);
    let ptr = key.as_ptr();
    for len in [90, 3, 0, 60] {
        <[u8]>::decode_key_into(&s.as_bytes()[..len], &mut key).unwrap();
        assert_eq!(key, s.as_bytes()[..len]);
        assert_eq!(key.as_ptr(), ptr, "ByteKey, length {len}");
        let enc = encode_to_vec::<(ByteKey, u8), _>(&(&s.as_bytes()[..len], 1u8));
        let mut input = &enc[..];
        ByteKey::decode_into(&mut input, false, &mut key).unwrap();
        assert_eq!(key, s.as_bytes()[..len]);
        assert_eq!(key.as_ptr(), ptr, "escaped ByteKey, length {len}");
    }
}

#[test]
fn errors_leave_a_valid_value() {
    let not_utf8: DecodeError = String::decode_key(&[0xC0]).unwrap_err();
    let mut out = String::from("previous");
    assert_eq!(String::decode_key_into(&[0xC0], &mut out), Err(not_utf8));
    out.push_str("still a string");
    // Escaped: not UTF-8, then unterminated, then a bad escape.
    for bad in [&[0xC0, 0, 0][..], b"abc", &[b'a', 0, 5]] {
        let mut out = String::from("previous");
        let mut input = bad;
        assert!(String::decode_into(&mut input, false, &mut out).is_err());
        assert!(out.is_empty(), "{bad:?} left {out:?}");
        let mut out = ByteKey::new(b"previous");
        let mut input = bad;
        let err = <[u8]>::decode_into(&mut input, false, &mut out);
        assert_eq!(err.is_err(), bad != [0xC0, 0, 0]);
    }
    // Bytes left over.
    let mut out = (String::new(), 0u8);
    assert!(<(String, u8)>::decode_key_into(&[b'a', 0, 0, 1, 2], &mut out).is_err());
    assert!(u32::decode_key_into(&[0, 0, 0, 1, 0], &mut 0).is_err());
}
