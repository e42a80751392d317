//! Concurrent histories of point operations on one map, recorded against a shared clock.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A point operation on one key, with the value it writes (values are unique per history).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `get(key)`.
    Get,
    /// `insert(key, v)`, returning the old value.
    Insert(u64),
    /// `remove(key)`, returning the old value.
    Remove,
    /// `update(key, |_| v)`: replaces a present value; returns the old one (`None`: absent,
    /// nothing written).
    Update(u64),
    /// `try_insert(key, v)`: inserts only if absent; returns the value found (`None`: it
    /// inserted).
    TryInsert(u64),
    /// `compute(key, ..)` removing a present key and inserting `v` into an absent one;
    /// returns the old value.
    Toggle(u64),
}

/// One completed operation: what it did, what it returned, and when it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The thread that ran it.
    pub thread: usize,
    /// Index of the key in the history's key list.
    pub key: usize,
    /// The operation.
    pub op: Op,
    /// What it returned: the value seen (get) or replaced/removed (writes).
    pub ret: Option<u64>,
    /// Clock reading taken before the call.
    pub invoked: u64,
    /// Clock reading taken after the return.
    pub returned: u64,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.op {
            Op::Get => "get".to_owned(),
            Op::Insert(v) => format!("insert({v})"),
            Op::Remove => "remove".to_owned(),
            Op::Update(v) => format!("update(->{v})"),
            Op::TryInsert(v) => format!("try_insert({v})"),
            Op::Toggle(v) => format!("toggle({v})"),
        };
        write!(
            f,
            "[{:>5}, {:>5}] thread {} key#{} {op} -> {:?}",
            self.invoked, self.returned, self.thread, self.key, self.ret
        )
    }
}

/// A monotonic logical clock shared by the threads of one history: every reading is unique,
/// and a reading taken after another one returned is larger (SeqCst `fetch_add`).
#[derive(Debug, Default)]
pub struct Clock(AtomicU64);

impl Clock {
    /// A clock starting at 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next reading.
    pub fn tick(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
}

/// A whole history: the keys, their values before it started, and every event.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The keys, as bytes (events refer to them by index).
    pub keys: Vec<Vec<u8>>,
    /// Each key's value before the first event (`None`: absent).
    pub initial: Vec<Option<u64>>,
    /// Every completed event, in any order.
    pub events: Vec<Event>,
}

impl History {
    /// The events touching key `k`, sorted by invocation time.
    pub fn for_key(&self, k: usize) -> Vec<Event> {
        let mut events: Vec<Event> = self.events.iter().filter(|e| e.key == k).cloned().collect();
        events.sort_by_key(|e| e.invoked);
        events
    }
}

impl fmt::Display for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (key, init)) in self.keys.iter().zip(&self.initial).enumerate() {
            writeln!(
                f,
                "key#{i} = {:?} (initially {init:?})",
                String::from_utf8_lossy(key)
            )?;
        }
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.invoked);
        for e in &events {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}
