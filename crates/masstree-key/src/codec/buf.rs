//! `KeyBuf`: the buffer keys are encoded into, on the stack while short.

/// Bytes kept inline before spilling to the heap.
const INLINE: usize = 64;

/// A growable byte buffer that keeps up to 64 bytes inline, so encoding a short key for a
/// lookup allocates nothing.
///
/// ```
/// use masstree_key::codec::KeyBuf;
///
/// let mut buf = KeyBuf::new();
/// buf.extend_from_slice(b"user:");
/// buf.push(7);
/// assert_eq!(buf.as_slice(), b"user:\x07");
/// ```
#[derive(Clone)]
pub struct KeyBuf {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Inline { len: usize, bytes: [u8; INLINE] },
    Heap(Vec<u8>),
}

impl KeyBuf {
    /// An empty buffer.
    #[inline]
    pub const fn new() -> Self {
        Self {
            repr: Repr::Inline {
                len: 0,
                bytes: [0; INLINE],
            },
        }
    }

    /// Appends one byte.
    #[inline]
    pub fn push(&mut self, byte: u8) {
        self.extend_from_slice(&[byte]);
    }

    /// Appends `bytes`.
    #[inline]
    pub fn extend_from_slice(&mut self, more: &[u8]) {
        match &mut self.repr {
            Repr::Inline { len, bytes } => {
                let end = *len + more.len();
                if end <= INLINE {
                    bytes[*len..end].copy_from_slice(more);
                    *len = end;
                } else {
                    let mut heap = Vec::with_capacity(end.max(2 * INLINE));
                    heap.extend_from_slice(&bytes[..*len]);
                    heap.extend_from_slice(more);
                    self.repr = Repr::Heap(heap);
                }
            }
            Repr::Heap(heap) => heap.extend_from_slice(more),
        }
    }

    /// The bytes written so far.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.repr {
            Repr::Inline { len, bytes } => &bytes[..*len],
            Repr::Heap(heap) => heap,
        }
    }

    /// The number of bytes written.
    #[inline]
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether nothing was written.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets the contents, keeping any heap capacity.
    #[inline]
    pub fn clear(&mut self) {
        match &mut self.repr {
            Repr::Inline { len, .. } => *len = 0,
            Repr::Heap(heap) => heap.clear(),
        }
    }

    /// The bytes as a `Vec`.
    pub fn into_vec(self) -> Vec<u8> {
        match self.repr {
            Repr::Inline { len, bytes } => bytes[..len].to_vec(),
            Repr::Heap(heap) => heap,
        }
    }
}

impl From<&[u8]> for KeyBuf {
    /// A copy of `bytes`: inline up to 64 bytes, else on the heap.
    ///
    /// ```
    /// use masstree_key::codec::KeyBuf;
    ///
    /// assert_eq!(KeyBuf::from(&b"user:7"[..]).as_slice(), b"user:7");
    /// ```
    #[inline]
    fn from(bytes: &[u8]) -> Self {
        let mut buf = Self::new();
        buf.extend_from_slice(bytes);
        buf
    }
}

impl From<Vec<u8>> for KeyBuf {
    /// Takes the vector as the buffer's heap storage, without copying.
    ///
    /// ```
    /// use masstree_key::codec::KeyBuf;
    ///
    /// assert_eq!(KeyBuf::from(vec![1, 2]).as_slice(), [1, 2]);
    /// ```
    #[inline]
    fn from(bytes: Vec<u8>) -> Self {
        Self {
            repr: Repr::Heap(bytes),
        }
    }
}

impl AsRef<[u8]> for KeyBuf {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Default for KeyBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for KeyBuf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("KeyBuf").field(&self.as_slice()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_to_the_heap_and_keeps_every_byte() {
        let mut buf = KeyBuf::new();
        let mut model = Vec::new();
        for i in 0..200u8 {
            buf.push(i);
            model.push(i);
            assert_eq!(buf.as_slice(), model.as_slice());
        }
        buf.extend_from_slice(&[1; 70]);
        model.extend_from_slice(&[1; 70]);
        assert_eq!(buf.clone().into_vec(), model);
        buf.clear();
        assert!(buf.is_empty());
    }

    #[test]
    fn one_large_append_from_inline() {
        let mut buf = KeyBuf::new();
        buf.extend_from_slice(b"abc");
        buf.extend_from_slice(&[9; 100]);
        assert_eq!(buf.len(), 103);
        assert_eq!(&buf.as_slice()[..3], b"abc");
    }
}
