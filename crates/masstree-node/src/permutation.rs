//! The permutation word: a leaf's key order and free-slot order in one `u64`.
//!
//! The low 4 bits hold the number of live keys `len`. Nibble `1 + i` (bits `4 + 4i .. 8 + 4i`)
//! holds the slot index at position `i`, for `i` in `0..15`. Positions `0..len` list the live
//! slots in key order; positions `len..15` list the free slots, the next one to use first.
//! Every slot index `0..15` appears exactly once, so a new key is written into the slot at
//! position `len` (which readers never look at) and made visible by storing one new word.
//!
//! A removed slot goes to the *end* of the free list, so it is reused as late as possible.

/// Number of slots in a leaf (the fanout).
pub const WIDTH: usize = 15;

/// A leaf's order of slots: plain data, copied out of the leaf's atomic word.
///
/// ```
/// use masstree_node::Permutation;
///
/// let mut p = Permutation::empty();
/// let a = p.insert_from_back(0); // first key
/// let b = p.insert_from_back(0); // a smaller key goes in front
/// assert_eq!(p.iter().collect::<Vec<_>>(), vec![b, a]);
/// p.remove(0);
/// assert_eq!(p.iter().collect::<Vec<_>>(), vec![a]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(transparent)]
pub struct Permutation(u64);

impl Permutation {
    /// No keys; free slots in index order `0, 1, .., 14`.
    pub const fn empty() -> Self {
        let mut raw = 0u64;
        let mut i = 0;
        while i < WIDTH {
            raw |= (i as u64) << (4 * (i + 1));
            i += 1;
        }
        Self(raw)
    }

    /// The first `len` slots `0..len` live in index order (a freshly split leaf).
    pub const fn sorted(len: usize) -> Self {
        assert!(len <= WIDTH);
        Self(Self::empty().0 | len as u64)
    }

    /// The raw word.
    #[inline]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// Wraps a raw word. Returns `None` unless the word is a valid permutation (a count no larger
    /// than 15 and each slot exactly once).
    pub fn from_raw(raw: u64) -> Option<Self> {
        let p = Self(raw);
        if p.len() > WIDTH {
            return None;
        }
        let mut seen = 0u16;
        for pos in 0..WIDTH {
            seen |= 1 << p.get(pos);
        }
        (seen == (1 << WIDTH) - 1).then_some(p)
    }

    /// Wraps a raw word read from a leaf, which only ever holds valid permutations.
    #[inline]
    pub const fn from_raw_unchecked(raw: u64) -> Self {
        Self(raw)
    }

    /// Number of live keys.
    #[inline]
    pub const fn len(self) -> usize {
        (self.0 & 0xF) as usize
    }

    /// Whether no key is live.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether every slot is live.
    #[inline]
    pub const fn is_full(self) -> bool {
        self.len() == WIDTH
    }

    /// The slot at position `pos` (`pos < 15`; positions at or past `len` are free slots).
    #[inline]
    pub const fn get(self, pos: usize) -> usize {
        debug_assert!(pos < WIDTH);
        ((self.0 >> (4 * (pos + 1))) & 0xF) as usize
    }

    /// The free slot the next insert will use. Meaningless when full.
    #[inline]
    pub const fn back(self) -> usize {
        self.get(self.len())
    }

    /// Moves the next free slot to position `pos` (`pos <= len < 15`), shifting later live
    /// positions up by one, and returns that slot.
    #[inline]
    pub fn insert_from_back(&mut self, pos: usize) -> usize {
        let len = self.len();
        assert!(
            pos <= len && len < WIDTH,
            "insert at {pos} into permutation of {len}"
        );
        let slot = self.get(len);
        // Nibbles of positions pos..len move to pos+1..len+1; the rest stay.
        let lo_shift = 4 * (pos + 1);
        let hi_shift = 4 * (len + 2);
        let keep_low = self.0 & ((1u64 << lo_shift) - 1) & !0xF;
        let moved = (self.0 >> lo_shift) & ((1u64 << (4 * (len - pos))) - 1);
        let keep_high = if hi_shift >= 64 {
            0
        } else {
            self.0 & !((1u64 << hi_shift) - 1)
        };
        self.0 = keep_high
            | moved.checked_shl(lo_shift as u32 + 4).unwrap_or(0)
            | ((slot as u64) << lo_shift)
            | keep_low
            | (len as u64 + 1);
        slot
    }

    /// Removes the key at position `pos < len`; its slot becomes the last free slot.
    #[inline]
    pub fn remove(&mut self, pos: usize) -> usize {
        let len = self.len();
        assert!(pos < len, "remove at {pos} from permutation of {len}");
        let slot = self.get(pos);
        let lo_shift = 4 * (pos + 1);
        let keep_low = self.0 & ((1u64 << lo_shift) - 1) & !0xF;
        // Everything after position pos moves down one; the slot goes to position 14.
        let moved = self.0.checked_shr(lo_shift as u32 + 4).unwrap_or(0);
        self.0 = ((slot as u64) << 60) | (moved << lo_shift) | keep_low | (len as u64 - 1);
        slot
    }

    /// Keeps the first `len` live positions; the slots of the others become the first free
    /// slots (a split moving the upper keys to a sibling).
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        assert!(len <= self.len(), "truncate to {len} of {}", self.len());
        self.0 = (self.0 & !0xF) | len as u64;
    }

    /// Live slots in key order.
    #[inline]
    pub fn iter(self) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator {
        (0..self.len()).map(move |pos| self.get(pos))
    }

    /// Free slots, the next one to be used first.
    #[inline]
    pub fn free_slots(self) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator {
        (self.len()..WIDTH).map(move |pos| self.get(pos))
    }
}

impl Default for Permutation {
    fn default() -> Self {
        Self::empty()
    }
}

impl core::fmt::Debug for Permutation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Permutation")
            .field("live", &self.iter().collect::<Vec<_>>())
            .field("free", &self.free_slots().collect::<Vec<_>>())
            .finish()
    }
}
