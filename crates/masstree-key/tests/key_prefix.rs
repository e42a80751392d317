//! `KeyPrefix`: every key starts with the prefix of its first element, and prefixes order
//! (and separate) the keys by first element.

mod key_strategy;

use core::cmp::Ordering;
use key_strategy::config;
use masstree_key::codec::{KeyPrefix, encode_prefix_to_vec, encode_to_vec};
use proptest::prelude::*;

/// Strings rich in NUL bytes and `ÿ` (UTF-8 `C3 BF`), the bytes escaping is about.
fn string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just('\0'), Just('a'), Just('\u{ff}'), any::<char>()],
        0..8,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// `u64`s with the extremes, where `0x00`/`0xFF` bytes sit at the ends.
fn int() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(0xFF),
        Just(1 << 56),
        any::<u64>()
    ]
}

/// The smallest byte string above every extension of `p`; `None` when unbounded.
fn successor(mut p: Vec<u8>) -> Option<Vec<u8>> {
    while let Some(last) = p.pop() {
        if last < 0xFF {
            p.push(last + 1);
            return Some(p);
        }
    }
    None
}

/// The prefix laws for two first elements `a`, `b` of key type `K`, with the full keys
/// `ka` (first element `a`) and `kb` (first element `b`) encoded.
fn check_prefixes<K: ?Sized, F: Ord + core::fmt::Debug + KeyPrefix<K>>(
    a: &F,
    b: &F,
    ka: &[u8],
    kb: &[u8],
) {
    let (pa, pb) = (
        encode_prefix_to_vec::<K, F>(a),
        encode_prefix_to_vec::<K, F>(b),
    );
    assert!(
        ka.starts_with(&pa),
        "{ka:?} starts with prefix({a:?}) = {pa:?}"
    );
    assert!(
        kb.starts_with(&pb),
        "{kb:?} starts with prefix({b:?}) = {pb:?}"
    );
    assert_eq!(pa.cmp(&pb), a.cmp(b), "prefix order of {a:?} and {b:?}");
    if a != b {
        assert!(
            !pa.starts_with(&pb) && !pb.starts_with(&pa),
            "{pa:?} vs {pb:?}"
        );
        assert_eq!(ka.cmp(kb), a.cmp(b), "keys ordered by first element");
    }
    // The key lies in [prefix, successor(prefix)), the other one (first element differs)
    // outside.
    let hi = successor(pa.clone());
    let within = |k: &[u8]| pa.as_slice() <= k && hi.as_ref().is_none_or(|hi| k < hi.as_slice());
    assert!(within(ka));
    assert_eq!(within(kb), a == b);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn u64_first_element(a in int(), b in int(), sa in string(), sb in string()) {
        let ka = encode_to_vec::<(u64, String), _>(&(a, &sa));
        let kb = encode_to_vec::<(u64, String), _>(&(b, &sb));
        check_prefixes::<(u64, String), u64>(&a, &b, &ka, &kb);
        // Equal first elements, any second ones.
        let kb = encode_to_vec::<(u64, String), _>(&(a, &sb));
        check_prefixes::<(u64, String), u64>(&a, &a, &ka, &kb);
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn string_first_element(sa in string(), sb in string(), a: u32, b: u32, ext in string()) {
        let ka = encode_to_vec::<(String, u32), _>(&(&sa, a));
        let kb = encode_to_vec::<(String, u32), _>(&(&sb, b));
        check_prefixes::<(String, u32), String>(&sa, &sb, &ka, &kb);
        // A first element that extends the other (by NULs, say) is a different one.
        let longer = format!("{sa}{ext}");
        let kl = encode_to_vec::<(String, u32), _>(&(&longer, b));
        check_prefixes::<(String, u32), String>(&sa, &longer, &ka, &kl);
        // `str` stands for a `String` first element and gives the same bytes.
        prop_assert_eq!(
            encode_prefix_to_vec::<(String, u32), _>(sa.as_str()),
            encode_prefix_to_vec::<(String, u32), _>(&sa)
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "no unsafe code in the codec; too slow under miri")]
    fn three_and_four_tuples(sa in string(), sb in string(), n: u64, flag: bool) {
        let ka = encode_to_vec::<(String, u64, bool), _>(&(&sa, n, flag));
        let kb = encode_to_vec::<(String, u64, bool), _>(&(&sb, n, !flag));
        check_prefixes::<(String, u64, bool), String>(&sa, &sb, &ka, &kb);
        let ka = encode_to_vec::<(Vec<u8>, String, u8, String), _>(&(sa.as_bytes(), &sb, 1u8, &sa));
        let kb = encode_to_vec::<(Vec<u8>, String, u8, String), _>(&(sb.as_bytes(), &sa, 2u8, &sb));
        check_prefixes::<(Vec<u8>, String, u8, String), Vec<u8>>(
            &sa.clone().into_bytes(),
            &sb.clone().into_bytes(),
            &ka,
            &kb,
        );
    }
}

#[test]
fn prefixes_of_the_extremes() {
    assert_eq!(encode_prefix_to_vec::<(u64, u32), _>(&0u64), [0; 8]);
    assert_eq!(encode_prefix_to_vec::<(String, u32), _>(""), [0, 0]);
    assert_eq!(
        encode_prefix_to_vec::<(String, u32), _>("\0"),
        [0, 0xFF, 0, 0]
    );
    // "" < "\0" as first elements, and the prefixes separate them.
    let (empty, nul) = (
        encode_prefix_to_vec::<(String, u32), _>(""),
        encode_prefix_to_vec::<(String, u32), _>("\0"),
    );
    assert_eq!(empty.cmp(&nul), Ordering::Less);
    assert!(!nul.starts_with(&empty));
}
