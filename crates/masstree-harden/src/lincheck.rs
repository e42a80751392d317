//! The lincheck runner: many short concurrent histories on a small hot key set, each checked
//! for linearizability and followed by a full structural check of the tree.

use crate::history::{Clock, Event, History, Op};
use crate::linearize;
use masstree::{Compute, Operation};
use masstree_testkit::{Rng, mix64};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The map under test.
/// Byte-string keys: the engine's own key type, so every byte string is exercised.
type Map = masstree::MassTree<[u8], u64>;

/// The shared prefix: three whole slices, so keys under it live in layer 3 once two of them
/// exist, and the layers are created and removed as keys come and go.
const PREFIX: &[u8] = b"lincheck/shared/prefix/\0";

/// Keys that stress layers: the prefix itself, keys ending inside and exactly at slice
/// boundaries, and two long keys that share a further slice (a layer below the layer).
const HOT_TAILS: &[&[u8]] = &[
    b"",
    b"a",
    b"b",
    b"abcdefgh",
    b"abcdefgh1",
    b"abcdefgh/deeper/x",
    b"abcdefgh/deeper/y",
    b"\0",
    b"zz",
];

/// Keys that only fill the layer's leaves, so inserts split them and removes unlink them.
const FILLERS: u64 = 24;

/// How one run is shaped.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Number of histories.
    pub histories: u64,
    /// Seed of the run; history `i` uses `mix64(seed + i)`.
    pub seed: u64,
    /// Threads per history.
    pub threads: usize,
    /// Operations per thread per history.
    pub ops_per_thread: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            histories: 20_000,
            seed: 1,
            threads: 3,
            ops_per_thread: 20,
        }
    }
}

/// What a passing run did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    /// Histories checked.
    pub histories: u64,
    /// Operations recorded and checked.
    pub operations: u64,
    /// Operations that overlapped an operation of another thread (the interesting ones).
    pub overlapping: u64,
    /// Structural checks passed.
    pub structure_checks: u64,
}

/// A failing history and how to reproduce it.
#[derive(Debug)]
pub struct Failure {
    /// The seed of the failing history (`--seed S --histories 1` replays its operations).
    pub seed: u64,
    /// What failed, with the history printed.
    pub report: String,
}

/// The seed of history `index` of a run seeded with `seed`.
pub fn history_seed(seed: u64, index: u64) -> u64 {
    if index == 0 {
        seed
    } else {
        mix64(seed.wrapping_add(index))
    }
}

/// Runs `config.histories` histories; stops at the first violation.
pub fn run(config: &Config) -> Result<Summary, Failure> {
    let mut summary = Summary::default();
    for i in 0..config.histories {
        let seed = history_seed(config.seed, i);
        let history = run_one(config, seed)?;
        summary.histories += 1;
        summary.operations += history.events.len() as u64;
        summary.overlapping += overlapping(&history.events);
        summary.structure_checks += 1;
    }
    Ok(summary)
}

/// How many events overlap in time with an event of another thread.
pub fn overlapping(events: &[Event]) -> u64 {
    events
        .iter()
        .filter(|a| {
            events
                .iter()
                .any(|b| a.thread != b.thread && a.invoked < b.returned && b.invoked < a.returned)
        })
        .count() as u64
}

/// The key set of one history: the hot keys, then (maybe) fillers; and how many are hot.
fn keys(rng: &mut Rng) -> (Vec<Vec<u8>>, usize) {
    let hot = 2 + rng.index(5);
    let mut tails: Vec<&[u8]> = HOT_TAILS.to_vec();
    let mut keys = Vec::new();
    for _ in 0..hot {
        let tail = tails.swap_remove(rng.index(tails.len()));
        keys.push([PREFIX, tail].concat());
    }
    if rng.percent(50) {
        for n in 0..FILLERS {
            keys.push([PREFIX, format!("fill-{n:02}").as_bytes()].concat());
        }
    }
    (keys, hot)
}

/// Runs and checks one history.
pub fn run_one(config: &Config, seed: u64) -> Result<History, Failure> {
    let mut rng = Rng::new(seed);
    let (keys, hot) = keys(&mut rng);
    let mut map = Map::new();
    let initial: Vec<Option<u64>> = (0..keys.len())
        .map(|k| rng.percent(50).then_some(1_000_000 + k as u64))
        .collect();
    {
        let m = map.pin();
        for (key, value) in keys.iter().zip(&initial) {
            if let Some(v) = value {
                m.insert(key, *v);
            }
        }
    }
    // Each thread's script: (key index, op), drawn up front so the seed fixes it.
    let scripts: Vec<Vec<(usize, Op)>> = (0..config.threads)
        .map(|t| {
            (0..config.ops_per_thread)
                .map(|i| {
                    let key = if rng.percent(80) {
                        rng.index(hot)
                    } else {
                        rng.index(keys.len())
                    };
                    let value = 1 + (t * config.ops_per_thread + i) as u64;
                    let op = match rng.below(100) {
                        0..35 => Op::Get,
                        35..55 => Op::Insert(value),
                        55..70 => Op::Remove,
                        70..80 => Op::Update(value),
                        80..90 => Op::TryInsert(value),
                        _ => Op::Toggle(value),
                    };
                    (key, op)
                })
                .collect()
        })
        .collect();

    let clock = Clock::new();
    let arrived = AtomicUsize::new(0);
    let mut events: Vec<Event> = std::thread::scope(|s| {
        let handles: Vec<_> = scripts
            .iter()
            .enumerate()
            .map(|(t, script)| {
                let (map, keys, clock, arrived) = (&map, &keys, &clock, &arrived);
                s.spawn(move || {
                    // Start together: spin (yielding, as threads may outnumber cores) until
                    // every thread has arrived, so the scripts overlap.
                    arrived.fetch_add(1, Ordering::SeqCst);
                    while arrived.load(Ordering::SeqCst) < config.threads {
                        std::thread::yield_now();
                    }
                    script
                        .iter()
                        .map(|&(key, op)| perform(map, clock, t, key, &keys[key], op))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    // A final read of every key, after every thread returned, pins down the end state.
    for (k, key) in keys.iter().enumerate() {
        events.push(perform(&map, &clock, config.threads, k, key, Op::Get));
    }
    let history = History {
        keys,
        initial,
        events,
    };
    if let Err(violation) = linearize::check(&history) {
        let mut report = format!(
            "history with seed {seed} is not linearizable at key#{}:\n",
            violation.key
        );
        for e in &violation.events {
            report.push_str(&format!("  {e}\n"));
        }
        report.push_str(&format!("whole history:\n{history}"));
        return Err(Failure { seed, report });
    }
    if let Err(message) = map.check_invariants() {
        return Err(Failure {
            seed,
            report: format!("structural check failed after history {seed}: {message}\n{history}"),
        });
    }
    Ok(history)
}

/// Runs one operation, timestamped before the call and after the return. Odd threads go
/// through an owned handle (`pin_owned`), even ones through `pin`, so histories mix both
/// guard kinds on the same keys.
fn perform(map: &Map, clock: &Clock, thread: usize, k: usize, key: &[u8], op: Op) -> Event {
    /// The operation through handle `m`, returning the value it saw or replaced.
    macro_rules! run {
        ($m:expr) => {{
            let m = $m;
            let invoked = clock.tick();
            let ret = match op {
                Op::Get => m.get(key).copied(),
                Op::Insert(v) => m.insert(key, v).copied(),
                Op::Remove => m.remove(key).copied(),
                Op::Update(v) => {
                    let mut old = None;
                    m.update(key, |o| {
                        old = Some(*o);
                        v
                    });
                    old
                }
                Op::TryInsert(v) => m.try_insert(key, v).err().map(|e| *e.current),
                Op::Toggle(v) => match m.compute(key, |cur| match cur {
                    Some(_) => Operation::<u64, ()>::Remove,
                    None => Operation::Insert(v),
                }) {
                    Compute::Removed(old) => Some(*old),
                    Compute::Inserted(_) => None,
                    other => panic!("toggle cannot end as {other:?}"),
                },
            };
            (invoked, ret, clock.tick())
        }};
    }
    let (invoked, ret, returned) = if thread % 2 == 1 {
        run!(map.pin_owned())
    } else {
        run!(map.pin())
    };
    Event {
        thread,
        key: k,
        op,
        ret,
        invoked,
        returned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_run_passes() {
        let config = Config {
            histories: 50,
            ..Config::default()
        };
        let summary = run(&config).expect("the map is linearizable");
        assert_eq!(summary.histories, 50);
        assert!(summary.operations >= 50 * 60);
    }

    #[test]
    fn seeds_fix_the_scripts() {
        assert_eq!(history_seed(9, 0), 9);
        assert_ne!(history_seed(9, 1), history_seed(9, 2));
        let mut a = Rng::new(3);
        let mut b = Rng::new(3);
        assert_eq!(keys(&mut a), keys(&mut b));
    }
}
