//! Values stored inline in the leaves (`InlineMassTree`): every small plain-data type round-trips,
//! concurrent updates are neither lost nor torn, and splits and layers under concurrent inserts
//! keep every value with its key.

use masstree::InlineMassTree;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn every_small_plain_data_type_round_trips() {
    let floats: InlineMassTree<str, f64> = InlineMassTree::default();
    floats.pin().insert("pi", core::f64::consts::PI);
    assert_eq!(floats.pin().get("pi"), Some(core::f64::consts::PI));

    let bytes: InlineMassTree<u32, [u8; 8]> = InlineMassTree::default();
    bytes.pin().insert(1, *b"\0\xffabcde\0");
    assert_eq!(bytes.pin().get(1), Some(*b"\0\xffabcde\0"));

    let small: InlineMassTree<u8, i8> = InlineMassTree::default();
    small.pin().insert(3, -1);
    assert_eq!(small.pin().update(3, |v| v - 1), Some(-2));

    // Zero is a value like any other (no "null" slot).
    let zeros: InlineMassTree<[u8], u64> = InlineMassTree::default();
    let m = zeros.pin();
    assert_eq!(m.insert(b"", 0), None);
    assert_eq!(m.get(b""), Some(0));
    assert_eq!(m.insert(b"", u64::MAX), Some(0));
    assert_eq!(m.remove(b""), Some(u64::MAX));
    assert_eq!(m.get(b""), None);

    let units: InlineMassTree<u64, ()> = (0..100u64).map(|i| (i, ())).collect();
    assert_eq!(units.len(), 100);
    assert_eq!(units.pin().get(42), Some(()));
}

#[test]
fn scans_pops_and_compare_exchange_hand_out_copies() {
    let map: InlineMassTree<u64, u64> = (0..1_000u64).map(|i| (i, i * 3)).collect();
    let m = map.pin();
    let sum: u64 = m.range(100..200).map(|(_, v)| v).sum();
    assert_eq!(sum, (100..200u64).map(|i| i * 3).sum());
    assert_eq!(m.iter().next_back(), Some((999, 2_997)));
    assert_eq!(m.pop_first(), Some((0, 0)));
    assert_eq!(m.compare_exchange(5, Some(&15), Some(1)), Ok(Some(15)));
    let err = m.compare_exchange(5, Some(&15), None).unwrap_err();
    assert_eq!(err.current, Some(1));
    assert_eq!(
        format!("{:?}", InlineMassTree::<u8, u8>::from_iter([(1u8, 2u8)])),
        "{1: 2}"
    );
}

/// Writers increment counters under the leaf lock while readers check that every value they see
/// is one some writer stored (no torn words, never going backwards), across splits caused by
/// concurrent inserts. At the end no increment is lost.
#[test]
fn concurrent_updates_are_neither_lost_nor_torn() {
    let keys: u64 = if cfg!(miri) { 20 } else { 2_000 };
    let rounds: u64 = if cfg!(miri) { 3 } else { 200 };
    let writers = 2;
    // Each value is `count * 0x0001_0000_0001`: both halves equal, so a torn word shows.
    const STEP: u64 = 0x0001_0000_0001;
    let map: Arc<InlineMassTree<u64, u64>> = Arc::new(InlineMassTree::default());
    for k in (0..keys).step_by(2) {
        map.pin().insert(k, 0);
    }
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (map, done) = (Arc::clone(&map), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut last = vec![0u64; keys as usize];
            while !done.load(Ordering::Acquire) {
                let m = map.pin();
                for (k, v) in m.iter() {
                    assert_eq!(v % STEP, 0, "torn value {v:#x} at key {k}");
                    assert!(
                        v >= last[k as usize],
                        "key {k} went back from {v} to {}",
                        last[k as usize]
                    );
                    last[k as usize] = v;
                }
            }
        })
    };
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let map = Arc::clone(&map);
            std::thread::spawn(move || {
                for round in 0..rounds {
                    let m = map.pin();
                    for k in 0..keys {
                        if k % 2 == 1 && round == 0 && k % writers == w {
                            m.insert(k, 0); // the odd keys arrive while others are updated
                        }
                        m.update(k, |v| v + STEP);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    done.store(true, Ordering::Release);
    reader.join().unwrap();
    let m = map.pin();
    for k in (0..keys).step_by(2) {
        assert_eq!(m.get(k), Some(rounds * writers * STEP), "even key {k}");
    }
    for k in (1..keys).step_by(2) {
        let v = m.get(k).unwrap();
        assert_eq!(v % STEP, 0);
        assert!(v <= rounds * writers * STEP, "odd key {k}: {v}");
    }
}

/// Keys with long shared prefixes force layers; concurrent inserts and removes force splits and
/// unlinks. Every value found must be the one its key was stored with.
#[test]
fn layers_and_splits_keep_values_with_their_keys() {
    let per_thread: u64 = if cfg!(miri) { 40 } else { 20_000 };
    let map: Arc<InlineMassTree<[u8], u64>> = Arc::new(InlineMassTree::default());
    let key = |i: u64| {
        let mut k = b"a shared prefix of some length/".to_vec();
        k.extend_from_slice(&(i % 7).to_be_bytes());
        k.extend_from_slice(&i.to_be_bytes());
        k
    };
    let value = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let handles: Vec<_> = (0..2u64)
        .map(|t| {
            let map = Arc::clone(&map);
            std::thread::spawn(move || {
                let m = map.pin();
                for i in (t..2 * per_thread).step_by(2) {
                    m.insert(key(i), value(i));
                    if i % 3 == 0 {
                        assert_eq!(m.remove(key(i)), Some(value(i)));
                    }
                    let j = i / 2;
                    if let Some(v) = m.get(key(j)) {
                        assert_eq!(v, value(j), "key {j}");
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let Ok(mut map) = Arc::try_unwrap(map) else {
        panic!("the threads are done");
    };
    let expected = (0..2 * per_thread).filter(|i| i % 3 != 0).count();
    assert_eq!(map.check_invariants().unwrap().keys, expected);
    let m = map.pin();
    for i in 0..2 * per_thread {
        assert_eq!(m.get(key(i)), (i % 3 != 0).then(|| value(i)), "key {i}");
    }
}
