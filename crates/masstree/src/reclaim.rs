//! Memory-reclamation schemes a map can be built with (`MassTree<K, V, R>`), and their guards.
//!
//! [`SeizeReclaim`] is the default and the one to use unless you have a reason not to: it
//! also offers owned guards ([`MassTree::pin_owned`](crate::MassTree::pin_owned)), which may
//! cross threads and `.await` points. [`EpochReclaim`] (feature `crossbeam-epoch`) is
//! crossbeam's epoch scheme; its guards are tied to their thread.
//!
//! Guards of every scheme borrow their map, so a guard can neither outlive the map nor be
//! alive across [`MassTree::clear_mut`](crate::MassTree::clear_mut), which frees everything
//! the map retired:
//!
//! ```compile_fail,E0502
//! use masstree::MassTree;
//! use masstree::reclaim::SeizeReclaim;
//!
//! let mut map: MassTree<u64, u64, SeizeReclaim> = MassTree::with_reclaimer();
//! let guard = map.guard();
//! map.clear_mut(); // error: `map` is borrowed by `guard`
//! drop(guard);
//! ```
//!
//! The same holds for crossbeam-epoch (an earlier `EpochGuard` did not borrow its map, so this
//! compiled, and values the map retired were dropped after the map, when the guard dropped):
#![cfg_attr(
    feature = "crossbeam-epoch",
    doc = r#"
```compile_fail,E0502
use masstree::MassTree;
use masstree::reclaim::EpochReclaim;

let mut map: MassTree<u64, u64, EpochReclaim> = MassTree::with_reclaimer();
let guard = map.guard();
map.clear_mut(); // error: `map` is borrowed by `guard`
drop(guard);
```
"#
)]

pub use masstree_core::{SeizeGuard, SeizeOwnedGuard, SeizeReclaim};

#[cfg(feature = "crossbeam-epoch")]
#[cfg_attr(docsrs, doc(cfg(feature = "crossbeam-epoch")))]
pub use masstree_core::{EpochGuard, EpochReclaim};

/// The reclamation schemes a map accepts: [`SeizeReclaim`] and, with the `crossbeam-epoch`
/// feature, [`EpochReclaim`]. Sealed: the schemes' safety contract is the map's to rely on,
/// not something to implement from outside. Name it to write code generic over the scheme:
///
/// ```
/// use masstree::MassTree;
/// use masstree::reclaim::Reclaimer;
///
/// fn total<R: Reclaimer>(map: &MassTree<str, u64, R>) -> u64 {
///     map.pin().values().sum()
/// }
///
/// let map: MassTree<str, u64> = [("a", 1), ("b", 2)].into_iter().collect();
/// assert_eq!(total(&map), 3);
/// ```
pub trait Reclaimer: masstree_core::Reclaim + sealed::Sealed {}

impl Reclaimer for SeizeReclaim {}
impl sealed::Sealed for SeizeReclaim {}

#[cfg(feature = "crossbeam-epoch")]
impl Reclaimer for EpochReclaim {}
#[cfg(feature = "crossbeam-epoch")]
impl sealed::Sealed for EpochReclaim {}

mod sealed {
    /// Implemented only in this crate.
    pub trait Sealed {}
}
