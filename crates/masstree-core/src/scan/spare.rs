//! A thread's spare scan buffers: the frames (about 700 bytes each) and key buffer of the last
//! scan that ended on this thread, kept for its next scan. A short scan (YCSB-E's: one to a
//! hundred entries, through two layers) otherwise pays an allocation and a free for each frame,
//! the frame vector and the key buffer, about a sixth of its time.
//!
//! At most [`KEPT_FRAMES`] frames and [`KEPT_KEY_BYTES`] of key buffer stay per thread (a scan
//! through a megabyte of shared prefix holds a frame per layer; those are freed), and they are
//! freed with the thread. A scan that finds nothing spare (the first on a thread, or one opened
//! while another is still open) allocates as before. Under `--cfg loom` nothing is kept: loom
//! runs its model threads on one OS thread, and buffers carried between them, or between
//! iterations of a model, would make executions depend on each other.

use super::frame::Frame;
use masstree_key::KeyBuilder;

/// Frames kept per thread: enough for keys of four layers (up to 32 bytes).
pub(super) const KEPT_FRAMES: usize = 4;

/// Key buffer capacity kept per thread, in bytes.
pub(super) const KEPT_KEY_BYTES: usize = 1024;

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
        let frames = (0..KEPT_FRAMES + 3)
            .map(|_| Frame::boxed(core::ptr::null_mut(), None, None, false))
            .collect();
        let mut key = KeyBuilder::with_capacity(KEPT_KEY_BYTES * 4);
        key.push_bytes(b"stale");
        keep(Spare { frames, key });
        let spare = take().expect("kept");
        assert_eq!(spare.frames.len(), KEPT_FRAMES);
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

    /// A scan's cursor leaves its frames to the thread when it drops, and the next scan on the
    /// thread takes them (and still reads the right keys: reused frames are reset).
    #[test]
    fn a_dropped_cursor_leaves_its_frames_to_the_next_scan() {
        let tree: RawTree<u64> = RawTree::new();
        let guard = tree.pin();
        // Two layers: keys of 16 bytes sharing their first slice.
        for i in 0..40u64 {
            let mut k = b"sharedsl".to_vec();
            k.extend_from_slice(&i.to_be_bytes());
            tree.insert(&k, i, &guard);
        }
        let _ = take();
        let scan = |from: u64| {
            let mut start = b"sharedsl".to_vec();
            start.extend_from_slice(&from.to_be_bytes());
            let mut cursor = ScanCursor::<u64, Boxed, Forward>::new(
                &tree,
                &guard,
                KeyBound::Included(start),
                KeyBound::Unbounded,
            );
            let mut values = Vec::new();
            while let Some((_, v)) = cursor.next_entry() {
                values.push(*v);
            }
            values
        };
        assert_eq!(scan(3), (3..40).collect::<Vec<_>>());
        let spare = take().expect("the cursor left its buffers");
        assert_eq!(spare.frames.len(), 2, "one frame per layer");
        keep(spare);
        assert_eq!(scan(17), (17..40).collect::<Vec<_>>());
        assert!(take().is_some());
    }
}
