//! Memory stays bounded under insert/remove churn: emptied leaves are unlinked, emptied layers
//! removed, and the structure returns to a small size after every round.

use masstree::MassTree;
use std::sync::Arc;
use std::thread;

fn long_key(i: u64) -> Vec<u8> {
    // Two shared slices, then the distinguishing bytes: every key lives two layers down.
    let mut k = b"tenant:0042/object:".to_vec();
    k.extend_from_slice(&i.to_be_bytes());
    k
}

#[test]
fn fill_and_empty_rounds_stay_bounded() {
    let n: u64 = if cfg!(miri) { 120 } else { 20_000 };
    let rounds = if cfg!(miri) { 2 } else { 20 };
    let mut map = MassTree::<[u8], _>::new();
    let mut peak = 0;
    for round in 0..rounds {
        // The key range shifts every round (queue-like), so nothing is reused by accident.
        let base = round * n;
        {
            let m = map.pin();
            for i in base..base + n {
                m.insert(i.to_be_bytes(), i);
                m.insert(long_key(i), i);
            }
        }
        let full = map.check_invariants().unwrap();
        assert_eq!(full.keys as u64, 2 * n);
        peak = peak.max(full.leaves + full.internodes);
        {
            let m = map.pin();
            for i in base..base + n {
                assert_eq!(m.remove(i.to_be_bytes()), Some(&i));
                assert_eq!(m.remove(long_key(i)), Some(&i));
            }
        }
        let empty = map.check_invariants().unwrap();
        assert_eq!(empty.keys, 0);
        // Layers of removed long keys are gone; what stays are the leaves that must stay (the
        // leftmost leaf of layer 0 and only-children of internodes), a small fraction.
        assert_eq!(
            empty.layers, 1,
            "round {round}: empty layers were not removed"
        );
        assert!(
            empty.leaves + empty.internodes <= full.leaves / 4 + 8,
            "round {round}: {empty:?} after emptying {full:?}"
        );
    }
    let last = map.check_invariants().unwrap();
    assert!(
        last.leaves + last.internodes <= peak,
        "structure grew across rounds: {last:?}"
    );
}

#[test]
fn concurrent_churn_collapses_and_stays_consistent() {
    let threads = if cfg!(miri) { 2 } else { 4 };
    let n: u64 = if cfg!(miri) { 60 } else { 5_000 };
    let map = Arc::new(MassTree::<[u8], _>::new());
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let map = Arc::clone(&map);
            thread::spawn(move || {
                for round in 0..if cfg!(miri) { 1 } else { 5 } {
                    let m = map.pin();
                    let keys: Vec<Vec<u8>> = (0..n)
                        .map(|i| {
                            let mut k = long_key(i * threads as u64 + t as u64);
                            k.push(round as u8);
                            k
                        })
                        .collect();
                    for k in &keys {
                        assert!(m.insert(k, t).is_none());
                    }
                    for k in &keys {
                        assert_eq!(m.get(k), Some(&t));
                        assert_eq!(m.remove(k), Some(&t));
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut map = Arc::try_unwrap(map).ok().unwrap();
    let stats = map.check_invariants().unwrap();
    assert_eq!(stats.keys, 0);
    assert_eq!(stats.layers, 1, "{stats:?}");
}
