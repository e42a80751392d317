//! Ordered scans, forward and reverse, by one algorithm parameterised by a [`Direction`].
//!
//! A scan keeps one frame per layer it is inside. A frame holds a validated snapshot of one
//! leaf (the live slots in key order, read between a stable version and a successful
//! `has_changed` check) and the last position `(ikey, class)` it processed in that layer.
//! Entries are emitted from the snapshot; every entry at or behind the position is skipped, so
//! whatever happens to the tree between snapshots (splits, unlinks, layers appearing or
//! vanishing) the scan never repeats or reorders a key. The check stops at the first entry of a
//! snapshot that passes it: a validated snapshot is strictly ordered by `(ikey, class)` (the
//! permutation is one word, and every change that could reorder a published slot (remove and
//! slot reuse, a suffix slot becoming a layer, a split) sets a dirty bit the snapshot's
//! validation sees), so every later entry passes too. Moving on:
//! - forward, to the `next` leaf read inside the snapshot; if that leaf was unlinked, the frame
//!   re-descends the layer to its position;
//! - reverse, by descending the layer to the slice just below the snapshot's low bound (no
//!   reliance on `prev` pointers, which are only hints).
//!
//! Guarantees (tested in `crates/masstree/tests/scan_*.rs`): keys come out strictly increasing
//! (decreasing in reverse); a key present for the whole scan and inside the bounds is returned;
//! a returned value was the key's value at some instant during the scan (that of its leaf's
//! snapshot). Scans take no locks and write no shared memory.
//!
//! The pieces, one file each: [`Direction`] (`direction.rs`), the validated copy of one leaf
//! (`snapshot.rs`), the per-layer state and how it finds and steps through its leaf
//! (`frame.rs`), the stack of frames that keeps them allocated between layers (`stack.rs`), the buffers a
//! thread keeps between scans (`spare.rs`), the bounds (`bounds.rs`) and the cursor that drives them (`cursor.rs`).

mod bounds;
mod cursor;
mod direction;
mod frame;
mod snapshot;
mod spare;
mod stack;

pub use bounds::KeyBound;
pub use cursor::ScanCursor;
pub use direction::{Direction, Forward, Reverse};
