//! Maps with serde (feature `serde`): a map in key order, keys decoded (so a
//! `MassTree<u64, V>` writes its keys as integers), as `BTreeMap` does; [`pairs`] writes the
//! sequence-of-pairs form for keys a format cannot use as map keys.

use crate::MassTree;
use crate::Storage;
use crate::reclaim::Reclaimer;
use core::fmt;
use core::marker::PhantomData;
use masstree_key::codec::{Key, Query};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Serializes the map as a map, in key order, as `BTreeMap` does: a JSON object for string and
/// integer keys, so a document written from a `BTreeMap`, dashmap or papaya map of the same
/// types loads, and the other way round. The entries are gathered first, so the length
/// written is exact even while other threads write (each key as a scan sees it). Keys a
/// format cannot use as map keys (tuples and byte strings in JSON) fail there as they do for
/// `BTreeMap`; [`pairs`](crate::pairs) writes such maps as a sequence of pairs instead.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<str, u8> = [("b", 2), ("a", 1)].into_iter().collect();
/// let json = serde_json::to_string(&map).unwrap();
/// assert_eq!(json, r#"{"a":1,"b":2}"#);
/// let back: MassTree<str, u8> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, map);
///
/// let ids: MassTree<u64, bool> = serde_json::from_str(r#"{"7": true, "3": false}"#).unwrap();
/// assert_eq!(ids.pin().first(), Some((3, &false)));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<K, V, R, S> Serialize for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Serialize,
    V: Serialize,
    R: Reclaimer,
    S: Storage<V>,
{
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        let guard = self.guard();
        let entries: Vec<(K::Owned, S::Ref<'_>)> = self.iter(&guard).collect();
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in &entries {
            map.serialize_entry(key, S::as_value(value))?;
        }
        map.end()
    }
}

/// Reads a map (in any key order; key order loads fastest). Self-describing formats (JSON,
/// YAML, …) may also hold a sequence of `(key, value)` pairs, the form earlier versions wrote
/// and [`pairs`](crate::pairs) writes. A later entry for the same key wins.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, K, V, R, S> Deserialize<'de> for MassTree<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Deserialize<'de> + Query<K>,
    V: Deserialize<'de>,
    R: Reclaimer,
    S: Storage<V>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(MapVisitor(PhantomData))
        } else {
            deserializer.deserialize_map(MapVisitor(PhantomData))
        }
    }
}

/// Builds the map from the sequence's pairs.
struct MapVisitor<K: ?Sized, V, R, S>(PhantomData<MapParts<K, V, R, S>>);

/// The types a [`MapVisitor`] builds a map of (`fn(&K)`: `K` may be unsized).
type MapParts<K, V, R, S> = (fn(&K), V, R, S);

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, K, V, R, S> Visitor<'de> for MapVisitor<K, V, R, S>
where
    K: ?Sized + Key,
    K::Owned: Deserialize<'de> + Query<K>,
    V: Deserialize<'de>,
    R: Reclaimer,
    S: Storage<V>,
{
    type Value = MassTree<K, V, R, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map, or a sequence of (key, value) pairs")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
        load(|| entries.next_entry::<K::Owned, V>())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        load(|| seq.next_element::<(K::Owned, V)>())
    }
}

/// Builds a map from the pairs `next` reads until it returns `None` or fails. Serialized maps
/// list their keys in order, so they load through the ascending fast path.
fn load<K, V, R, S, E>(
    mut next: impl FnMut() -> Result<Option<(K::Owned, V)>, E>,
) -> Result<MassTree<K, V, R, S>, E>
where
    K: ?Sized + Key,
    K::Owned: Query<K>,
    R: Reclaimer,
    S: Storage<V>,
{
    let map = MassTree::with_reclaimer();
    let mut error = None;
    let pairs = core::iter::from_fn(|| match next() {
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

/// The sequence-of-pairs form, for `#[serde(with = "masstree::pairs")]` on a field: a map
/// whose keys a format cannot use as map keys (tuples or byte strings in JSON) is written as
/// `[[key, value], ...]` in key order. The map's own `Deserialize` reads this form too.
///
/// ```
/// use masstree::MassTree;
///
/// let orders: MassTree<(u64, u32), u32> = [((100, 1), 5)].into_iter().collect();
/// let mut json = Vec::new();
/// masstree::pairs::serialize(&orders, &mut serde_json::Serializer::new(&mut json)).unwrap();
/// assert_eq!(json, br#"[[[100,1],5]]"#);
/// let back: MassTree<(u64, u32), u32> =
///     masstree::pairs::deserialize(&mut serde_json::Deserializer::from_slice(&json)).unwrap();
/// assert_eq!(back, orders);
/// let also: MassTree<(u64, u32), u32> = serde_json::from_slice(&json).unwrap();
/// assert_eq!(also, orders);
/// ```
pub mod pairs {
    use super::*;

    /// Writes `map` as a sequence of `(key, value)` pairs in key order.
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let map: MassTree<(u32, u32), bool> = [((1, 2), true)].into_iter().collect();
    /// let mut json = Vec::new();
    /// masstree::pairs::serialize(&map, &mut serde_json::Serializer::new(&mut json)).unwrap();
    /// assert_eq!(json, br#"[[[1,2],true]]"#);
    /// ```
    pub fn serialize<K, V, R, S, Ser>(
        map: &MassTree<K, V, R, S>,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error>
    where
        K: ?Sized + Key,
        K::Owned: Serialize,
        V: Serialize,
        R: Reclaimer,
        S: Storage<V>,
        Ser: Serializer,
    {
        let guard = map.guard();
        let entries: Vec<(K::Owned, S::Ref<'_>)> = map.iter(&guard).collect();
        let mut seq = serializer.serialize_seq(Some(entries.len()))?;
        for (key, value) in &entries {
            seq.serialize_element(&(key, S::as_value(value)))?;
        }
        seq.end()
    }

    /// Reads a sequence of `(key, value)` pairs (a later pair for the same key wins).
    ///
    /// ```
    /// use masstree::MassTree;
    ///
    /// let mut json = serde_json::Deserializer::from_str(r#"[[[1,2],true],[[0,5],false]]"#);
    /// let map: MassTree<(u32, u32), bool> = masstree::pairs::deserialize(&mut json).unwrap();
    /// assert_eq!(map.pin().first(), Some(((0, 5), &false)));
    /// ```
    pub fn deserialize<'de, K, V, R, S, D>(
        deserializer: D,
    ) -> Result<MassTree<K, V, R, S>, D::Error>
    where
        K: ?Sized + Key,
        K::Owned: Deserialize<'de> + Query<K>,
        V: Deserialize<'de>,
        R: Reclaimer,
        S: Storage<V>,
        D: Deserializer<'de>,
    {
        deserializer.deserialize_seq(MapVisitor(PhantomData))
    }
}
