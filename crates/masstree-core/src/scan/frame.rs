//! The scan state of one layer: its leaf snapshot and position, and how it finds its leaf
//! and steps through the snapshot.

use super::direction::Direction;
use super::snapshot::{Entry, Position, Snapshot};
use crate::reach::reach_leaf;
use crate::search::class_order;
use masstree_key::{ikey_of, keylen_class};
use masstree_node::NodeHeader;

/// The scan state of one layer.
pub(super) struct Frame {
    /// The layer's entry node (its first leaf, or layer 0's root pointer).
    pub(super) root: *mut NodeHeader,
    /// The snapshot being emitted, valid while `located`.
    pub(super) snapshot: Snapshot,
    /// Whether `snapshot` holds a leaf; otherwise the frame must (re)locate one.
    pub(super) located: bool,
    /// Next index into the snapshot, counted in the scan's direction.
    pub(super) index: usize,
    /// Whether the snapshot's next entries must still be checked against `position` (or
    /// `bound`): set for every new snapshot, cleared by the first entry that passes (or, with
    /// nothing to check against, by the scan's layer hop, and after [`Frame::advance`]'s
    /// checks).
    /// A snapshot is in key order, so every entry after one that passes passes too.
    pub(super) checking: bool,
    /// The last position processed in this layer, as of the current snapshot's start: the
    /// entries taken from the snapshot since are folded in by [`Frame::settle`] before it is
    /// replaced.
    pub(super) position: Option<Position>,
    /// Where the scan enters this layer (from the range bound); read only while `position`
    /// is `None`, i.e. until the first entry is settled.
    pub(super) bound: Option<Position>,
    /// Offset of this layer's slice in the start bound's key, while the scan is still on the
    /// bound's path (for entering a deeper layer at the bound).
    pub(super) bound_rest: Option<usize>,
    /// The slice to descend to when (re)locating, if not the position's.
    pub(super) seek: Option<u64>,
}

impl Frame {
    /// A frame that has not located its first leaf yet, built in place on the heap: a frame
    /// built on the stack and moved into a box was copied whole (~700 bytes, mostly the
    /// snapshot's unused entry storage), once per layer a scan enters for the first time
    /// (with the key buffer's growth, about 8% of YCSB-E).
    pub(super) fn boxed(
        root: *mut NodeHeader,
        bound: Option<Position>,
        bound_rest: Option<usize>,
        prefetch_values: bool,
    ) -> Box<Self> {
        // Every field is written below; this destructuring stops compiling when a field is
        // added to `Frame` or `Snapshot` and not to this list.
        #[allow(dead_code)]
        fn every_field_is_written(frame: Frame) {
            let Frame {
                root: _,
                snapshot,
                located: _,
                index: _,
                checking: _,
                position: _,
                bound: _,
                bound_rest: _,
                seek: _,
            } = frame;
            let Snapshot {
                entries: _,
                leaf: _,
                next: _,
                prev: _,
                low_bound: _,
                prefetch_values: _,
                plain: _,
            } = snapshot;
        }
        let mut frame = Box::<Frame>::new_uninit();
        let at = frame.as_mut_ptr();
        // SAFETY: `at` points to the box's storage for one `Frame`; every field is written
        // below (the snapshot's entry vector as an empty one, which leaves its storage
        // uninitialized, as an `ArrayVec` may), so the frame is initialized after them.
        unsafe {
            (&raw mut (*at).root).write(root);
            let snapshot = &raw mut (*at).snapshot;
            (&raw mut (*snapshot).entries).write(arrayvec::ArrayVec::new_const());
            (&raw mut (*snapshot).leaf).write(core::ptr::null());
            (&raw mut (*snapshot).next).write(core::ptr::null_mut());
            (&raw mut (*snapshot).prev).write(core::ptr::null_mut());
            (&raw mut (*snapshot).low_bound).write(0);
            (&raw mut (*snapshot).prefetch_values).write(prefetch_values);
            (&raw mut (*snapshot).plain).write(true);
            (&raw mut (*at).located).write(false);
            (&raw mut (*at).index).write(0);
            (&raw mut (*at).checking).write(true);
            (&raw mut (*at).position).write(None);
            (&raw mut (*at).bound).write(bound);
            (&raw mut (*at).bound_rest).write(bound_rest);
            (&raw mut (*at).seek).write(None);
            frame.assume_init()
        }
    }

    /// Makes this frame what [`Frame::boxed`] builds, in place (its snapshot's storage reused).
    /// The snapshot's leaf, sibling and bound fields keep stale values: they are read only
    /// while `located`, and `fill` overwrites them first.
    pub(super) fn reset(
        &mut self,
        root: *mut NodeHeader,
        bound: Option<Position>,
        bound_rest: Option<usize>,
        prefetch_values: bool,
    ) {
        self.root = root;
        self.snapshot.entries.clear();
        self.snapshot.prefetch_values = prefetch_values;
        self.located = false;
        self.index = 0;
        self.checking = true;
        self.position = None;
        self.bound = bound;
        self.bound_rest = bound_rest;
        self.seek = None;
    }

    /// The snapshot's next entry in scan order, not yet taken, if the frame holds a snapshot
    /// and it has one.
    #[inline(always)]
    pub(super) fn upcoming<D: Direction>(&self) -> Option<Entry> {
        let len = self.snapshot.entries.len();
        if !self.located || self.index >= len {
            return None;
        }
        let i = if D::FORWARD {
            self.index
        } else {
            len - 1 - self.index
        };
        Some(self.snapshot.entries[i])
    }

    /// Folds the entries taken from the current snapshot into `position`; called before the
    /// snapshot is replaced. The last one taken is the furthest (the snapshot is in key
    /// order), unless none passed the checks, in which case the position stays.
    pub(super) fn settle<D: Direction>(&mut self) {
        if !self.checking && self.index > 0 {
            let len = self.snapshot.entries.len();
            let last = if D::FORWARD {
                self.index - 1
            } else {
                len - self.index
            };
            self.position = Some(self.snapshot.entries[last].position());
        }
        self.checking = true;
        self.index = 0;
    }
}

impl Frame {
    /// The scan has taken this frame's snapshot to its end: moves the frame on to the layer's
    /// next leaf in scan order, as `ScanCursor::step` does, and then past the new snapshot's
    /// entries at or behind the frame's position (a split after the old snapshot may have
    /// moved taken keys there; a leaf that absorbed an unlinked neighbour's range may hold
    /// newer keys below it). Forward, the next leaf is the snapshot's `next`; reverse, the left
    /// sibling if a validated read of it shows it still links to this leaf (then its range ends
    /// where this one's starts), else the frame is left unlocated, to descend to the slice
    /// below (`seek`). `true` if an untaken entry passed the checks (`checking` is then off,
    /// `index` at it). `false` leaves the frame as `step` would have it after the same move
    /// (untouched at the layer's end, unlocated, exhausted, or still checking), for the keyed
    /// path to go on from.
    pub(super) fn advance<D: Direction>(&mut self) -> bool {
        debug_assert!(self.located && self.index >= self.snapshot.entries.len());
        if self.at_layer_end::<D>() {
            return false;
        }
        let snap = &self.snapshot;
        let (here, next, prev, low_bound) = (snap.leaf, snap.next, snap.prev, snap.low_bound);
        self.settle::<D>();
        self.located = if D::FORWARD {
            // SAFETY: a `next` read inside a validated snapshot names a leaf that was live
            // then; we are pinned, so it is still allocated. If it was unlinked, the fill fails
            // and `locate` re-descends to our position instead.
            self.snapshot.fill::<D>(unsafe { &*next })
        } else {
            // SAFETY: `prev` was read from a leaf we snapshotted while pinned; sibling pointers
            // are re-pointed before a leaf is retired, so it is still allocated. It is only a
            // hint: its `next` is checked here.
            !prev.is_null()
                && self.snapshot.fill::<D>(unsafe { &*prev })
                && core::ptr::eq(self.snapshot.next, here)
        };
        if !self.located {
            if !D::FORWARD {
                self.seek = Some(low_bound - 1);
            }
            return false;
        }
        let Some(position) = self.position else {
            return false;
        };
        // The entries already passed, counted in scan order from the snapshot's start.
        let entries = &self.snapshot.entries;
        let passed = if D::FORWARD {
            entries
                .iter()
                .take_while(|e| e.position() <= position)
                .count()
        } else {
            entries
                .iter()
                .rev()
                .take_while(|e| e.position() >= position)
                .count()
        };
        if passed == entries.len() {
            return false;
        }
        self.index = passed;
        self.checking = false;
        true
    }

    /// Whether the snapshot's leaf is the layer's last in scan order: no right sibling
    /// (forward), low bound 0 (reverse).
    #[inline]
    pub(super) fn at_layer_end<D: Direction>(&self) -> bool {
        if D::FORWARD {
            self.snapshot.next.is_null()
        } else {
            self.snapshot.low_bound == 0
        }
    }
}

/// The layer position of the key `rest` (the bytes from this layer on).
#[inline]
pub(super) fn position_of(rest: &[u8]) -> Position {
    (ikey_of(rest), class_order(keylen_class(rest.len())))
}

/// Finds the frame's leaf for its position (or entry bound) and snapshots it. `false` if the
/// layer no longer exists.
pub(super) fn locate<D: Direction>(frame: &mut Frame) -> bool {
    let target = frame.seek.take().unwrap_or_else(|| {
        frame
            .position
            .or(frame.bound)
            .map_or(if D::FORWARD { 0 } else { u64::MAX }, |p| p.0)
    });
    if D::FORWARD && target == 0 && frame.enter_at_entry_leaf() {
        return true;
    }
    'descend: loop {
        // SAFETY: the layer root was read from the tree while pinned.
        let Some((mut leaf, _)) = (unsafe { reach_leaf(frame.root, target) }) else {
            return false;
        };
        loop {
            if !frame.snapshot.fill::<D>(leaf) {
                continue 'descend; // unlinked meanwhile
            }
            let snap = &frame.snapshot;
            // The leaf may have split after the descent: keys at or below the target may now be
            // in right siblings. Forward scans reach them through `next` anyway; a reverse scan
            // must start at the leaf that holds the target (B-link hop).
            // SAFETY: a `next` read in a validated snapshot is live while we are pinned.
            if !D::FORWARD && !snap.next.is_null() && target >= unsafe { (*snap.next).low_bound() }
            {
                // SAFETY: as above.
                leaf = unsafe { &*snap.next };
                continue;
            }
            frame.located = true;
            frame.index = 0;
            return true;
        }
    }
}

impl Frame {
    /// A forward scan entering a layer from its left end starts at the layer's entry node
    /// when that is its first leaf, without a descent: a leaf whose validated snapshot shows
    /// it not deleted with low bound 0 holds the layer's smallest slices (bounds only move
    /// down when a leaf absorbs an unlinked left neighbour, and the entry leaf is never
    /// unlinked; it is deleted only with its whole layer). `false` if it cannot serve: the
    /// caller descends as usual.
    fn enter_at_entry_leaf(&mut self) -> bool {
        // SAFETY: the layer root was read from the tree while pinned; the `LEAF` bit is fixed
        // at creation, so a node that shows it is a leaf.
        let root = unsafe { crate::node_ref::header(self.root) };
        if !root.is_leaf() {
            return false;
        }
        // SAFETY: as above: a live leaf.
        let leaf = unsafe { crate::node_ref::leaf(self.root) };
        if !self.snapshot.fill::<super::direction::Forward>(leaf) || self.snapshot.low_bound != 0 {
            return false;
        }
        self.located = true;
        self.index = 0;
        true
    }
}

/// The next entry of the frame's snapshot in scan order that lies beyond its position (and,
/// before the first entry, not before its entry bound), with the start bound's offset if this
/// is the first entry the frame processes (`bound_rest`).
#[inline]
pub(super) fn next_in_snapshot<D: Direction>(frame: &mut Frame) -> Option<(Entry, Option<usize>)> {
    let len = frame.snapshot.entries.len();
    while frame.index < len {
        let i = if D::FORWARD {
            frame.index
        } else {
            len - 1 - frame.index
        };
        frame.index += 1;
        let entry = frame.snapshot.entries[i];
        if !frame.checking {
            return Some((entry, None));
        }
        let p = entry.position();
        let behind = |q: Position| if D::FORWARD { p <= q } else { p >= q };
        let before_bound = |q: Position| if D::FORWARD { p < q } else { p > q };
        if frame.position.is_some_and(behind) {
            continue;
        }
        if frame.position.is_none() && frame.bound.is_some_and(before_bound) {
            continue;
        }
        frame.checking = false;
        return Some((entry, frame.bound_rest.take()));
    }
    None
}
