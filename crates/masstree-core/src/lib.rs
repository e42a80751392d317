//! The concurrent Masstree algorithm (Mao, Kohler, Morris, EuroSys 2012).
//!
//! A [`RawTree`] is a trie of B+trees: layer 0 is a B+tree keyed by the first 8-byte slice of
//! each key; a leaf slot whose slice is shared by two keys that continue points to the B+tree of
//! the next layer. Readers take no locks and write no shared memory: they validate node version
//! words ([`masstree_node::NodeVersion`]). Writers lock one leaf, publish inserts with one store
//! of the leaf's permutation, and split B-link style so readers never block on a split.
//!
//! One file per operation: [`reach`] (descent), `search` (in-leaf search), `get`,
//! `write` (insert / update / remove under the leaf lock), `split`, `layer` (new layers), and
//! `destroy` (freeing at drop). `docs/design.md` in the repository explains the protocol.
//!
//! This crate is the engine behind the `masstree` facade; most users want that crate.

mod batch;
mod check;
mod counter;
mod decision;
mod destroy;
mod drain;
mod exclusive;
mod finger;
mod free;
mod get;
mod layer;
mod node_ref;
mod prefetch;
pub mod reach;
mod remove;
pub mod scan;
mod scope;
mod search;
mod sorted;
mod split;
mod tree;
mod value;
mod write;

pub use batch::GET_MANY_GROUP;
pub use check::TreeStats;
#[cfg(not(loom))]
pub use exclusive::IterMut;
pub use finger::Fingered;
pub use scope::{PinnedScope, ScopedScan};
pub use tree::RawTree;
pub use value::{Boxed, Inline, ValueSlot};
pub use write::{Decision, Written};

pub use masstree_alloc::{
    DeferredReclaim, GuardOf, Reclaim, ReclaimGuard, ReclaimOwned, SeizeGuard, SeizeOwnedGuard,
    SeizeReclaim,
};

#[cfg(feature = "crossbeam-epoch")]
pub use masstree_alloc::{EpochGuard, EpochReclaim};
