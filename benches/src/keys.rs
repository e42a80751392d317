//! Key sets: `n` distinct keys of one length, stored back to back in one buffer.
//!
//! The buffer is allocated before any map is built, so the memory measurement (which counts a
//! map's bytes net of its input) never sees it.

use masstree_testkit::mix64;

/// The 16 bytes every key of a "shared prefix" set starts with.
pub const SHARED_PREFIX: &[u8; 16] = b"tenant/0042/obj/";

/// How the keys of a set are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Pseudo-random distinct keys (distinct in their first 8 bytes after any prefix).
    Random {
        /// Key length in bytes (at least 8; at least 24 with a prefix).
        len: usize,
        /// Whether every key starts with [`SHARED_PREFIX`].
        prefix: bool,
    },
    /// Index `i` as 8 big-endian bytes: ascending in index order.
    Sequential,
    /// YCSB's keys: `user` and 19 decimal digits of a hashed index (23 bytes).
    Ycsb,
}

impl KeyKind {
    /// The length of each key.
    pub fn key_len(self) -> usize {
        match self {
            Self::Random { len, .. } => len,
            Self::Sequential => 8,
            Self::Ycsb => YCSB_KEY_LEN,
        }
    }
}

/// Length of a YCSB key: `user` plus 19 digits.
pub const YCSB_KEY_LEN: usize = 23;

/// `n` keys of one length.
#[derive(Clone, Debug)]
pub struct KeySet {
    bytes: Vec<u8>,
    len: usize,
}

impl KeySet {
    /// `n` keys of `kind`; key `i` depends only on `(kind, i)`.
    pub fn new(kind: KeyKind, n: usize) -> Self {
        let len = kind.key_len();
        let mut bytes = vec![0u8; n * len];
        for (i, key) in bytes.chunks_exact_mut(len).enumerate() {
            fill(kind, i as u64, key);
        }
        Self { bytes, len }
    }

    /// Key `i`.
    #[inline]
    pub fn key(&self, i: usize) -> &[u8] {
        &self.bytes[i * self.len..(i + 1) * self.len]
    }

    /// The number of keys.
    pub fn count(&self) -> usize {
        self.bytes.len() / self.len
    }

    /// The length of each key.
    pub fn key_len(&self) -> usize {
        self.len
    }

    /// Bytes of the key buffer (the input, excluded from memory per key).
    pub fn input_bytes(&self) -> usize {
        self.bytes.len()
    }
}

/// Writes key `i` of `kind` into `key`.
fn fill(kind: KeyKind, i: u64, key: &mut [u8]) {
    match kind {
        KeyKind::Sequential => key.copy_from_slice(&i.to_be_bytes()),
        KeyKind::Ycsb => {
            let digits = format!("user{:019}", mix64(i) % 10_000_000_000_000_000_000);
            key.copy_from_slice(digits.as_bytes());
        }
        KeyKind::Random { prefix, .. } => {
            let start = if prefix {
                key[..16].copy_from_slice(SHARED_PREFIX);
                16
            } else {
                0
            };
            // `mix64` is a bijection, so these 8 bytes alone make the keys distinct.
            key[start..start + 8].copy_from_slice(&mix64(i).to_be_bytes());
            for (j, chunk) in key[start + 8..].chunks_mut(8).enumerate() {
                let filler = mix64(i ^ ((j as u64 + 1) << 48)).to_be_bytes();
                chunk.copy_from_slice(&filler[..chunk.len()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_distinct_and_well_formed() {
        for kind in [
            KeyKind::Random {
                len: 8,
                prefix: false,
            },
            KeyKind::Random {
                len: 128,
                prefix: false,
            },
            KeyKind::Random {
                len: 24,
                prefix: true,
            },
            KeyKind::Random {
                len: 37,
                prefix: true,
            },
            KeyKind::Sequential,
            KeyKind::Ycsb,
        ] {
            let set = KeySet::new(kind, 5000);
            let distinct: HashSet<&[u8]> = (0..set.count()).map(|i| set.key(i)).collect();
            assert_eq!(distinct.len(), 5000, "{kind:?}");
            assert!((0..set.count()).all(|i| set.key(i).len() == kind.key_len()));
            if let KeyKind::Random { prefix: true, .. } = kind {
                assert!((0..set.count()).all(|i| set.key(i).starts_with(SHARED_PREFIX)));
            }
        }
        let ycsb = KeySet::new(KeyKind::Ycsb, 1);
        assert!(ycsb.key(0).starts_with(b"user"));
        let seq = KeySet::new(KeyKind::Sequential, 3);
        assert!(seq.key(0) < seq.key(1) && seq.key(1) < seq.key(2));
    }
}
