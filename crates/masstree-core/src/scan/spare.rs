//! A thread's spare scan buffers: the frames (about 700 bytes each) and key buffer of the last
//! scan that ended on this thread, kept for its next scan. A short scan (YCSB-E's: one to a
//! hundred entries, through two layers) otherwise pays an allocation and a free for each frame,
//! the frame vector and the key buffer, about a sixth of its time.
//!
//! At most [`KEPT_FRAMES`] frames and [`KEPT_KEY_BYTES`] of key buffer stay per thread (a scan
//! through a megabyte of shared prefix holds a frame per layer; those are freed), and they are
//! freed with the thread. A scan that finds nothing spare (the first on a thread, or one that
//! starts while another started one is still alive) allocates as before. Under `--cfg loom`
//! nothing is kept: loom runs its model threads on one OS thread, and buffers carried between
//! them, or between iterations of a model, would make executions depend on each other.

use super::frame::Frame;
use super::stack::FrameStack;
use masstree_key::KeyBuilder;

/// Frames kept per thread: enough for keys of four layers (up to 32 bytes).
pub(super) const KEPT_FRAMES: usize = 4;

/// Key buffer capacity kept per thread, in bytes.
pub(super) const KEPT_KEY_BYTES: usize = 1024;

/// A cursor's frames and key buffer. Dropping it leaves them to the thread's next scan, if a
/// frame was ever pushed (a cursor that never stepped has nothing to leave, and must not
/// replace what the thread kept). The drop is here, not on the cursor, so the public cursor
/// has no destructor and no drop-check constraint on the guard it borrows.
pub(super) struct ScanBuffers {
    /// The frames, one per layer the scan is inside.
    pub(super) frames: FrameStack,
    /// The key of the last entry returned.
    pub(super) key: KeyBuilder,
}

impl ScanBuffers {
    /// Empty buffers; nothing allocated.
    pub(super) const fn new() -> Self {
        ScanBuffers {
            frames: FrameStack::new(),
            key: KeyBuilder::new(),
        }
    }

    /// Adopts the frames and key buffer the thread's last scan left, if any. Called at the
    /// cursor's first step, before any frame is pushed or key byte written.
    #[inline]
    pub(super) fn take_spare(&mut self) {
        debug_assert!(self.frames.is_empty() && self.key.is_empty());
        if let Some(spare) = take() {
            self.frames = FrameStack::with_spares(spare.frames);
            self.key = spare.key;
        }
    }
}

impl Drop for ScanBuffers {
    fn drop(&mut self) {
        let frames = self.frames.take_all();
        if frames.capacity() > 0 {
            keep(Spare {
                frames,
                key: core::mem::replace(&mut self.key, KeyBuilder::new()),
            });
        }
    }
}

/// What a scan leaves for the next one on its thread.
pub(super) struct Spare {
    /// Frames to reset and reuse (their contents are stale and never read before a reset).
    #[allow(clippy::vec_box)] // boxed for the reason `FrameStack` gives
    pub(super) frames: Vec<Box<Frame>>,
    /// An empty key buffer with its capacity.
    pub(super) key: KeyBuilder,
}

#[cfg(not(loom))]
std::thread_local! {
    static SPARE: core::cell::Cell<Option<Spare>> = const { core::cell::Cell::new(None) };
}

/// Takes this thread's spare buffers, if it has any.
#[inline]
pub(super) fn take() -> Option<Spare> {
    #[cfg(not(loom))]
    {
        // `try_with`: a scan that runs while the thread's locals are being destroyed (from
        // another local's destructor) just allocates.
        SPARE.try_with(core::cell::Cell::take).ok().flatten()
    }
    #[cfg(loom)]
    {
        None
    }
}

/// Keeps `spare` for this thread's next scan (trimmed to the limits), replacing what it kept.
#[inline]
pub(super) fn keep(mut spare: Spare) {
    spare.frames.truncate(KEPT_FRAMES);
    // The vector itself too: one scan through a megabyte of shared prefix grew it to 131k
    // pointers.
    spare.frames.shrink_to(KEPT_FRAMES);
    if spare.key.capacity() > KEPT_KEY_BYTES {
        spare.key = KeyBuilder::new();
    }
    spare.key.clear();
    #[cfg(not(loom))]
    {
        // Whatever this replaces is dropped here: frames own no thread-local state.
        let _ = SPARE.try_with(|s| s.set(Some(spare)));
    }
    #[cfg(loom)]
    drop(spare);
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::RawTree;
    use crate::scan::{Forward, KeyBound, ScanCursor};
    use crate::value::Boxed;

    /// Frames and key buffer over the limits are trimmed when kept; what is kept comes back
    /// once, empty.
    #[test]
    fn kept_buffers_are_trimmed_to_the_limits() {
        let frames = (0..KEPT_FRAMES * 64)
            .map(|_| Frame::boxed(core::ptr::null_mut(), None, None, false))
            .collect();
        let mut key = KeyBuilder::with_capacity(KEPT_KEY_BYTES * 4);
        key.push_bytes(b"stale");
        keep(Spare { frames, key });
        let spare = take().expect("kept");
        assert_eq!(spare.frames.len(), KEPT_FRAMES);
        assert!(
            spare.frames.capacity() <= 2 * KEPT_FRAMES,
            "the vector shrinks too"
        );
        assert_eq!(spare.key.capacity(), 0);
        assert!(take().is_none(), "taken once");

        let mut key = KeyBuilder::with_capacity(64);
        key.push_bytes(b"stale");
        keep(Spare {
            frames: Vec::new(),
            key,
        });
        let spare = take().expect("kept");
        assert!(spare.key.is_empty() && spare.key.capacity() >= 64);
    }

    /// Scans `tree` forward from the 16-byte key `prefix ++ from` to its end: the values.
    fn scan_from(tree: &RawTree<u64>, prefix: &[u8; 8], from: u64) -> Vec<u64> {
        let guard = tree.pin();
        let mut start = prefix.to_vec();
        start.extend_from_slice(&from.to_be_bytes());
        let mut cursor = ScanCursor::<u64, Boxed, Forward>::new(
            tree,
            &guard,
            KeyBound::Included(start.into()),
            KeyBound::Unbounded,
        );
        let mut values = Vec::new();
        while let Some((_, v)) = cursor.next_entry() {
            values.push(*v);
        }
        values
    }

    /// A tree of 16-byte keys `prefix ++ i` (two layers) with values `base + i`.
    fn two_layers(prefix: &[u8; 8], keys: core::ops::Range<u64>, base: u64) -> RawTree<u64> {
        let tree: RawTree<u64> = RawTree::new();
        let guard = tree.pin();
        for i in keys {
            let mut k = prefix.to_vec();
            k.extend_from_slice(&i.to_be_bytes());
            tree.insert(&k, base + i, &guard);
        }
        drop(guard);
        tree
    }

    /// A scan's cursor leaves its frames to the thread when it drops, and the next scan on the
    /// thread takes those very frames (the same allocations) and reads the right keys from
    /// another tree with other contents: reused frames are reset, and nothing of the first
    /// tree (dropped by then) is read through them.
    #[test]
    fn a_dropped_cursor_leaves_its_frames_to_the_next_scan() {
        let _ = take();
        let first = two_layers(b"sharedsl", 0..40, 0);
        assert_eq!(
            scan_from(&first, b"sharedsl", 3),
            (3..40).collect::<Vec<_>>()
        );
        drop(first);
        let spare = take().expect("the cursor left its buffers");
        assert_eq!(spare.frames.len(), 2, "one frame per layer");
        let kept: Vec<*const Frame> = spare.frames.iter().map(|f| &**f as *const Frame).collect();
        keep(spare);
        let second = two_layers(b"othersli", 10..30, 1000);
        assert_eq!(
            scan_from(&second, b"othersli", 17),
            (1017..1030).collect::<Vec<_>>()
        );
        let spare = take().expect("the second cursor left its buffers");
        let reused: Vec<*const Frame> = spare.frames.iter().map(|f| &**f as *const Frame).collect();
        assert_eq!(
            reused, kept,
            "the second scan ran in the first scan's frames"
        );
    }

    /// A cursor that never stepped leaves nothing, and so does not replace what the thread
    /// kept.
    #[test]
    fn a_cursor_that_never_stepped_keeps_the_threads_spare() {
        let _ = take();
        let tree = two_layers(b"sharedsl", 0..4, 0);
        assert_eq!(scan_from(&tree, b"sharedsl", 0), vec![0, 1, 2, 3]);
        {
            let guard = tree.pin();
            let _unused = ScanCursor::<u64, Boxed, Forward>::new(
                &tree,
                &guard,
                KeyBound::Unbounded,
                KeyBound::Unbounded,
            );
        }
        assert_eq!(take().expect("still kept").frames.len(), 2);
    }
}
