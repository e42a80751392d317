//! Closure scans (`scan`, `scan_rev`) decode every key into one reused buffer: a scan of 100k
//! entries with `String`, byte-string or tuple keys makes O(1) allocations, where the
//! iterator makes one per entry.

use masstree::{Key, MassTree, Query};
use std::alloc::{GlobalAlloc, Layout, System};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations (the whole process: this binary has one test, so nothing else runs).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f`.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// Scans a map of `n` keys made by `key` both ways with closures and with the iterator, and
/// checks the closure scans allocate a bounded number of times and see every key in order.
fn check<K, Q>(n: usize, key: impl Fn(usize) -> Q)
where
    K: ?Sized + Key,
    Q: Query<K>,
{
    let map: MassTree<K, u64> = MassTree::new();
    map.pin().extend_sorted((0..n).map(|i| (key(i), i as u64)));
    let m = map.pin();
    let mut seen = 0u64;
    let scan = allocations(|| {
        let _ = m.scan(.., |_, &v| {
            assert_eq!(v, seen);
            seen += 1;
            ControlFlow::<()>::Continue(())
        });
    });
    assert_eq!(seen, n as u64);
    let scan_rev = allocations(|| {
        let _ = m.scan_rev(.., |_, &v| {
            seen -= 1;
            assert_eq!(v, seen);
            ControlFlow::<()>::Continue(())
        });
    });
    let iter = allocations(|| assert_eq!(m.iter().count(), n));
    let name = core::any::type_name::<K>();
    assert!(
        scan <= 16,
        "{name}: scan made {scan} allocations for {n} keys"
    );
    assert!(
        scan_rev <= 16,
        "{name}: scan_rev made {scan_rev} allocations for {n} keys"
    );
    eprintln!("{name}: scan {scan}, scan_rev {scan_rev}, iter {iter} allocations");
}

/// Not under miri: it counts allocations, it does not exercise unsafe code the other scan
/// tests (run under miri) do not.
#[test]
#[cfg_attr(miri, ignore)]
fn closure_scans_allocate_once_not_per_key() {
    let n = if cfg!(miri) { 300 } else { 100_000 };
    check::<String, _>(n, |i| format!("user:{i:09}"));
    check::<str, _>(n, |i| format!("a much longer key, past two slices: {i:09}"));
    check::<[u8], _>(n, |i| format!("bytes-{i:09}").into_bytes());
    check::<(u64, String), _>(n, |i| (i as u64 / 10, format!("{i:06}")));
    check::<(String, u32), _>(n, |i| (format!("{:05}", i / 7), i as u32));
    short_bounds_open_without_allocating();
}

/// A range scan with bounds of up to 64 encoded bytes allocates nothing once its thread has
/// scanned before (the bounds are kept inline, frames and key buffer are the thread's spares):
/// the short scans of YCSB-E each paid an allocation, a copy and a free for their start key.
fn short_bounds_open_without_allocating() {
    let map: MassTree<[u8], u64> = MassTree::new();
    let m = map.pin();
    for i in 0..10_000u64 {
        m.insert(format!("user{:019}", i * 7919).as_bytes(), i);
    }
    let from = format!("user{:019}", 5000 * 7919).into_bytes();
    let to = format!("user{:019}", 9000 * 7919).into_bytes();
    let scan = || {
        m.range(&from[..]..&to[..])
            .values()
            .take(50)
            .copied()
            .sum::<u64>()
    };
    let expected = scan(); // the thread's first scan makes its spare buffers
    let mut sum = 0;
    let made = allocations(|| {
        for _ in 0..100 {
            sum += scan();
        }
    });
    assert_eq!(sum, 100 * expected);
    assert_eq!(made, 0, "100 short range scans made {made} allocations");
}
