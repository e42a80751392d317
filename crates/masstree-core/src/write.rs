//! Writes: insert, replace and remove of one key, decided under the leaf lock.

use crate::finger::{FINGER_STEPS, Finger, Fingered};
use crate::free::FreeSuffix;
use crate::layer::build_layer;
use crate::reach::reach_leaf;
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor};
use masstree_node::{KEYLEN_LAYER, Leaf, NodeHeader, NodeLock, Permutation, SlotSuffix, Version};

/// What a write does with the key, decided by the caller's closure from the current value.
#[derive(Debug)]
pub enum Decision<V> {
    /// Leave the map unchanged.
    Keep,
    /// Store this value (inserting the key or replacing its value).
    Put(V),
    /// Remove the key (no effect when absent).
    Remove,
}

/// The outcome of [`RawTree::write`]: reader views of the values (`&V` for boxed values, copies
/// for inline ones; see [`crate::ValueSlot`]).
#[derive(Debug)]
pub struct Written<T> {
    /// The value the key had when the decision was made.
    pub old: Option<T>,
    /// The value stored by a [`Decision::Put`].
    pub new: Option<T>,
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Atomically reads the key's value and applies `decide`'s decision, holding the lock of the
    /// leaf the key lives in. `decide` runs exactly once, under that lock; if it panics the lock
    /// is released and the map is unchanged. Replaced and removed values are retired (dropped
    /// once no guard can see them); the references returned live as long as `guard`.
    #[inline]
    pub fn write<'g, G: GuardOf<R>, F>(
        &'g self,
        key: &[u8],
        guard: &'g G,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        // SAFETY: no finger.
        unsafe { self.write_with::<true, _, _>(key, guard, None, decide) }
    }

    /// [`RawTree::write`] under a [`Fingered`] guard: starts from the finger's leaf instead of
    /// descending layer 0 when the finger's cached range holds the key's first slice, and
    /// points the finger at the leaf each layer-0 insert goes to. Rising keys
    /// written one after another skip the descent.
    ///
    /// ```
    /// use masstree_core::{Decision, Fingered, RawTree};
    ///
    /// let tree: RawTree<u64> = RawTree::new();
    /// let pinned = Fingered::new(tree.pin());
    /// let written = tree.write_fingered(b"k", &pinned, |_| Decision::Put(1));
    /// assert_eq!(written.new, Some(&1));
    /// ```
    #[inline]
    pub fn write_fingered<'g, G: GuardOf<R>, F>(
        &'g self,
        key: &[u8],
        pinned: &'g Fingered<G>,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        // SAFETY: the finger sits beside the guard in `pinned`: it holds only leaves stored by
        // writes under that guard, which has not been refreshed since (`Fingered::refresh`
        // clears the finger first), and the finger checks the tree they belong to.
        unsafe { self.write_with::<true, _, _>(key, pinned.guard(), Some(pinned.finger()), decide) }
    }

    /// Inserts `value` under `key`, returning the value it replaced: [`RawTree::write`] with
    /// `Decision::Put`, minus the machinery a user closure needs (no user code runs under the
    /// lock).
    ///
    /// ```
    /// use masstree_core::RawTree;
    ///
    /// let tree: RawTree<u64> = RawTree::new();
    /// let guard = tree.pin();
    /// assert_eq!(tree.insert(b"k", 1, &guard), None);
    /// assert_eq!(tree.insert(b"k", 2, &guard), Some(&1));
    /// ```
    #[inline]
    pub fn insert<'g, G: GuardOf<R>>(
        &'g self,
        key: &[u8],
        value: V,
        guard: &'g G,
    ) -> Option<S::Ref<'g>> {
        // SAFETY: no finger.
        unsafe { self.write_with::<false, _, _>(key, guard, None, |_| Decision::Put(value)) }.old
    }

    /// [`RawTree::insert`] under a [`Fingered`] guard (see [`RawTree::write_fingered`]).
    ///
    /// ```
    /// use masstree_core::{Fingered, RawTree};
    ///
    /// let tree: RawTree<u64> = RawTree::new();
    /// let pinned = Fingered::new(tree.pin());
    /// for i in 0..100u64 {
    ///     tree.insert_fingered(&i.to_be_bytes(), i, &pinned);
    /// }
    /// assert_eq!(tree.get(&7u64.to_be_bytes(), pinned.guard()), Some(&7));
    /// ```
    #[inline]
    pub fn insert_fingered<'g, G: GuardOf<R>>(
        &'g self,
        key: &[u8],
        value: V,
        pinned: &'g Fingered<G>,
    ) -> Option<S::Ref<'g>> {
        // SAFETY: as in `write_fingered`.
        unsafe {
            self.write_with::<false, _, _>(key, pinned.guard(), Some(pinned.finger()), |_| {
                Decision::Put(value)
            })
        }
        .old
    }

    /// [`RawTree::write`], with an optional finger (see [`Fingered`]). `USER_CODE`: whether
    /// `decide` may run code of the map's user (then it runs in a reentrancy scope and under
    /// a shield guard, see [`RawTree::guarded`]); the map's own decisions (a plain insert's
    /// `Put`) run nothing of the user's and skip both.
    ///
    /// # Safety
    ///
    /// `guard` has stayed pinned since each leaf the finger holds was stored.
    #[inline]
    unsafe fn write_with<'g, const USER_CODE: bool, G: GuardOf<R>, F>(
        &'g self,
        key: &[u8],
        guard: &'g G,
        finger: Option<&Finger>,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        assert!(
            !self.in_decision(),
            "masstree: a closure passed to a write of this map (update, get_or_insert_with, \
             remove_if, compare_exchange) wrote to the same map; it runs under a leaf lock of \
             this map, so it may read but not write it (writes to other maps are fine)"
        );
        // An owned guard pins no thread: pin this one for the whole write, so the guards the
        // decision closure reaches, and those retirement pins, are nested and cannot reclaim
        // under the lock (point 4 of the `Reclaim` contract); it drops after the lock is gone.
        let _thread = self.thread_pin(guard);
        // SAFETY: the caller's promise about the finger, passed on.
        unsafe {
            if USER_CODE {
                self.write_locked(key, guard, finger, self.guarded(decide))
            } else {
                self.write_locked(key, guard, finger, decide)
            }
        }
    }

    /// The body of [`RawTree::write_with`]: finds and locks the key's leaf, runs `decide` once
    /// under the lock and applies its decision.
    ///
    /// # Safety
    ///
    /// As for [`RawTree::write_with`].
    unsafe fn write_locked<'g, G: GuardOf<R>, F>(
        &'g self,
        key: &[u8],
        guard: &'g G,
        finger: Option<&Finger>,
        decide: F,
    ) -> Written<S::Ref<'g>>
    where
        F: FnOnce(Option<S::Ref<'g>>) -> Decision<V>,
    {
        let mut cursor = KeyCursor::new(key);
        let mut root = self.root();
        // The finger is tried once, for the first layer-0 step.
        let mut try_finger = finger;
        loop {
            let ikey = cursor.ikey();
            let keylen = cursor.keylen();
            // The slot an optimistic search found for the key (`peek_slot`), to reuse under
            // the lock if nothing moved it: (leaf, version, position, slot).
            let mut peeked: Option<(&Leaf, Version, usize, usize)> = None;
            // SAFETY: the caller's finger holds allocated leaves of this tree's layer 0.
            let fingered = try_finger
                .take()
                .and_then(|f| unsafe { f.leaf_for(self.address(), ikey) });
            let from_finger = fingered.is_some();
            let leaf = match fingered {
                Some(leaf) => leaf,
                // SAFETY: `root` is live and we are pinned.
                None => match unsafe { reach_leaf(root, ikey) } {
                    Some((leaf, v)) => {
                        if keylen == KEYLEN_SUFFIX {
                            match peek_slot(leaf, v, ikey) {
                                Peek::Layer(layer) => {
                                    root = layer;
                                    cursor.shift();
                                    continue;
                                }
                                Peek::Slot { pos, slot } => peeked = Some((leaf, v, pos, slot)),
                                Peek::Nothing => {}
                            }
                        }
                        leaf
                    }
                    None => {
                        // The layer was removed: start over from layer 0.
                        cursor = KeyCursor::new(key);
                        root = self.root();
                        continue;
                    }
                },
            };
            let locked = if from_finger {
                // SAFETY: as above.
                let locked = unsafe { lock_leaf_near(leaf, ikey, FINGER_STEPS) };
                if locked.is_none()
                    && let Some(finger) = finger
                {
                    finger.forget();
                }
                locked
            } else {
                // SAFETY: as above.
                unsafe { lock_leaf(leaf, ikey) }
            };
            let Some((leaf, lock)) = locked else {
                continue;
            };
            let perm = leaf.permutation();
            // The peeked slot is still the key's if no dirty section ran since its version
            // (none changes or frees a published slot without one; we hold the lock now, so
            // none is running) and the position still names it (inserts, which need no dirty
            // bit, shift positions): the search would find it again.
            let reused = peeked.and_then(|(at, v, pos, slot)| {
                (core::ptr::eq(at, leaf)
                    && !leaf.version().has_changed(v)
                    && pos < perm.len()
                    && perm.get(pos) == slot)
                    .then_some(Search::Found { pos, slot })
            });
            match reused.unwrap_or_else(|| search(leaf, perm, ikey, keylen)) {
                Search::Found { pos, slot } => {
                    let class = leaf.keylen(slot);
                    if class == KEYLEN_LAYER {
                        root = leaf.value(slot).cast();
                        drop(lock);
                        cursor.shift();
                        continue;
                    }
                    if class == KEYLEN_SUFFIX {
                        let stored = leaf.suffix(slot);
                        // SAFETY: a live suffix slot holds a suffix, which our lock keeps.
                        let stored = unsafe { stored.as_bytes() };
                        if stored != cursor.suffix() {
                            // Another key shares this slice: ours is absent.
                            let Decision::Put(value) = decide(None) else {
                                return Written {
                                    old: None,
                                    new: None,
                                };
                            };
                            let new = S::into_word(value);
                            // Both keys continue past the slice: they move into a new layer.
                            let layer = build_layer(
                                stored,
                                leaf.value(slot),
                                cursor.suffix(),
                                new,
                                &self.pool,
                            );
                            lock.mark_insert();
                            leaf.set_keylen(&lock, slot, KEYLEN_LAYER);
                            leaf.set_value(&lock, slot, layer.cast());
                            let old_suffix = leaf.set_suffix(&lock, slot, SlotSuffix::NONE);
                            drop(lock);
                            if !old_suffix.is_null() {
                                // SAFETY: the long suffix left the slot above; readers that
                                // loaded it are pinned, later readers cannot reach it.
                                unsafe { guard.retire::<_, FreeSuffix>(old_suffix) };
                            }
                            self.len.increment();
                            // SAFETY: `new` is in the tree and released only through the
                            // reclaimer, after `guard`.
                            let new = unsafe { S::view(new) };
                            return Written {
                                old: None,
                                new: Some(new),
                            };
                        }
                    }
                    let old_word = leaf.value(slot);
                    // SAFETY: a live value slot holds a word from `S::into_word`, retired only
                    // after it leaves the slot, under this lock, and released after `guard`.
                    let old = unsafe { S::view(old_word) };
                    return match decide(Some(old)) {
                        Decision::Keep => Written {
                            old: Some(old),
                            new: None,
                        },
                        Decision::Put(value) => {
                            let new = S::into_word(value);
                            leaf.set_value(&lock, slot, new);
                            drop(lock);
                            // SAFETY: the old value left its slot; it is retired once.
                            unsafe { S::retire(guard, old_word) };
                            // SAFETY: `new` is in the tree and released only through the
                            // reclaimer, after `guard`.
                            let new = unsafe { S::view(new) };
                            Written {
                                old: Some(old),
                                new: Some(new),
                            }
                        }
                        Decision::Remove => {
                            lock.mark_insert();
                            let mut p = perm;
                            p.remove(pos);
                            leaf.set_permutation(&lock, p);
                            let suffix = leaf.set_suffix(&lock, slot, SlotSuffix::NONE);
                            if p.is_empty() {
                                self.collapse_empty(leaf, lock, key, cursor.depth(), guard);
                            } else {
                                drop(lock);
                            }
                            // SAFETY: value and suffix left the leaf above; each retired once.
                            unsafe {
                                if !suffix.is_null() {
                                    guard.retire::<_, FreeSuffix>(suffix);
                                }
                                S::retire(guard, old_word);
                            }
                            self.len.decrement();
                            Written {
                                old: Some(old),
                                new: None,
                            }
                        }
                    };
                }
                Search::Missing { pos } => {
                    let Decision::Put(value) = decide(None) else {
                        return Written {
                            old: None,
                            new: None,
                        };
                    };
                    let new = S::into_word(value);
                    let entry = NewEntry::new(&cursor, new);
                    if perm.is_full() {
                        self.split_insert(leaf, lock, pos, entry);
                    } else {
                        insert_into_free_slot(leaf, &lock, perm, pos, entry);
                        if let Some(finger) = finger
                            && cursor.depth() == 0
                        {
                            // Every layer-0 insert points the finger at its leaf, appends or
                            // not: two writers appending to neighbouring ranges insert in the
                            // middle of the leaf where their ranges meet. The next leaf's low
                            // bound `set` reads was just read by `lock_leaf`: no new miss.
                            // SAFETY: a layer-0 leaf of this tree, locked by us.
                            unsafe { finger.set(self.address(), leaf) };
                        }
                        drop(lock);
                    }
                    self.len.increment();
                    // SAFETY: `new` is in the tree and released only through the reclaimer,
                    // after `guard`.
                    let new = unsafe { S::view(new) };
                    return Written {
                        old: None,
                        new: Some(new),
                    };
                }
            }
        }
    }
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// Whether this thread runs a decision closure under a leaf lock of this tree.
    pub(crate) fn in_decision(&self) -> bool {
        crate::decision::in_scope_of(self.address())
    }

    /// A guard of this thread, when `guard` pins none (an owned guard), for a caller about to
    /// take node locks: see [`GuardOf::pins_thread`].
    #[inline]
    pub(crate) fn thread_pin<G: GuardOf<R>>(&self, guard: &G) -> Option<R::Guard<'_>> {
        (!guard.pins_thread()).then(|| self.reclaim.pin())
    }

    /// Wraps a decision closure so that, while it runs, a write to this tree from the same
    /// thread panics (see [`crate::decision`]), and a guard of this tree is held, so every
    /// guard the closure can reach counts as nested: it cannot reclaim (and run other values'
    /// `Drop`) under the lock ([`Reclaim`]'s contract, point 4).
    fn guarded<'t, T, F>(&'t self, decide: F) -> impl FnOnce(Option<T>) -> Decision<V> + 't
    where
        F: FnOnce(Option<T>) -> Decision<V> + 't,
    {
        move |old| {
            let _shield = self.reclaim.shield();
            crate::decision::run_in_scope(self.address(), || decide(old))
        }
    }
}

/// A key about to enter a leaf.
#[derive(Clone, Copy)]
pub(crate) struct NewEntry {
    pub(crate) ikey: u64,
    pub(crate) keylen: u8,
    pub(crate) value: *mut (),
    /// Short, or a long one this entry owns until a leaf takes it.
    pub(crate) suffix: SlotSuffix,
}

impl NewEntry {
    /// The entry of the key at `cursor`'s layer, holding `value`; a key that goes on past the
    /// slice gets its rest as a short suffix, or copied into a new long one.
    pub(crate) fn new(cursor: &KeyCursor<'_>, value: *mut ()) -> Self {
        let keylen = cursor.keylen();
        let suffix = if keylen == KEYLEN_SUFFIX {
            SlotSuffix::owned(cursor.suffix())
        } else {
            SlotSuffix::NONE
        };
        Self {
            ikey: cursor.ikey(),
            keylen,
            value,
            suffix,
        }
    }
}

/// Writes `entry` into the next free slot of `p` (the leaf's current permutation, read under
/// `lock`) and publishes it at position `pos` with one store.
/// Readers never look at a free slot, so no dirty bit is needed.
pub(crate) fn insert_into_free_slot(
    leaf: &Leaf,
    lock: &NodeLock<'_>,
    mut p: Permutation,
    pos: usize,
    entry: NewEntry,
) {
    let slot = p.back();
    let stale = leaf.set_suffix(lock, slot, entry.suffix);
    debug_assert!(stale.is_null(), "a free slot kept a suffix");
    leaf.set_slot(lock, slot, entry.ikey, entry.keylen, entry.value);
    p.insert_from_back(pos);
    leaf.set_permutation(lock, p);
}

/// [`lock_leaf`] from a leaf that is only a hint (a writer's finger): also checks, under the
/// lock, that `ikey` is at or above the leaf's low bound (a descent establishes that; the bound
/// only moves down, so it stays true while the lock is held), and moves right at most `steps`
/// times. `None` if the leaf is deleted, below `ikey`'s range, or too far left: the caller
/// descends.
///
/// # Safety
///
/// `leaf` must be live and the caller pinned for `'g`.
#[inline]
pub(crate) unsafe fn lock_leaf_near<'g>(
    leaf: &'g Leaf,
    ikey: u64,
    steps: usize,
) -> Option<(&'g Leaf, NodeLock<'g>)> {
    // SAFETY: the caller's promise.
    unsafe { lock_leaf_walk(leaf, ikey, steps, true) }
}

/// What an optimistic search of a leaf found for a key that goes on past this slice.
enum Peek {
    /// Its slot links to this layer (entry node): the write goes on there without the lock.
    Layer(*mut NodeHeader),
    /// Its slice has a slot of the suffix class, not a layer link, at `pos` of the
    /// permutation: the caller locks the leaf and may reuse it (see `write_locked`).
    Slot { pos: usize, slot: usize },
    /// No such slot, a layer link being built or removed (null), or the leaf changed.
    Nothing,
}

/// The slot of `ikey` (a key that goes on past this slice) in `leaf`, read as a lookup reads
/// it: searched at `v`, the version its descent validated, and accepted only if the leaf still
/// has that version. A write passes through a layer link without locking the leaf (the locked
/// path read the same pointer and let go of the lock before entering the layer, so the layer
/// may be removed under either; the descent into it then finds its entry leaf deleted and the
/// write starts over from layer 0, as a lookup does). Before, every write of a key below
/// layer 0 locked and unlocked its layer-0 leaf on the way: YCSB's keys put ~200 keys' writes
/// on each layer-0 leaf's lock word.
#[inline(always)]
fn peek_slot(leaf: &Leaf, v: Version, ikey: u64) -> Peek {
    let Search::Found { pos, slot } = search(leaf, leaf.permutation(), ikey, KEYLEN_SUFFIX) else {
        return Peek::Nothing;
    };
    let (class, layer) = (leaf.keylen(slot), leaf.value(slot));
    // Validated: class and pointer were one slot's contents at one instant, when the leaf
    // held `ikey`'s range (the descent's guarantee for `v`).
    if leaf.version().has_changed(v) {
        return Peek::Nothing;
    }
    if class != KEYLEN_LAYER {
        return Peek::Slot { pos, slot };
    }
    if layer.is_null() {
        Peek::Nothing
    } else {
        Peek::Layer(layer.cast())
    }
}

/// Locks the leaf whose range holds `ikey`, starting at `leaf` and moving right past splits that
/// happened before the lock was taken. `None` if the leaf was unlinked (descend again).
///
/// # Safety
///
/// `leaf` must be live and the caller pinned for `'g`.
#[inline]
pub(crate) unsafe fn lock_leaf<'g>(leaf: &'g Leaf, ikey: u64) -> Option<(&'g Leaf, NodeLock<'g>)> {
    // SAFETY: the caller's promise.
    unsafe { lock_leaf_walk(leaf, ikey, usize::MAX, false) }
}

/// The walk behind [`lock_leaf`] and [`lock_leaf_near`]: lock, give up on a deleted leaf (or,
/// with `check_low`, on one whose range starts above `ikey`), move right while `ikey` is at or
/// past the next leaf's low bound, at most `steps` times.
///
/// # Safety
///
/// `leaf` must be live and the caller pinned for `'g`.
unsafe fn lock_leaf_walk<'g>(
    mut leaf: &'g Leaf,
    ikey: u64,
    mut steps: usize,
    check_low: bool,
) -> Option<(&'g Leaf, NodeLock<'g>)> {
    loop {
        let lock = leaf.version().lock();
        if lock.current().is_deleted() || (check_low && ikey < leaf.low_bound()) {
            return None;
        }
        let next = leaf.next();
        // SAFETY: sibling pointers name live leaves while we are pinned.
        if !next.is_null() && ikey >= unsafe { (*next).low_bound() } {
            drop(lock);
            steps = steps.checked_sub(1)?;
            // SAFETY: as above.
            leaf = unsafe { &*next };
            continue;
        }
        return Some((leaf, lock));
    }
}
