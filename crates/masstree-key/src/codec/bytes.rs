//! Byte strings and strings: stored as they are when last, escaped inside tuples.

use super::escape::{read_escaped, write_escaped};
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

/// Reads a variable-length part: the rest of the input when last, an escaped part otherwise.
fn read_part(input: &mut &[u8], last: bool) -> Result<Vec<u8>, DecodeError> {
    if last {
        let all = take(input, input.len())?;
        Ok(all.to_vec())
    } else {
        read_escaped(input)
    }
}

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
            let all = take(input, input.len())?;
            Ok(ByteKey::new(all))
        } else {
            read_escaped(input).map(|bytes| ByteKey::new(&bytes))
        }
    }
}

impl Key for Vec<u8> {
    type Owned = Vec<u8>;

    fn decode(input: &mut &[u8], last: bool) -> Result<Vec<u8>, DecodeError> {
        read_part(input, last)
    }
}

impl Key for ByteKey {
    type Owned = ByteKey;

    fn decode(input: &mut &[u8], last: bool) -> Result<ByteKey, DecodeError> {
        <[u8]>::decode(input, last)
    }
}

impl Key for str {
    type Owned = String;

    fn decode(input: &mut &[u8], last: bool) -> Result<String, DecodeError> {
        String::from_utf8(read_part(input, last)?)
            .map_err(|_| DecodeError::new("a string key is not UTF-8"))
    }
}

impl Key for String {
    type Owned = String;

    fn decode(input: &mut &[u8], last: bool) -> Result<String, DecodeError> {
        str::decode(input, last)
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
