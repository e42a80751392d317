//! A concurrent ordered map: Masstree, a trie of B+trees over 8-byte key slices.
//!
//! [`MassTree`] maps byte strings of any length (the empty key, NUL bytes and megabyte keys
//! included) to values of any `V: Send + Sync`. Lookups take no lock and write no shared memory;
//! writers lock a single leaf. Memory is reclaimed while the map is live (through
//! [`seize`](https://docs.rs/seize) by default).
//!
//! # Guards
//!
//! References into the map (`&V`) are valid while a *guard* is held. The easy way is
//! [`MassTree::pin`], which returns a [`MapRef`] whose methods need no guard argument:
//!
//! ```
//! use masstree::MassTree;
//!
//! let map = MassTree::new();
//! let m = map.pin();
//! assert_eq!(m.insert(b"apple", 3), None);
//! assert_eq!(m.insert(b"apple", 4), Some(&3)); // the old value, valid while `m` lives
//! assert_eq!(m.get(b"apple"), Some(&4));
//! assert_eq!(m.remove(b"apple"), Some(&4));
//! assert!(m.get(b"apple").is_none());
//! ```
//!
//! Callers who manage their own guards use the methods on [`MassTree`] itself with
//! [`MassTree::guard`]; a guard of another map is rejected with a panic rather than risking a
//! use-after-free.
//!
//! # Sharing between threads
//!
//! ```
//! use masstree::MassTree;
//! use std::sync::Arc;
//!
//! let map = Arc::new(MassTree::new());
//! let handles: Vec<_> = (0..4u64)
//!     .map(|t| {
//!         let map = Arc::clone(&map);
//!         std::thread::spawn(move || {
//!             let m = map.pin();
//!             for i in 0..100u64 {
//!                 m.insert(&(t * 1000 + i).to_be_bytes(), i);
//!             }
//!         })
//!     })
//!     .collect();
//! for h in handles {
//!     h.join().unwrap();
//! }
//! assert_eq!(map.len(), 400);
//! ```

#![forbid(unsafe_code)]

mod key;
mod map;
mod map_ref;
mod range;

pub use key::Key;
pub use map::{CompareExchangeError, MassTree};
pub use map_ref::MapRef;
pub use range::Range;

/// Memory-reclamation schemes a map can be built with (`MassTree<V, R>`).
pub mod reclaim {
    pub use masstree_core::{Reclaim, ReclaimGuard, SeizeReclaim};

    #[cfg(feature = "crossbeam-epoch")]
    pub use masstree_core::EpochReclaim;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
