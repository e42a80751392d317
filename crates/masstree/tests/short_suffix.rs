//! Suffixes of up to 8 bytes (the bytes past a key's slice) are kept as one word and a length
//! in the leaf's short-suffix table; longer ones in allocations of their own. Keys that differ
//! only in trailing zero bytes have the same zero-padded word, so only the length tells them
//! apart; keys around the 8/9-byte boundary switch representation. Each must stay its own key
//! through inserts, splits, layer creation, removal, slot reuse and scans.

use masstree::MassTree;

/// A shared 8-byte slice followed by `tail`.
fn key(slice: u64, tail: &[u8]) -> Vec<u8> {
    let mut k = slice.to_be_bytes().to_vec();
    k.extend_from_slice(tail);
    k
}

/// Tails that a zero-padded word cannot tell apart without the length, and tails on both
/// sides of the short/long boundary.
fn tails() -> Vec<Vec<u8>> {
    let mut tails = Vec::new();
    for len in 1..=10 {
        tails.push(vec![0u8; len]);
        let mut t = vec![0u8; len];
        t[0] = b'a';
        tails.push(t);
    }
    tails.push(b"\xff\xff\xff\xff\xff\xff\xff\xff".to_vec());
    tails.push(b"\xff\xff\xff\xff\xff\xff\xff\xff\x00".to_vec());
    tails
}

#[test]
fn trailing_zeros_and_the_short_long_boundary_keep_keys_apart() {
    let tails = tails();
    let mut map: MassTree<[u8], u64> = MassTree::new();
    let mut expected = std::collections::BTreeMap::new();
    {
        let m = map.pin();
        // One key per slice first (each slot holds its suffix directly), then every tail on
        // slice 0 (which turns its slot into a layer), then enough slices to split leaves.
        for (i, tail) in tails.iter().enumerate() {
            let k = key(1000 + i as u64, tail);
            m.insert(k.clone(), i as u64);
            expected.insert(k, i as u64);
        }
        for (i, tail) in tails.iter().enumerate() {
            let k = key(0, tail);
            m.insert(k.clone(), 100 + i as u64);
            expected.insert(k, 100 + i as u64);
        }
        for s in 0..200u64 {
            let k = key(2000 + s, &tails[(s as usize) % tails.len()]);
            m.insert(k.clone(), 500 + s);
            expected.insert(k, 500 + s);
        }
        for (k, v) in &expected {
            assert_eq!(m.get(k.as_slice()), Some(v), "key {k:?}");
        }
        // Absent: every tail on a slice that holds one other tail.
        for i in 0..tails.len() {
            for (j, other) in tails.iter().enumerate() {
                if i != j {
                    assert_eq!(m.get(key(1000 + i as u64, other).as_slice()), None);
                }
            }
        }
        let scanned: Vec<(Vec<u8>, u64)> = m.iter().map(|(k, v)| (k.to_vec(), *v)).collect();
        let want: Vec<(Vec<u8>, u64)> = expected.iter().map(|(k, v)| (k.clone(), *v)).collect();
        assert_eq!(scanned, want, "a scan builds every key from its suffix");
    }
    map.check_invariants().unwrap();
}

/// Removing a key frees its slot; the next insert into the leaf reuses it with another suffix
/// of the same slice, short or long, which must not bring the removed key back (nor leave the
/// old short suffix standing in for a new long one).
#[test]
fn a_reused_slot_takes_the_new_suffix_only() {
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..15u64 {
            m.insert(key(i, b"old"), i);
        }
        let new_tail = |i: u64| -> &'static [u8] {
            if i.is_multiple_of(2) {
                b"new"
            } else {
                b"new and longer"
            }
        };
        for i in 0..15u64 {
            assert_eq!(m.remove(key(i, b"old").as_slice()), Some(&i));
            m.insert(key(i, new_tail(i)), 100 + i);
        }
        for i in 0..15u64 {
            assert_eq!(
                m.get(key(i, b"old").as_slice()),
                None,
                "removed key {i} came back"
            );
            assert_eq!(m.get(key(i, new_tail(i)).as_slice()), Some(&(100 + i)));
        }
        let scanned: Vec<Vec<u8>> = m.iter().map(|(k, _)| k.to_vec()).collect();
        let want: Vec<Vec<u8>> = (0..15u64).map(|i| key(i, new_tail(i))).collect();
        assert_eq!(scanned, want);
    }
    map.check_invariants().unwrap();
}

/// A key of `prefix`, then `i` as 8 bytes, then `tail`: 16 bytes past the prefix's slice with
/// a short suffix when `tail` is at most 8 bytes.
fn layered(prefix: &[u8; 8], i: u64, tail: &[u8]) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(&i.to_be_bytes());
    k.extend_from_slice(tail);
    k
}

/// Leaves allocated with their short-suffix table in one block (a new layer for keys with
/// short suffixes, and the halves its splits make) are freed whole on every path: a layer
/// root that split, dropped with the map; a half emptied and unlinked; a layer emptied and
/// removed (its block root retired); `clear`. Under miri, a block freed through a pointer
/// that covers only its leaf, or with the layout of a lone leaf, is undefined behaviour.
#[test]
fn leaves_with_their_table_in_the_block_are_freed_on_every_path() {
    blocks_are_freed_on_every_path(|i| {
        [&b"short"[..], b"tail", b"x", b"y"][i as usize % 4].to_vec()
    });
}

/// The same for blocks with the long-suffix table (tails of more than 8 bytes), and with both
/// tables (short and long tails in one layer): the long suffixes in a block's table are freed
/// with it, once (miri reports a leak or a double free otherwise).
#[test]
fn leaves_with_their_long_table_in_the_block_are_freed_on_every_path() {
    blocks_are_freed_on_every_path(|i| format!("a long tail, number {i}").into_bytes());
    blocks_are_freed_on_every_path(|i| {
        if i % 2 == 0 {
            b"tail".to_vec()
        } else {
            format!("a long tail, number {i}").into_bytes()
        }
    });
}

/// Builds and frees block leaves on every path, with `tail(i)` after key `i`'s sublayer slice.
fn blocks_are_freed_on_every_path(tail: impl Fn(u64) -> Vec<u8>) {
    let key = |prefix: &[u8; 8], i: u64| layered(prefix, i, &tail(i));
    // A layer whose first leaf splits (it becomes an internode's left child), dropped.
    let map: MassTree<[u8], u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..60u64 {
            m.insert(key(b"layer-aa", i), i);
        }
        for i in 0..60u64 {
            assert_eq!(m.get(key(b"layer-aa", i).as_slice()), Some(&i));
        }
    }
    drop(map);

    // A split half emptied and unlinked, then the whole layer emptied and removed.
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let m = map.pin();
        for i in 0..40u64 {
            m.insert(key(b"layer-bb", i), i);
        }
        for i in (0..40u64).rev() {
            assert_eq!(m.remove(key(b"layer-bb", i).as_slice()), Some(&i));
        }
        assert!(m.is_empty());
        // Two keys in a fresh layer (its root a block leaf), both removed: the layer goes.
        m.insert(key(b"layer-cc", 1), 1);
        m.insert(key(b"layer-cc", 2), 2);
        assert_eq!(m.remove(key(b"layer-cc", 1).as_slice()), Some(&1));
        assert_eq!(m.remove(key(b"layer-cc", 2).as_slice()), Some(&2));
        assert!(m.is_empty());
        for i in 0..20u64 {
            m.insert(key(b"layer-dd", i), i);
        }
    }
    map.check_invariants().unwrap();
    map.clear();
    assert!(map.is_empty());
}
