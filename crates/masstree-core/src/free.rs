//! How the tree's retired objects are freed.

use masstree_alloc::Free;
use masstree_node::{Suffix, SuffixRaw};

/// Frees a retired suffix.
pub(crate) struct FreeSuffix;

impl Free<SuffixRaw> for FreeSuffix {
    unsafe fn free(ptr: *mut SuffixRaw) {
        // SAFETY: retired suffixes came from `Suffix::into_raw` and are retired once.
        drop(unsafe { Suffix::from_raw(ptr) });
    }
}
