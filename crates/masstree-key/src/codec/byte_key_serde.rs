//! `ByteKey` with serde (feature `serde`): serialized as bytes.

use super::ByteKey;
use core::fmt;
use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

impl Serialize for ByteKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.as_bytes())
    }
}

impl<'de> Deserialize<'de> for ByteKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(ByteKeyVisitor)
    }
}

/// Accepts bytes, strings, or a sequence of byte values (what self-describing formats such
/// as JSON write for bytes).
struct ByteKeyVisitor;

impl<'de> Visitor<'de> for ByteKeyVisitor {
    type Value = ByteKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<ByteKey, E> {
        Ok(ByteKey::new(bytes))
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<ByteKey, E> {
        Ok(ByteKey::new(s.as_bytes()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByteKey, A::Error> {
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(b) = seq.next_element::<u8>()? {
            bytes.push(b);
        }
        Ok(ByteKey::new(&bytes))
    }
}
