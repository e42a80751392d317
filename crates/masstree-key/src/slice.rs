//! Turning the bytes of one layer into a slot's `(ikey, keylen)` pair.

/// Number of key bytes held by one layer of the trie: one big-endian `u64`.
///
/// ```
/// assert_eq!(masstree_key::SLICE_LEN, core::mem::size_of::<u64>());
/// ```
pub const SLICE_LEN: usize = 8;

/// Length class of a key within one layer.
///
/// `0..=8` means the key ends in this slice with that many bytes;
/// `KEYLEN_SUFFIX` (= 9) means the key continues past this slice (it has a
/// suffix, stored out of line or in a deeper layer).
///
/// Because it is one larger than every "ends here" class, a key that goes on
/// sorts after every key that ends in the same slice with the same `ikey`.
///
/// ```
/// use masstree_key::{KEYLEN_SUFFIX, SLICE_LEN};
/// assert_eq!(usize::from(KEYLEN_SUFFIX), SLICE_LEN + 1);
/// ```
pub const KEYLEN_SUFFIX: u8 = 9;

/// The big-endian, zero-padded `u64` of the first `min(bytes.len(), 8)` bytes.
///
/// Bytes past the eighth are ignored. Missing bytes read as `0x00`, so
/// `b"ab"` and `b"ab\0"` share an `ikey`; [`keylen_class`] tells them apart.
///
/// ```
/// use masstree_key::ikey_of;
/// assert_eq!(ikey_of(b""), 0);
/// assert_eq!(ikey_of(b"\x01"), 0x0100_0000_0000_0000);
/// assert_eq!(ikey_of(b"ab"), ikey_of(b"ab\0"));
/// assert_eq!(ikey_of(b"abcdefgh"), ikey_of(b"abcdefghXYZ"));
/// assert!(ikey_of(b"a\xff") < ikey_of(b"b"));
/// ```
#[must_use]
#[inline]
pub fn ikey_of(bytes: &[u8]) -> u64 {
    // Fixed-size reads only: a copy of a variable length (`word[..n]`) compiles to a call to
    // `memcpy`, which was a fifth of an 8-byte lookup's time.
    if let Some(first) = bytes.first_chunk::<SLICE_LEN>() {
        return u64::from_be_bytes(*first);
    }
    short_ikey(bytes)
}

/// [`ikey_of`] of fewer than 8 bytes: two overlapping fixed-size reads (of 4 bytes, or of 1
/// and 2), placed at the top of the word.
#[inline]
fn short_ikey(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let value = if n >= 4 {
        // `n` is 4..=7: the first four bytes and the last four (overlapping) cover them.
        let head = u64::from(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        let tail = u64::from(u32::from_be_bytes([
            bytes[n - 4],
            bytes[n - 3],
            bytes[n - 2],
            bytes[n - 1],
        ]));
        (head << ((n - 4) * 8)) | tail
    } else if n > 0 {
        // `n` is 1..=3: the first byte, the middle one and the last one cover them.
        let (a, b, c) = (
            u64::from(bytes[0]),
            u64::from(bytes[n / 2]),
            u64::from(bytes[n - 1]),
        );
        (a << ((n - 1) * 8)) | (b << ((n - 1 - n / 2) * 8)) | c
    } else {
        return 0;
    };
    // `value` holds the `n` bytes big-endian in its low `n * 8` bits: move them to the top.
    value << ((SLICE_LEN - n) * 8)
}

/// The keylen class of `remaining_len` bytes left in a key at some layer:
/// `min(remaining_len, 8)` when the key ends in this slice, or
/// [`KEYLEN_SUFFIX`] when `remaining_len > 8`.
///
/// ```
/// use masstree_key::{keylen_class, KEYLEN_SUFFIX};
/// assert_eq!(keylen_class(0), 0);
/// assert_eq!(keylen_class(3), 3);
/// assert_eq!(keylen_class(8), 8);
/// assert_eq!(keylen_class(9), KEYLEN_SUFFIX);
/// assert_eq!(keylen_class(usize::MAX), KEYLEN_SUFFIX);
/// ```
#[must_use]
#[inline]
pub fn keylen_class(remaining_len: usize) -> u8 {
    match u8::try_from(remaining_len) {
        Ok(n) if usize::from(n) <= SLICE_LEN => n,
        _ => KEYLEN_SUFFIX,
    }
}

#[cfg(test)]
mod ikey_tests {
    use super::*;

    /// Every length the short path and the fast path take, against the padded word, with
    /// distinct bytes so that a byte in the wrong place shows.
    #[test]
    fn ikey_of_every_length_is_the_padded_big_endian_word() {
        for len in 0..=12usize {
            for base in [0x01u8, 0x80, 0xF0] {
                let bytes: Vec<u8> = (0..len).map(|i| base.wrapping_add(i as u8 * 17)).collect();
                let mut word = [0u8; SLICE_LEN];
                for (dst, src) in word.iter_mut().zip(&bytes) {
                    *dst = *src;
                }
                assert_eq!(
                    ikey_of(&bytes),
                    u64::from_be_bytes(word),
                    "{len} bytes from {base:#x}"
                );
            }
        }
    }
}
