//! Writers and readers on one tree: stable keys never go missing, values are never torn (each
//! encodes its key), scans stay strictly increasing, and at the end the tree holds exactly what
//! the writers left.

use olc_btree::OlcBTree;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

/// The value stored under `key` in round `round`: a reader checks the key part.
fn value(key: u64, round: u64) -> u64 {
    (key << 20) | (round & 0xF_FFFF)
}

fn run(threads: u64, per_thread: u64, rounds: u64) {
    let tree: Arc<OlcBTree<u64>> = Arc::new(OlcBTree::new());
    // Stable keys (multiples of 1000) never change.
    {
        let guard = tree.pin();
        for k in (0..threads * per_thread).step_by(1000) {
            tree.insert(k, value(k, 0), &guard);
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (tree, stop) = (Arc::clone(&tree), Arc::clone(&stop));
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let guard = tree.pin();
                    for k in (0..threads * per_thread).step_by(1000) {
                        let v = tree.get(k, &guard).copied();
                        assert_eq!(
                            v.map(|v| v >> 20),
                            Some(k),
                            "stable key {k} missing or torn"
                        );
                    }
                    let mut last = None;
                    tree.scan(0, &guard, |k, v| {
                        assert!(last < Some(k), "scan not increasing: {last:?} then {k}");
                        assert_eq!(*v >> 20, k, "torn value in a scan");
                        last = Some(k);
                        ControlFlow::Continue(())
                    });
                }
            })
        })
        .collect();
    let writers: Vec<_> = (0..threads)
        .map(|t| {
            let tree = Arc::clone(&tree);
            thread::spawn(move || {
                for round in 1..=rounds {
                    let guard = tree.pin();
                    // Interleaved stripes, so writers split the same leaves.
                    for i in 0..per_thread {
                        let k = i * threads + t;
                        if k.is_multiple_of(1000) {
                            continue;
                        }
                        tree.insert(k, value(k, round), &guard);
                    }
                    for i in (0..per_thread).step_by(3) {
                        let k = i * threads + t;
                        if !k.is_multiple_of(1000) {
                            assert!(tree.remove(k, &guard).is_some());
                        }
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    thread::sleep(Duration::from_millis(20));
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    let guard = tree.pin();
    let total = threads * per_thread;
    for k in 0..total {
        let t = k % threads;
        let i = k / threads;
        let expect = if k % 1000 == 0 {
            Some(value(k, 0))
        } else if i.is_multiple_of(3) {
            None
        } else {
            Some(value(k, rounds))
        };
        assert_eq!(tree.get(k, &guard).copied(), expect, "key {k} (writer {t})");
    }
}

#[test]
fn concurrent_writers_and_readers() {
    if cfg!(miri) {
        run(2, 40, 2);
    } else {
        run(4, 5_000, 3);
    }
}

#[test]
#[ignore = "stress: run by `cargo xtask verify` (stress step, release)"]
fn concurrent_writers_and_readers_long() {
    run(6, 200_000, 10);
}
