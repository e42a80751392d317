//! The errors of the conditional writes: what was found, and the value handed back.

use crate::Storage;
use core::fmt;
use masstree_core::Boxed;

/// The error of [`MassTree::compare_exchange`](crate::MassTree::compare_exchange): the key's
/// value was not the expected one.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<u32, i32> = MassTree::new();
/// let m = map.pin();
/// m.insert(1, 10);
/// let err = m.compare_exchange(1, Some(&5), Some(6)).unwrap_err();
/// assert_eq!(err.current, Some(&10));
/// assert_eq!(err.new, Some(6));
/// assert_eq!(err.to_string(), "the key's value was not the expected one");
/// ```
pub struct CompareExchangeError<'g, V: 'g, S: Storage<V> = Boxed> {
    /// The value found (`None`: the key was absent): `&V`, or a copy for inline values.
    pub current: Option<S::Ref<'g>>,
    /// The value that was not stored, handed back.
    pub new: Option<V>,
}

impl<'g, V: fmt::Debug, S: Storage<V>> fmt::Debug for CompareExchangeError<'g, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompareExchangeError")
            .field("current", &self.current.as_ref().map(S::as_value))
            .field("new", &self.new)
            .finish()
    }
}

impl<'g, V, S: Storage<V>> fmt::Display for CompareExchangeError<'g, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the key's value was not the expected one")
    }
}

impl<'g, V: fmt::Debug, S: Storage<V>> std::error::Error for CompareExchangeError<'g, V, S> {}

impl<'g, V: PartialEq, S: Storage<V>> PartialEq for CompareExchangeError<'g, V, S> {
    fn eq(&self, other: &Self) -> bool {
        self.current.as_ref().map(S::as_value) == other.current.as_ref().map(S::as_value)
            && self.new == other.new
    }
}

impl<'g, V: Eq, S: Storage<V>> Eq for CompareExchangeError<'g, V, S> {}

/// The error of [`MassTree::try_insert`](crate::MassTree::try_insert): the key was present.
/// Its value and the value that was not inserted are handed back.
///
/// ```
/// use masstree::MassTree;
///
/// let map: MassTree<str, u32> = MassTree::new();
/// let m = map.pin();
/// assert_eq!(m.try_insert("a", 1), Ok(&1));
/// let err = m.try_insert("a", 2).unwrap_err();
/// assert_eq!((err.current, err.not_inserted), (&1, 2));
/// assert_eq!(err.to_string(), "the key is already present");
/// ```
pub struct OccupiedError<'g, V: 'g, S: Storage<V> = Boxed> {
    /// The key's value: `&V`, or a copy for inline values.
    pub current: S::Ref<'g>,
    /// The value that was not inserted.
    pub not_inserted: V,
}

impl<'g, V: fmt::Debug, S: Storage<V>> fmt::Debug for OccupiedError<'g, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OccupiedError")
            .field("current", S::as_value(&self.current))
            .field("not_inserted", &self.not_inserted)
            .finish()
    }
}

impl<'g, V, S: Storage<V>> fmt::Display for OccupiedError<'g, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the key is already present")
    }
}

impl<'g, V: fmt::Debug, S: Storage<V>> std::error::Error for OccupiedError<'g, V, S> {}

impl<'g, V: PartialEq, S: Storage<V>> PartialEq for OccupiedError<'g, V, S> {
    fn eq(&self, other: &Self) -> bool {
        S::as_value(&self.current) == S::as_value(&other.current)
            && self.not_inserted == other.not_inserted
    }
}

impl<'g, V: Eq, S: Storage<V>> Eq for OccupiedError<'g, V, S> {}
