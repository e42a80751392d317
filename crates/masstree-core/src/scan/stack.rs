//! The frames of a scan, one per layer it is inside, kept allocated when the scan leaves a
//! layer: entering the next layer resets a frame in place instead of building one (a frame is
//! a whole leaf snapshot, ~700 bytes, and a scan over long keys enters a layer every few dozen
//! entries; building and moving a fresh frame each time was a tenth of a YCSB-E scan).

use super::frame::Frame;
use super::snapshot::Position;
use masstree_node::NodeHeader;

/// A stack of frames whose popped frames stay allocated for the next push.
pub(super) struct FrameStack {
    /// `frames[..depth]` are the live frames; the rest are spare, reset before reuse. Boxed
    /// one by one: each allocation stays small enough for the allocator's per-thread cache
    /// (glibc's tcache stops at 1 KiB; a vector of two frames inline is past it, and a
    /// request that large makes glibc consolidate its fast bins first, which YCSB-E's scans
    /// paid for on every scan).
    ///
    /// The boxing is also what keeps a scan's run sound: a run holds pointers into its frame's
    /// snapshot while the cursor is moved around (a `Range` returned, `Values::fold(self)`),
    /// and only a boxed frame stays where it is when the cursor and this vector move. Frames
    /// inline in the vector or the cursor would leave those pointers dangling.
    #[allow(clippy::vec_box)] // deliberate: see above
    frames: Vec<Box<Frame>>,
    depth: usize,
}

impl FrameStack {
    /// An empty stack; allocates on the first push.
    pub(super) const fn new() -> Self {
        FrameStack {
            frames: Vec::new(),
            depth: 0,
        }
    }

    /// A stack whose spare frames are `frames` (left by an earlier scan: reset before use).
    #[allow(clippy::vec_box)] // see `frames`
    pub(super) fn with_spares(frames: Vec<Box<Frame>>) -> Self {
        FrameStack { frames, depth: 0 }
    }

    /// Every frame, live or spare, leaving the stack empty.
    #[allow(clippy::vec_box)] // see `frames`
    pub(super) fn take_all(&mut self) -> Vec<Box<Frame>> {
        self.depth = 0;
        core::mem::take(&mut self.frames)
    }

    /// Number of live frames.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        self.depth
    }

    /// Whether no frame is live.
    #[inline(always)]
    pub(super) fn is_empty(&self) -> bool {
        self.depth == 0
    }

    /// The innermost live frame.
    #[inline(always)]
    pub(super) fn last(&self) -> Option<&Frame> {
        self.frames[..self.depth].last().map(|f| &**f)
    }

    /// The innermost live frame, mutably.
    #[inline(always)]
    pub(super) fn last_mut(&mut self) -> Option<&mut Frame> {
        self.frames[..self.depth].last_mut().map(|f| &mut **f)
    }

    /// Enters a layer: a frame as [`Frame::boxed`] builds it, reusing a spare one if there is.
    pub(super) fn push(
        &mut self,
        root: *mut NodeHeader,
        bound: Option<Position>,
        bound_rest: Option<usize>,
        prefetch_values: bool,
    ) {
        if let Some(spare) = self.frames.get_mut(self.depth) {
            spare.reset(root, bound, bound_rest, prefetch_values);
        } else {
            self.frames
                .push(Frame::boxed(root, bound, bound_rest, prefetch_values));
        }
        self.depth += 1;
    }

    /// Leaves the innermost layer (its frame becomes spare).
    #[inline]
    pub(super) fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}
