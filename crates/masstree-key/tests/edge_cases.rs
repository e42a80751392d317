//! Table-driven unit tests of edge cases.

use core::cmp::Ordering;

use masstree_key::{
    KEYLEN_SUFFIX, KeyBuilder, KeyCursor, SLICE_LEN, compare_entries, ikey_of, keylen_class,
};

/// One row: a key and what its depth-0 cursor must report, plus the depth it
/// ends at.
struct Row {
    key: &'static [u8],
    ikey: u64,
    keylen: u8,
    suffix: &'static [u8],
    final_depth: usize,
}

const ROWS: &[Row] = &[
    Row {
        key: b"",
        ikey: 0,
        keylen: 0,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"\0",
        ikey: 0,
        keylen: 1,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"\xff",
        ikey: 0xFF00_0000_0000_0000,
        keylen: 1,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"ab",
        ikey: 0x6162_0000_0000_0000,
        keylen: 2,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"ab\0",
        ikey: 0x6162_0000_0000_0000,
        keylen: 3,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"\0\0\0\0\0\0\0\0",
        ikey: 0,
        keylen: 8,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"\xff\xff\xff\xff\xff\xff\xff\xff",
        ikey: u64::MAX,
        keylen: 8,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"01234567",
        ikey: 0x3031_3233_3435_3637,
        keylen: 8,
        suffix: b"",
        final_depth: 0,
    },
    Row {
        key: b"012345678",
        ikey: 0x3031_3233_3435_3637,
        keylen: KEYLEN_SUFFIX,
        suffix: b"8",
        final_depth: 1,
    },
    Row {
        key: b"0123456789abcdef",
        ikey: 0x3031_3233_3435_3637,
        keylen: KEYLEN_SUFFIX,
        suffix: b"89abcdef",
        final_depth: 1,
    },
    Row {
        key: b"0123456789abcdefg",
        ikey: 0x3031_3233_3435_3637,
        keylen: KEYLEN_SUFFIX,
        suffix: b"89abcdefg",
        final_depth: 2,
    },
    Row {
        key: b"\0\0\0\0\0\0\0\0\0",
        ikey: 0,
        keylen: KEYLEN_SUFFIX,
        suffix: b"\0",
        final_depth: 1,
    },
    Row {
        key: &[0xFF; 24],
        ikey: u64::MAX,
        keylen: KEYLEN_SUFFIX,
        suffix: &[0xFF; 16],
        final_depth: 2,
    },
    Row {
        key: &[0xFF; 25],
        ikey: u64::MAX,
        keylen: KEYLEN_SUFFIX,
        suffix: &[0xFF; 17],
        final_depth: 3,
    },
];

#[test]
fn cursor_table() {
    for row in ROWS {
        let mut c = KeyCursor::new(row.key);
        assert_eq!(c.ikey(), row.ikey, "ikey of {:?}", row.key);
        assert_eq!(ikey_of(row.key), row.ikey, "ikey_of {:?}", row.key);
        assert_eq!(c.keylen(), row.keylen, "keylen of {:?}", row.key);
        assert_eq!(c.suffix(), row.suffix, "suffix of {:?}", row.key);
        assert_eq!(c.has_suffix(), row.keylen == KEYLEN_SUFFIX);
        assert_eq!(c.slice_len(), row.key.len().min(SLICE_LEN));
        while c.shift() {}
        assert_eq!(c.depth(), row.final_depth, "final depth of {:?}", row.key);
        assert!(c.keylen() <= 8);
        // A key that exactly fills its last slice stays there with keylen 8.
        if !row.key.is_empty() && row.key.len() % SLICE_LEN == 0 {
            assert_eq!(c.keylen(), 8, "{:?}", row.key);
        }
    }
}

/// Pairs in strictly increasing order.
const ASCENDING: &[(&[u8], &[u8])] = &[
    (b"", b"\0"),
    (b"", b"\x01"),
    (b"\0", b"\0\0"),
    (b"ab", b"ab\0"),
    (b"ab\0", b"ab\x01"),
    (b"ab\xff", b"ac"),
    (b"a\xff\xff\xff\xff\xff\xff\xff", b"b"),
    (b"\0\0\0\0\0\0\0", b"\0\0\0\0\0\0\0\0"),
    (b"\0\0\0\0\0\0\0\0", b"\0\0\0\0\0\0\0\0\0"),
    (b"01234567", b"01234567\0"),
    (b"01234567\xff", b"01234568"),
    (b"0123456789abcdef", b"0123456789abcdef\0"),
    (b"0123456789abcdefA", b"0123456789abcdefB"),
    (b"0123456789abcdef01234567A", b"0123456789abcdef01234567B"),
    (
        b"\xff\xff\xff\xff\xff\xff\xff\xff",
        b"\xff\xff\xff\xff\xff\xff\xff\xff\0",
    ),
];

fn tree_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut ca, mut cb) = (KeyCursor::new(a), KeyCursor::new(b));
    loop {
        match ca.compare_slot(cb.ikey(), cb.keylen()) {
            Ordering::Equal if ca.keylen() == KEYLEN_SUFFIX => {
                ca.shift();
                cb.shift();
            }
            order => return order,
        }
    }
}

fn entries_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (ca, cb) = (KeyCursor::new(a), KeyCursor::new(b));
    compare_entries(
        ca.ikey(),
        ca.keylen(),
        ca.suffix(),
        cb.ikey(),
        cb.keylen(),
        cb.suffix(),
    )
}

#[test]
fn ordering_table() {
    for &(lo, hi) in ASCENDING {
        assert!(lo < hi, "table row out of order: {lo:?} {hi:?}");
        assert_eq!(tree_cmp(lo, hi), Ordering::Less, "{lo:?} < {hi:?}");
        assert_eq!(tree_cmp(hi, lo), Ordering::Greater, "{hi:?} > {lo:?}");
        assert_eq!(entries_cmp(lo, hi), Ordering::Less, "{lo:?} < {hi:?}");
        assert_eq!(entries_cmp(hi, lo), Ordering::Greater, "{hi:?} > {lo:?}");
        assert_eq!(tree_cmp(lo, lo), Ordering::Equal);
        assert_eq!(entries_cmp(hi, hi), Ordering::Equal);
    }
}

#[test]
fn compare_entries_ignores_suffixes_unless_both_go_on() {
    let k = ikey_of(b"abc");
    assert_eq!(compare_entries(k, 3, b"x", k, 3, b"y"), Ordering::Equal);
    assert_eq!(
        compare_entries(k, 8, b"zz", k, KEYLEN_SUFFIX, b""),
        Ordering::Less
    );
    assert_eq!(
        compare_entries(k, KEYLEN_SUFFIX, b"a", k, KEYLEN_SUFFIX, b"b"),
        Ordering::Less
    );
    assert_eq!(compare_entries(k, 2, b"", k + 1, 0, b""), Ordering::Less);
}

#[test]
fn extreme_arguments_do_not_panic() {
    assert_eq!(keylen_class(usize::MAX), KEYLEN_SUFFIX);
    assert_eq!(keylen_class(256), KEYLEN_SUFFIX);
    assert_eq!(keylen_class(264), KEYLEN_SUFFIX);

    let mut b = KeyBuilder::new();
    b.set_slice(usize::MAX, u64::MAX, usize::MAX);
    assert_eq!(b.as_bytes(), &[0xFF; 8]);
    b.truncate_to_depth(usize::MAX);
    assert_eq!(b.len(), 8);
    b.set_slice(3, 0x0102_0304_0506_0708, 2);
    assert_eq!(
        b.as_bytes(),
        &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2]
    );
    b.set_slice(0, 0, 0);
    assert!(b.is_empty());

    let mut c = KeyCursor::new(b"");
    assert!(!c.shift());
    assert!(!c.unshift());
    assert_eq!((c.remaining(), c.suffix()), (&b""[..], &b""[..]));
}
