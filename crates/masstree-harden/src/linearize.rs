//! A linearizability checker for point operations on a map.
//!
//! Linearizability is compositional (Herlihy & Wing), so a map history is linearizable iff the
//! sub-history of every key is linearizable against a single register. Each key's history is
//! checked with Wing & Gong's search: repeatedly pick a *minimal* pending operation (one invoked
//! before every other pending operation returned), apply it to the register model if its return
//! value matches, backtrack otherwise. Memoizing the (linearized set, register state) pairs
//! already explored (Lowe's improvement) keeps the search polynomial on the short histories the
//! runner produces.

use crate::history::{Event, History, Op};
use std::collections::HashSet;

/// Most operations on one key the checker accepts (the linearized set is a `u128`).
pub const MAX_OPS_PER_KEY: usize = 128;

/// Why a history is not linearizable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The key (index) whose sub-history has no linearization.
    pub key: usize,
    /// That key's events, by invocation time.
    pub events: Vec<Event>,
}

/// Checks every key's sub-history; the first key without a linearization is returned.
pub fn check(history: &History) -> Result<(), Violation> {
    for k in 0..history.keys.len() {
        let events = history.for_key(k);
        if !register_is_linearizable(history.initial[k], &events) {
            return Err(Violation { key: k, events });
        }
    }
    Ok(())
}

/// The register model: applies `op` to `state` if the recorded return value `ret` is what the
/// sequential map would return; the new state, or `None` if `ret` is impossible here.
fn apply(state: Option<u64>, op: Op, ret: Option<u64>) -> Option<Option<u64>> {
    if ret != state {
        return None;
    }
    Some(match op {
        Op::Get => state,
        Op::Insert(v) => Some(v),
        Op::Remove => None,
        Op::Update(v) => state.map(|_| v),
        Op::TryInsert(v) => state.or(Some(v)),
        Op::Toggle(v) => match state {
            Some(_) => None,
            None => Some(v),
        },
    })
}

/// Whether the events on one key (any order) can be linearized starting from `initial`.
///
/// # Panics
///
/// If there are more than [`MAX_OPS_PER_KEY`] events.
pub fn register_is_linearizable(initial: Option<u64>, events: &[Event]) -> bool {
    assert!(
        events.len() <= MAX_OPS_PER_KEY,
        "{} events on one key: at most {MAX_OPS_PER_KEY}",
        events.len()
    );
    let full: u128 = if events.len() == 128 {
        u128::MAX
    } else {
        (1u128 << events.len()) - 1
    };
    let mut seen: HashSet<(u128, Option<u64>)> = HashSet::new();
    // Depth-first search over (done set, state); an explicit stack, no recursion.
    let mut stack = vec![(0u128, initial)];
    while let Some((done, state)) = stack.pop() {
        if done == full {
            return true;
        }
        if !seen.insert((done, state)) {
            continue;
        }
        // A pending op may go next only if it was invoked before every pending op returned.
        let earliest_return = (0..events.len())
            .filter(|&i| done & (1 << i) == 0)
            .map(|i| events[i].returned)
            .min()
            .expect("not all done");
        for (i, e) in events.iter().enumerate() {
            if done & (1 << i) != 0 || e.invoked > earliest_return {
                continue;
            }
            if let Some(next) = apply(state, e.op, e.ret) {
                stack.push((done | (1 << i), next));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(thread: usize, op: Op, ret: Option<u64>, invoked: u64, returned: u64) -> Event {
        Event {
            thread,
            key: 0,
            op,
            ret,
            invoked,
            returned,
        }
    }

    fn one_key(initial: Option<u64>, events: Vec<Event>) -> History {
        History {
            keys: vec![b"k".to_vec()],
            initial: vec![initial],
            events,
        }
    }

    #[test]
    fn sequential_history_is_accepted() {
        let h = one_key(
            None,
            vec![
                ev(0, Op::Insert(1), None, 0, 1),
                ev(0, Op::Get, Some(1), 2, 3),
                ev(0, Op::Update(2), Some(1), 4, 5),
                ev(0, Op::Remove, Some(2), 6, 7),
                ev(0, Op::Update(3), None, 8, 9),
                ev(0, Op::Get, None, 10, 11),
            ],
        );
        assert_eq!(check(&h), Ok(()));
    }

    #[test]
    fn overlapping_ops_may_take_either_order() {
        // The get overlaps the insert: it may see the old or the new value.
        for seen in [None, Some(1)] {
            let h = one_key(
                None,
                vec![
                    ev(0, Op::Insert(1), None, 0, 10),
                    ev(1, Op::Get, seen, 1, 2),
                ],
            );
            assert_eq!(check(&h), Ok(()), "get saw {seen:?}");
        }
    }

    #[test]
    fn stale_read_after_a_completed_write_is_rejected() {
        // The insert returned before the get started, yet the get saw the old state.
        let h = one_key(
            None,
            vec![ev(0, Op::Insert(1), None, 0, 1), ev(1, Op::Get, None, 2, 3)],
        );
        assert!(check(&h).is_err());
    }

    #[test]
    fn lost_insert_is_rejected() {
        // Two concurrent inserts both claim the key was absent: one of them must have seen the
        // other's value.
        let h = one_key(
            None,
            vec![
                ev(0, Op::Insert(1), None, 0, 5),
                ev(1, Op::Insert(2), None, 1, 6),
            ],
        );
        assert!(check(&h).is_err());
    }

    #[test]
    fn non_monotonic_reads_are_rejected() {
        // Reads of one thread go new then old while a single insert overlaps both: no order.
        let h = one_key(
            Some(7),
            vec![
                ev(0, Op::Insert(1), Some(7), 0, 10),
                ev(1, Op::Get, Some(1), 1, 2),
                ev(1, Op::Get, Some(7), 3, 4),
            ],
        );
        let err = check(&h).unwrap_err();
        assert_eq!(err.key, 0);
        assert_eq!(err.events.len(), 3);
    }

    #[test]
    fn keys_are_checked_independently() {
        let mut h = one_key(None, vec![ev(0, Op::Insert(1), None, 0, 1)]);
        h.keys.push(b"other".to_vec());
        h.initial.push(Some(3));
        h.events.push(Event {
            key: 1,
            ..ev(1, Op::Remove, Some(4), 0, 1)
        });
        assert_eq!(check(&h).unwrap_err().key, 1);
    }
}
