//! Byte strings and strings: stored as they are when last, escaped inside tuples.

use super::escape::{read_escaped_with, write_escaped};
use super::{ByteKey, DecodeError, Key, KeyBuf, Query, take};

/// Appends a variable-length part: raw when last, escaped and terminated otherwise.
#[inline]
fn write_part(bytes: &[u8], out: &mut KeyBuf, last: bool) {
    if last {
        out.extend_from_slice(bytes);
    } else {
        write_escaped(bytes, out);
    }
}

/// Reads a variable-length part into `out`, replacing its contents and keeping its
/// capacity: the rest of the input when last, an escaped part otherwise.
fn read_part_into(input: &mut &[u8], last: bool, out: &mut Vec<u8>) -> Result<(), DecodeError> {
    out.clear();
    if last {
        out.extend_from_slice(core::mem::take(input));
        Ok(())
    } else {
        read_escaped_with(input, |chunk| out.extend_from_slice(chunk))
    }
}

/// An empty string on `bytes`' buffer (its capacity kept for the next decode).
fn empty_string(mut bytes: Vec<u8>) -> String {
    bytes.clear();
    String::from_utf8(bytes).unwrap_or_default()
}

const NOT_UTF8: DecodeError = DecodeError::new("a string key is not UTF-8");

/// `Query<$key>` for a type whose bytes (through `AsRef<[u8]>`) are the key's bytes.
macro_rules! bytes_query {
    ($key:ty: $($q:ty),*) => {$(
        impl Query<$key> for $q {
            #[inline]
            fn encode(&self, out: &mut KeyBuf, last: bool) {
                write_part(AsRef::<[u8]>::as_ref(self), out, last);
            }

            #[inline]
            fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
                f(AsRef::<[u8]>::as_ref(self))
            }
        }
    )*};
}

bytes_query!([u8]: [u8], Vec<u8>, ByteKey, str, String);
bytes_query!(Vec<u8>: [u8], Vec<u8>, ByteKey, str, String);
bytes_query!(ByteKey: [u8], Vec<u8>, ByteKey, str, String);
bytes_query!(str: str, String);
bytes_query!(String: str, String);

/// Byte arrays of any length stand for byte-string keys (`map.get(b"abc")`).
macro_rules! array_query {
    ($($key:ty),*) => {$(
        impl<const N: usize> Query<$key> for [u8; N] {
            #[inline]
            fn encode(&self, out: &mut KeyBuf, last: bool) {
                write_part(self, out, last);
            }

            #[inline]
            fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
                f(self)
            }
        }
    )*};
}

array_query!([u8], Vec<u8>, ByteKey);

impl Key for [u8] {
    type Owned = ByteKey;

    #[inline]
    fn decode(input: &mut &[u8], last: bool) -> Result<ByteKey, DecodeError> {
        if last {
            Ok(ByteKey::new(core::mem::take(input)))
        } else {
            let mut key = ByteKey::new(&[]);
            Self::decode_into(input, false, &mut key)?;
            Ok(key)
        }
    }

    #[inline]
    fn decode_into(input: &mut &[u8], last: bool, out: &mut ByteKey) -> Result<(), DecodeError> {
        if last {
            out.set(core::mem::take(input));
            Ok(())
        } else {
            out.clear();
            read_escaped_with(input, |chunk| out.extend_from_slice(chunk))
        }
    }
}

impl Key for Vec<u8> {
    type Owned = Vec<u8>;

    fn decode(input: &mut &[u8], last: bool) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        read_part_into(input, last, &mut out)?;
        Ok(out)
    }

    #[inline]
    fn decode_into(input: &mut &[u8], last: bool, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        read_part_into(input, last, out)
    }
}

impl Key for ByteKey {
    type Owned = ByteKey;

    fn decode(input: &mut &[u8], last: bool) -> Result<ByteKey, DecodeError> {
        <[u8]>::decode(input, last)
    }

    #[inline]
    fn decode_into(input: &mut &[u8], last: bool, out: &mut ByteKey) -> Result<(), DecodeError> {
        <[u8]>::decode_into(input, last, out)
    }
}

impl Key for str {
    type Owned = String;

    fn decode(input: &mut &[u8], last: bool) -> Result<String, DecodeError> {
        let mut out = String::new();
        Self::decode_into(input, last, &mut out)?;
        Ok(out)
    }

    /// Validates in place: when last, the input slice itself; when escaped, the unescaped
    /// bytes on `out`'s own buffer. On error `out` is empty (its capacity kept).
    fn decode_into(input: &mut &[u8], last: bool, out: &mut String) -> Result<(), DecodeError> {
        if last {
            let s = core::str::from_utf8(core::mem::take(input)).map_err(|_| NOT_UTF8);
            out.clear();
            out.push_str(s?);
            return Ok(());
        }
        let mut bytes = core::mem::take(out).into_bytes();
        bytes.clear();
        if let Err(err) = read_escaped_with(input, |chunk| bytes.extend_from_slice(chunk)) {
            *out = empty_string(bytes);
            return Err(err);
        }
        match String::from_utf8(bytes) {
            Ok(s) => {
                *out = s;
                Ok(())
            }
            Err(err) => {
                *out = empty_string(err.into_bytes());
                Err(NOT_UTF8)
            }
        }
    }
}

impl Key for String {
    type Owned = String;

    fn decode(input: &mut &[u8], last: bool) -> Result<String, DecodeError> {
        str::decode(input, last)
    }

    #[inline]
    fn decode_into(input: &mut &[u8], last: bool, out: &mut String) -> Result<(), DecodeError> {
        str::decode_into(input, last, out)
    }
}

/// Fixed-size byte arrays: the bytes, no framing (every value has the same length).
impl<const N: usize> Query<[u8; N]> for [u8; N] {
    #[inline]
    fn encode(&self, out: &mut KeyBuf, _last: bool) {
        out.extend_from_slice(self);
    }

    #[inline]
    fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
        f(self)
    }
}

impl<const N: usize> Key for [u8; N] {
    type Owned = [u8; N];

    fn decode(input: &mut &[u8], _last: bool) -> Result<[u8; N], DecodeError> {
        Ok(take(input, N)?.try_into().expect("took N bytes"))
    }
}
