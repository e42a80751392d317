//! Building blocks of Masstree nodes, reusable by other optimistic indexes.
//!
//! This crate holds word-level protocols and memory layout, and no tree algorithm:
//!
//! - [`NodeVersion`] / [`Version`] / [`NodeLock`]: the version word of the paper (a sequence lock
//!   with lock, inserting and splitting bits, one 58-bit change counter, and root / leaf /
//!   deleted flags). Readers validate with [`NodeVersion::stable`] and
//!   [`NodeVersion::has_changed`]; writers hold a [`NodeLock`].
//! - [`Permutation`]: the order of a leaf's 15 slots and its count in one `u64`, so an insert
//!   publishes with one store.
//! - [`Leaf`] and [`Internode`]: fanout-15 leaves and 24-way internodes, cache-line aligned
//!   node layouts whose fields are all atomics, so optimistic readers never form a reference
//!   to memory a writer is changing.
//! - [`Suffix`]: an immutable heap byte string behind a thin pointer, for key bytes past a slice;
//!   [`SlotSuffix`]: a slot's suffix, short ones (up to 8 bytes) kept as a word in the leaf's
//!   short-suffix table instead.
//! - [`sync`]: the one module atomics come from; under `--cfg loom` they are loom's.
//!
//! See `docs/design.md` in the repository for the protocol these pieces implement.

pub mod sync;

mod header;
mod internode;
mod leaf;
mod leaf_block;
mod permutation;
mod slot_suffix;
mod suffix;
mod version;

pub use header::NodeHeader;
pub use internode::{INTERNODE_WIDTH, Internode};
pub use leaf::{KEYLEN_LAYER, Leaf};
pub use leaf_block::InlineTables;
pub use permutation::{Permutation, WIDTH};
pub use slot_suffix::{SHORT_SUFFIX_MAX, SlotSuffix};
pub use suffix::{Suffix, SuffixRaw};
pub use version::{
    COUNTER_MASK, COUNTER_UNIT, DELETED, DIRTY, INSERTING, LEAF, LOCKED, NodeLock, NodeVersion,
    ROOT, SPLITTING, Version,
};
