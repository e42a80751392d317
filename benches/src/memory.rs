//! Memory per key: the bytes a map allocates to hold `n` keys with `u64` values, divided by `n`.
//!
//! Counted with [`crate::alloc_counter`], which must be the process's global allocator (the
//! throughput runner installs it). The key set is allocated before counting starts, so the
//! figure is net of the input buffers; a map that copies keys pays for its copies. Bytes are
//! the sizes requested from the allocator (its own per-block overhead is not included).

use crate::alloc_counter::{live_bytes, set_counting};
use crate::contenders::{Contender, Lineup, Visitor, for_each};
use crate::driver::preload;
use crate::keys::{KeyKind, KeySet};
use crate::workloads::Preload;

/// The key sets measured: 8-byte and 32-byte random keys.
pub const MEMORY_KEYS: [KeyKind; 2] = [
    KeyKind::Random {
        len: 8,
        prefix: false,
    },
    KeyKind::Random {
        len: 32,
        prefix: false,
    },
];

/// Whether the counting allocator is the global allocator of this process.
pub fn counting_installed() -> bool {
    set_counting(true);
    let before = live_bytes();
    let probe = std::hint::black_box(vec![0u8; 4096]);
    let seen = live_bytes() - before;
    drop(probe);
    set_counting(false);
    seen >= 4096
}

/// Bytes per key of `C` holding every key of `keys`; `None` if `C` cannot hold such keys.
pub fn bytes_per_key<C: Contender>(keys: &KeySet) -> Option<f64> {
    if !C::supports(keys.key_len()) {
        return None;
    }
    set_counting(true);
    let before = live_bytes();
    let map = C::new();
    preload(&map, keys, Preload::All);
    let used = live_bytes() - before;
    set_counting(false);
    drop(map);
    Some(used as f64 / keys.count() as f64)
}

/// One contender's bytes per key, one entry per [`MEMORY_KEYS`] set.
#[derive(Clone, Debug)]
pub struct MemoryRow {
    /// The contender.
    pub name: &'static str,
    /// Bytes per key for each key set (`None`: not supported).
    pub bytes_per_key: Vec<Option<f64>>,
}

/// Measures every contender on each [`MEMORY_KEYS`] set of `n` keys.
pub fn measure_all(n: usize) -> Vec<MemoryRow> {
    struct Measure<'k> {
        sets: &'k [KeySet],
        rows: Vec<MemoryRow>,
    }
    impl Visitor for Measure<'_> {
        fn visit<C: Contender>(&mut self) {
            let bytes_per_key = self.sets.iter().map(bytes_per_key::<C>).collect();
            self.rows.push(MemoryRow {
                name: C::NAME,
                bytes_per_key,
            });
        }
    }
    let sets: Vec<KeySet> = MEMORY_KEYS.iter().map(|&k| KeySet::new(k, n)).collect();
    let mut measure = Measure {
        sets: &sets,
        rows: Vec::new(),
    };
    for_each(Lineup::All, &mut measure);
    measure.rows
}
