//! Integers, `bool` and `char`: fixed-width big-endian encodings.

use super::{DecodeError, Key, KeyBuf, Query, take};

/// Unsigned integers: big-endian bytes, whose byte order is numeric order.
macro_rules! unsigned_key {
    ($($t:ty),*) => {$(
        impl Query<$t> for $t {
            #[inline]
            fn encode(&self, out: &mut KeyBuf, _last: bool) {
                out.extend_from_slice(&self.to_be_bytes());
            }

            #[inline]
            fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
                f(&self.to_be_bytes())
            }
        }

        impl Key for $t {
            type Owned = $t;

            #[inline]
            fn decode(input: &mut &[u8], _last: bool) -> Result<$t, DecodeError> {
                let bytes = take(input, size_of::<$t>())?;
                Ok(<$t>::from_be_bytes(bytes.try_into().expect("took the width")))
            }
        }
    )*};
}

/// Signed integers: the two's-complement bits with the sign bit flipped, big-endian, so
/// `MIN` encodes as all zeros and `MAX` as all ones.
macro_rules! signed_key {
    ($($t:ty => $u:ty),*) => {$(
        impl Query<$t> for $t {
            #[inline]
            fn encode(&self, out: &mut KeyBuf, _last: bool) {
                out.extend_from_slice(&flip::<$t, $u>(*self).to_be_bytes());
            }

            #[inline]
            fn with_encoded<T>(&self, f: impl FnOnce(&[u8]) -> T) -> T {
                f(&flip::<$t, $u>(*self).to_be_bytes())
            }
        }

        impl Key for $t {
            type Owned = $t;

            #[inline]
            fn decode(input: &mut &[u8], _last: bool) -> Result<$t, DecodeError> {
                let bytes = take(input, size_of::<$u>())?;
                let bits = <$u>::from_be_bytes(bytes.try_into().expect("took the width"));
                Ok((bits ^ (1 << (<$u>::BITS - 1))) as $t)
            }
        }
    )*};
}

/// The bits of a signed integer with the sign bit flipped.
#[inline]
fn flip<S, U>(value: S) -> U
where
    S: SignedBits<U>,
{
    value.flipped()
}

/// A signed integer's bits, sign flipped, as the unsigned type of its width.
trait SignedBits<U> {
    fn flipped(self) -> U;
}

macro_rules! signed_bits {
    ($($t:ty => $u:ty),*) => {$(
        impl SignedBits<$u> for $t {
            #[inline]
            fn flipped(self) -> $u {
                (self as $u) ^ (1 << (<$u>::BITS - 1))
            }
        }
    )*};
}

unsigned_key!(u8, u16, u32, u64, u128, usize);
signed_bits!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, i128 => u128, isize => usize);
signed_key!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, i128 => u128, isize => usize);

impl Query<bool> for bool {
    #[inline]
    fn encode(&self, out: &mut KeyBuf, _last: bool) {
        out.push(u8::from(*self));
    }
}

impl Key for bool {
    type Owned = bool;

    fn decode(input: &mut &[u8], _last: bool) -> Result<bool, DecodeError> {
        match take(input, 1)? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(DecodeError::new("a bool is 0 or 1")),
        }
    }
}

impl Query<char> for char {
    #[inline]
    fn encode(&self, out: &mut KeyBuf, _last: bool) {
        out.extend_from_slice(&u32::from(*self).to_be_bytes());
    }
}

impl Key for char {
    type Owned = char;

    fn decode(input: &mut &[u8], last: bool) -> Result<char, DecodeError> {
        let scalar = u32::decode(input, last)?;
        char::from_u32(scalar).ok_or(DecodeError::new("not a Unicode scalar value"))
    }
}
