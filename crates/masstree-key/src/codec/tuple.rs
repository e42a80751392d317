//! Tuples of up to four keys: the elements' encodings in order, each but the last framed.
//!
//! Element `i` is encoded with `last = false` unless it is the final element of a tuple that
//! is itself last, so variable-length elements are escaped and terminated
//! (see the module docs) and the byte order of encodings is element-wise tuple order.
//! `decode_into` decodes element by element into the output tuple's own elements, so each
//! reuses its buffer.

use super::{DecodeError, Key, KeyBuf, Query};

macro_rules! tuple_key {
    ($(($($k:ident $q:ident $i:tt),+; $lk:ident $lq:ident $li:tt))*) => {$(
        impl<$($k: Key,)+ $lk: Key, $($q: Query<$k>,)+ $lq: Query<$lk>> Query<($($k,)+ $lk,)>
            for ($($q,)+ $lq,)
        {
            #[inline]
            fn encode(&self, out: &mut KeyBuf, last: bool) {
                $( self.$i.encode(out, false); )+
                self.$li.encode(out, last);
            }
        }

        impl<$($k: Key,)+ $lk: Key> Key for ($($k,)+ $lk,) {
            type Owned = ($($k::Owned,)+ $lk::Owned,);

            fn decode(input: &mut &[u8], last: bool) -> Result<Self::Owned, DecodeError> {
                Ok(($($k::decode(input, false)?,)+ $lk::decode(input, last)?,))
            }

            #[inline]
            fn decode_into(
                input: &mut &[u8],
                last: bool,
                out: &mut Self::Owned,
            ) -> Result<(), DecodeError> {
                $( $k::decode_into(input, false, &mut out.$i)?; )+
                $lk::decode_into(input, last, &mut out.$li)
            }
        }
    )*};
}

impl<A: Key, QA: Query<A>> Query<(A,)> for (QA,) {
    #[inline]
    fn encode(&self, out: &mut KeyBuf, last: bool) {
        self.0.encode(out, last);
    }
}

impl<A: Key> Key for (A,) {
    type Owned = (A::Owned,);

    fn decode(input: &mut &[u8], last: bool) -> Result<Self::Owned, DecodeError> {
        Ok((A::decode(input, last)?,))
    }

    #[inline]
    fn decode_into(
        input: &mut &[u8],
        last: bool,
        out: &mut Self::Owned,
    ) -> Result<(), DecodeError> {
        A::decode_into(input, last, &mut out.0)
    }
}

tuple_key! {
    (A QA 0; B QB 1)
    (A QA 0, B QB 1; C QC 2)
    (A QA 0, B QB 1, C QC 2; D QD 3)
}
