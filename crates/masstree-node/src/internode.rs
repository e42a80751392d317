//! `Internode`: an interior node of one layer's B+tree.

use crate::header::NodeHeader;
use crate::sync::{AtomicPtr, AtomicU64, Ordering};
use crate::version::{NodeLock, NodeVersion};

/// Maximum number of separator keys in an internode. 23 (seven cache lines, against a leaf's
/// five) measured faster than 15 (a leaf's size) on every workload tried on 2026-12-02:
/// lookups of 8-byte keys +8% in cache and +12% at 2M keys, YCSB-C +6%, random inserts +20%;
/// 31 measured no better than 23. A wider internode means fewer levels for a lookup to miss
/// on, and the linear separator search stays short.
pub const INTERNODE_WIDTH: usize = 23;

/// The fewest separators for which [`Internode::child_index`] halves its walk first (below
/// that the extra load costs more than the compares it saves).
const HALVING_MIN: usize = 6;

/// An interior node: up to 23 separator slices and 24 children.
///
/// Child `i` holds the keys `k` with `keys[i-1] <= k < keys[i]` (by slice). Keys and children
/// change only under the lock with `INSERTING` (a child added after a split below) or
/// `SPLITTING` (half the node moves to a new sibling) set, so a reader validates them with the
/// version like leaf slots. Internodes have no sibling links: a reader that sees an internode
/// split retries from the layer's root.
#[derive(Debug)]
#[repr(C, align(64))]
pub struct Internode {
    /// Version and parent.
    pub header: NodeHeader,
    /// The number of separators (a whole word: see `_tail`).
    nkeys: AtomicU64,
    keys: [AtomicU64; INTERNODE_WIDTH],
    children: [AtomicPtr<NodeHeader>; INTERNODE_WIDTH + 1],
    /// Explicit padding to the cache-line size (16 + 8 + 184 + 192 = 400 bytes, padded to
    /// 448), so every byte of the node lies in an
    /// `UnsafeCell` (see [`crate::Leaf`]'s layout).
    _tail: [AtomicU64; 6],
}

impl Internode {
    /// An empty internode (no keys, no children), root of its layer or not.
    pub fn new(root: bool) -> Self {
        Self {
            header: NodeHeader::new(NodeVersion::new(false, root)),
            nkeys: AtomicU64::new(0),
            keys: core::array::from_fn(|_| AtomicU64::new(0)),
            children: core::array::from_fn(|_| AtomicPtr::new(core::ptr::null_mut())),
            _tail: core::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    /// An empty internode that starts locked (a split's new right sibling). Take the lock with
    /// [`NodeVersion::adopt_lock`].
    pub fn new_locked() -> Self {
        let mut node = Self::new(false);
        node.header = NodeHeader::new(NodeVersion::new_locked(false, false));
        node
    }

    /// The internode whose header is `header` (a cast: the header is the first field of the
    /// `#[repr(C)]` internode). Dereferencing the result is sound only where `header` is the
    /// header of a live internode, such as a non-null [`NodeHeader::parent`].
    ///
    /// ```
    /// use masstree_node::Internode;
    ///
    /// let node = Internode::new(true);
    /// assert!(core::ptr::eq(Internode::from_header(node.as_header()), &node));
    /// ```
    #[inline]
    pub fn from_header(header: *mut NodeHeader) -> *mut Internode {
        header.cast()
    }

    /// This internode's header, as [`NodeHeader::parent`] and child pointers name it. The
    /// pointer is derived from the whole node (not from the `header` field), so it keeps the
    /// right to reach every field after [`Internode::from_header`] (Stacked Borrows; miri caught
    /// the field-derived version).
    #[inline]
    pub fn as_header(&self) -> *mut NodeHeader {
        core::ptr::from_ref(self).cast_mut().cast()
    }

    /// The version word.
    #[inline]
    pub fn version(&self) -> &NodeVersion {
        &self.header.version
    }

    /// Number of separator keys (children are one more). Acquire: pairs with `set_len`'s
    /// release store, so the children and keys below the count a reader sees are the ones
    /// written before it (never a stale child pointer beyond an older count).
    #[inline]
    pub fn len(&self) -> usize {
        (self.nkeys.load(Ordering::Acquire) as usize).min(INTERNODE_WIDTH)
    }

    /// Whether the node holds no separator.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether no separator can be added.
    #[inline]
    pub fn is_full(&self) -> bool {
        self.len() == INTERNODE_WIDTH
    }

    /// Separator `i`.
    #[inline]
    pub fn key(&self, i: usize) -> u64 {
        self.keys[i].load(Ordering::Relaxed)
    }

    /// Child `i` (`i <= len`). Acquire: pairs with the release store in `set_child`, so a
    /// just-linked child's contents are visible.
    #[inline]
    pub fn child(&self, i: usize) -> *mut NodeHeader {
        self.children[i].load(Ordering::Acquire)
    }

    /// The index of the child whose range holds `ikey`: the number of separators `<= ikey`.
    #[inline]
    pub fn child_index(&self, ikey: u64) -> usize {
        let n = self.len();
        // At or past the last separator: the last child, without a walk (ascending inserts
        // always go there).
        if n == 0 || self.key(n - 1) <= ikey {
            return n;
        }
        // In a node of more than a few separators, one halving step without a branch (a
        // select: which half holds the answer is a coin flip, so a branch would be
        // mispredicted every other level), then the walk in that half: about half the
        // compares of a walk from the start.
        let half = n / 2;
        let mut i = if n >= HALVING_MIN {
            core::hint::select_unpredictable(self.key(half) <= ikey, half + 1, 0)
        } else {
            0
        };
        while i < n && self.key(i) <= ikey {
            i += 1;
        }
        i
    }

    /// Sets the number of separators. Release: publishes the keys and children written
    /// before it.
    #[inline]
    pub fn set_len(&self, lock: &NodeLock<'_>, len: usize) {
        debug_assert!(lock.guards(self.version()) && len <= INTERNODE_WIDTH);
        self.nkeys.store(len as u64, Ordering::Release);
    }

    /// Sets separator `i`.
    #[inline]
    pub fn set_key(&self, lock: &NodeLock<'_>, i: usize, ikey: u64) {
        debug_assert!(lock.guards(self.version()));
        self.keys[i].store(ikey, Ordering::Relaxed);
    }

    /// Sets child `i`.
    #[inline]
    pub fn set_child(&self, lock: &NodeLock<'_>, i: usize, child: *mut NodeHeader) {
        debug_assert!(lock.guards(self.version()));
        self.children[i].store(child, Ordering::Release);
    }

    /// Inserts separator `ikey` at index `i` with `right` as child `i + 1`, shifting the later
    /// separators and children up. The caller has called `mark_insert` and checked `!is_full()`.
    pub fn insert_at(&self, lock: &NodeLock<'_>, i: usize, ikey: u64, right: *mut NodeHeader) {
        let n = self.len();
        debug_assert!(i <= n && n < INTERNODE_WIDTH);
        for j in (i..n).rev() {
            self.set_key(lock, j + 1, self.key(j));
            self.set_child(lock, j + 2, self.child(j + 1));
        }
        self.set_key(lock, i, ikey);
        self.set_child(lock, i + 1, right);
        self.set_len(lock, n + 1);
    }

    /// Removes child `child` of a node with at least two children, with one separator: for
    /// `child >= 1` its lower separator `child - 1` (the left neighbour takes over its range); for
    /// `child == 0` separator 0 (the right neighbour takes over). Used when an emptied child is
    /// unlinked. The caller has called `mark_insert`.
    pub fn remove_child(&self, lock: &NodeLock<'_>, child: usize) {
        let n = self.len();
        debug_assert!(child <= n && n >= 1);
        for j in child.saturating_sub(1)..n - 1 {
            self.set_key(lock, j, self.key(j + 1));
        }
        for j in child..n {
            self.set_child(lock, j, self.child(j + 1));
        }
        self.set_child(lock, n, core::ptr::null_mut());
        self.set_len(lock, n - 1);
    }
}
