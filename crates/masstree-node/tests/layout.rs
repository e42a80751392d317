//! Node sizes and alignments, recorded so a layout change is a visible decision.
#![cfg(not(loom))]

use core::mem::{align_of, size_of};
use masstree_node::{InlineTables, Internode, Leaf, NodeHeader, NodeVersion, Permutation, Version};

#[test]
fn word_types_are_one_word() {
    assert_eq!(size_of::<NodeVersion>(), 8);
    assert_eq!(size_of::<Version>(), 8);
    assert_eq!(size_of::<Permutation>(), 8);
    assert_eq!(size_of::<NodeHeader>(), 16);
}

#[test]
fn leaf_is_five_cache_lines() {
    // header 16 + permutation 8 + low bound 8 + next/prev 16 + keylens 15 (+1 pad)
    // + ikeys 120 + values 120 + suffix table 8 + short-suffix table 8 = 320.
    assert_eq!(align_of::<Leaf>(), 64);
    assert_eq!(size_of::<Leaf>(), 320);
}

#[test]
fn leaf_blocks_are_whole_cache_lines() {
    // The leaf's 320 bytes, then its tables: short 136 (-> 512), long 120 (-> 448, the
    // seven lines `prefetch_node` requests), both 256 (-> 576).
    let cases = [
        (InlineTables::NONE, 320),
        (InlineTables::SHORT, 512),
        (InlineTables::LONG, 448),
        (InlineTables::BOTH, 576),
    ];
    for (kind, bytes) in cases {
        let pool = masstree_alloc::NodePool::default();
        let leaf = Leaf::boxed(0, true, false, kind, &pool);
        // SAFETY: fresh; freed once, after the last read.
        assert_eq!(unsafe { (*leaf).block_bytes() }, bytes, "{kind:?}");
        // SAFETY: as above.
        unsafe { Leaf::free(leaf) };
    }
}

#[test]
fn internode_is_seven_cache_lines() {
    // header 16 + nkeys 8 + keys 184 + children 192 = 400, + 48 explicit tail padding = 448.
    assert_eq!(align_of::<Internode>(), 64);
    assert_eq!(size_of::<Internode>(), 448);
}

#[test]
fn header_is_first_so_node_pointers_cast() {
    let leaf = Leaf::new(0, true);
    assert_eq!(
        core::ptr::addr_of!(leaf.header) as usize,
        core::ptr::addr_of!(leaf) as usize
    );
    let inode = Internode::new(true);
    assert_eq!(
        core::ptr::addr_of!(inode.header) as usize,
        core::ptr::addr_of!(inode) as usize
    );
    assert!(leaf.header.is_leaf());
    assert!(!inode.header.is_leaf());
}
