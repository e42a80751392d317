//! Typed keys: order-preserving ("memcomparable") encodings of Rust values into byte strings.
//!
//! The tree orders keys as byte strings. A typed key is encoded so that **the byte order of
//! the encodings is the order of the values** (`a < b` exactly when `enc(a) < enc(b)`), and
//! decoded back when a scan hands keys out. [`Key`] is implemented by the types a map can be
//! keyed by; [`Query`] by the types a lookup may pass for such a key (`&str` for `String`,
//! `&[u8]` or `b"..."` for byte strings, `(&str, u32)` for `(String, u32)`), so lookups by a
//! borrowed form allocate nothing.
//!
//! | type | encoding |
//! |---|---|
//! | `u8`..`u128` | big-endian, fixed width |
//! | `i8`..`i128` | big-endian with the sign bit flipped (so negatives sort first) |
//! | `bool` | one byte, `0` or `1` |
//! | `char` | its scalar value as a big-endian `u32` |
//! | `[u8; N]` | the bytes, fixed width |
//! | `[u8]`, `Vec<u8>`, `str`, `String`, [`ByteKey`] | the bytes as they are when last; escaped when not (below) |
//! | tuples of up to 4 keys | the elements' encodings, one after the other |
//!
//! # Variable-length parts inside tuples
//!
//! A byte string followed by more key parts must not let its own length change the order of
//! what follows: `("a", 2)` must sort before `("ab", 1)`. Inside a tuple (every element but the
//! last) a variable-length part is therefore written with each `0x00` byte doubled as
//! `0x00 0xFF` and terminated by `0x00 0x00`. The terminator is below every escaped byte, so a
//! string sorts before its extensions, and the element order is the tuple order. The last
//! element needs no terminator, so a plain `String` or `[u8]` key is stored as its own bytes:
//! an 8-byte key, typed or not, takes exactly one trie layer.
//!
//! ```
//! use masstree_key::codec::{encode_to_vec, Key};
//!
//! assert!(encode_to_vec::<i32, _>(&-1) < encode_to_vec::<i32, _>(&0));
//! assert_eq!(encode_to_vec::<u64, _>(&7), 7u64.to_be_bytes());
//! let a = encode_to_vec::<(String, u8), _>(&("a", 2));
//! let b = encode_to_vec::<(String, u8), _>(&("ab", 1));
//! assert!(a < b);
//! assert_eq!(<(String, u8)>::decode_key(&b).unwrap(), ("ab".to_string(), 1));
//! ```
//!
//! # Decoding into a reused buffer
//!
//! [`Key::decode_into`] and [`Key::decode_key_into`] decode into an existing
//! [`Key::Owned`] value instead of returning a new one. Strings, byte strings and
//! [`ByteKey`] clear the value and refill its buffer (escaped parts are unescaped straight
//! into it, strings are validated there), and tuples do so element by element, so a scan
//! that decodes each key into the same value allocates only when a key outgrows it. Other
//! types replace the value, which costs nothing for integers.
//!
//! # Ranges over the first element of a tuple key
//!
//! [`KeyPrefix`] encodes a value of a tuple key's first element as the bytes every key with
//! that first element starts with ([`encode_prefix_to_vec`]). Since the first element is
//! framed, the keys whose first element is `x` form the byte range
//! `[prefix(x), successor(prefix(x)))`, and those whose first element lies in `a..b` the range
//! `[prefix(a), prefix(b))`, with no sentinel values (`u32::MAX`, a longest string) for the
//! elements that follow.
//!
//! # Your own key types
//!
//! Implement [`Query`] for the type itself (how to encode it) and [`Key`] (how to decode it).
//! The contract: encodings of distinct values differ, their byte order is the values' order,
//! and `decode` inverts `encode`.
//!
//! ```
//! use masstree_key::codec::{DecodeError, Key, KeyBuf, Query};
//!
//! /// A date, ordered by (year, month, day).
//! #[derive(Debug, PartialEq)]
//! struct Date { year: i16, month: u8, day: u8 }
//!
//! impl Query<Date> for Date {
//!     fn encode(&self, out: &mut KeyBuf, last: bool) {
//!         Query::<(i16, u8, u8)>::encode(&(self.year, self.month, self.day), out, last);
//!     }
//! }
//!
//! impl Key for Date {
//!     type Owned = Date;
//!     fn decode(input: &mut &[u8], last: bool) -> Result<Date, DecodeError> {
//!         let (year, month, day) = <(i16, u8, u8)>::decode(input, last)?;
//!         Ok(Date { year, month, day })
//!     }
//! }
//!
//! let d = Date { year: -44, month: 3, day: 15 };
//! let bytes = masstree_key::codec::encode_to_vec::<Date, _>(&d);
//! assert_eq!(Date::decode_key(&bytes), Ok(d));
//! ```

mod bounds;
mod buf;
mod byte_key;
#[cfg(feature = "serde")]
mod byte_key_serde;
mod bytes;
mod escape;
mod int;
mod prefix;
mod tuple;

pub use bounds::{
    EncodedBoundBufs, EncodedBounds, KeyRange, encode_range_bounds, prefix_bounds, prefix_successor,
};
pub use buf::KeyBuf;
pub use byte_key::ByteKey;
pub use prefix::{KeyPrefix, encode_prefix_to_vec};

use core::fmt;

/// A type a map can be keyed by: it encodes itself (through [`Query<Self>`]) and decodes
/// encodings back into [`Key::Owned`] values for scans.
pub trait Key: Query<Self> {
    /// What a scan returns for a key of this type (`Self` for sized types, `String` for
    /// `str`, [`ByteKey`] for `[u8]`).
    type Owned;

    /// Decodes one value from the front of `input`, advancing it past what was read. `last`
    /// says whether the value was encoded as the last part of the key (see [`Query::encode`]).
    fn decode(input: &mut &[u8], last: bool) -> Result<Self::Owned, DecodeError>;

    /// Decodes a whole key; bytes left over are an error.
    #[inline]
    fn decode_key(mut bytes: &[u8]) -> Result<Self::Owned, DecodeError> {
        let value = Self::decode(&mut bytes, true)?;
        if bytes.is_empty() {
            Ok(value)
        } else {
            Err(DecodeError::new("bytes left over after the key"))
        }
    }

    /// Like [`decode`](Key::decode), but writes the value into `out`, reusing what `out`
    /// owns: byte strings, strings and [`ByteKey`]s (and tuples of them, element by element)
    /// clear `out` and refill its buffer, so a loop decoding many keys into one value
    /// allocates only when a key outgrows the buffer. The default replaces `*out` with
    /// [`decode`](Key::decode)'s result.
    ///
    /// On error `out` holds some valid value that is unspecified (for example an empty or
    /// partly decoded string); `input` may or may not have been advanced.
    ///
    /// ```
    /// use masstree_key::codec::{encode_to_vec, Key};
    ///
    /// let mut out = (String::new(), 0u64);
    /// for (name, n) in [("carol", 3u64), ("al", 1), ("bartholomew", 2)] {
    ///     let bytes = encode_to_vec::<(String, u64), _>(&(name, n));
    ///     let mut input = &bytes[..];
    ///     <(String, u64)>::decode_into(&mut input, true, &mut out).unwrap();
    ///     assert!(input.is_empty());
    ///     assert_eq!((out.0.as_str(), out.1), (name, n));
    /// }
    /// ```
    #[inline]
    fn decode_into(
        input: &mut &[u8],
        last: bool,
        out: &mut Self::Owned,
    ) -> Result<(), DecodeError> {
        *out = Self::decode(input, last)?;
        Ok(())
    }

    /// Like [`decode_key`](Key::decode_key), but into `out` as [`decode_into`](Key::decode_into)
    /// does; bytes left over are an error. On error `out` holds some valid, unspecified value.
    ///
    /// ```
    /// use masstree_key::codec::{encode_to_vec, Key};
    ///
    /// let mut out = String::with_capacity(32);
    /// let before = out.as_ptr();
    /// for word in ["pear", "fig", "kiwi"] {
    ///     String::decode_key_into(&encode_to_vec::<String, _>(word), &mut out).unwrap();
    ///     assert_eq!(out, word);
    /// }
    /// assert_eq!(out.as_ptr(), before, "the buffer was reused");
    /// assert!(u8::decode_key_into(&[1, 2], &mut 0).is_err());
    /// ```
    #[inline]
    fn decode_key_into(mut bytes: &[u8], out: &mut Self::Owned) -> Result<(), DecodeError> {
        Self::decode_into(&mut bytes, true, out)?;
        if bytes.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::new("bytes left over after the key"))
        }
    }
}

/// A value that can stand for a key of type `K` in lookups, inserts and range bounds: it
/// encodes exactly as the equal `K` value would.
///
/// `K` itself implements `Query<K>`; so do borrowed forms (`str` and `&str` for `String`,
/// `[u8]`, `[u8; N]` and `Vec<u8>` for byte strings), references to any query, and tuples of
/// queries for tuple keys.
pub trait Query<K: ?Sized> {
    /// Appends the encoding to `out`. `last`: whether nothing follows this value in the key;
    /// variable-length values are escaped and terminated when it is `false`.
    fn encode(&self, out: &mut KeyBuf, last: bool);

    /// Calls `f` with the whole-key encoding. The default encodes into a [`KeyBuf`] (on the
    /// stack for keys up to 64 bytes); byte strings and integers override it to skip the copy.
    #[inline]
    fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
        let mut buf = KeyBuf::new();
        self.encode(&mut buf, true);
        f(buf.as_slice())
    }
}

impl<K: ?Sized, Q: ?Sized + Query<K>> Query<K> for &Q {
    #[inline]
    fn encode(&self, out: &mut KeyBuf, last: bool) {
        (**self).encode(out, last);
    }

    #[inline]
    fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
        (**self).with_encoded(f)
    }
}

/// The whole-key encoding of `query` as a `Vec`.
pub fn encode_to_vec<K: ?Sized, Q: ?Sized + Query<K>>(query: &Q) -> Vec<u8> {
    query.with_encoded(<[u8]>::to_vec)
}

/// The whole-key encoding of `query` in a [`KeyBuf`]: inline, with no allocation, up to 64
/// bytes (what a scan's bounds are kept in).
///
/// ```
/// use masstree_key::codec::encode_to_buf;
///
/// assert_eq!(encode_to_buf::<u32, _>(&7u32).as_slice(), 7u32.to_be_bytes());
/// ```
pub fn encode_to_buf<K: ?Sized, Q: ?Sized + Query<K>>(query: &Q) -> KeyBuf {
    query.with_encoded(|bytes: &[u8]| KeyBuf::from(bytes))
}

/// Bytes that are not the encoding of any value of the key type: a key decoded with another
/// type than it was stored with, or a [`Key`] implementation whose `decode` does not invert
/// its `encode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    reason: &'static str,
}

impl DecodeError {
    /// An error with a short reason.
    pub const fn new(reason: &'static str) -> Self {
        Self { reason }
    }

    /// The reason given.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid key encoding: {}", self.reason)
    }
}

impl std::error::Error for DecodeError {}

/// Takes `n` bytes off the front of `input`.
#[inline]
fn take<'a>(input: &mut &'a [u8], n: usize) -> Result<&'a [u8], DecodeError> {
    if input.len() < n {
        return Err(DecodeError::new("key ends early"));
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Ok(head)
}
