//! The workloads: which keys, which operations in which proportions, drawn how.
//!
//! Steady workloads load their keys, then replay a per-thread trace of pre-drawn operations
//! (drawing random numbers inside the timed loop would add the generator's cost to every map
//! and shrink the differences between them). Build workloads insert every key into an empty map.
//! Full-scan workloads load every key, then iterate the whole map again and again.
//!
//! The DRAM-bound family (`dram: true`, last in the catalogue) runs over a key set far larger
//! than the caches (the runner's `--dram-keys`, 10M; 2M with `--quick`), with traces of up to
//! [`DRAM_TRACE_LEN`] entries, so a replayed trace does not keep its keys' leaves in the caches.
//! Every workload of the family loads all its keys and changes no key, so the runner loads each
//! key set once per contender and runs the family's workloads on it in catalogue order (the
//! read-only ones before the get/update mix).
//!
//! Scans: a trace entry can ask for a scan of [`SCAN_LEN`] entries from its key (ascending or
//! descending), or for YCSB-E's short scan of 1..=[`SCAN_LEN`] entries; one such operation is one
//! scan, however many entries it reads.

use crate::contenders::{Contender, ScanSupport};
use crate::keys::KeyKind;
use crate::zipf::{YCSB_THETA, Zipf};
use masstree_testkit::Rng;

/// Operations a trace entry can ask for (the top three bits of the entry).
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
    /// An ascending scan of [`SCAN_LEN`] entries from the key.
    Scan = 4,
    /// A descending scan of [`SCAN_LEN`] entries from the key.
    ScanRev = 5,
    /// YCSB-E's scan: ascending from the key, 1..=[`SCAN_LEN`] entries (uniform; the length is
    /// [`short_scan_len`] of the entry's position in the trace).
    ScanShort = 6,
}

/// Entries read by a range scan (and the most read by a YCSB-E scan, YCSB's `maxscanlength`).
pub const SCAN_LEN: usize = 100;

/// The length of the YCSB-E scan at trace position `at`: 1..=[`SCAN_LEN`], each length once in
/// every [`SCAN_LEN`] consecutive positions (so uniform, and independent of the key drawn).
#[inline]
pub fn short_scan_len(at: usize) -> usize {
    1 + (at * 37) % SCAN_LEN
}

/// Bits of a trace entry that hold the key index.
pub const INDEX_MASK: u32 = (1 << 29) - 1;

/// Entries in each thread's trace; replayed cyclically.
pub const TRACE_LEN: usize = 1 << 18;

/// The most entries in a thread's trace in the DRAM-bound family (16 MiB per trace, reached
/// from 2M keys): seconds of operations at DRAM speed before it repeats.
pub const DRAM_TRACE_LEN: usize = 1 << 22;

/// Decodes a trace entry.
#[inline]
pub fn decode(entry: u32) -> (Op, usize) {
    let op = match entry >> 29 {
        0 => Op::Get,
        1 => Op::Update,
        2 => Op::Insert,
        3 => Op::Remove,
        4 => Op::Scan,
        5 => Op::ScanRev,
        _ => Op::ScanShort,
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
    /// Scans, of the kind `scan_op` says.
    pub scan: u32,
    /// [`Op::Scan`], [`Op::ScanRev`] or [`Op::ScanShort`].
    pub scan_op: Op,
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
            scan: 0,
            scan_op: Op::Scan,
        }
    }

    /// Only scans of one kind.
    pub const fn scans(scan_op: Op) -> Self {
        Self {
            scan: 100,
            scan_op,
            ..Self::get_update(0, 0)
        }
    }

    /// Whether the mix writes nothing.
    pub fn is_read_only(self) -> bool {
        self.get + self.scan == 100
    }

    fn op(self, roll: u32) -> Op {
        if roll < self.get {
            Op::Get
        } else if roll < self.get + self.update {
            Op::Update
        } else if roll < self.get + self.update + self.insert {
            Op::Insert
        } else if roll < self.get + self.update + self.insert + self.remove {
            Op::Remove
        } else {
            self.scan_op
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
    /// Those with an even index (half); every operation but `insert` draws a loaded (even) key,
    /// and `insert`s draw uniformly among the others (odd), so they add keys, as YCSB's inserts
    /// add records (until a trace wraps around and repeats its inserts as replacements).
    EvenInsertOdd,
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
    /// Load every key, then each operation (each thread) iterates the whole map in ascending
    /// order; measured in keys read per second.
    FullScan,
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
    /// Whether it belongs to the DRAM-bound family (its key count is the runner's
    /// `--dram-keys`, its traces longer: [`Workload::trace_len`]).
    pub dram: bool,
}

impl Workload {
    fn steady(name: &str, id: &str, keys: KeyKind, mix: Mix, dist: Dist, preload: Preload) -> Self {
        Self {
            name: name.to_owned(),
            id: id.to_owned(),
            keys,
            shape: Shape::Steady { mix, dist, preload },
            dram: false,
        }
    }

    /// The same workload in the DRAM-bound family: `DRAM: ` before its name, `dram_` before its
    /// id.
    fn in_dram(self) -> Self {
        Self {
            name: format!("DRAM: {}", self.name),
            id: format!("dram_{}", self.id),
            dram: true,
            ..self
        }
    }

    /// Entries in each thread's trace over `n` keys: [`TRACE_LEN`]; in the DRAM-bound family
    /// twice the keys, between [`TRACE_LEN`] and [`DRAM_TRACE_LEN`].
    pub fn trace_len(&self, n: usize) -> usize {
        if self.dram {
            (2 * n).clamp(TRACE_LEN, DRAM_TRACE_LEN)
        } else {
            TRACE_LEN
        }
    }

    /// Whether this workload reads only (its map can be shared by every run).
    pub fn is_read_only(&self) -> bool {
        match self.shape {
            Shape::Steady { mix, .. } => mix.is_read_only(),
            Shape::FullScan => true,
            Shape::Build => false,
        }
    }

    /// Which ordered scans this workload needs of a map: none, ascending, or both directions.
    pub fn scans_needed(&self) -> ScanSupport {
        match self.shape {
            Shape::Steady { mix, .. } if mix.scan > 0 && mix.scan_op == Op::ScanRev => {
                ScanSupport::Both
            }
            Shape::Steady { mix, .. } if mix.scan > 0 => ScanSupport::Forward,
            Shape::FullScan => ScanSupport::Forward,
            _ => ScanSupport::None,
        }
    }

    /// Whether contender `C` can run this workload (its keys, its scans); n/a otherwise.
    pub fn runs_on<C: Contender>(&self) -> bool {
        let len = self.keys.key_len();
        let scans = match self.scans_needed() {
            ScanSupport::None => true,
            ScanSupport::Forward => C::SCANS.forward() && C::scans_keys_of(len),
            ScanSupport::Both => C::SCANS.reverse() && C::scans_keys_of(len),
        };
        C::supports(len) && scans
    }

    /// What one operation of this workload is, for names and reports.
    pub fn unit(&self) -> &'static str {
        match self.shape {
            Shape::FullScan => "Mkeys/s",
            Shape::Steady { mix, .. } if mix.scan == 100 => "Mscans/s",
            _ => "Mops/s",
        }
    }

    /// Per-thread traces for `threads` threads over a set of `n` keys (steady workloads only).
    pub fn traces(&self, n: usize, threads: usize) -> Vec<Vec<u32>> {
        let Shape::Steady { mix, dist, preload } = self.shape else {
            return Vec::new();
        };
        assert!(n <= INDEX_MASK as usize, "too many keys for a trace entry");
        // `EvenInsertOdd` draws among the n/2 loaded keys, then maps the draw to a key index.
        let grow = preload == Preload::EvenInsertOdd;
        let drawn = if grow { (n / 2).max(1) } else { n } as u64;
        let zipf = (dist == Dist::Zipf).then(|| Zipf::new(drawn, YCSB_THETA));
        (0..threads)
            .map(|t| {
                let mut rng = Rng::new(0x5eed ^ (t as u64) << 32 ^ n as u64);
                (0..self.trace_len(n))
                    .map(|_| {
                        let mut index = match &zipf {
                            Some(z) => z.item(&mut rng),
                            None => rng.below(drawn),
                        };
                        let op = mix.op(rng.below(100) as u32);
                        if grow {
                            index = match op {
                                Op::Insert => (2 * rng.below(drawn) + 1).min(n as u64 - 1),
                                _ => 2 * index,
                            };
                        }
                        (op as u32) << 29 | index as u32
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
        dram: false,
    });
    all.push(Workload {
        name: "insert random".to_owned(),
        id: "insert_random".to_owned(),
        keys: k8,
        shape: Shape::Build,
        dram: false,
    });
    let churn = Mix {
        get: 25,
        insert: 25,
        remove: 50,
        ..Mix::get_update(0, 0)
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
    // Scans (`Contender::scan`/`scan_rev`, each peer's range API; n/a where a map has none).
    // Range scans: a uniformly random loaded key, then SCAN_LEN entries; one op = one scan.
    all.push(Workload::steady(
        "range 100 fwd (Mscans/s)",
        "range_100_fwd",
        k8,
        Mix::scans(Op::Scan),
        Uniform,
        Preload::All,
    ));
    all.push(Workload::steady(
        "range 100 rev (Mscans/s)",
        "range_100_rev",
        k8,
        Mix::scans(Op::ScanRev),
        Uniform,
        Preload::All,
    ));
    all.push(Workload {
        name: "full scan (Mkeys/s)".to_owned(),
        id: "full_scan".to_owned(),
        keys: k8,
        shape: Shape::FullScan,
        dram: false,
    });
    // YCSB-E: 95% scans of 1..=100 entries from a Zipfian loaded key, 5% inserts of new keys.
    let ycsb_e = Mix {
        insert: 5,
        scan: 95,
        scan_op: Op::ScanShort,
        ..Mix::get_update(0, 0)
    };
    all.push(Workload::steady(
        "YCSB-E 95/5 scan/insert",
        "ycsb_e",
        ycsb,
        ycsb_e,
        Zipf,
        Preload::EvenInsertOdd,
    ));
    // The DRAM-bound family: copies of four workloads above over `--dram-keys` keys, grouped by
    // key set, read-only ones first (the runner shares one loaded map among a key set's).
    let dram: Vec<Workload> = ["lookup_8B", "range_100_fwd", "zipf_90_10", "ycsb_c"]
        .iter()
        .map(|id| {
            let w = all.iter().find(|w| w.id == *id).expect("in the catalogue");
            w.clone().in_dram()
        })
        .collect();
    all.extend(dram);
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
            "range_100_fwd",
            "range_100_rev",
            "full_scan",
            "ycsb_e",
            "dram_lookup_8B",
            "dram_range_100_fwd",
            "dram_zipf_90_10",
            "dram_ycsb_c",
        ] {
            assert!(names.contains(&id), "{id} missing");
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "ids are unique");
    }

    /// The runner shares one loaded map among a DRAM key set's workloads: each loads every key,
    /// changes no key, and comes after the others of its key set that only read.
    #[test]
    fn dram_family_shares_its_loaded_maps() {
        let all = catalogue();
        let dram: Vec<&Workload> = all.iter().filter(|w| w.dram).collect();
        assert_eq!(dram.len(), 4);
        assert!(
            all.iter().skip_while(|w| !w.dram).all(|w| w.dram),
            "the family comes last"
        );
        for (i, w) in dram.iter().enumerate() {
            let Shape::Steady { mix, preload, .. } = w.shape else {
                panic!("{} is not steady", w.id);
            };
            assert_eq!(preload, Preload::All, "{}", w.id);
            assert_eq!(mix.insert + mix.remove, 0, "{} changes keys", w.id);
            let later_same_keys = dram[i + 1..].iter().filter(|v| v.keys == w.keys);
            assert!(
                w.is_read_only() || later_same_keys.clone().all(|v| !v.is_read_only()),
                "{} writes before a read-only workload of its key set",
                w.id
            );
            if i > 0 && dram[i - 1].keys != w.keys {
                assert!(
                    dram[..i].iter().all(|v| v.keys != w.keys),
                    "{}'s key set is split in two runs",
                    w.id
                );
            }
            assert!(w.name.starts_with("DRAM: ") && w.trace_len(10_000_000) == DRAM_TRACE_LEN);
            assert_eq!(w.trace_len(1000), TRACE_LEN);
        }
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
        assert_eq!(traces[0].len(), TRACE_LEN);
        assert!((share - 0.10).abs() < 0.01, "{share}");
        assert!(traces[1].iter().all(|&e| decode(e).1 < 1000));
        assert_ne!(traces[0], traces[1], "threads draw different streams");
    }

    #[test]
    fn ycsb_e_scans_loaded_keys_and_inserts_new_ones() {
        let w = catalogue().into_iter().find(|w| w.id == "ycsb_e").unwrap();
        assert_eq!(w.scans_needed(), ScanSupport::Forward);
        assert!(!w.is_read_only());
        let trace = &w.traces(1001, 1)[0];
        let (mut scans, mut inserts) = (0usize, 0usize);
        for &e in trace {
            let (op, index) = decode(e);
            assert!(index < 1001);
            match op {
                Op::ScanShort => {
                    scans += 1;
                    assert_eq!(index % 2, 0, "scans start at loaded keys");
                }
                Op::Insert => {
                    inserts += 1;
                    assert_eq!(index % 2, 1, "inserts add keys");
                }
                other => panic!("{other:?} in YCSB-E"),
            }
        }
        let share = inserts as f64 / (scans + inserts) as f64;
        assert!((share - 0.05).abs() < 0.01, "{share}");
        let lens: Vec<usize> = (0..SCAN_LEN).map(short_scan_len).collect();
        let mut sorted = lens.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (1..=SCAN_LEN).collect::<Vec<_>>(),
            "uniform 1..=100"
        );
    }

    #[test]
    fn scan_workloads_say_what_they_need() {
        let all = catalogue();
        let by_id = |id: &str| all.iter().find(|w| w.id == id).unwrap();
        assert_eq!(by_id("range_100_rev").scans_needed(), ScanSupport::Both);
        assert_eq!(by_id("range_100_fwd").scans_needed(), ScanSupport::Forward);
        assert_eq!(by_id("full_scan").unit(), "Mkeys/s");
        assert_eq!(by_id("range_100_fwd").unit(), "Mscans/s");
        assert_eq!(by_id("lookup_8B").scans_needed(), ScanSupport::None);
        assert!(by_id("range_100_fwd").is_read_only() && by_id("lookup_8B").is_read_only());
        assert!(by_id("range_100_rev").runs_on::<crate::contenders::Ours>());
        assert!(!by_id("range_100_rev").runs_on::<crate::contenders::Congee>());
        assert!(by_id("range_100_fwd").runs_on::<crate::contenders::Congee>());
        assert!(!by_id("ycsb_e").runs_on::<crate::contenders::Congee>());
        assert!(!by_id("ycsb_e").runs_on::<crate::contenders::Seed>());
        assert!(by_id("range_100_rev").runs_on::<crate::contenders::Seed>());
        assert!(by_id("ycsb_a").runs_on::<crate::contenders::Seed>());
    }
}
