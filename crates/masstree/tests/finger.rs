//! A handle's writer finger (`MapRef::insert` of rising keys starts at the leaf of the handle's
//! previous append): it must follow the leaf when the leaf splits, is unlinked by another
//! handle's removals, or is refreshed away, and never put a key where readers cannot find it.

use masstree::MassTree;
use std::sync::Arc;
use std::thread;

fn key(i: u64) -> [u8; 8] {
    i.to_be_bytes()
}

/// Rising inserts through one handle, interleaved with another handle's inserts into the same
/// leaves (which split them under the finger), keep every key findable and the tree valid.
#[test]
fn rising_inserts_follow_splits_by_other_handles() {
    const ROUNDS: u64 = if cfg!(miri) { 150 } else { 2_000 };
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let rising = map.pin();
        let other = map.pin();
        for i in 0..ROUNDS {
            rising.insert(key(i * 2), i * 2);
            // Odd keys below the finger's leaf end land in it and split it.
            if i % 3 == 0 && i > 0 {
                other.insert(key(i * 2 - 1), i * 2 - 1);
            }
        }
        for i in 0..ROUNDS {
            assert_eq!(rising.get(key(i * 2)), Some(&(i * 2)), "key {}", i * 2);
        }
    }
    map.check_invariants().expect("valid tree");
}

/// The finger's leaf emptied and unlinked by another handle: the next rising insert through
/// the first handle must not go into the unlinked leaf.
#[test]
fn finger_leaf_unlinked_by_another_handle() {
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let rising = map.pin();
        for i in 800..1_000u64 {
            rising.insert(key(i), i);
        }
        // The last leaves, the finger's among them, emptied: unlinked (the left neighbour's
        // range now runs to the end). The first insert below lies in the finger's old range.
        let other = map.pin();
        for i in 900..1_000u64 {
            assert_eq!(other.remove(key(i)), Some(&i));
        }
        for i in [995u64, 996, 999, 1_000, 950, 5_000] {
            rising.insert(key(i), i);
            assert_eq!(
                other.get(key(i)),
                Some(&i),
                "key {i} after its leaf was unlinked"
            );
        }
        assert_eq!(map.len(), 106);
    }
    map.check_invariants().expect("valid tree");
}

/// A refreshed handle forgets its finger: the leaf it named may be freed by the refresh (a
/// one-entry reclamation batch frees retired leaves as soon as no guard protects them), and
/// the next rising insert into that leaf's old range must not touch it (miri and ASan see a
/// use after free if it does).
#[test]
fn refresh_forgets_the_finger() {
    use masstree::reclaim::SeizeReclaim;
    let mut map: MassTree<[u8], u64> = MassTree::from_reclaimer(SeizeReclaim::with_batch_size(1));
    {
        let mut rising = map.pin();
        for round in 0..(if cfg!(miri) { 2 } else { 50 }) {
            let base = round * 1_000;
            for i in 0..100 {
                rising.insert(key(base + i), i);
            }
            // The finger's leaf (the last one) emptied: unlinked and retired.
            for i in 60..100 {
                rising.remove(key(base + i));
            }
            rising.refresh();
            // Highest first: the first key lies in the old finger leaf's range.
            for i in (60..100).rev() {
                rising.insert(key(base + i), i);
            }
            let range = key(base)..key(base + 100);
            assert_eq!(rising.range(&range.start[..]..&range.end[..]).count(), 100);
        }
    }
    map.check_invariants().expect("valid tree");
}

/// Handles of several threads insert rising keys in ranges of their own while another thread
/// empties and refills the start of each range (unlinking leaves around the fingers).
#[test]
fn concurrent_rising_inserts_with_unlinks() {
    const PER: u64 = if cfg!(miri) { 60 } else { 20_000 };
    let map: Arc<MassTree<[u8], u64>> = Arc::new(MassTree::new());
    let writers: Vec<_> = (0..2u64)
        .map(|t| {
            let map = Arc::clone(&map);
            thread::spawn(move || {
                let m = map.pin();
                for i in 0..PER {
                    let k = t * 1_000_000 + i;
                    m.insert(key(k), k);
                }
            })
        })
        .collect();
    let churn = {
        let map = Arc::clone(&map);
        thread::spawn(move || {
            for round in 0..(if cfg!(miri) { 1 } else { 20 }) {
                let m = map.pin();
                for t in 0..2u64 {
                    // Keys just past each writer's range, inserted then removed again.
                    let base = t * 1_000_000 + PER + 1_000 * round;
                    for i in 0..100 {
                        m.insert(key(base + i), 0);
                    }
                    for i in 0..100 {
                        m.remove(key(base + i));
                    }
                }
            }
        })
    };
    for w in writers {
        w.join().unwrap();
    }
    churn.join().unwrap();
    let m = map.pin();
    for t in 0..2u64 {
        for i in 0..PER {
            let k = t * 1_000_000 + i;
            assert_eq!(m.get(key(k)), Some(&k), "key {k}");
        }
    }
    assert_eq!(map.len() as u64, 2 * PER);
    drop(m);
    let mut map = Arc::into_inner(map).expect("threads joined");
    map.check_invariants().expect("valid tree");
}

/// A finger left far behind (other handles split its leaf many times since): the next insert
/// through the handle must not walk the leaf chain to the key, nor land in a leaf that does
/// not own it; it descends, and the handle keeps working (updates included, which never move
/// the finger).
#[test]
fn finger_far_behind_the_key_descends() {
    let n: u64 = if cfg!(miri) { 300 } else { 20_000 };
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let stale = map.pin();
        stale.insert(key(0), 0);
        let other = map.pin();
        for i in 1..n {
            other.insert(key(i), i);
        }
        for round in 0..3 {
            stale.insert(key(n - 1), round);
            stale.insert(key(n / 2), round);
            stale.insert(key(n + round), round);
        }
        assert_eq!(other.get(key(n - 1)), Some(&2));
        assert_eq!(other.get(key(n / 2)), Some(&2));
        assert_eq!(map.len() as u64, n + 3);
    }
    map.check_invariants().expect("valid tree");
}

/// One owned handle shared by two threads inserting rising keys in ranges of their own: the
/// finger they share is torn and overwritten all the time, and is only ever a hint.
#[test]
fn shared_owned_handle_rising_inserts() {
    let per: u64 = if cfg!(miri) { 80 } else { 20_000 };
    let mut map: MassTree<[u8], u64> = MassTree::new();
    {
        let shared = map.pin_owned();
        thread::scope(|s| {
            for t in 0..2u64 {
                let shared = &shared;
                s.spawn(move || {
                    for i in 0..per {
                        let k = t * 1_000_000 + i;
                        shared.insert(key(k), k);
                    }
                });
            }
        });
        for t in 0..2u64 {
            for i in 0..per {
                let k = t * 1_000_000 + i;
                assert_eq!(shared.get(key(k)), Some(&k), "key {k}");
            }
        }
    }
    assert_eq!(map.len() as u64, 2 * per);
    map.check_invariants().expect("valid tree");
}
