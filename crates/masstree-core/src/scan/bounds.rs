//! Scan bounds as owned bytes.

use core::cmp::Ordering;
use core::ops::Bound;
use masstree_key::codec::KeyBuf;

/// A bound as owned bytes, in a [`KeyBuf`]: inline up to 64 bytes, so opening a scan with a
/// short bound allocates nothing.
///
/// ```
/// use core::ops::Bound;
/// use masstree_core::scan::KeyBound;
///
/// let bound = KeyBound::from(Bound::Included(&b"user:7"[..]));
/// assert!(matches!(bound, KeyBound::Included(ref k) if k.as_slice() == b"user:7"));
/// ```
#[derive(Clone, Debug)]
pub enum KeyBound {
    /// Keys `>=` (forward start) or `<=` (reverse start) these bytes.
    Included(KeyBuf),
    /// Keys strictly beyond these bytes.
    Excluded(KeyBuf),
    /// No bound.
    Unbounded,
}

impl<B: Into<KeyBuf>> From<Bound<B>> for KeyBound {
    /// A bound of anything that converts into a [`KeyBuf`]: a `KeyBuf` or a `Vec<u8>` is
    /// taken without a copy, a `&[u8]` copied.
    #[inline]
    fn from(bound: Bound<B>) -> Self {
        match bound {
            Bound::Included(k) => Self::Included(k.into()),
            Bound::Excluded(k) => Self::Excluded(k.into()),
            Bound::Unbounded => Self::Unbounded,
        }
    }
}

impl KeyBound {
    #[inline]
    pub(super) fn key(&self) -> Option<&[u8]> {
        match self {
            Self::Included(k) | Self::Excluded(k) => Some(k.as_slice()),
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
