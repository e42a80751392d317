//! `ByteKey`: an owned byte-string key, stored inline when short.

use core::borrow::Borrow;
use core::fmt;
use core::ops::Deref;

/// Bytes stored inline; longer keys go to the heap.
const INLINE: usize = 30;

/// Copies `src` (at most [`INLINE`] bytes) to the front of `dst` with two fixed-width,
/// possibly overlapping copies instead of a call to `memcpy`: scans build one key per entry.
#[inline]
fn copy_short(dst: &mut [u8; INLINE], src: &[u8]) {
    let n = src.len();
    debug_assert!(n <= INLINE);
    if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..n].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..n].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..n].copy_from_slice(&src[n - 4..]);
    } else {
        dst[..n].copy_from_slice(src);
    }
}

/// An owned byte-string key, as scans of a byte-keyed map return it. Keys up to 30 bytes
/// live inline (no allocation); longer ones on the heap. Derefs to `[u8]` and compares like
/// it.
///
/// ```
/// use masstree_key::codec::ByteKey;
///
/// let key = ByteKey::new(b"k1");
/// assert_eq!(&*key, b"k1");
/// assert_eq!(key, b"k1"[..]);
/// assert!(ByteKey::new(b"a") < ByteKey::new(b"ab"));
/// ```
pub struct ByteKey(Repr);

/// `Heap` may hold a short key too: a key reused by [`Key::decode_into`](super::Key::decode_into)
/// keeps its heap buffer. Every method goes through [`ByteKey::as_bytes`], so the two forms of
/// the same bytes behave alike.
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Vec<u8>),
}

impl ByteKey {
    /// Copies `bytes` into a key.
    #[inline]
    pub fn new(bytes: &[u8]) -> Self {
        if bytes.len() <= INLINE {
            let mut inline = [0u8; INLINE];
            copy_short(&mut inline, bytes);
            ByteKey(Repr::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            })
        } else {
            ByteKey(Repr::Heap(bytes.to_vec()))
        }
    }

    /// Replaces the bytes with `bytes`, reusing the heap buffer when there is one (no
    /// allocation when its capacity suffices).
    #[inline]
    pub(super) fn set(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            Repr::Heap(heap) => {
                heap.clear();
                heap.extend_from_slice(bytes);
            }
            Repr::Inline { .. } => *self = Self::new(bytes),
        }
    }

    /// Empties the key, keeping any heap buffer.
    #[inline]
    pub(super) fn clear(&mut self) {
        match &mut self.0 {
            Repr::Inline { len, .. } => *len = 0,
            Repr::Heap(heap) => heap.clear(),
        }
    }

    /// Appends `more`, moving to the heap when the bytes no longer fit inline.
    #[inline]
    pub(super) fn extend_from_slice(&mut self, more: &[u8]) {
        match &mut self.0 {
            Repr::Inline { len, bytes } => {
                let start = usize::from(*len);
                let end = start + more.len();
                if end <= INLINE {
                    bytes[start..end].copy_from_slice(more);
                    *len = end as u8;
                } else {
                    let mut heap = Vec::with_capacity(end.max(2 * INLINE));
                    heap.extend_from_slice(&bytes[..start]);
                    heap.extend_from_slice(more);
                    self.0 = Repr::Heap(heap);
                }
            }
            Repr::Heap(heap) => heap.extend_from_slice(more),
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(b) => b,
        }
    }

    /// The bytes as a `Vec`.
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            Repr::Inline { .. } => self.as_bytes().to_vec(),
            Repr::Heap(b) => b,
        }
    }
}

/// A clone is stored like a new key of its bytes (inline when short); `clone_from` reuses
/// the target's heap buffer.
impl Clone for ByteKey {
    #[inline]
    fn clone(&self) -> Self {
        Self::new(self.as_bytes())
    }

    #[inline]
    fn clone_from(&mut self, source: &Self) {
        self.set(source.as_bytes());
    }
}

impl Deref for ByteKey {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for ByteKey {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<[u8]> for ByteKey {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for ByteKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ByteKey {}

impl PartialEq<[u8]> for ByteKey {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }
}

impl PartialEq<&[u8]> for ByteKey {
    fn eq(&self, other: &&[u8]) -> bool {
        self.as_bytes() == *other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for ByteKey {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_bytes() == other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for ByteKey {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.as_bytes() == *other
    }
}

impl PartialOrd for ByteKey {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ByteKey {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl core::hash::Hash for ByteKey {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

/// Prints as a string when the bytes are UTF-8, else as a byte list.
impl fmt::Debug for ByteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(self.as_bytes()) {
            Ok(s) => write!(f, "{s:?}"),
            Err(_) => write!(f, "{:?}", self.as_bytes()),
        }
    }
}

impl From<&[u8]> for ByteKey {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl From<ByteKey> for Vec<u8> {
    fn from(key: ByteKey) -> Self {
        key.into_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::ByteKey;

    /// Every length around the inline limit and the copy widths (4, 8, 16, 30) keeps its
    /// bytes exactly, in order.
    #[test]
    fn every_length_round_trips() {
        for n in 0..=40usize {
            let bytes: Vec<u8> = (0..n)
                .map(|i| (i as u8).wrapping_mul(37).wrapping_add(1))
                .collect();
            let key = ByteKey::new(&bytes);
            assert_eq!(key.as_bytes(), &bytes[..], "length {n}");
            assert_eq!(key.len(), n);
        }
    }

    /// `set`, `clear` and `extend_from_slice` keep the bytes right across the inline limit,
    /// and a key on the heap stays there (its buffer reused) when set to a short key.
    #[test]
    fn refilling_keeps_bytes_and_heap_buffers() {
        let bytes: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(29)).collect();
        let mut key = ByteKey::new(&[]);
        for &n in &[0usize, 5, 30, 31, 3, 64, 0, 30, 100, 7] {
            key.set(&bytes[..n]);
            assert_eq!(key.as_bytes(), &bytes[..n], "set {n}");
            key.clear();
            for chunk in bytes[..n].chunks(7) {
                key.extend_from_slice(chunk);
            }
            assert_eq!(key.as_bytes(), &bytes[..n], "extended to {n}");
        }
        let ptr = key.as_ptr();
        key.set(b"ab");
        assert!(matches!(key.0, super::Repr::Heap(_)));
        assert_eq!((key.as_bytes(), key.as_ptr()), (&b"ab"[..], ptr));
        // A clone is stored afresh: inline when short.
        assert!(matches!(key.clone().0, super::Repr::Inline { .. }));
        let mut target = ByteKey::new(&[1; 50]);
        let ptr = target.as_ptr();
        target.clone_from(&key);
        assert_eq!((target.as_bytes(), target.as_ptr()), (&b"ab"[..], ptr));
    }
}
