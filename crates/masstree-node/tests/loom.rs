//! Loom models of the node-level protocols, over the real types (their atomics come from
//! `masstree_node::sync`, which is loom's under `--cfg loom`).
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test --release -p masstree-node --test loom`
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use masstree_node::sync::{AtomicBool, AtomicU64, Ordering};
use masstree_node::{Leaf, NodeVersion, Permutation};

/// Data guarded by a version: two words a writer always sets equal.
struct Guarded {
    version: NodeVersion,
    a: AtomicU64,
    b: AtomicU64,
    /// Incremented with a plain load + store under the lock: lost updates mean the lock failed.
    count: AtomicU64,
}

fn write(g: &Guarded, value: u64) {
    let lock = g.version.lock();
    lock.mark_insert();
    g.a.store(value, Ordering::Relaxed);
    g.b.store(value, Ordering::Relaxed);
    let c = g.count.load(Ordering::Relaxed);
    g.count.store(c + 1, Ordering::Relaxed);
}

/// Model 1: two writers contend for the lock while a reader validates with
/// `stable()`/`has_changed()`; the reader never accepts a torn pair, and no update is lost.
#[test]
fn contended_lock_and_validated_read() {
    loom::model(|| {
        let g = Arc::new(Guarded {
            version: NodeVersion::new(true, true),
            a: AtomicU64::new(0),
            b: AtomicU64::new(0),
            count: AtomicU64::new(0),
        });
        let writers: Vec<_> = [1u64, 2]
            .into_iter()
            .map(|value| {
                let g = g.clone();
                thread::spawn(move || write(&g, value))
            })
            .collect();

        let v = g.version.stable();
        let a = g.a.load(Ordering::Relaxed);
        let b = g.b.load(Ordering::Relaxed);
        if !g.version.has_changed(v) {
            assert_eq!(a, b, "validated read saw a torn pair");
        }

        for w in writers {
            w.join().unwrap();
        }
        assert_eq!(g.count.load(Ordering::Relaxed), 2, "lock lost an update");
        let end = g.version.stable();
        assert_eq!(end.change_count(), 2);
        assert!(!end.is_locked());
    });
}

/// Model 2: a reader racing an insert that publishes through the permutation sees the old state
/// (one key) or the new state (two keys, in order, with complete slots), never a mix.
#[test]
fn insert_publishes_through_permutation() {
    loom::model(|| {
        let leaf = Arc::new(Leaf::new(0, true));
        let old_value = 0x1000 as *mut ();
        let new_value = 0x2000 as *mut ();
        {
            let lock = leaf.version().lock();
            let mut p = leaf.permutation();
            let s = p.back();
            leaf.set_slot(&lock, s, 20, 2, old_value);
            p.insert_from_back(0);
            leaf.set_permutation(&lock, p);
        }

        let writer = {
            let leaf = leaf.clone();
            thread::spawn(move || {
                let lock = leaf.version().lock();
                let mut p = leaf.permutation();
                let s = p.back();
                // A free slot: no dirty bit; the permutation store publishes it.
                leaf.set_slot(&lock, s, 10, 1, new_value);
                p.insert_from_back(0);
                leaf.set_permutation(&lock, p);
            })
        };

        // Loom switches threads at stores, RMWs, fences and yields: let the writer run any
        // prefix of its steps before this reader.
        thread::yield_now();
        let p: Permutation = leaf.permutation();
        let seen: Vec<(u64, u8, usize)> = p
            .iter()
            .map(|s| (leaf.ikey(s), leaf.keylen(s), leaf.value(s) as usize))
            .collect();
        match seen.len() {
            1 => assert_eq!(seen, vec![(20, 2, 0x1000)]),
            2 => assert_eq!(seen, vec![(10, 1, 0x2000), (20, 2, 0x1000)]),
            n => panic!("reader saw {n} keys"),
        }
        writer.join().unwrap();
        assert_eq!(leaf.permutation().len(), 2);
    });
}

/// Model 3: a writer that changes a *published* slot (value and key class together, as layer
/// creation does) sets `INSERTING` first; a reader that validates never accepts half of it.
#[test]
fn dirty_update_of_published_slot_is_never_accepted_torn() {
    loom::model(|| {
        let leaf = Arc::new(Leaf::new(0, true));
        let slot = {
            let lock = leaf.version().lock();
            let mut p = leaf.permutation();
            let s = p.back();
            leaf.set_slot(&lock, s, 5, 9, 0x1000 as *mut ());
            p.insert_from_back(0);
            leaf.set_permutation(&lock, p);
            s
        };
        let writer = {
            let leaf = leaf.clone();
            thread::spawn(move || {
                let lock = leaf.version().lock();
                lock.mark_insert();
                leaf.set_keylen(&lock, slot, 10);
                leaf.set_value(&lock, slot, 0x2000 as *mut ());
            })
        };
        thread::yield_now();
        let v = leaf.version().stable();
        let keylen = leaf.keylen(slot);
        let value = leaf.value(slot) as usize;
        if !leaf.version().has_changed(v) {
            assert!(
                (keylen, value) == (9, 0x1000) || (keylen, value) == (10, 0x2000),
                "accepted torn slot ({keylen}, {value:#x})"
            );
        }
        writer.join().unwrap();
    });
}

/// Model 4: a slot freed by one writer's removal and refilled by *another* writer: a reader
/// holding the permutation from before the removal never accepts the new key paired with the
/// old value. Fails without the release fence taken with the lock (`NodeVersion::lock`).
#[test]
fn slot_refilled_by_another_writer_is_never_accepted_torn() {
    let mut builder = loom::model::Builder::new();
    builder.max_branches = 1_000_000;
    builder.check(|| {
        let leaf = Arc::new(Leaf::new(0, true));
        {
            let lock = leaf.version().lock();
            leaf.set_slot(&lock, 0, 10, 8, 10 as *mut ());
            leaf.set_slot(&lock, 1, 20, 8, 20 as *mut ());
            leaf.set_permutation(&lock, Permutation::sorted(2));
        }
        let removed = Arc::new(AtomicBool::new(false));
        let remover = {
            let (leaf, removed) = (leaf.clone(), removed.clone());
            thread::spawn(move || {
                let lock = leaf.version().lock();
                lock.mark_insert();
                let mut p = leaf.permutation();
                p.remove(0);
                leaf.set_permutation(&lock, p);
                drop(lock);
                removed.store(true, Ordering::Release);
            })
        };
        let refiller = {
            let (leaf, removed) = (leaf.clone(), removed.clone());
            thread::spawn(move || {
                while !removed.load(Ordering::Acquire) {
                    thread::yield_now();
                }
                let lock = leaf.version().lock();
                leaf.set_slot(&lock, 0, 15, 8, 15 as *mut ());
                leaf.set_permutation(&lock, Permutation::sorted(2));
            })
        };
        let v = leaf.version().stable();
        let slot = leaf.permutation().get(0);
        let ikey = leaf.ikey(slot);
        let value = leaf.value(slot) as usize as u64;
        if !leaf.version().has_changed(v) {
            assert_eq!(
                ikey, value,
                "validated read paired ikey {ikey} with value {value}"
            );
        }
        remover.join().unwrap();
        refiller.join().unwrap();
    });
}
