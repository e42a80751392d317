//! # User guide
//!
//! What the map guarantees when threads share it, how to hold guards, what memory it holds
//! back, and how it maps onto the collections you may be coming from.
//!
//! ## Guarantees under concurrency
//!
//! Every operation on one key is **linearizable**: it takes effect at one instant between its
//! call and its return, and all threads agree on the order of those instants for each key.
//! The checks in `cargo xtask verify` (linearizability checking of concurrent histories, loom
//! models, stress and soak runs) test exactly this.
//!
//! | operation | guarantee |
//! |---|---|
//! | `get`, `contains_key`, `get_key_value`, `get_many` | the value at some instant during the call; never blocks, takes no lock, writes no shared memory |
//! | `insert`, `remove`, `remove_entry` | atomic; the returned old value is the one replaced |
//! | `compute`, `update`, `update_or_insert(_with)`, `try_insert`, `get_or_insert_with`, `compare_exchange`, `remove_if` | atomic read-modify-write: the closure sees the current value and its decision is applied before any other write to the key; it runs exactly once, under the key's leaf lock |
//! | `range`, `iter`, `keys`, `values`, `prefix`, `prefix_range`, `scan`, `cursor`, `lower_bound`, `upper_bound`, `first`, `last` | keys come out strictly in order; a key present for the whole scan and inside the range is returned, a key absent for the whole scan is not, each value was the key's value at some instant during the scan. A scan is **not** a snapshot: keys written during it may or may not appear |
//! | `pop_first`, `pop_last` | each key is popped by exactly one caller |
//! | `retain`, `remove_range`, `extract_if`, `clear` | one atomic removal per key: a key present and matching for the whole call is removed, keys outside the range or not matching are untouched, keys written during the call may or may not be |
//! | `len`, `is_empty` | exact when no write runs; otherwise between the counts before and after the overlapping writes |
//! | `get_mut`, `for_each_mut`, `take`, `clear_mut` | `&mut self`: nothing else runs |
//!
//! **Closures passed to writes** (`compute`, `update`, `retain`'s predicate, …) run while the
//! key's leaf is locked. They may read the map. A write to the *same* map from inside one
//! panics with a clear message (it would wait for the lock its own thread holds); writes to
//! *other* maps work, and then their locks are yours to order, as with two `Mutex`es: a thread
//! writing map B from a closure on map A while another writes A from a closure on B can
//! deadlock. If a closure panics, the lock is released and the map is unchanged (the panic
//! propagates to the caller).
//!
//! ## How long to hold a guard
//!
//! References into the map (`&V`) live as long as the guard they were read through: a
//! [`MapRef`](crate::MapRef) from [`pin`](crate::MassTree::pin), or a guard from
//! [`guard`](crate::MassTree::guard). While a guard lives, nothing retired after it was
//! pinned (by any thread) can be freed. So:
//!
//! - pin per batch of work (a request, a loop iteration), not for the life of a thread;
//!   pinning costs a few nanoseconds (one fence);
//! - a long-lived handle (a worker loop, a struct field) calls
//!   [`MapRef::refresh`](crate::MapRef::refresh) between batches;
//! - in async code, use [`pin_owned`](crate::MassTree::pin_owned): its handle is `Send` and
//!   may be held across `.await`; pin it once per task or request (it costs more than `pin`).
//!   A `pin()` handle is not `Send`, so the compiler stops it from crossing an `.await` in a
//!   spawned task.
//!
//! ```
//! use masstree::MassTree;
//!
//! let map: MassTree<u64, String> = MassTree::new();
//! let mut m = map.pin();
//! for batch in 0..10u64 {
//!     for i in 0..100 {
//!         m.insert(i, format!("batch {batch}"));
//!     }
//!     m.refresh(); // the 100 replaced strings may be freed now
//! }
//! ```
//!
//! ## Memory held back
//!
//! A replaced or removed value is *retired*: dropped once no guard that could have read it is
//! alive. Each thread hands what it retired to reclamation after 1024 retirements, 1 MiB of
//! retired bytes the reclaimer can see, or 200 µs, whichever comes first, so large values are
//! not held back by the thousand. In practice the memory held back is a few batches per
//! writing thread plus whatever the longest-lived guard protects. To free now (after a burst
//! of writes, before a thread goes idle), call [`flush`](crate::MassTree::flush) outside any
//! guard. `clear_mut` and dropping the map free everything at once.
//!
//! ## Why `remove` returns a reference
//!
//! Another thread may be reading the value you remove, so it cannot be moved out to you: you
//! get `&V`, valid while your guard lives, and the value is dropped later, exactly once. With
//! exclusive access, [`take`](crate::MassTree::take) moves it out. When you need owned values
//! out of a shared map, store `Arc<V>`: cloning the `Arc` out of the reference is cheap, and
//! the value lives as long as any clone.
//!
//! ```
//! use masstree::MassTree;
//! use std::sync::Arc;
//!
//! let sessions: MassTree<u64, Arc<String>> = MassTree::new();
//! sessions.pin().insert(7, Arc::new("alice".to_string()));
//! let removed: Option<Arc<String>> = sessions.pin().remove(7).cloned();
//! // `removed` outlives the guard; the map's own reference is dropped by reclamation.
//! assert_eq!(removed.as_deref().map(String::as_str), Some("alice"));
//! ```
//!
//! ## The serde format
//!
//! With the `serde` feature a map serializes as a map in key order with decoded keys, as
//! `BTreeMap` does: a JSON object for string and integer keys, so documents written from a
//! `BTreeMap`, dashmap or papaya map of the same types load, and the other way round. Keys a
//! format cannot use as map keys (tuples or byte strings in JSON) fail there as they do for
//! `BTreeMap`; write such maps with `#[serde(with = "masstree::pairs")]`, a sequence of
//! `[key, value]` pairs, which the map's `Deserialize` also reads (as it does the sequence form
//! versions before 0.10 wrote).
//!
//! ## Coming from other maps
//!
//! **`BTreeMap` (or `RwLock<BTreeMap>`)**: the same order, the same names (`get`, `insert`,
//! `remove`, `range`, `first`/`last`, `pop_first`/`pop_last`, `retain`, `extract_if`), typed
//! keys, and `range(..)` works the same. The differences: methods take `&self` (share the map
//! in an `Arc`), reads go through a guard (`let m = map.pin();`), `insert` and `remove` return
//! `Option<&V>` rather than `Option<V>`, and there is no entry API: an entry would hold a leaf
//! lock across your code, so use [`compute`](crate::MassTree::compute) or the operations on it
//! (`update_or_insert`, `try_insert`, `get_or_insert_with`). `std`'s cursors become
//! [`cursor`](crate::MassTree::cursor), and `range(x..).next()` becomes
//! [`lower_bound`](crate::MassTree::lower_bound).
//!
//! **`crossbeam_skiplist::SkipMap`**: `SkipMap` hands out reference-counted `Entry`s; here
//! references are tied to a guard, which is cheaper (no count per read) but scoped.
//! `lower_bound`/`upper_bound` take a `Bound` as in `SkipMap`, and `get_or_insert_with`,
//! `remove`, `pop_front`/`pop_back` (`pop_first`/`pop_last` here), `clear(&self)` and `range`
//! have counterparts. Writes that `SkipMap` cannot make atomically (read-modify-write) are
//! `compute` here.
//!
//! **`scc::TreeIndex`**: `TreeIndex` has no in-place update (values are replaced by
//! remove-then-insert); here `update` and `compute` are atomic per key, `remove_range` and
//! `retain` cover its bulk removal, and scans take a guard the same way (`pin` here, scc's
//! `Guard`).
//!
//! **papaya / dashmap**: papaya's `pin`/`pin_owned`, `compute`/`Operation`/`Compute`,
//! `update_or_insert` and `try_insert`/`OccupiedError` have the same names and meaning here,
//! in key order; unlike dashmap, no shard lock is held while you hold a reference, so reading
//! never blocks writers.
