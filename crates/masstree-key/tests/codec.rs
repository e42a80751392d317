//! The typed-key contract, for every provided type: encodings sort like the values and decode
//! back to them, over random values and the extremes (MIN, MAX, empty strings, NUL bytes).

use core::fmt::Debug;
use masstree_key::codec::{ByteKey, Key, Query, encode_to_vec};
use proptest::prelude::*;

/// Checks order preservation and round trips for one pair of values.
fn check_pair<K>(a: &K, b: &K)
where
    K: Key<Owned = K> + Ord + Debug,
{
    let (ea, eb) = (encode_to_vec::<K, K>(a), encode_to_vec::<K, K>(b));
    assert_eq!(
        ea.cmp(&eb),
        a.cmp(b),
        "order of {a:?} and {b:?}: {ea:?} vs {eb:?}"
    );
    assert_eq!(K::decode_key(&ea).as_ref(), Ok(a), "round trip of {a:?}");
    assert_eq!(K::decode_key(&eb).as_ref(), Ok(b), "round trip of {b:?}");
}

/// Checks every pair of a list (explicit extremes).
fn check_all<K>(values: &[K])
where
    K: Key<Owned = K> + Ord + Debug,
{
    for a in values {
        for b in values {
            check_pair(a, b);
        }
    }
}

macro_rules! int_extremes {
    ($($t:ty),*) => {$(
        check_all::<$t>(&[<$t>::MIN, <$t>::MIN + 1, <$t>::MAX - 1, <$t>::MAX, 0, 1, 2, 100]);
    )*};
}

#[test]
fn integer_extremes() {
    int_extremes!(
        u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
    );
    check_all::<i64>(&[-1, -2, i64::MIN / 2, i64::MAX / 2]);
}

#[test]
fn bool_char_and_arrays() {
    check_all(&[false, true]);
    check_all(&[
        '\0',
        'a',
        'z',
        '\u{7f}',
        '\u{80}',
        '\u{ffff}',
        '\u{10000}',
        char::MAX,
    ]);
    check_all(&[[0u8; 3], [0, 0, 1], [255; 3], [1, 0, 0]]);
}

#[test]
#[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
fn string_extremes() {
    let strings = [
        "",
        "\0",
        "\0\0",
        "a",
        "a\0",
        "a\0b",
        "ab",
        "\u{ff}",
        "\u{10ffff}",
    ];
    check_all(&strings.map(String::from));
    check_all(&strings.map(|s| s.as_bytes().to_vec()));
    let bytes: [&[u8]; 6] = [b"", b"\0", b"\xff", b"\xff\0", b"\0\xff", b"\xff\xff"];
    check_all(&bytes.map(<[u8]>::to_vec));
    check_all(&bytes.map(ByteKey::new));
}

#[test]
#[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
fn tuples_with_extremes_in_every_position() {
    let parts = ["", "\0", "a", "a\0", "ab", "b"];
    let mut pairs = Vec::new();
    for s in parts {
        for n in [0u32, 1, u32::MAX] {
            pairs.push((s.to_string(), n));
            pairs.push((s.to_string(), n));
        }
    }
    check_all(&pairs);
    let triples: Vec<(Vec<u8>, String, i8)> = parts
        .iter()
        .flat_map(|a| {
            parts
                .iter()
                .map(move |b| (a.as_bytes().to_vec(), b.to_string(), -1))
        })
        .collect();
    check_all(&triples);
    check_all(&[(true,), (false,)]);
}

#[test]
fn borrowed_forms_encode_like_the_key() {
    let owned = ("alice".to_string(), 7u32);
    let borrowed = ("alice", 7u32);
    assert_eq!(
        encode_to_vec::<(String, u32), _>(&owned),
        encode_to_vec::<(String, u32), _>(&borrowed)
    );
    assert_eq!(encode_to_vec::<[u8], _>(b"abc"), b"abc");
    assert_eq!(encode_to_vec::<[u8], _>("abc"), b"abc");
    assert_eq!(encode_to_vec::<String, _>(&&"abc"), b"abc");
    // One element of a tuple written through `encode` with `last = false` is framed.
    let mut buf = masstree_key::codec::KeyBuf::new();
    Query::<String>::encode("a\0", &mut buf, false);
    assert_eq!(buf.as_slice(), [b'a', 0, 0xFF, 0, 0]);
}

#[test]
fn eight_byte_integers_encode_to_eight_bytes() {
    assert_eq!(encode_to_vec::<u64, _>(&0x0102_0304_0506_0708).len(), 8);
    assert_eq!(encode_to_vec::<i64, _>(&-1).len(), 8);
    assert_eq!(encode_to_vec::<i64, _>(&i64::MIN), [0; 8]);
}

#[test]
fn bad_encodings_are_errors_not_panics() {
    assert!(u64::decode_key(&[1, 2, 3]).is_err());
    assert!(u8::decode_key(&[1, 2]).is_err(), "bytes left over");
    assert!(bool::decode_key(&[2]).is_err());
    assert!(char::decode_key(&0xD800u32.to_be_bytes()).is_err());
    assert!(String::decode_key(&[0xC0]).is_err());
    assert!(<(String, u8)>::decode_key(b"abc").is_err());
    let err = u64::decode_key(&[]).unwrap_err();
    assert!(err.to_string().contains("invalid key encoding"));
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 256 },
        // No failure file: miri's isolation forbids the file system.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings rich in NUL bytes and a few letters, where escaping goes wrong if it can.
fn nul_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just('\0'), Just('a'), Just('\u{ff}'), any::<char>()],
        0..6,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn nul_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![Just(0u8), Just(0xFF), Just(1), any::<u8>()],
        0..6,
    )
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn unsigned_order(a: u64, b: u64, c: u128, d: u128, e: u16, f: u16) {
        check_pair(&a, &b);
        check_pair(&c, &d);
        check_pair(&e, &f);
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn signed_order(a: i64, b: i64, c: i128, d: i128, e: i8, f: i8, g: i32, h: i32) {
        check_pair(&a, &b);
        check_pair(&c, &d);
        check_pair(&e, &f);
        check_pair(&g, &h);
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn char_order(a: char, b: char) {
        check_pair(&a, &b);
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn string_and_bytes_order(a in nul_string(), b in nul_string(), c in nul_bytes(), d in nul_bytes()) {
        check_pair(&a, &b);
        check_pair(&c, &d);
        check_pair(&ByteKey::new(&c), &ByteKey::new(&d));
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn tuple_order(
        a in (nul_string(), any::<i32>()),
        b in (nul_string(), any::<i32>()),
        c in (nul_bytes(), nul_string(), any::<bool>(), nul_bytes()),
        d in (nul_bytes(), nul_string(), any::<bool>(), nul_bytes()),
    ) {
        check_pair(&a, &b);
        check_pair(&c, &d);
        // Nested tuples frame their inner parts too.
        check_pair(&((a.0.clone(), c.0.clone()), b.0.clone()), &((b.0.clone(), d.0.clone()), a.0.clone()));
    }
}
