//! Which maps this thread holds a leaf lock of while it runs caller code (a write's decision
//! closure), so that a write to one of *those* maps from that code panics clearly instead of
//! spinning forever on the lock this thread holds. Writes to other maps go ahead: the two
//! leaf locks are then the caller's to order, as with two `Mutex`es.

use core::cell::Cell;
use core::ptr;

std::thread_local! {
    /// The innermost decision scope running on this thread: a list through the scopes on the
    /// stack, innermost first; null when no closure runs.
    static INNERMOST: Cell<*const Scope> = const { Cell::new(ptr::null()) };
}

/// One running decision closure: the map whose leaf it holds locked, and the scope it runs
/// inside, if any.
struct Scope {
    tree: usize,
    outer: *const Scope,
}

/// Puts the scope a [`run_in_scope`] frame replaced back, also on unwind.
struct Restore(*const Scope);

impl Drop for Restore {
    fn drop(&mut self) {
        INNERMOST.with(|s| s.set(self.0));
    }
}

/// Runs `f` (caller code under a leaf lock of the map at address `tree`) marked as such.
/// Scopes nest: a closure on one map may write to another, whose closure runs inside.
#[inline]
pub(crate) fn run_in_scope<T>(tree: usize, f: impl FnOnce() -> T) -> T {
    let outer = INNERMOST.with(Cell::get);
    let scope = Scope { tree, outer };
    // `scope` stays in this frame (never moved) until `_restore` unlinks it, on return or
    // unwind, so the list only names live scopes.
    INNERMOST.with(|s| s.set(&scope));
    let _restore = Restore(outer);
    f()
}

/// Whether this thread runs caller code under a leaf lock of the map at address `tree`.
#[inline]
pub(crate) fn in_scope_of(tree: usize) -> bool {
    let mut scope = INNERMOST.with(Cell::get);
    while !scope.is_null() {
        // SAFETY: every scope in the list lives in a `run_in_scope` frame of this thread that
        // has not returned or unwound yet (it unlinks itself first), so it is live.
        let s = unsafe { &*scope };
        if s.tree == tree {
            return true;
        }
        scope = s.outer;
    }
    false
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// An inner scope's end restores the outer one (the old flag was reset to `false`, issue
    /// #15, so after a nested scope ended the outer closure's map was writable again and a
    /// write to it spun on its own lock); a scope marks only its own map. Planting the old
    /// behaviour (clear instead of restore) makes this fail.
    #[test]
    fn scopes_nest_and_mark_only_their_own_map() {
        assert!(!in_scope_of(1));
        run_in_scope(1, || {
            assert!(in_scope_of(1) && !in_scope_of(2));
            run_in_scope(2, || assert!(in_scope_of(1) && in_scope_of(2)));
            assert!(
                in_scope_of(1),
                "the outer closure still runs under its lock"
            );
            assert!(!in_scope_of(2));
        });
        assert!(!in_scope_of(1));
    }

    #[test]
    fn a_panicking_closure_unmarks_its_map() {
        let result = std::panic::catch_unwind(|| run_in_scope(3, || panic!("user code")));
        assert!(result.is_err());
        assert!(!in_scope_of(3));
    }
}
