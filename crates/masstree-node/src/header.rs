//! What every node starts with: its version word and its parent pointer.

use crate::internode::Internode;
use crate::sync::{AtomicPtr, Ordering};
use crate::version::NodeVersion;

/// The common prefix of [`crate::Leaf`] and [`Internode`] (both are `#[repr(C)]` with a header
/// first), so a `*const NodeHeader` can point at either; [`NodeVersion`]'s `LEAF` bit says which.
#[derive(Debug)]
#[repr(C)]
pub struct NodeHeader {
    /// The node's version word.
    pub version: NodeVersion,
    /// The internode above this node, or null for the root of a layer. Written only by a writer
    /// holding the lock of the *parent* side of the change (a split that moves this child, or a
    /// root split); read optimistically by writers walking up, who then lock and re-check.
    parent: AtomicPtr<Internode>,
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

    /// The parent internode. Acquire: pairs with the release store in [`Self::set_parent`], so
    /// the parent's initial contents are visible.
    #[inline]
    pub fn parent(&self) -> *mut Internode {
        self.parent.load(Ordering::Acquire)
    }

    /// Sets the parent internode.
    #[inline]
    pub fn set_parent(&self, parent: *mut Internode) {
        self.parent.store(parent, Ordering::Release);
    }
}
