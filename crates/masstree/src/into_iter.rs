//! `IntoIter`: consuming a map into its entries, values moved out.

use crate::MassTree;
use crate::Storage;
use crate::range::decode;
use crate::reclaim::Reclaimer;
use masstree_key::codec::Key;

/// An iterator over the entries of a consumed map, in key order, values moved out (from
/// `MassTree`'s `IntoIterator`).
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<str, String> = [("b", "2".to_string()), ("a", "1".to_string())]
///     .into_iter()
///     .collect();
/// let entries: Vec<(String, String)> = map.into_iter().collect();
/// assert_eq!(entries, [("a".into(), "1".into()), ("b".into(), "2".into())]);
/// ```
pub struct IntoIter<K: ?Sized + Key, V> {
    entries: std::vec::IntoIter<(K::Owned, V)>,
}

impl<K: ?Sized + Key, V, R: Reclaimer, S: Storage<V>> IntoIterator for MassTree<K, V, R, S> {
    type Item = (K::Owned, V);
    type IntoIter = IntoIter<K, V>;

    fn into_iter(self) -> IntoIter<K, V> {
        let mut entries = Vec::with_capacity(self.len());
        self.raw
            .drain_in_order(|key, value| entries.push((decode::<K>(key), value)));
        IntoIter {
            entries: entries.into_iter(),
        }
    }
}

impl<K: ?Sized + Key, V> Iterator for IntoIter<K, V> {
    type Item = (K::Owned, V);

    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl<K: ?Sized + Key, V> DoubleEndedIterator for IntoIter<K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.entries.next_back()
    }
}

impl<K: ?Sized + Key, V> ExactSizeIterator for IntoIter<K, V> {}

impl<K: ?Sized + Key, V> core::iter::FusedIterator for IntoIter<K, V> {}

impl<K, V> core::fmt::Debug for IntoIter<K, V>
where
    K: ?Sized + Key,
    K::Owned: core::fmt::Debug,
    V: core::fmt::Debug,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.entries.as_slice()).finish()
    }
}
