//! New layers: when two keys that both continue past a slice share it, the slot becomes a
//! pointer to a B+tree over their next slices.

use masstree_key::{ikey_of, keylen_class};
use masstree_node::{KEYLEN_LAYER, Leaf, NodeHeader, Permutation, SlotSuffix};

/// Builds the layer(s) holding two distinct key remainders `a` and `b` (the bytes after the
/// shared slice, both non-empty) with their value pointers, and returns the top layer's root.
///
/// If the remainders share further whole slices, each shared slice gets a one-key layer whose
/// slot points one layer down; the bottom layer holds both keys. Built iteratively, so a
/// megabyte of shared prefix costs no stack. Nothing here is published: the caller stores the
/// returned root into its slot under `INSERTING`.
pub(crate) fn build_layer(
    a: &[u8],
    a_value: *mut (),
    b: &[u8],
    b_value: *mut (),
) -> *mut NodeHeader {
    debug_assert_ne!(a, b);
    let mut shared = 0;
    while a.len() - shared > 8
        && b.len() - shared > 8
        && a[shared..shared + 8] == b[shared..shared + 8]
    {
        shared += 8;
    }
    let (a_rest, b_rest) = (&a[shared..], &b[shared..]);
    let mut entries = [entry(a_rest, a_value), entry(b_rest, b_value)];
    if (entries[1].0, entries[1].1.min(9)) < (entries[0].0, entries[0].1.min(9)) {
        entries.swap(0, 1);
    }
    let bottom = Leaf::new(0, true);
    {
        let lock = bottom.version().lock();
        for (slot, &(ikey, keylen, value, suffix)) in entries.iter().enumerate() {
            bottom.set_suffix(&lock, slot, suffix);
            bottom.set_slot(&lock, slot, ikey, keylen, value);
        }
        bottom.set_permutation(&lock, Permutation::sorted(2));
    }
    let mut node: *mut NodeHeader = Box::into_raw(Box::new(bottom)).cast();
    while shared > 0 {
        shared -= 8;
        let leaf = Leaf::new(0, true);
        {
            let lock = leaf.version().lock();
            leaf.set_slot(
                &lock,
                0,
                ikey_of(&a[shared..shared + 8]),
                KEYLEN_LAYER,
                node.cast(),
            );
            leaf.set_permutation(&lock, Permutation::sorted(1));
        }
        node = Box::into_raw(Box::new(leaf)).cast();
    }
    node
}

/// A key remainder as a slot: slice, length class, value, suffix (short, or long and owned).
fn entry(rest: &[u8], value: *mut ()) -> (u64, u8, *mut (), SlotSuffix) {
    let suffix = if rest.len() > 8 {
        SlotSuffix::owned(&rest[8..])
    } else {
        SlotSuffix::NONE
    };
    (ikey_of(rest), keylen_class(rest.len()), value, suffix)
}
