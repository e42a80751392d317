//! Key slicing for Masstree: keys of any length as a trie of 8-byte slices.
//!
//! A Masstree is a trie whose nodes ("layers") are B+trees. Layer `d` of the
//! trie indexes bytes `8*d .. 8*d + 8` of every key that reaches it. This
//! crate owns the encoding of keys into those slices and the order it
//! induces; it has no unsafe code and no length limit: keys may be anything
//! from 0 bytes to megabytes, and nothing here panics on any input.
//!
//! # Slices: big-endian `u64`
//!
//! Within a layer a key is represented by its *ikey*: the next (up to) 8
//! bytes read as a big-endian `u64`, padded with zero bytes when fewer than 8
//! remain ([`ikey_of`], [`KeyCursor::ikey`]). Big-endian puts the first byte
//! in the most significant position, so comparing two ikeys as integers
//! compares their 8-byte words byte by byte from the left, which is exactly
//! lexicographic order on the (padded) bytes. Nodes can therefore compare a
//! whole slice in one integer comparison instead of a `memcmp`.
//!
//! # Keylen classes
//!
//! Zero padding loses information: `b"ab"`, `b"ab\0"` and `b"ab\0\0"` have
//! the same ikey. Each entry therefore also stores a *keylen* class
//! ([`keylen_class`], [`KeyCursor::keylen`]):
//!
//! * `0..=8`: the key ends in this slice, with that many bytes in it;
//! * [`KEYLEN_SUFFIX`] (= 9): the key goes on past this slice. The rest is
//!   either stored as a suffix or, when several keys share the slice, in a
//!   deeper layer.
//!
//! # The ordering contract
//!
//! Entries of one layer are ordered by `(ikey, keylen)` compared as
//! `(u64, u8)`; when both keylens are [`KEYLEN_SUFFIX`] and the ikeys are
//! equal, by the rest of the key: bytewise on the suffixes
//! ([`compare_entries`]) or, equivalently, by shifting both keys one layer
//! down and repeating ([`KeyCursor::shift`], [`KeyCursor::compare_slot`]).
//!
//! **For any two byte strings `a` and `b`, this gives exactly `a.cmp(b)`.**
//! Why: if the padded words differ, then at the first byte where they do,
//! either both bytes are real (and integer order is byte order), or one key
//! has ended and its padding zero is below the other key's real, non-zero
//! byte (and a key that has ended sorts before its continuations). If the
//! ikeys are equal,
//! the shorter key (smaller keylen) is a prefix of the longer one, with only
//! zero bytes after it inside the slice, so it sorts first, and a key that
//! goes on (keylen 9) sorts after every key ending in the slice. If both go
//! on, their first 8 bytes are equal real bytes and the order is that of the
//! rest. The integration tests in `tests/` check this with property tests.
//!
//! ```
//! use core::cmp::Ordering;
//! use masstree_key::{KeyCursor, KEYLEN_SUFFIX};
//!
//! fn tree_cmp(a: &[u8], b: &[u8]) -> Ordering {
//!     let (mut ca, mut cb) = (KeyCursor::new(a), KeyCursor::new(b));
//!     loop {
//!         match ca.compare_slot(cb.ikey(), cb.keylen()) {
//!             Ordering::Equal if ca.keylen() == KEYLEN_SUFFIX => {
//!                 ca.shift();
//!                 cb.shift();
//!             }
//!             order => return order,
//!         }
//!     }
//! }
//! for (a, b) in [(&b"ab"[..], &b"ab\0"[..]), (b"", b"\0"), (b"abcdefgh", b"abcdefgh\0")] {
//!     assert_eq!(tree_cmp(a, b), a.cmp(b));
//!     assert_eq!(tree_cmp(b, a), b.cmp(a));
//! }
//! ```
//!
//! # Why a key of `8*d + 8` bytes stays in layer `d`
//!
//! A key whose remaining bytes exactly fill a slice is stored in that layer
//! with keylen 8; it does not descend. Descending would create a layer entry
//! for the empty rest (ikey 0, keylen 0) and an extra layer just to say "the
//! key ends here", for every such key. Keylen 8 already says that, and it
//! sorts below [`KEYLEN_SUFFIX`], so such a key precedes every longer key
//! with the same slice, as it must since it is their prefix. Hence
//! [`KeyCursor::shift`] only moves down when *more* than 8 bytes remain, and
//! a cursor's offset is always 0 or less than the key's length.
//!
//! # Contents
//!
//! * slices: [`SLICE_LEN`], [`KEYLEN_SUFFIX`], [`ikey_of`],
//!   [`keylen_class`];
//! * [`KeyCursor`]: a key and the layer it is being compared in;
//! * [`compare_entries`]: the total order on the entries of one layer;
//! * [`KeyBuilder`]: rebuilds whole keys from slices during scans;
//! * [`codec`]: typed keys, order-preserving encodings of integers, strings, byte strings
//!   and tuples into byte strings.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod builder;
pub mod codec;
mod cursor;
mod order;
mod slice;

pub use builder::KeyBuilder;
pub use cursor::KeyCursor;
pub use order::compare_entries;
pub use slice::{KEYLEN_SUFFIX, SLICE_LEN, ikey_of, keylen_class};
