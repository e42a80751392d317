//! A concurrent ordered map: Masstree, a trie of B+trees over 8-byte key slices.
//!
//! [`MassTree<K, V>`](MassTree) maps keys of any [`Key`] type — integers, strings, byte
//! strings of any length (the empty key, NUL bytes and megabyte keys included), fixed arrays,
//! tuples, or your own — to values of any `V: Send + Sync`. Lookups take no lock and write no
//! shared memory; writers lock a single leaf. Memory is reclaimed while the map is live
//! (through [`seize`](https://docs.rs/seize) by default).
//!
//! The [`guide`] explains the guarantees of each operation under concurrency, how long to
//! hold a guard, the memory reclamation holds back, and how the API maps onto `BTreeMap`,
//! `SkipMap`, `scc` and papaya.
//!
//! # Guards
//!
//! References into the map (`&V`) are valid while a *guard* is held. The easy way is
//! [`MassTree::pin`], which returns a [`MapRef`] whose methods need no guard argument:
//!
//! ```
//! use masstree::MassTree;
//!
//! let map: MassTree<str, u32> = MassTree::new();
//! let m = map.pin();
//! assert_eq!(m.insert("apple", 3), None);
//! assert_eq!(m.insert("apple", 4), Some(&3)); // the old value, valid while `m` lives
//! assert_eq!(m.get("apple"), Some(&4));
//! assert_eq!(m.remove("apple"), Some(&4));
//! assert!(m.get("apple").is_none());
//! ```
//!
//! Callers who manage their own guards use the methods on [`MassTree`] itself with
//! [`MassTree::guard`]; a guard of another map is rejected with a panic rather than risking a
//! use-after-free.
//!
//! # Typed keys
//!
//! Keys are stored in an order-preserving byte encoding ([`key`]), so ranges are typed and
//! scans return decoded keys. Lookups take any borrowed form of the key ([`Query`]) without
//! allocating:
//!
//! ```
//! use masstree::MassTree;
//!
//! let by_user: MassTree<(String, u64), &str> = MassTree::new();
//! let m = by_user.pin();
//! m.insert(("bob", 2), "second");
//! m.insert(("alice", 9), "ninth");
//! m.insert(("bob", 1), "first");
//! let bobs: Vec<u64> = m.range(("bob", 0)..=("bob", u64::MAX)).map(|((_, n), _)| n).collect();
//! assert_eq!(bobs, [1, 2]);
//!
//! let bytes: MassTree<[u8], i32> = MassTree::new();
//! bytes.pin().insert(b"\0raw\xff", -1);
//! assert_eq!(bytes.pin().get(b"\0raw\xff"), Some(&-1));
//! ```
//!
//! # Sharing between threads
//!
//! ```
//! use masstree::MassTree;
//! use std::sync::Arc;
//!
//! let map: Arc<MassTree<u64, u64>> = Arc::new(MassTree::new());
//! let handles: Vec<_> = (0..4u64)
//!     .map(|t| {
//!         let map = Arc::clone(&map);
//!         std::thread::spawn(move || {
//!             let m = map.pin();
//!             for i in 0..100 {
//!                 m.insert(t * 1000 + i, i);
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
#![cfg_attr(docsrs, feature(doc_cfg))]

mod bulk;
mod compute;
mod error;
mod exclusive;
pub mod guide;
mod into_iter;
mod map;
mod map_ref;
#[cfg(feature = "rayon")]
mod par;
mod range;
pub mod reclaim;
mod scans;
mod seek;
#[cfg(feature = "serde")]
mod serde_impls;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use serde_impls::pairs;
mod std_traits;

pub use bulk::ExtractIf;
pub use compute::{Compute, Operation};
pub use error::{CompareExchangeError, OccupiedError};
pub use exclusive::{IterMut, ValuesMut};
pub use into_iter::IntoIter;
pub use map::MassTree;
pub use map_ref::{MapRef, OwnedMapRef};
#[cfg(feature = "rayon")]
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
pub use par::ParRange;
pub use range::{Keys, Range, Values};
pub use seek::Cursor;

pub use masstree_core::{Boxed, Inline};

/// How a map stores its values: [`Boxed`] (the default: any `V`, readers get `&V`) or
/// [`Inline`] (small plain-data values in the leaves, readers get copies). Sealed: the two are
/// the choices; name the trait only to write code generic over them.
///
/// ```
/// use masstree::{Inline, MassTree, Storage};
///
/// fn sum<S: Storage<u64>>(map: &MassTree<u32, u64, masstree::reclaim::SeizeReclaim, S>) -> u64 {
///     map.pin().values().map(|v| *S::as_value(&v)).sum()
/// }
///
/// let boxed: MassTree<u32, u64> = (0..4u32).map(|i| (i, 1)).collect();
/// let inline: MassTree<u32, u64, _, Inline> = (0..4u32).map(|i| (i, 1)).collect();
/// assert_eq!(sum(&boxed) + sum(&inline), 8);
/// ```
pub trait Storage<V>: masstree_core::ValueSlot<V> + storage::Sealed {}

impl<V> Storage<V> for Boxed {}
impl<V> Storage<V> for Inline where Inline: masstree_core::ValueSlot<V> {}

mod storage {
    /// Implemented for [`super::Boxed`] and [`super::Inline`] only.
    pub trait Sealed {}

    impl Sealed for super::Boxed {}
    impl Sealed for super::Inline {}
}

/// A map whose small plain-data values (`u64`, `i32`, `f64`, `[u8; 8]`, any `bytemuck::Pod`
/// type no larger than a pointer) live in the leaves themselves: lookups follow one pointer
/// less, updates allocate nothing and reclaim nothing, and each key costs 8 bytes less.
/// Readers get values by copy (`Option<V>` instead of `Option<&V>`); everything else is
/// [`MassTree`]'s API.
///
/// ```
/// use masstree::InlineMassTree;
///
/// let hits: InlineMassTree<str, u64> = InlineMassTree::default();
/// let m = hits.pin();
/// m.insert("home", 1);
/// assert_eq!(m.update("home", |n| n + 1), Some(2));
/// assert_eq!(m.get("home"), Some(2));
/// assert_eq!(m.iter().collect::<Vec<_>>(), [("home".to_string(), 2)]);
/// ```
pub type InlineMassTree<K, V, R = reclaim::SeizeReclaim> = MassTree<K, V, R, Inline>;

pub use masstree_key::codec::{ByteKey, Key, Query};

/// Typed keys: the [`Key`] and [`Query`] traits, the encodings of the provided types, and
/// what implementing them for your own types needs.
///
/// ```
/// use masstree::key::{Key, encode_to_vec};
///
/// // The byte order of the encodings is the order of the keys, tuples included.
/// let a = encode_to_vec::<(String, u32), _>(&("a", 2));
/// let b = encode_to_vec::<(String, u32), _>(&("ab", 1));
/// assert!(a < b);
/// assert_eq!(<(String, u32)>::decode_key(&b), Ok(("ab".to_string(), 1)));
/// ```
pub mod key {
    pub use masstree_key::codec::*;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
