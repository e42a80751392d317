//! What every node starts with: its version word and its parent pointer.

use crate::sync::{AtomicPtr, Ordering};
use crate::version::NodeVersion;

/// The common prefix of [`crate::Leaf`] and [`crate::Internode`] (both are `#[repr(C)]` with a
/// header first), so a `*const NodeHeader` can point at either; [`NodeVersion`]'s `LEAF` bit says
/// which. (This file knows neither node type: the parent is named by its header, and
/// [`crate::Internode::from_header`] turns it back into an internode.)
#[derive(Debug)]
#[repr(C)]
pub struct NodeHeader {
    /// The node's version word.
    pub version: NodeVersion,
    /// The header of the internode above this node, or null for the root of a layer. Written
    /// only by a writer holding the lock of the *parent* side of the change (a split that moves
    /// this child, or a root split); read optimistically by writers walking up, who then lock
    /// and re-check.
    parent: AtomicPtr<NodeHeader>,
}

impl NodeHeader {
    /// A header for a fresh node.
    pub fn new(version: NodeVersion) -> Self {
        Self {
            version,
            parent: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Whether the node is a leaf (fixed at creation).
    #[inline]
    pub fn is_leaf(&self) -> bool {
        self.version.load().is_leaf()
    }

    /// The parent internode's header (null for a layer's root); [`crate::Internode::from_header`]
    /// gives the internode. Acquire: pairs with the release store in [`Self::set_parent`], so
    /// the parent's initial contents are visible.
    #[inline]
    pub fn parent(&self) -> *mut NodeHeader {
        self.parent.load(Ordering::Acquire)
    }

    /// Sets the parent: the header of an internode (or null).
    #[inline]
    pub fn set_parent(&self, parent: *mut NodeHeader) {
        self.parent.store(parent, Ordering::Release);
    }
}
