//! The lending cursor that drives a scan through its frames.

use super::bounds::KeyBound;
use super::direction::Direction;
use super::frame::{locate, next_in_snapshot, position_of};
use super::snapshot::{Entry, Position};
use super::spare::ScanBuffers;
use crate::tree::RawTree;
use crate::value::ValueSlot;
use core::cmp::Ordering;
use core::marker::PhantomData;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, ikey_of};
use masstree_node::{KEYLEN_LAYER, NodeHeader};

/// A lending cursor over a tree in direction `D`: each [`ScanCursor::next_entry`] returns the
/// next key (in a buffer the cursor reuses) and its value. No allocation per key.
pub struct ScanCursor<'g, V, S: ValueSlot<V>, D: Direction> {
    /// The layer-0 entry node, read when the cursor was opened.
    root: *mut NodeHeader,
    /// One frame per layer the scan is inside (empty until the first step, so an end of a
    /// double-ended range that is never used costs no allocation), and the key buffer; left
    /// to the thread's next scan when the cursor drops (see `spare`).
    buf: ScanBuffers,
    started: bool,
    start: KeyBound,
    end: KeyBound,
    past_start: bool,
    emitted: bool,
    done: bool,
    /// The run: the innermost frame's snapshot entries that [`ScanCursor::next_value`] returns
    /// with no check at all (see [`ScanCursor::open_run`]). Forward, `run` is the next entry
    /// and `run_end` one past the last; reverse, `run` is one past the next entry (taken by
    /// stepping down) and `run_end` the last. Empty when `run == run_end`.
    /// Both point into the boxed frame's `entries`, which stay put and unchanged while the run
    /// is open: the snapshot is refilled only by [`ScanCursor::step`] and
    /// [`ScanCursor::refill_run`], each after [`ScanCursor::leave_run`]. Both null when no run
    /// is open (an open run may be empty: it still holds the frame's place until it is left).
    run: *const Entry,
    run_end: *const Entry,
    /// Where `run` was when the key buffer last caught up with it: while `run` has moved on
    /// from here, the last entry returned came from the run and its key is not written into
    /// `key` yet (it is written when someone asks for it: [`ScanCursor::last_key`], or the
    /// next keyed step). That entry is the one just behind `run` in scan order. Taking from
    /// the run thus stores nothing but `run`.
    run_start: *const Entry,
    /// The depth of the run's layer (the innermost frame's).
    run_depth: usize,
    /// The end bound's first slice, when every key whose first slice lies strictly before it
    /// (in scan order) is inside the range: lets [`ScanCursor::next_value`] check layer-0
    /// entries against the end without building their keys. `None` for an unbounded end.
    end_slice: Option<u64>,
    _marker: PhantomData<(&'g V, S, D)>,
}

// SAFETY: the cursor's raw pointers are into nodes, suffixes and values of a tree that the
// caller's guard (or scope) keeps allocated for `'g`, wherever the cursor is, and (the run's
// `run`, `run_end`, `run_start`) into the cursor's own boxed frames, which move with it as
// its heap allocations, not as its bytes; every shared
// field is read through atomics or validated snapshots, as on the thread that opened it, and
// nothing in the cursor is tied to that thread (protection comes from the guard being alive,
// not from which thread reads). It hands out `S::Ref<'g>` (`&V` for boxed values), hence
// `V: Sync` (and `Send`, as the values' owner, the tree, requires).
unsafe impl<'g, V: Send + Sync, S: ValueSlot<V>, D: Direction> Send for ScanCursor<'g, V, S, D> {}

impl<'g, V: 'g, S: ValueSlot<V>, D: Direction> ScanCursor<'g, V, S, D> {
    /// A cursor over the keys of `tree` between `start` and `end`, both given in scan order
    /// (for a reverse scan `start` is the upper bound).
    pub fn new<R: Reclaim, G: GuardOf<R>>(
        tree: &'g RawTree<V, R, S>,
        guard: &'g G,
        start: KeyBound,
        end: KeyBound,
    ) -> Self {
        assert!(
            tree.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        Self::open(tree, start, end)
    }

    /// [`ScanCursor::new`] without the guard witness: the caller keeps the thread pinned for
    /// as long as the cursor is used and its values are kept (a guard or a `PinnedScope`).
    pub(crate) fn open<R: Reclaim>(
        tree: &'g RawTree<V, R, S>,
        start: KeyBound,
        end: KeyBound,
    ) -> Self {
        Self::with_root(tree.root(), start, end)
    }

    fn with_root(root: *mut NodeHeader, start: KeyBound, end: KeyBound) -> Self {
        let empty = match (start.key(), end.key()) {
            (Some(s), Some(e)) => {
                let ord = if D::FORWARD { s.cmp(e) } else { e.cmp(s) };
                ord == Ordering::Greater
                    || (ord == Ordering::Equal
                        && !(matches!(start, KeyBound::Included(_))
                            && matches!(end, KeyBound::Included(_))))
            }
            _ => false,
        };
        let end_slice = end.key().map(ikey_of);
        Self {
            root,
            buf: ScanBuffers::new(),
            started: false,
            start,
            end,
            past_start: false,
            emitted: false,
            done: empty,
            run: core::ptr::null(),
            run_end: core::ptr::null(),
            run_start: core::ptr::null(),
            run_depth: 0,
            end_slice,
            _marker: PhantomData,
        }
    }

    /// A cursor over the same tree and range in the other direction `E` (the other end of a
    /// double-ended iterator). It starts from the range's far end, independently of how far
    /// this one has gone; the caller stops the two where they meet.
    pub fn opposite<E: Direction>(&self) -> ScanCursor<'g, V, S, E> {
        ScanCursor::with_root(self.root, self.end.clone(), self.start.clone())
    }

    /// The last key returned, or `None` before the first. Once the cursor has ended, a key at
    /// or beyond the end of its range (enough to stop the other end of a double-ended
    /// iterator, which is what it is for).
    pub fn last_key(&mut self) -> Option<&[u8]> {
        self.write_pending_key();
        self.emitted.then(|| self.buf.key.as_bytes())
    }

    /// [`ScanCursor::last_key`] for a shared borrow: `None` as well when the last key returned
    /// by [`ScanCursor::next_value`] was not written out yet (for `Debug` output).
    pub fn last_key_written(&self) -> Option<&[u8]> {
        (self.emitted && self.run == self.run_start).then(|| self.buf.key.as_bytes())
    }

    /// Writes the key of the last [`ScanCursor::next_value`] entry into the key buffer.
    #[inline]
    fn write_pending_key(&mut self) {
        if self.run == self.run_start {
            return;
        }
        self.run_start = self.run;
        // SAFETY: `run` moved since the key was last written, so an entry was taken from the
        // open run: it lies behind `run` in scan order, inside the frame's entries, which the
        // run keeps unchanged.
        let entry = unsafe { &*last_taken::<D>(self.run) };
        self.buf
            .key
            .set_slice(self.run_depth, entry.ikey, usize::from(entry.keylen.min(8)));
        if entry.keylen == KEYLEN_SUFFIX {
            let suffix = entry.suffix();
            // SAFETY: the suffix was in a validated snapshot while the cursor's guard is
            // pinned; suffixes are immutable and freed only through the reclaimer.
            self.buf.key.push_bytes(unsafe { suffix.as_bytes() });
        }
    }

    /// Closes the run: writes the pending key and hands the entries not taken back to the
    /// frame (its `index`), where the keyed path goes on from.
    #[inline]
    fn leave_run(&mut self) {
        self.write_pending_key();
        if self.run.is_null() {
            return;
        }
        if let Some(frame) = self.buf.frames.last_mut() {
            let base = frame.snapshot.entries.as_ptr();
            // SAFETY: an open run points into this frame's entries (see `run`): the run was
            // opened on the innermost frame, and no frame is pushed or popped until the run is
            // left (only `step` and `refill_run`'s hop do that, each after `leave_run`), so it
            // is still the innermost.
            // The run lies at or past `base`, so the offset is not negative.
            let at = unsafe { self.run.offset_from_unsigned(base) };
            frame.index = if D::FORWARD {
                at
            } else {
                frame.snapshot.entries.len() - at
            };
        }
        self.run = core::ptr::null();
        self.run_end = core::ptr::null();
        self.run_start = core::ptr::null();
    }

    /// Opens a run over the innermost frame's next entries, after the keyed path returned one
    /// from it, or [`ScanCursor::refill_run`] moved it to a new leaf or to the next layer's
    /// first leaf: as many as are keys that end in this layer (in their slice or with a
    /// suffix) and lie before the end bound by their first slice alone, so that
    /// [`ScanCursor::next_value`] can return them with no check. Strictly before the end's
    /// first slice (zero-padded, big-endian) means strictly before the end key, whatever the
    /// rest of either key; layer 0's slices are the keys' first 8 bytes, so below layer 0
    /// a bounded end opens no run. The frame's position checks are done (`checking` is off
    /// once an entry passed them, and the snapshot is in key order).
    fn open_run(&mut self) {
        if self.done {
            return;
        }
        let depth = self.buf.frames.len().wrapping_sub(1);
        let end = self.end_slice;
        let Some(frame) = self.buf.frames.last() else {
            return;
        };
        if !frame.located || frame.checking || (end.is_some() && depth != 0) {
            return;
        }
        let entries = &frame.snapshot.entries;
        let len = entries.len();
        let everything = frame.snapshot.plain && end.is_none();
        let takes = |e: &&Entry| {
            e.ends_in_layer()
                && end.is_none_or(|end| {
                    if D::FORWARD {
                        e.ikey < end
                    } else {
                        e.ikey > end
                    }
                })
        };
        // The entries not taken yet, in key order; the run is the leading ones (in scan order)
        // that `takes` accepts: all of them when `everything`, without looking.
        let untaken = if D::FORWARD {
            frame.index.min(len)..len
        } else {
            0..len.saturating_sub(frame.index)
        };
        let range = if everything {
            untaken
        } else if D::FORWARD {
            let n = entries[untaken.clone()].iter().take_while(takes).count();
            untaken.start..untaken.start + n
        } else {
            let n = entries[untaken.clone()]
                .iter()
                .rev()
                .take_while(takes)
                .count();
            untaken.end - n..untaken.end
        };
        let base = entries.as_ptr();
        // SAFETY: `range` lies within `entries` (both ends at most `len`).
        let (low, high) = unsafe { (base.add(range.start), base.add(range.end)) };
        (self.run, self.run_end) = if D::FORWARD { (low, high) } else { (high, low) };
        self.run_start = self.run;
        self.run_depth = depth;
    }

    /// The next run entry's value, taken; `None` (taking nothing) when the run is empty.
    #[inline(always)]
    fn take_from_run(&mut self) -> Option<*mut ()> {
        if self.run == self.run_end {
            return None;
        }
        // SAFETY: the run is not empty, so the entry it names next lies inside the frame's
        // entries, unchanged while the run is open (see `run`).
        let entry = unsafe { take::<D>(&mut self.run) };
        Some(entry.value)
    }

    /// The next value in scan order, or `None` at the end of the range: [`next_entry`] for a
    /// caller that does not need the key. Within a leaf, once an entry has passed the range
    /// checks, the entries after it that need no check are returned from a run without their
    /// keys being written (a key is written on demand by [`ScanCursor::last_key`]); everything
    /// else takes the keyed path.
    ///
    /// [`next_entry`]: ScanCursor::next_entry
    #[inline(always)]
    pub fn next_value(&mut self) -> Option<S::Ref<'g>> {
        let value = match self.take_from_run() {
            Some(value) => value,
            None => self.next_value_keyed()?,
        };
        // SAFETY: `value` came from a validated snapshot of a live slot while the guard
        // (`'g`) is pinned; values are released only through the reclaimer.
        Some(unsafe { S::view(value) })
    }

    /// Folds every remaining value into `init` with `f`, in scan order: what
    /// [`ScanCursor::next_value`] returns one by one, but with the run's position kept in a
    /// register while it is drained (a loop over `next_value` reloads it from the cursor for
    /// every value).
    #[inline]
    pub fn fold_values<B, F: FnMut(B, S::Ref<'g>) -> B>(&mut self, init: B, mut f: F) -> B {
        let mut acc = init;
        loop {
            let (mut at, end) = (self.run, self.run_end);
            while at != end {
                // SAFETY: as in `take_from_run`: `at != end`, so the next entry lies inside the
                // open run.
                let entry = unsafe { take::<D>(&mut at) };
                // Kept up to date before `f` runs: `f` may panic, or look at nothing but its
                // own state; a store, not a reload.
                self.run = at;
                // SAFETY: as in `next_value`.
                acc = f(acc, unsafe { S::view(entry.value) });
            }
            let Some(value) = self.next_value_keyed() else {
                return acc;
            };
            // SAFETY: as in `next_value`.
            acc = f(acc, unsafe { S::view(value) });
        }
    }

    /// The slow path of [`ScanCursor::next_value`] once the run is empty: the run refilled
    /// from the layer's next leaf, or the next layer's first ([`ScanCursor::refill_run`]), if
    /// it can be, else the keyed path, which then opens a run over the entries after the one
    /// it returns.
    #[inline(never)]
    fn next_value_keyed(&mut self) -> Option<*mut ()> {
        if self.refill_run()
            && let Some(value) = self.take_from_run()
        {
            return Some(value);
        }
        let (_, value) = self.next_raw()?;
        self.open_run();
        Some(value)
    }

    /// A run that ended at the end of its leaf's snapshot goes on without the keyed path (its
    /// loop, bound checks and key writes: a tenth of a full scan's time at each leaf): in the
    /// layer's next leaf in scan order, the frame moved there and past the entries that are
    /// not beyond it ([`super::frame::Frame::advance`]); or, at the end of a layer
    /// below layer 0 and with an unbounded end, in the next layer the parent links to
    /// ([`ScanCursor::hop_to_next_layer`]); and a run opens over what follows. `true` if a run
    /// is open again; `false` leaves the cursor for the keyed path, with the run left and the
    /// frames as `step` would have them after the same moves (the innermost the frame left,
    /// its parent after the pop, or a pushed frame not located yet).
    #[inline]
    fn refill_run(&mut self) -> bool {
        if self.done || self.run.is_null() {
            return false;
        }
        // Writes the last value's key (the run's entries are about to be replaced) and hands
        // the frame its position.
        self.leave_run();
        let depth = self.buf.frames.len().wrapping_sub(1);
        let Some(frame) = self.buf.frames.last_mut() else {
            return false;
        };
        if !frame.located || frame.checking || frame.index < frame.snapshot.entries.len() {
            return false;
        }
        if frame.at_layer_end::<D>() {
            // The layer is done: with an unbounded end, hop to the next layer its parent
            // links to.
            if depth == 0 || self.end_slice.is_some() || !self.hop_to_next_layer() {
                return false;
            }
        } else if !frame.advance::<D>() {
            return false;
        }
        self.open_run();
        !self.run.is_null()
    }

    /// [`ScanCursor::refill_run`] at the end of a layer below layer 0: leaves the layer (as
    /// `step` does) and, if the parent's next entry links to a layer, takes it and enters that
    /// layer at its first leaf in scan order, ready for a run (no entry of a layer entered
    /// from its end needs a check). `false` leaves the cursor for the keyed path: the parent
    /// frame as `step` would have it after the pop, or the new frame pushed but not located.
    fn hop_to_next_layer(&mut self) -> bool {
        self.buf.frames.pop();
        let depth = self.buf.frames.len().wrapping_sub(1);
        let Some(parent) = self.buf.frames.last_mut() else {
            return false;
        };
        if parent.checking {
            return false;
        }
        let Some(link) = parent.upcoming::<D>() else {
            return false;
        };
        if link.keylen != KEYLEN_LAYER || link.value.is_null() {
            return false;
        }
        parent.index += 1;
        self.buf.key.set_slice(depth, link.ikey, 8);
        self.push_layer(&link, None, None);
        let Some(frame) = self.buf.frames.last_mut() else {
            return false;
        };
        if !locate::<D>(frame) {
            return false;
        }
        // Entered from its end (in scan order) with no bound: every entry lies beyond the
        // (absent) position, as `next_in_snapshot` would find.
        frame.checking = false;
        true
    }

    /// Enters the layer `link` points to (its slice already in the key buffer), at `bound`
    /// (see [`super::frame::Frame`]'s fields), and starts loading the entry node of the layer
    /// after it in scan order, where the scan goes once this one is done, so that its miss
    /// overlaps with this layer's (a hint only; nothing is read through it).
    fn push_layer(&mut self, link: &Entry, bound: Option<Position>, bound_rest: Option<usize>) {
        if let Some(frame) = self.buf.frames.last()
            && let Some(after) = frame.upcoming::<D>()
            && after.keylen == KEYLEN_LAYER
        {
            crate::prefetch::prefetch_node(after.value);
        }
        self.buf
            .frames
            .push(link.value.cast(), bound, bound_rest, !S::INLINE);
    }

    /// Whether the cursor has returned an entry yet.
    pub fn has_emitted(&self) -> bool {
        self.emitted
    }

    /// Whether the cursor has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Ends the cursor (the other end of a double-ended iterator passed it).
    pub fn finish(&mut self) {
        self.leave_run();
        self.done = true;
    }

    /// The next key and value in scan order, or `None` at the end of the range.
    #[inline]
    pub fn next_entry(&mut self) -> Option<(&[u8], S::Ref<'g>)> {
        let (key, value) = self.next_raw()?;
        // SAFETY: `value` came from a validated snapshot of a live slot while the guard
        // (`'g`) is pinned; values are released only through the reclaimer.
        Some((key, unsafe { S::view(value) }))
    }

    /// The next key and the value word as stored in its slot (from `S::into_word`).
    #[inline]
    pub(crate) fn next_raw(&mut self) -> Option<(&[u8], *mut ())> {
        // The keyed path reads and compares `key`, and `last_key` must stay right if it ends.
        self.leave_run();
        loop {
            if self.done {
                return None;
            }
            let value = match self.step_plain() {
                Some(value) => value,
                None => self.step()?,
            };
            let key = self.buf.key.as_bytes();
            if !self.past_start {
                if self.start.before_start(key, D::FORWARD) {
                    continue;
                }
                self.past_start = true;
            }
            if self.end.past_end(key, D::FORWARD) {
                self.done = true;
                return None;
            }
            self.emitted = true;
            return Some((self.buf.key.as_bytes(), value));
        }
    }

    /// The current snapshot's next entry and its layer's depth, if it is a key that ends in
    /// this layer (in its slice or with a suffix) and the snapshot needs no more position
    /// checks: the entries the inlined fast path `step_plain` takes ([`ScanCursor::take_plain`]
    /// takes it).
    #[inline(always)]
    fn peek_plain(&self) -> Option<(usize, Entry)> {
        let depth = self.buf.frames.len().checked_sub(1)?;
        let frame = self.buf.frames.last()?;
        if frame.checking {
            return None;
        }
        let entry = frame.upcoming::<D>()?;
        entry.ends_in_layer().then_some((depth, entry))
    }

    /// Moves past the entry [`ScanCursor::peek_plain`] returned.
    #[inline(always)]
    fn take_plain(&mut self) {
        if let Some(frame) = self.buf.frames.last_mut() {
            frame.index += 1;
        }
    }

    /// The common case of [`ScanCursor::step`], small enough to inline: the entry of
    /// [`ScanCursor::peek_plain`], its key written. `None` (taking nothing) when `step` must
    /// run.
    #[inline]
    fn step_plain(&mut self) -> Option<*mut ()> {
        let (depth, entry) = self.peek_plain()?;
        self.take_plain();
        if entry.keylen <= 8 {
            self.buf
                .key
                .set_slice(depth, entry.ikey, usize::from(entry.keylen));
        } else {
            self.buf.key.set_slice(depth, entry.ikey, 8);
            let suffix = entry.suffix();
            // SAFETY: the suffix was in a validated snapshot while we are pinned; suffixes are
            // immutable and freed only through the reclaimer.
            self.buf.key.push_bytes(unsafe { suffix.as_bytes() });
        }
        Some(entry.value)
    }

    /// Advances to the next entry holding a value, writing its key into `self.buf.key`.
    fn step(&mut self) -> Option<*mut ()> {
        if !self.started {
            self.started = true;
            self.buf.take_spare();
            let start = self.start.key();
            self.buf.frames.push(
                self.root,
                start.map(position_of),
                start.map(|_| 0),
                !S::INLINE,
            );
        }
        loop {
            let depth = self.buf.frames.len() - 1;
            let Some(frame) = self.buf.frames.last_mut() else {
                self.done = true;
                return None;
            };
            if !frame.located && !locate::<D>(frame) {
                // The layer was removed under us: it holds nothing now.
                self.buf.frames.pop();
                if self.buf.frames.is_empty() {
                    self.done = true;
                    return None;
                }
                continue;
            }
            let Some((entry, on_bound_path)) = next_in_snapshot::<D>(frame) else {
                // This leaf is exhausted: move to the neighbour in scan order.
                // Whether or not an entry passed, the loop goes on from the frame as it is left
                // (a new snapshot, or none to locate).
                let more = !frame.at_layer_end::<D>();
                frame.advance::<D>();
                if !more {
                    self.buf.frames.pop();
                    if self.buf.frames.is_empty() {
                        self.done = true;
                        return None;
                    }
                }
                continue;
            };
            let slice_len = usize::from(entry.keylen.min(8));
            self.buf.key.set_slice(depth, entry.ikey, slice_len);
            match entry.keylen {
                KEYLEN_LAYER => {
                    // Enter the layer; if the range bound's key runs through this slot, the
                    // layer is entered at the bound's next slice.
                    let child_bound = on_bound_path.and_then(|offset| {
                        let b = self.start.key()?;
                        let rest = &b[offset..];
                        (rest.len() > 8 && ikey_of(rest) == entry.ikey).then(|| offset + 8)
                    });
                    let bound = child_bound.map(|o| {
                        let b = self.start.key().expect("bound path");
                        position_of(&b[o..])
                    });
                    self.push_layer(&entry, bound, child_bound);
                }
                KEYLEN_SUFFIX => {
                    if entry.suffix().is_none() {
                        continue;
                    }
                    let suffix = entry.suffix();
                    // SAFETY: the suffix was in a validated snapshot while we are pinned;
                    // suffixes are immutable and freed only through the reclaimer.
                    self.buf.key.push_bytes(unsafe { suffix.as_bytes() });
                    return Some(entry.value);
                }
                _ => return Some(entry.value),
            }
        }
    }
}

/// Takes the entry a run position `at` names next in scan order and moves `at` past it
/// (forward: `at` is the entry, then one past it; reverse: `at` is one past the entry).
///
/// # Safety
///
/// The run must not be empty at `at`: the entry it names lies inside the run's entries, which
/// stay allocated and unchanged for `'e`.
#[inline(always)]
unsafe fn take<'e, D: Direction>(at: &mut *const Entry) -> &'e Entry {
    // SAFETY: the caller's guarantee: the entry at (forward) or just below (reverse) `at` is
    // inside the run, so the moved position is within or one past the entries.
    unsafe {
        if D::FORWARD {
            let entry = &**at;
            *at = at.add(1);
            entry
        } else {
            *at = at.sub(1);
            &**at
        }
    }
}

/// The entry [`take`] returned last, given the run position after it.
///
/// # Safety
///
/// At least one entry was taken from the run to reach `at`.
#[inline(always)]
unsafe fn last_taken<D: Direction>(at: *const Entry) -> *const Entry {
    // SAFETY: the caller's guarantee: forward, the entry taken last is just below `at`;
    // reverse, `at` names it.
    if D::FORWARD { unsafe { at.sub(1) } } else { at }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::ScanCursor;
    use crate::scan::{Forward, KeyBound, Reverse};
    use crate::{Decision, DeferredReclaim, Inline, RawTree};

    type Tree = RawTree<u64, DeferredReclaim, Inline>;

    fn tree_of(n: u64) -> Tree {
        let tree = Tree::new();
        {
            let guard = tree.pin();
            for i in 0..n {
                tree.write(&i.to_be_bytes(), &guard, |_| Decision::Put(i));
            }
        }
        tree
    }

    /// A cursor finished while a run is open (values taken from the middle of a leaf) returns
    /// nothing more, and its last key is the last value's.
    #[test]
    fn finish_closes_the_run() {
        let tree = tree_of(100);
        let guard = tree.pin();
        let mut forward = ScanCursor::<u64, Inline, Forward>::new(
            &tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let mut reverse = ScanCursor::<u64, Inline, Reverse>::new(
            &tree,
            &guard,
            KeyBound::Unbounded,
            KeyBound::Unbounded,
        );
        let firsts: Vec<u64> = (0..3).filter_map(|_| forward.next_value()).collect();
        let lasts: Vec<u64> = (0..3).filter_map(|_| reverse.next_value()).collect();
        assert_eq!((firsts, lasts), (vec![0, 1, 2], vec![99, 98, 97]));
        forward.finish();
        reverse.finish();
        assert_eq!(forward.next_value(), None);
        assert_eq!(reverse.next_value(), None);
        assert_eq!(forward.last_key(), Some(&2u64.to_be_bytes()[..]));
        assert_eq!(reverse.last_key(), Some(&97u64.to_be_bytes()[..]));
    }
}
