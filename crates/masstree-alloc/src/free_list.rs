//! Free blocks of one size: an intrusive list (each free block's first word links the next).

use core::ptr::NonNull;

/// A free block: its first word links the next one.
struct FreeBlock {
    next: *mut FreeBlock,
}

/// A linked list of free blocks of one size.
pub(crate) struct FreeBlocks {
    head: *mut FreeBlock,
    len: usize,
}

// SAFETY: the list owns its blocks (free memory of a pool); moving it moves that ownership.
unsafe impl Send for FreeBlocks {}

impl FreeBlocks {
    /// No blocks.
    pub(crate) const EMPTY: Self = Self {
        head: core::ptr::null_mut(),
        len: 0,
    };

    /// How many blocks it holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds a block.
    ///
    /// # Safety
    ///
    /// `block` is free memory of this list's size (at least a word, word-aligned), owned by
    /// the caller, and stays unused until popped.
    pub(crate) unsafe fn push(&mut self, block: NonNull<u8>) {
        let block = block.as_ptr().cast::<FreeBlock>();
        // SAFETY: the caller hands over `block`, valid for a word's write.
        unsafe { block.write(FreeBlock { next: self.head }) };
        self.head = block;
        self.len += 1;
    }

    /// Takes a block.
    pub(crate) fn pop(&mut self) -> Option<NonNull<u8>> {
        let head = NonNull::new(self.head)?;
        // SAFETY: every block in the list was written by `push` and is owned by the list.
        self.head = unsafe { head.as_ptr().read().next };
        self.len -= 1;
        Some(head.cast())
    }

    /// Moves up to `n` blocks (the first ones) into a list of their own: one walk to the cut
    /// and one write, where popping and pushing each would write every block.
    pub(crate) fn take(&mut self, n: usize) -> FreeBlocks {
        let count = n.min(self.len);
        if count == 0 {
            return FreeBlocks::EMPTY;
        }
        let mut last = self.head;
        for _ in 1..count {
            // SAFETY: `count <= len`: the first `count` blocks are in the list, linked by `push`.
            last = unsafe { (*last).next };
        }
        let taken = FreeBlocks {
            head: self.head,
            len: count,
        };
        // SAFETY: `last` is the list's `count`-th block, owned by the list.
        unsafe {
            self.head = (*last).next;
            (*last).next = core::ptr::null_mut();
        }
        self.len -= count;
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_back_last_in_first_out_and_take_moves_at_most_n() {
        let mut words: Vec<u64> = vec![0; 10];
        let base = words.as_mut_ptr();
        let mut list = FreeBlocks::EMPTY;
        for i in 0..10 {
            // SAFETY: each element is a word the test owns and does not touch while listed.
            unsafe { list.push(NonNull::new(base.add(i)).unwrap().cast()) };
        }
        assert_eq!(list.len(), 10);
        let mut taken = list.take(4);
        assert_eq!((list.len(), taken.len()), (6, 4));
        // The four taken are the last pushed (9, 8, 7, 6), in that order.
        // SAFETY: in bounds of `words`.
        assert_eq!(taken.pop().unwrap().as_ptr(), unsafe { base.add(9) }.cast());
        // SAFETY: as above.
        assert_eq!(list.pop().unwrap().as_ptr(), unsafe { base.add(5) }.cast());
        let rest = list.take(100);
        assert_eq!((list.len(), rest.len()), (0, 5));
        assert!(list.pop().is_none());
    }
}
