//! The lending cursor that drives a scan through its frames.

use super::bounds::KeyBound;
use super::direction::Direction;
use super::frame::{locate, next_in_snapshot, position_of};
use super::snapshot::Entry;
use super::stack::FrameStack;
use crate::tree::RawTree;
use crate::value::ValueSlot;
use core::cmp::Ordering;
use core::marker::PhantomData;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, KeyBuilder, ikey_of};
use masstree_node::{KEYLEN_LAYER, NodeHeader, SlotSuffix};

/// A lending cursor over a tree in direction `D`: each [`ScanCursor::next_entry`] returns the
/// next key (in a buffer the cursor reuses) and its value. No allocation per key.
pub struct ScanCursor<'g, V, S: ValueSlot<V>, D: Direction> {
    /// The layer-0 entry node, read when the cursor was opened.
    root: *mut NodeHeader,
    /// One frame per layer the scan is inside; empty until the first step (so an end of a
    /// double-ended range that is never used costs no allocation).
    frames: FrameStack,
    started: bool,
    key: KeyBuilder,
    start: KeyBound,
    end: KeyBound,
    past_start: bool,
    emitted: bool,
    done: bool,
    /// The last entry returned by [`ScanCursor::next_value`], whose key is not written into
    /// `key` until someone asks for it ([`ScanCursor::last_key`] or the next keyed step).
    pending: Option<PendingKey>,
    /// The end bound's first slice, when every key whose first slice lies strictly before it
    /// (in scan order) is inside the range: lets [`ScanCursor::next_value`] check layer-0
    /// entries against the end without building their keys. `None` for an unbounded end.
    end_slice: Option<u64>,
    _marker: PhantomData<(&'g V, S, D)>,
}

// SAFETY: the cursor's raw pointers are into nodes, suffixes and values of a tree that the
// caller's guard (or scope) keeps allocated for `'g`, wherever the cursor is; every shared
// field is read through atomics or validated snapshots, as on the thread that opened it, and
// nothing in the cursor is tied to that thread (protection comes from the guard being alive,
// not from which thread reads). It hands out `S::Ref<'g>` (`&V` for boxed values), hence
// `V: Sync` (and `Send`, as the values' owner, the tree, requires).
unsafe impl<'g, V: Send + Sync, S: ValueSlot<V>, D: Direction> Send for ScanCursor<'g, V, S, D> {}

/// A returned entry's key, not yet written into the cursor's key buffer.
#[derive(Clone, Copy)]
struct PendingKey {
    depth: usize,
    ikey: u64,
    keylen: u8,
    suffix: SlotSuffix,
}

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
            frames: FrameStack::new(),
            started: false,
            key: KeyBuilder::new(),
            start,
            end,
            past_start: false,
            emitted: false,
            done: empty,
            pending: None,
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
        self.emitted.then(|| self.key.as_bytes())
    }

    /// [`ScanCursor::last_key`] for a shared borrow: `None` as well when the last key returned
    /// by [`ScanCursor::next_value`] was not written out yet (for `Debug` output).
    pub fn last_key_written(&self) -> Option<&[u8]> {
        (self.emitted && self.pending.is_none()).then(|| self.key.as_bytes())
    }

    /// Writes the key of the last [`ScanCursor::next_value`] entry into the key buffer.
    #[inline]
    fn write_pending_key(&mut self) {
        if let Some(p) = self.pending.take() {
            self.key
                .set_slice(p.depth, p.ikey, usize::from(p.keylen.min(8)));
            if p.keylen == KEYLEN_SUFFIX {
                // SAFETY: the suffix was in a validated snapshot while the cursor's guard is
                // pinned; suffixes are immutable and freed only through the reclaimer.
                self.key.push_bytes(unsafe { p.suffix.as_bytes() });
            }
        }
    }

    /// The next value in scan order, or `None` at the end of the range: [`next_entry`] for a
    /// caller that does not need the key. A key that ends in the current layer and lies before
    /// the end bound by its first slice alone is not written out at all (it is written on
    /// demand by [`ScanCursor::last_key`]); everything else takes the keyed path.
    ///
    /// [`next_entry`]: ScanCursor::next_entry
    #[inline(always)]
    pub fn next_value(&mut self) -> Option<S::Ref<'g>> {
        let value = match self.step_unkeyed() {
            Some(value) => value,
            None => self.next_raw()?.1,
        };
        // SAFETY: `value` came from a validated snapshot of a live slot while the guard
        // (`'g`) is pinned; values are released only through the reclaimer.
        Some(unsafe { S::view(value) })
    }

    /// The fast path of [`ScanCursor::next_value`]: [`ScanCursor::step_plain`] without writing
    /// the key, for entries that need no start or end check by key. `None` (taking nothing)
    /// when the keyed path must run.
    #[inline(always)]
    fn step_unkeyed(&mut self) -> Option<*mut ()> {
        if self.done || !self.past_start {
            return None;
        }
        let (depth, entry) = self.peek_plain()?;
        // Strictly before the end's first slice (zero-padded, big-endian) means strictly
        // before the end key, whatever the rest of either key (a layer-0 slice is the key's
        // first 8 bytes).
        let before_end = match self.end_slice {
            None => true,
            Some(end) => {
                depth == 0
                    && if D::FORWARD {
                        entry.ikey < end
                    } else {
                        entry.ikey > end
                    }
            }
        };
        if !before_end {
            return None;
        }
        self.take_plain();
        self.pending = Some(PendingKey {
            depth,
            ikey: entry.ikey,
            keylen: entry.keylen,
            suffix: entry.suffix(),
        });
        self.emitted = true;
        Some(entry.value)
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
        self.write_pending_key();
        loop {
            if self.done {
                return None;
            }
            let value = match self.step_plain() {
                Some(value) => value,
                None => self.step()?,
            };
            let key = self.key.as_bytes();
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
            return Some((self.key.as_bytes(), value));
        }
    }

    /// The current snapshot's next entry and its layer's depth, if it is a key that ends in
    /// this layer (in its slice or with a suffix) and the snapshot needs no more position
    /// checks: the entries the inlined fast paths take ([`ScanCursor::take_plain`] takes it).
    #[inline(always)]
    fn peek_plain(&self) -> Option<(usize, Entry)> {
        let depth = self.frames.len().checked_sub(1)?;
        let frame = self.frames.last()?;
        if frame.checking {
            return None;
        }
        let entry = frame.upcoming::<D>()?;
        let ends_here =
            entry.keylen <= 8 || (entry.keylen == KEYLEN_SUFFIX && !entry.suffix().is_none());
        ends_here.then_some((depth, entry))
    }

    /// Moves past the entry [`ScanCursor::peek_plain`] returned.
    #[inline(always)]
    fn take_plain(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
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
            self.key
                .set_slice(depth, entry.ikey, usize::from(entry.keylen));
        } else {
            self.key.set_slice(depth, entry.ikey, 8);
            let suffix = entry.suffix();
            // SAFETY: the suffix was in a validated snapshot while we are pinned; suffixes are
            // immutable and freed only through the reclaimer.
            self.key.push_bytes(unsafe { suffix.as_bytes() });
        }
        Some(entry.value)
    }

    /// Advances to the next entry holding a value, writing its key into `self.key`.
    fn step(&mut self) -> Option<*mut ()> {
        if !self.started {
            self.started = true;
            let start = self.start.key();
            self.frames.push(
                self.root,
                start.map(position_of),
                start.map(|_| 0),
                !S::INLINE,
            );
        }
        loop {
            let depth = self.frames.len() - 1;
            let Some(frame) = self.frames.last_mut() else {
                self.done = true;
                return None;
            };
            if !frame.located && !locate::<D>(frame) {
                // The layer was removed under us: it holds nothing now.
                self.frames.pop();
                if self.frames.is_empty() {
                    self.done = true;
                    return None;
                }
                continue;
            }
            let Some((entry, on_bound_path)) = next_in_snapshot::<D>(frame) else {
                // This leaf is exhausted: move to the neighbour in scan order.
                let snap = &frame.snapshot;
                let (here, next, prev, low_bound) =
                    (snap.leaf, snap.next, snap.prev, snap.low_bound);
                frame.settle::<D>();
                let more = if D::FORWARD {
                    if next.is_null() {
                        false
                    } else {
                        // SAFETY: a `next` read inside a validated snapshot names a leaf that was
                        // live then; we are pinned, so it is still allocated.
                        // If it was unlinked, `locate` re-descends to our position instead.
                        frame.located = frame.snapshot.fill::<D>(unsafe { &*next });
                        true
                    }
                } else if low_bound == 0 {
                    false
                } else {
                    // The leaf holding the slices just below this one's range: the left
                    // sibling if a validated read of it shows it still links to this leaf (then
                    // its range ends where this one's starts), else found by a descent.
                    // SAFETY: `prev` was read from a leaf we snapshotted while pinned; sibling
                    // pointers are re-pointed before a leaf is retired, so it is still
                    // allocated. It is only a hint: its `next` is checked below.
                    frame.located = !prev.is_null()
                        && frame.snapshot.fill::<D>(unsafe { &*prev })
                        && core::ptr::eq(frame.snapshot.next, here);
                    if !frame.located {
                        frame.seek = Some(low_bound - 1);
                    }
                    true
                };
                if !more {
                    self.frames.pop();
                    if self.frames.is_empty() {
                        self.done = true;
                        return None;
                    }
                }
                continue;
            };
            let slice_len = usize::from(entry.keylen.min(8));
            self.key.set_slice(depth, entry.ikey, slice_len);
            match entry.keylen {
                KEYLEN_LAYER => {
                    // The layer after this one in scan order is where the scan goes once this
                    // one is done: start loading its entry node now, so its miss overlaps with
                    // this layer's (a hint only; nothing is read through it).
                    if let Some(frame) = self.frames.last()
                        && let Some(after) = frame.upcoming::<D>()
                        && after.keylen == KEYLEN_LAYER
                    {
                        crate::prefetch::prefetch_node(after.value);
                    }
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
                    self.frames
                        .push(entry.value.cast(), bound, child_bound, !S::INLINE);
                }
                KEYLEN_SUFFIX => {
                    if entry.suffix().is_none() {
                        continue;
                    }
                    let suffix = entry.suffix();
                    // SAFETY: the suffix was in a validated snapshot while we are pinned;
                    // suffixes are immutable and freed only through the reclaimer.
                    self.key.push_bytes(unsafe { suffix.as_bytes() });
                    return Some(entry.value);
                }
                _ => return Some(entry.value),
            }
        }
    }
}
