//! Lookup: lock-free, allocation-free, no shared writes.

use crate::reach::{advance, reach_leaf};
use crate::search::{Search, search};
use crate::tree::RawTree;
use crate::value::ValueSlot;
use masstree_alloc::{GuardOf, Reclaim};
use masstree_key::{KEYLEN_SUFFIX, KeyCursor, ikey_of};
use masstree_node::{KEYLEN_LAYER, Leaf, SHORT_SUFFIX_MAX, Suffix, SuffixRaw};

/// The suffix half of a slot's comparison, read before validation.
enum SuffixSeen {
    /// The key's suffix is short, so only the slot's short suffix can equal it: whether it did.
    Short(bool),
    /// The key's suffix is long: the slot's long suffix (null if none), compared once the slot
    /// is validated.
    Long(*const SuffixRaw),
}

/// What a validated read of one leaf found.
enum Lookup {
    Absent,
    Value(*mut ()),
    Layer(*mut ()),
}

impl<V, R: Reclaim, S: ValueSlot<V>> RawTree<V, R, S> {
    /// The value of `key`, if present.
    ///
    /// Linearizes at the last version check of the leaf that holds (or would hold) the key.
    #[inline]
    pub fn get<'g, G: GuardOf<R>>(&'g self, key: &[u8], guard: &'g G) -> Option<S::Ref<'g>> {
        // SAFETY: no hint.
        unsafe { self.get_hinted(key, None, guard) }
    }

    /// [`RawTree::get`], starting at `hint` instead of descending layer 0 when `hint` can
    /// serve: a leaf not unlinked whose range starts at or below the key's first slice (then
    /// B-link moves to the right find the leaf that holds it, as after any failed validation).
    /// Otherwise, and in deeper layers, it descends as usual.
    ///
    /// # Safety
    ///
    /// `hint`, if any, is a leaf of this tree's layer 0 read while `guard` was pinned.
    pub(crate) unsafe fn get_hinted<'g, G: GuardOf<R>>(
        &'g self,
        key: &[u8],
        mut hint: Option<&'g Leaf>,
        guard: &'g G,
    ) -> Option<S::Ref<'g>> {
        assert!(
            self.owns_guard(guard),
            "masstree: a guard of another map was passed to this map"
        );
        let mut cursor = KeyCursor::new(key);
        let mut root = self.root();
        loop {
            let ikey = cursor.ikey();
            let keylen = cursor.keylen();
            // A suffix of at most a word is compared as one, with the slot's short suffix: no
            // pointer to follow. (A key that goes on past its slice has at least one more byte.)
            let short = (keylen == KEYLEN_SUFFIX && cursor.suffix().len() <= SHORT_SUFFIX_MAX)
                .then(|| (ikey_of(cursor.suffix()), cursor.suffix().len() as u8));
            let hinted = hint.take().and_then(|h| {
                // SAFETY: the caller's hint is a layer-0 leaf, live while we are pinned.
                (ikey >= h.low_bound()).then(|| unsafe { advance(h, ikey) })?
            });
            let reached = match hinted {
                Some(found) => Some(found),
                // SAFETY: `root` is a live node (tree root or a layer pointer read under
                // validation) and we are pinned by `guard`.
                None => unsafe { reach_leaf(root, ikey) },
            };
            let Some((mut leaf, mut v)) = reached else {
                // The layer was removed: start over from layer 0.
                cursor = KeyCursor::new(key);
                root = self.root();
                continue;
            };
            let found = loop {
                if keylen == KEYLEN_SUFFIX {
                    // A key that goes on past this slice is compared with a suffix, in one of
                    // the leaf's suffix tables (allocations of their own, or the lines of the
                    // leaf's block past those the descent requested): start that miss now,
                    // while the slot is searched (a hint only).
                    if short.is_some() {
                        crate::prefetch::prefetch_short_suffix_table(leaf);
                    } else {
                        crate::prefetch::prefetch_suffix_table(leaf);
                    }
                }
                // (class, value, suffix) of the matching slot, read before validation.
                let slot = match search(leaf, leaf.permutation(), ikey, keylen) {
                    Search::Found { slot, .. } => {
                        let class = leaf.keylen(slot);
                        let value = leaf.value(slot);
                        // The value (or layer root) and the suffix are the next reads, each
                        // likely a cache miss: start both now so they overlap with each other
                        // and with the validation (a hint only; nothing is dereferenced). An
                        // inline value is no pointer: nothing to fetch.
                        if !S::INLINE || class == KEYLEN_LAYER {
                            crate::prefetch::prefetch_line(value);
                        }
                        let suffix = match short {
                            _ if class != KEYLEN_SUFFIX => SuffixSeen::Short(false),
                            Some(wanted) => SuffixSeen::Short(leaf.short_suffix(slot) == wanted),
                            None => {
                                // Null when the slot holds a short suffix instead:
                                // `prefetch_line` skips it.
                                let suffix = leaf.long_suffix(slot);
                                crate::prefetch::prefetch_line(Suffix::storage(suffix));
                                SuffixSeen::Long(suffix)
                            }
                        };
                        Some((class, value, suffix))
                    }
                    Search::Missing { .. } => None,
                };
                if leaf.version().has_changed(v) {
                    // SAFETY: `leaf` is live and we are pinned.
                    match unsafe { advance(leaf, ikey) } {
                        Some((next, nv)) => {
                            leaf = next;
                            v = nv;
                            continue;
                        }
                        None => break None,
                    }
                }
                // Validated: class, value and suffix were one slot's contents at one instant.
                let Some((kind, value, suffix)) = slot else {
                    break Some(Lookup::Absent);
                };
                break Some(if kind == KEYLEN_LAYER {
                    if value.is_null() {
                        Lookup::Absent
                    } else {
                        Lookup::Layer(value)
                    }
                } else if S::is_vacant(value) {
                    Lookup::Absent
                } else if kind == KEYLEN_SUFFIX {
                    let matches = match suffix {
                        SuffixSeen::Short(matched) => matched,
                        SuffixSeen::Long(suffix) => {
                            !suffix.is_null()
                                // SAFETY: the suffix was published in the slot at the validated
                                // instant and suffixes are freed only through the reclaimer.
                                && unsafe { Suffix::bytes_of(suffix) } == cursor.suffix()
                        }
                    };
                    if matches {
                        Lookup::Value(value)
                    } else {
                        Lookup::Absent
                    }
                } else {
                    Lookup::Value(value)
                });
            };
            match found {
                None => continue, // the leaf was unlinked: descend this layer again
                Some(Lookup::Absent) => return None,
                Some(Lookup::Value(value)) => {
                    // SAFETY: a validated value word of a live slot came from `S::into_word` and
                    // is released only through the reclaimer, after `guard` is dropped.
                    return Some(unsafe { S::view(value) });
                }
                Some(Lookup::Layer(layer)) => {
                    root = layer.cast();
                    cursor.shift();
                }
            }
        }
    }
}
