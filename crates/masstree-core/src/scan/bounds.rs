//! Scan bounds as owned bytes.

use core::cmp::Ordering;
use core::ops::Bound;

/// A bound as owned bytes.
#[derive(Clone, Debug)]
pub enum KeyBound {
    /// Keys `>=` (forward start) or `<=` (reverse start) these bytes.
    Included(Vec<u8>),
    /// Keys strictly beyond these bytes.
    Excluded(Vec<u8>),
    /// No bound.
    Unbounded,
}

impl From<Bound<Vec<u8>>> for KeyBound {
    /// Takes an owned bound without copying it.
    fn from(bound: Bound<Vec<u8>>) -> Self {
        match bound {
            Bound::Included(k) => Self::Included(k),
            Bound::Excluded(k) => Self::Excluded(k),
            Bound::Unbounded => Self::Unbounded,
        }
    }
}

impl KeyBound {
    /// Copies a `Bound<&[u8]>`.
    pub fn from_bound(bound: Bound<&[u8]>) -> Self {
        match bound {
            Bound::Included(k) => Self::Included(k.to_vec()),
            Bound::Excluded(k) => Self::Excluded(k.to_vec()),
            Bound::Unbounded => Self::Unbounded,
        }
    }

    #[inline]
    pub(super) fn key(&self) -> Option<&[u8]> {
        match self {
            Self::Included(k) | Self::Excluded(k) => Some(k),
            Self::Unbounded => None,
        }
    }

    /// Whether `key` lies on the far side of this bound, seen as a *start* bound of a scan in
    /// direction `forward` (i.e. is before the start).
    #[inline]
    pub(super) fn before_start(&self, key: &[u8], forward: bool) -> bool {
        let Some(b) = self.key() else { return false };
        let ord = if forward { key.cmp(b) } else { b.cmp(key) };
        match self {
            Self::Included(_) => ord == Ordering::Less,
            _ => ord != Ordering::Greater,
        }
    }

    /// Whether `key` lies beyond this bound, seen as an *end* bound of a scan in direction
    /// `forward`.
    #[inline]
    pub(super) fn past_end(&self, key: &[u8], forward: bool) -> bool {
        let Some(b) = self.key() else { return false };
        let ord = if forward { key.cmp(b) } else { b.cmp(key) };
        match self {
            Self::Included(_) => ord == Ordering::Greater,
            _ => ord != Ordering::Less,
        }
    }
}
