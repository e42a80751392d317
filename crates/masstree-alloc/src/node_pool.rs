//! Node memory for one map: blocks of 64-byte lines carved from chunks the pool owns, recycled
//! through per-thread free lists, returned to the system allocator when the pool drops.
//!
//! Why not `Box`: nodes are 64-byte aligned, which glibc serves with `posix_memalign` (no
//! per-thread cache, and it splits chunks: ~1500 instructions per node), and they lie on
//! 4 KiB pages wherever the heap puts them, so a large tree's descent is a page walk per
//! level. A pool allocates from a thread's own region (or its free list) in a few instructions
//! and, once the map is large, from 2 MiB chunks advised for transparent huge pages.
//!
//! Layout: chunks are aligned to [`UNIT`] (64 KiB), and every unit starts with a header line
//! naming its pool, so [`NodePool::free`] finds the pool from a block's address alone (the
//! reclaimer frees with no context). A map's first chunks are small (1, 4, 16, then five of
//! 64 KiB: one region each for up to eight writing threads), so a small map costs little more
//! than its nodes; from then on chunks are 2 MiB (32 units). A unit's header is written when
//! the unit is handed out, so an unused unit is never touched.
//!
//! Threads: each thread allocates from a region of its own (a unit, or a small chunk) and from
//! a per-size list of free blocks it took from the pool, [`BATCH`] at a time. A freed block
//! goes to the pool's shared per-size list, behind a lock (node frees are rare next to
//! allocations: a split allocates, only a removal that empties a leaf or a layer frees), so a
//! thread that frees what another allocates hoards nothing, and freeing touches no thread-local
//! state (it runs wherever the reclaimer does). The reclaimer orders every use of a block
//! before its free; the lock orders the free before the block's reuse.
//!
//! Under miri, loom and `--cfg masstree_heap_nodes` (the sanitizer runs), every block is its
//! own heap allocation instead, so those tools still see each node's allocation and free.

use crate::free_list::FreeBlocks;
use core::cell::RefCell;
use core::ptr::NonNull;
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use thread_local::ThreadLocal;

/// The pool's granularity and alignment: a cache line.
pub const LINE: usize = 64;

/// The largest block a pool serves (16 lines).
pub const MAX_BLOCK: usize = 16 * LINE;

/// Size classes: class `c` holds blocks of `c + 1` lines.
const CLASSES: usize = MAX_BLOCK / LINE;

/// Every chunk is aligned to a unit, and every unit starts with its header.
pub const UNIT: usize = 64 << 10;

/// The chunks after the small ones.
const BIG_CHUNK: usize = 2 << 20;

/// A map's first chunks, in order: a small map takes only what it needs, and each of up to
/// eight threads writing to it gets a region without a big chunk (whose huge page would cost
/// a small map 2 MiB).
const SMALL_CHUNKS: [usize; 8] = [
    1 << 10,
    4 << 10,
    16 << 10,
    64 << 10,
    64 << 10,
    64 << 10,
    64 << 10,
    64 << 10,
];

/// The first line of every unit.
#[repr(C, align(64))]
struct UnitHeader {
    pool: *const Shared,
}

/// Memory for one map's nodes; see the module docs.
///
/// ```
/// use masstree_alloc::NodePool;
/// use std::alloc::Layout;
///
/// let pool = NodePool::default();
/// let layout = Layout::from_size_align(320, 64).unwrap();
/// let a = pool.alloc(layout);
/// assert_eq!(a.as_ptr() as usize % 64, 0);
/// // SAFETY: `a` came from `pool.alloc(layout)`, is freed once, and the pool is alive.
/// unsafe { NodePool::free(a, layout) };
/// ```
pub struct NodePool {
    /// Boxed: unit headers point to it, and the pool may move.
    shared: NonNull<Shared>,
}

// SAFETY: `Shared` is `Sync` (its caches are per thread, the rest behind locks), and the pool
// owns it.
unsafe impl Send for NodePool {}
// SAFETY: as above.
unsafe impl Sync for NodePool {}

/// Free blocks a thread takes from the pool's list at once.
pub const BATCH: usize = 64;

struct Shared {
    /// Boxed: the table keeps a slot per thread id (in buckets of growing size), so a slot
    /// costs a pointer, not a whole cache, for ids that never write to this map.
    caches: ThreadLocal<Box<RefCell<Cache>>>,
    /// Freed blocks, per size class.
    free: Mutex<[FreeBlocks; CLASSES]>,
    /// How many blocks `free` holds per class, written under its lock: read without it, a
    /// hint that spares an allocating thread the lock while nothing of its size was freed (a
    /// stale zero only carves a new block).
    free_count: [AtomicUsize; CLASSES],
    chunks: Mutex<Chunks>,
}

/// A thread's state in one pool.
struct Cache {
    lists: [FreeBlocks; CLASSES],
    /// The thread's region: blocks are carved from `next` up to `end`.
    next: *mut u8,
    end: *mut u8,
}

// SAFETY: the pointers name memory the pool owns; a cache is used only by its thread (its
// `ThreadLocal` slot) and dropped with the pool.
unsafe impl Send for Cache {}

/// The chunks a pool owns and the units not yet handed out.
struct Chunks {
    owned: Vec<(NonNull<u8>, Layout)>,
    /// The next unit of the last big chunk to hand out, and the chunk's end.
    next_unit: *mut u8,
    units_end: *mut u8,
}

// SAFETY: owned memory, used under the lock.
unsafe impl Send for Chunks {}

impl Default for NodePool {
    fn default() -> Self {
        let shared = Box::new(Shared {
            caches: ThreadLocal::new(),
            free: Mutex::new([const { FreeBlocks::EMPTY }; CLASSES]),
            free_count: [const { AtomicUsize::new(0) }; CLASSES],
            chunks: Mutex::new(Chunks {
                owned: Vec::new(),
                next_unit: core::ptr::null_mut(),
                units_end: core::ptr::null_mut(),
            }),
        });
        Self {
            shared: NonNull::from(Box::leak(shared)),
        }
    }
}

impl core::fmt::Debug for NodePool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodePool")
            .field("chunk_bytes", &self.chunk_bytes())
            .finish()
    }
}

/// The class of a layout the pool serves.
fn class_of(layout: Layout) -> usize {
    assert!(
        layout.align() <= LINE && layout.size() <= MAX_BLOCK && layout.size() > 0,
        "NodePool serves blocks of 1 to {MAX_BLOCK} bytes aligned to at most {LINE}"
    );
    layout.size().div_ceil(LINE) - 1
}

/// Whether blocks are heap allocations of their own (see the module docs).
const HEAP_BLOCKS: bool = cfg!(any(miri, loom, masstree_heap_nodes));

impl NodePool {
    fn shared(&self) -> &Shared {
        // SAFETY: `shared` lives until the pool drops.
        unsafe { self.shared.as_ref() }
    }

    /// A block for `layout` (at most [`MAX_BLOCK`] bytes, aligned to at most [`LINE`]; the
    /// block is always line-aligned). Panics on a larger layout.
    #[inline]
    pub fn alloc(&self, layout: Layout) -> NonNull<u8> {
        let class = class_of(layout);
        if HEAP_BLOCKS {
            heap_block(layout)
        } else {
            self.alloc_pooled(class)
        }
    }

    /// A block of `class` from the thread's list or region.
    #[inline]
    fn alloc_pooled(&self, class: usize) -> NonNull<u8> {
        let shared = self.shared();
        let cache = shared
            .caches
            .get_or(|| Box::new(RefCell::new(Cache::new())));
        let mut cache = cache.borrow_mut();
        if let Some(block) = cache.lists[class].pop() {
            return block;
        }
        cache.carve(class, shared)
    }

    /// Moves `value` into a block of this pool.
    ///
    /// ```
    /// use masstree_alloc::NodePool;
    ///
    /// let pool = NodePool::default();
    /// let node = pool.boxed([7u64; 8]);
    /// // SAFETY: fresh, and freed once below with the pool alive.
    /// assert_eq!(unsafe { (*node)[3] }, 7);
    /// unsafe { NodePool::drop_boxed(node) };
    /// ```
    #[inline]
    pub fn boxed<T>(&self, value: T) -> *mut T {
        let block = self.alloc(Layout::new::<T>()).cast::<T>().as_ptr();
        // SAFETY: a fresh block of `T`'s size and at least its alignment.
        unsafe { block.write(value) };
        block
    }

    /// Drops the `T` at `ptr` and frees its block.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`NodePool::boxed`] of a pool that is still alive, is dropped once, and
    /// is not used after.
    #[inline]
    pub unsafe fn drop_boxed<T>(ptr: *mut T) {
        // SAFETY: the caller's guarantee: a live `T` we own.
        unsafe { core::ptr::drop_in_place(ptr) };
        // SAFETY: as above; `boxed` allocated it with this layout.
        unsafe { Self::free(NonNull::new_unchecked(ptr).cast(), Layout::new::<T>()) };
    }

    /// Frees a block; the pool is found from its address.
    ///
    /// # Safety
    ///
    /// `block` came from [`NodePool::alloc`] with `layout` (or a layout of the same size
    /// class), of a pool that is still alive, and is freed once and not used after. It may
    /// carry less provenance than the block (a pointer made from a reference to the node).
    #[inline]
    pub unsafe fn free(block: NonNull<u8>, layout: Layout) {
        let class = class_of(layout);
        if HEAP_BLOCKS {
            // SAFETY: `heap_block` allocated it with this layout (the caller's guarantee).
            unsafe { dealloc(block.as_ptr(), layout) };
        } else {
            // SAFETY: forwarded.
            unsafe { free_pooled(block, class) };
        }
    }

    /// Bytes of the chunks this pool holds (what it asked the system allocator for), free
    /// blocks included.
    ///
    /// ```
    /// use masstree_alloc::NodePool;
    /// use std::alloc::Layout;
    ///
    /// let pool = NodePool::default();
    /// let block = pool.alloc(Layout::from_size_align(64, 64).unwrap());
    /// assert!(pool.chunk_bytes() <= 1024 || cfg!(miri));
    /// // SAFETY: from this pool, freed once.
    /// unsafe { NodePool::free(block, Layout::from_size_align(64, 64).unwrap()) };
    /// ```
    pub fn chunk_bytes(&self) -> usize {
        let chunks = lock(&self.shared().chunks);
        chunks.owned.iter().map(|(_, layout)| layout.size()).sum()
    }
}

/// Returns a block of `class` to its pool's free list.
///
/// # Safety
///
/// As [`NodePool::free`], for a block from `alloc_pooled`.
unsafe fn free_pooled(block: NonNull<u8>, class: usize) {
    // The header is read, and the block handed out again to hold a new node, through the
    // chunk's provenance, not that of the reference the caller's pointer may come from.
    let block = with_chunk_provenance(block);
    // SAFETY: the block lies in a unit of a live pool (caller), whose header names it.
    let shared = unsafe { &*(*unit_header(block)).pool };
    let mut free = lock(&shared.free);
    // SAFETY: the caller hands the block back; it is free memory of this class.
    unsafe { free[class].push(block) };
    shared.free_count[class].fetch_add(1, Relaxed);
}

/// Locks, ignoring poison: every critical section leaves the state consistent (pushes and
/// pops of whole entries).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The header of the unit `block` lies in, through `block`'s provenance, which must cover its
/// chunk ([`with_chunk_provenance`]).
fn unit_header(block: NonNull<u8>) -> *const UnitHeader {
    let addr = block.as_ptr().addr() & !(UNIT - 1);
    block.as_ptr().with_addr(addr).cast()
}

/// A heap allocation for `layout` (the `HEAP_BLOCKS` configuration).
fn heap_block(layout: Layout) -> NonNull<u8> {
    // SAFETY: `class_of` checked the size is not zero.
    let raw = unsafe { alloc(layout) };
    NonNull::new(raw).unwrap_or_else(|| handle_alloc_error(layout))
}

impl Cache {
    fn new() -> Self {
        Self {
            lists: [const { FreeBlocks::EMPTY }; CLASSES],
            next: core::ptr::null_mut(),
            end: core::ptr::null_mut(),
        }
    }

    /// A block of `class` from the pool's free blocks or, failing that, from the thread's
    /// region.
    #[cold]
    fn carve(&mut self, class: usize, shared: &Shared) -> NonNull<u8> {
        if shared.free_count[class].load(Relaxed) > 0 {
            let mut free = lock(&shared.free);
            self.lists[class] = free[class].take(BATCH);
            shared.free_count[class].fetch_sub(self.lists[class].len(), Relaxed);
            drop(free);
            if let Some(block) = self.lists[class].pop() {
                return block;
            }
        }
        let bytes = (class + 1) * LINE;
        // A region may be too small for the block (the first chunk holds 15 lines, a block up
        // to 16): take the next, larger one.
        while (self.end.addr() - self.next.addr()) < bytes {
            self.retire_region_tail();
            let (next, end) = lock(&shared.chunks).region(shared);
            self.next = next;
            self.end = end;
        }
        let block = self.next;
        // SAFETY: `bytes` fit in the region (above), which lies in one chunk.
        self.next = unsafe { self.next.add(bytes) };
        // SAFETY: a region pointer is never null.
        unsafe { NonNull::new_unchecked(block) }
    }

    /// Hands the unused end of the region to the thread's free list of its size, so it is not
    /// lost.
    fn retire_region_tail(&mut self) {
        let lines = (self.end.addr() - self.next.addr()) / LINE;
        if let Some(block) = NonNull::new(self.next).filter(|_| lines > 0) {
            let class = lines.min(CLASSES) - 1;
            // SAFETY: the tail is free memory of the pool, at least `class + 1` lines long.
            unsafe { self.lists[class].push(block) };
        }
        self.next = core::ptr::null_mut();
        self.end = core::ptr::null_mut();
    }
}

impl Chunks {
    /// A region for a thread: the next unit of the last big chunk, or a new chunk.
    fn region(&mut self, shared: &Shared) -> (*mut u8, *mut u8) {
        if self.next_unit == self.units_end {
            let small = self.owned.len();
            if let Some(&size) = SMALL_CHUNKS.get(small) {
                let chunk = self.add(size, UNIT);
                // SAFETY: the chunk is fresh, one unit long at most; the region is the chunk
                // past its header line.
                unsafe {
                    write_header(chunk, shared);
                    return (chunk.add(LINE), chunk.add(size));
                }
            }
            let chunk = self.add(BIG_CHUNK, BIG_CHUNK);
            self.next_unit = chunk;
            // SAFETY: the end of the chunk just allocated.
            self.units_end = unsafe { chunk.add(BIG_CHUNK) };
        }
        let unit = self.next_unit;
        // SAFETY: `next_unit < units_end`, both in one chunk, a whole number of units apart;
        // the unit is fresh, and its header is written before any block in it exists (written
        // only now, so an unused unit is never touched).
        unsafe {
            write_header(unit, shared);
            self.next_unit = unit.add(UNIT);
            (unit.add(LINE), unit.add(UNIT))
        }
    }

    /// Allocates a chunk of `size` aligned to `align` (its units' headers are written as they
    /// are handed out).
    fn add(&mut self, size: usize, align: usize) -> *mut u8 {
        let layout = Layout::from_size_align(size, align).expect("chunk layout");
        // SAFETY: not zero-sized.
        let chunk = unsafe { alloc(layout) };
        let Some(chunk) = NonNull::new(chunk) else {
            handle_alloc_error(layout)
        };
        let chunk = chunk.as_ptr();
        // Exposed: frees find headers from addresses alone (`with_chunk_provenance`).
        let _ = chunk.expose_provenance();
        // Before anything is written: a huge page backs a range only if its first touch comes
        // after the advice (a header's write would fault in a small page).
        if size == BIG_CHUNK {
            advise_huge_pages(chunk, size);
        }
        // SAFETY: non-null (above).
        self.owned
            .push((unsafe { NonNull::new_unchecked(chunk) }, layout));
        chunk
    }
}

/// Writes the header of a unit about to be handed out.
///
/// # Safety
///
/// `unit` is the start of a unit of a chunk of `shared`'s pool, not handed out before.
unsafe fn write_header(unit: *mut u8, shared: &Shared) {
    // SAFETY: the unit lies in an owned chunk and is aligned for the header (caller).
    unsafe {
        unit.cast::<UnitHeader>().write(UnitHeader {
            pool: core::ptr::from_ref(shared),
        });
    }
}

/// `block` with the provenance of the chunk it lies in. A node pointer may come from a
/// reference to the node, which covers only its bytes: the chunk's provenance was exposed when
/// it was allocated (`Chunks::add`). Under miri, which runs the pool's tests with strict
/// provenance, their blocks already carry the chunk's.
fn with_chunk_provenance(block: NonNull<u8>) -> NonNull<u8> {
    if cfg!(miri) {
        block
    } else {
        let exposed = core::ptr::with_exposed_provenance_mut::<u8>(block.as_ptr().addr());
        // SAFETY: the same non-null address.
        unsafe { NonNull::new_unchecked(exposed) }
    }
}

/// Asks the kernel for transparent huge pages over a chunk (a hint: nothing changes where the
/// kernel does not honour it).
fn advise_huge_pages(chunk: *mut u8, size: usize) {
    #[cfg(all(target_os = "linux", not(miri)))]
    // SAFETY: the range is a chunk this pool owns; `madvise` with `MADV_HUGEPAGE` changes no
    // contents, only how the range is backed.
    unsafe {
        libc::madvise(chunk.cast(), size, libc::MADV_HUGEPAGE);
    }
    #[cfg(not(all(target_os = "linux", not(miri))))]
    let _ = (chunk, size);
}

impl Drop for NodePool {
    fn drop(&mut self) {
        // SAFETY: made by `Box::leak` in `default`, dropped once; no block of the pool is used
        // after the pool (the owner's guarantee for every block it freed or still holds).
        let shared = unsafe { Box::from_raw(self.shared.as_ptr()) };
        let Shared {
            caches,
            free,
            chunks,
            ..
        } = *shared;
        // The caches and the free lists only list blocks inside the chunks.
        drop((caches, free));
        let chunks = chunks.into_inner().unwrap_or_else(|e| e.into_inner());
        for (chunk, layout) in chunks.owned {
            // SAFETY: allocated in `Chunks::add` with this layout, freed once.
            unsafe { dealloc(chunk.as_ptr(), layout) };
        }
    }
}

#[cfg(test)]
mod tests {
    //! The pool's own logic, called below the heap-mode switch so miri checks it too.
    use super::*;

    fn lines(n: usize) -> usize {
        n - 1
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_name_their_pool() {
        let pool = NodePool::default();
        let count = if cfg!(miri) { 300 } else { 5000 };
        let mut blocks: Vec<(usize, usize, NonNull<u8>, usize)> = (0..count)
            .map(|i| {
                let class = [4, 6, 7, 8, 0, 15][i % 6];
                let block = pool.alloc_pooled(class);
                let addr = block.as_ptr().addr();
                (addr, (class + 1) * LINE, block, class)
            })
            .collect();
        blocks.sort_unstable_by_key(|b| b.0);
        for pair in blocks.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "blocks overlap");
        }
        for &(addr, bytes, block, _) in &blocks {
            assert_eq!(addr % LINE, 0);
            assert_ne!(addr % UNIT, 0, "a block covers a unit header");
            assert_eq!(
                addr / UNIT,
                (addr + bytes - 1) / UNIT,
                "a block crosses a unit"
            );
            // SAFETY: a live block of this pool.
            let owner = unsafe { (*unit_header(block)).pool };
            assert!(core::ptr::eq(owner, pool.shared()));
        }
        for (_, _, block, class) in blocks {
            // SAFETY: allocated above, freed once.
            unsafe { free_pooled(block, class) };
        }
    }

    #[test]
    fn a_map_starts_with_a_small_chunk() {
        let pool = NodePool::default();
        let block = pool.alloc_pooled(lines(5));
        assert_eq!(pool.chunk_bytes(), SMALL_CHUNKS[0]);
        // SAFETY: allocated above, freed once.
        unsafe { free_pooled(block, lines(5)) };
    }

    #[test]
    fn a_block_larger_than_the_first_region_comes_from_the_next() {
        let pool = NodePool::default();
        // The first chunk holds 15 lines past its header; the largest block is 16.
        let block = pool.alloc_pooled(lines(16));
        let start = block.as_ptr().addr();
        // SAFETY: a live block of this pool.
        let owner = unsafe { (*unit_header(block)).pool };
        assert!(core::ptr::eq(owner, pool.shared()));
        assert!(
            start % UNIT + 16 * LINE <= SMALL_CHUNKS[1],
            "outside the second chunk"
        );
        assert_eq!(pool.chunk_bytes(), SMALL_CHUNKS[0] + SMALL_CHUNKS[1]);
        // SAFETY: allocated above, freed once.
        unsafe { free_pooled(block, lines(16)) };
    }

    #[test]
    fn freed_blocks_are_reused_before_new_memory() {
        let pool = NodePool::default();
        let first: Vec<_> = (0..100).map(|_| pool.alloc_pooled(lines(5))).collect();
        let bytes = pool.chunk_bytes();
        for &block in &first {
            // SAFETY: allocated above, freed once.
            unsafe { free_pooled(block, lines(5)) };
        }
        let again: Vec<_> = (0..100).map(|_| pool.alloc_pooled(lines(5))).collect();
        assert_eq!(pool.chunk_bytes(), bytes, "freed blocks were not reused");
        let mut a: Vec<_> = first.iter().map(|b| b.as_ptr().addr()).collect();
        let mut b: Vec<_> = again.iter().map(|b| b.as_ptr().addr()).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        for block in again {
            // SAFETY: allocated above, freed once.
            unsafe { free_pooled(block, lines(5)) };
        }
    }

    #[test]
    fn the_end_of_a_region_is_not_lost() {
        let pool = NodePool::default();
        // The first chunk holds 15 lines past its header: three 4-line blocks leave 3 lines.
        let big: Vec<_> = (0..3).map(|_| pool.alloc_pooled(lines(4))).collect();
        let fifth = pool.alloc_pooled(lines(4));
        let tail = pool.alloc_pooled(lines(3));
        assert_eq!(
            tail.as_ptr().addr(),
            big[2].as_ptr().addr() + 4 * LINE,
            "the 3-line tail of the first region should serve a 3-line block"
        );
        for block in big.into_iter().chain([fifth]) {
            // SAFETY: allocated above, freed once.
            unsafe { free_pooled(block, lines(4)) };
        }
        // SAFETY: as above.
        unsafe { free_pooled(tail, lines(3)) };
    }

    #[test]
    fn frees_on_another_thread_come_back_to_the_allocating_one() {
        struct Blocks(Vec<NonNull<u8>>);
        // SAFETY: the test moves ownership of the blocks to the freeing thread.
        unsafe impl Send for Blocks {}
        let pool = NodePool::default();
        let rounds = if cfg!(miri) { 3 } else { 20 };
        let per_round = if cfg!(miri) { 100 } else { 2000 };
        let mut bytes_after_first = 0;
        for round in 0..rounds {
            let blocks = Blocks(
                (0..per_round)
                    .map(|_| pool.alloc_pooled(lines(7)))
                    .collect(),
            );
            if round == 0 {
                bytes_after_first = pool.chunk_bytes();
            }
            std::thread::scope(|s| {
                s.spawn(move || {
                    let blocks = blocks;
                    for block in blocks.0 {
                        // SAFETY: allocated by the other thread, handed over, freed once.
                        unsafe { free_pooled(block, lines(7)) };
                    }
                });
            });
        }
        // What the freeing thread got back went to the shared list, where the allocating thread
        // found it: the pool did not grow after the first round (one batch may sit in the
        // allocating thread's list, and a region's tail in another list).
        assert_eq!(pool.chunk_bytes(), bytes_after_first);
    }

    #[test]
    fn heap_mode_blocks_round_trip() {
        let layout = Layout::from_size_align(448, 64).unwrap();
        let block = heap_block(layout);
        assert_eq!(block.as_ptr().addr() % 64, 0);
        // SAFETY: from `heap_block` with this layout, freed once.
        unsafe { dealloc(block.as_ptr(), layout) };
    }
}
