//! Maps with serde (feature `serde`): a sequence of `(key, value)` pairs in key order, keys
//! decoded (so a `MassTree<u64, V>` serializes its keys as integers).

use crate::MassTree;
use core::fmt;
use core::marker::PhantomData;
use masstree_core::{Reclaim, ValueSlot};
use masstree_key::codec::{Key, Query};
use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// Serializes the entries in key order. The entries are gathered first, so the length
/// written is exact even while other threads write (each key as a scan sees it).
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<str, u8> = [("b", 2), ("a", 1)].into_iter().collect();
/// let json = serde_json::to_string(&map).unwrap();
/// assert_eq!(json, r#"[["a",1],["b",2]]"#);
/// let back: MassTree<str, u8> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, map);
/// ```
impl<K, V, R, S> Serialize for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Serialize,
    V: Serialize,
    R: Reclaim,
    S: ValueSlot<V>,
{
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        let guard = self.guard();
        let entries: Vec<(K::Owned, S::Ref<'_>)> = self.iter(&guard).collect();
        let mut seq = serializer.serialize_seq(Some(entries.len()))?;
        for (key, value) in &entries {
            seq.serialize_element(&(key, S::as_value(value)))?;
        }
        seq.end()
    }
}

/// Reads a sequence of `(key, value)` pairs (in any order; key order loads fastest); a later
/// pair for the same key wins.
impl<'de, K, V, R, S> Deserialize<'de> for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Deserialize<'de> + Query<K>,
    V: Deserialize<'de>,
    R: Reclaim,
    S: ValueSlot<V>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(MapVisitor(PhantomData))
    }
}

/// Builds the map from the sequence's pairs.
struct MapVisitor<K: ?Sized, V, R, S>(PhantomData<MapParts<K, V, R, S>>);

/// The types a [`MapVisitor`] builds a map of (`fn(&K)`: `K` may be unsized).
type MapParts<K, V, R, S> = (fn(&K), V, R, S);

impl<'de, K, V, R, S> Visitor<'de> for MapVisitor<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Deserialize<'de> + Query<K>,
    V: Deserialize<'de>,
    R: Reclaim,
    S: ValueSlot<V>,
{
    type Value = MassTree<K, V, R, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence of (key, value) pairs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let map = MassTree::with_reclaimer();
        let mut error = None;
        // Serialized maps list their keys in order: load through the ascending fast path.
        let pairs = core::iter::from_fn(|| match seq.next_element::<(K::Owned, V)>() {
            Ok(pair) => pair,
            Err(e) => {
                error = Some(e);
                None
            }
        });
        map.extend_sorted(pairs, &map.guard());
        match error {
            Some(e) => Err(e),
            None => Ok(map),
        }
    }
}
