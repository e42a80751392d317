//! The workloads: which keys, which operations in which proportions, drawn how.
//!
//! Steady workloads load their keys, then replay a per-thread trace of pre-drawn operations
//! (drawing random numbers inside the timed loop would add the generator's cost to every map
//! and shrink the differences between them). Build workloads insert every key into an empty map.

use crate::keys::KeyKind;
use crate::rng::Rng;
use crate::zipf::{YCSB_THETA, Zipf};

/// Operations a trace entry can ask for (the top two bits of the entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `get`.
    Get = 0,
    /// `update` of a present key.
    Update = 1,
    /// `insert` (a fresh key or a replacement).
    Insert = 2,
    /// `remove`.
    Remove = 3,
}

/// Bits of a trace entry that hold the key index.
pub const INDEX_MASK: u32 = (1 << 30) - 1;

/// Entries in each thread's trace; replayed cyclically.
pub const TRACE_LEN: usize = 1 << 18;

/// Decodes a trace entry.
#[inline]
pub fn decode(entry: u32) -> (Op, usize) {
    let op = match entry >> 30 {
        0 => Op::Get,
        1 => Op::Update,
        2 => Op::Insert,
        _ => Op::Remove,
    };
    (op, (entry & INDEX_MASK) as usize)
}

/// Percentages of each operation (they sum to 100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    /// `get`s.
    pub get: u32,
    /// `update`s.
    pub update: u32,
    /// `insert`s.
    pub insert: u32,
    /// `remove`s.
    pub remove: u32,
}

impl Mix {
    /// Only `get`s.
    pub const READ_ONLY: Self = Self::get_update(100, 0);

    /// `get`s and `update`s.
    pub const fn get_update(get: u32, update: u32) -> Self {
        Self {
            get,
            update,
            insert: 0,
            remove: 0,
        }
    }

    fn op(self, roll: u32) -> Op {
        if roll < self.get {
            Op::Get
        } else if roll < self.get + self.update {
            Op::Update
        } else if roll < self.get + self.update + self.insert {
            Op::Insert
        } else {
            Op::Remove
        }
    }
}

/// How keys are picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dist {
    /// Every key equally likely.
    Uniform,
    /// Scrambled Zipfian, theta 0.99 (YCSB's default).
    Zipf,
}

/// Which keys a steady workload loads before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preload {
    /// All of them.
    All,
    /// Those with an even index (half), so removes and inserts both find work.
    Even,
}

/// What a workload does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Load keys, then replay a mix for a while.
    Steady {
        /// Operation proportions.
        mix: Mix,
        /// Key popularity.
        dist: Dist,
        /// What is loaded first (untimed).
        preload: Preload,
    },
    /// Insert every key into an empty map; threads take contiguous stripes of the key indexes.
    Build,
}

/// One workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Its name in tables (`lookup 32 B`, `YCSB-A`, ...).
    pub name: String,
    /// Short identifier for criterion (`lookup_32B`, `ycsb_a`, ...).
    pub id: String,
    /// The keys.
    pub keys: KeyKind,
    /// The operations.
    pub shape: Shape,
}

impl Workload {
    fn steady(name: &str, id: &str, keys: KeyKind, mix: Mix, dist: Dist, preload: Preload) -> Self {
        Self {
            name: name.to_owned(),
            id: id.to_owned(),
            keys,
            shape: Shape::Steady { mix, dist, preload },
        }
    }

    /// Whether this workload reads only (its map can be shared by every run).
    pub fn is_read_only(&self) -> bool {
        matches!(self.shape, Shape::Steady { mix, .. } if mix == Mix::READ_ONLY)
    }

    /// Per-thread traces for `threads` threads over a set of `n` keys (steady workloads only).
    pub fn traces(&self, n: usize, threads: usize) -> Vec<Vec<u32>> {
        let Shape::Steady { mix, dist, .. } = self.shape else {
            return Vec::new();
        };
        assert!(n <= INDEX_MASK as usize, "too many keys for a trace entry");
        let zipf = (dist == Dist::Zipf).then(|| Zipf::new(n as u64, YCSB_THETA));
        (0..threads)
            .map(|t| {
                let mut rng = Rng::new(0x5eed ^ (t as u64) << 32 ^ n as u64);
                (0..TRACE_LEN)
                    .map(|_| {
                        let index = match &zipf {
                            Some(z) => z.item(&mut rng),
                            None => rng.below(n as u64),
                        } as u32;
                        let op = mix.op(rng.below(100) as u32);
                        (op as u32) << 30 | index
                    })
                    .collect()
            })
            .collect()
    }
}

/// Key lengths of the lookup series.
pub const LOOKUP_LENGTHS: [usize; 6] = [8, 16, 24, 32, 64, 128];

/// Every workload of the issue, in report order.
pub fn catalogue() -> Vec<Workload> {
    use Dist::{Uniform, Zipf};
    let mut all = Vec::new();
    // Read-only, uniform: the 8 B entry is the "read-only uniform over N 8-byte keys" workload.
    for len in LOOKUP_LENGTHS {
        let keys = KeyKind::Random { len, prefix: false };
        let (name, id) = (format!("lookup {len} B"), format!("lookup_{len}B"));
        all.push(Workload::steady(
            &name,
            &id,
            keys,
            Mix::READ_ONLY,
            Uniform,
            Preload::All,
        ));
    }
    // The same with a 16-byte prefix shared by every key (lengths that leave 8+ bytes after it).
    for len in LOOKUP_LENGTHS.into_iter().filter(|&len| len >= 24) {
        let keys = KeyKind::Random { len, prefix: true };
        let (name, id) = (
            format!("lookup {len} B, 16 B shared prefix"),
            format!("lookup_{len}B_prefix16"),
        );
        all.push(Workload::steady(
            &name,
            &id,
            keys,
            Mix::READ_ONLY,
            Uniform,
            Preload::All,
        ));
    }
    let k8 = KeyKind::Random {
        len: 8,
        prefix: false,
    };
    let zipf_90 = Mix::get_update(90, 10);
    let zipf_50 = Mix::get_update(50, 50);
    all.push(Workload::steady(
        "zipf 90/10 get/update",
        "zipf_90_10",
        k8,
        zipf_90,
        Zipf,
        Preload::All,
    ));
    all.push(Workload::steady(
        "zipf 50/50 get/update",
        "zipf_50_50",
        k8,
        zipf_50,
        Zipf,
        Preload::All,
    ));
    all.push(Workload {
        name: "insert sequential".to_owned(),
        id: "insert_sequential".to_owned(),
        keys: KeyKind::Sequential,
        shape: Shape::Build,
    });
    all.push(Workload {
        name: "insert random".to_owned(),
        id: "insert_random".to_owned(),
        keys: k8,
        shape: Shape::Build,
    });
    let churn = Mix {
        get: 25,
        update: 0,
        insert: 25,
        remove: 50,
    };
    all.push(Workload::steady(
        "remove-heavy 50/25/25 remove/insert/get",
        "remove_heavy",
        k8,
        churn,
        Uniform,
        Preload::Even,
    ));
    let ycsb = KeyKind::Ycsb;
    all.push(Workload::steady(
        "YCSB-A 50/50 read/update",
        "ycsb_a",
        ycsb,
        zipf_50,
        Zipf,
        Preload::All,
    ));
    all.push(Workload::steady(
        "YCSB-B 95/5 read/update",
        "ycsb_b",
        ycsb,
        Mix::get_update(95, 5),
        Zipf,
        Preload::All,
    ));
    all.push(Workload::steady(
        "YCSB-C read-only",
        "ycsb_c",
        ycsb,
        Mix::READ_ONLY,
        Zipf,
        Preload::All,
    ));
    // SCANS JOIN HERE: YCSB-E (95% short range scans from a Zipfian start key, 5% inserts) and
    // the scan workloads (full forward, reverse, prefix) are added once `MassTree::range`/`iter`
    // land. They need a `scan` method on `Contender` (contenders.rs), with each peer's range API
    // (BTreeMap/TreeIndex/SkipMap `range`, congee `range`, masstree 0.9.5 `scan`).
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_issue_workloads() {
        let all = catalogue();
        let names: Vec<&str> = all.iter().map(|w| w.id.as_str()).collect();
        for id in [
            "lookup_8B",
            "lookup_128B",
            "lookup_24B_prefix16",
            "zipf_90_10",
            "zipf_50_50",
            "insert_sequential",
            "insert_random",
            "remove_heavy",
            "ycsb_a",
            "ycsb_b",
            "ycsb_c",
        ] {
            assert!(names.contains(&id), "{id} missing");
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "ids are unique");
    }

    #[test]
    fn traces_follow_the_mix() {
        let w = catalogue()
            .into_iter()
            .find(|w| w.id == "zipf_90_10")
            .unwrap();
        let traces = w.traces(1000, 2);
        assert_eq!(traces.len(), 2);
        let updates = traces[0]
            .iter()
            .filter(|&&e| decode(e).0 == Op::Update)
            .count();
        let share = updates as f64 / TRACE_LEN as f64;
        assert!((share - 0.10).abs() < 0.01, "{share}");
        assert!(traces[1].iter().all(|&e| decode(e).1 < 1000));
        assert_ne!(traces[0], traces[1], "threads draw different streams");
    }
}
