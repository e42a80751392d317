//! The soak run: a mixed workload in phases. In each phase worker threads run a YCSB-like mix
//! (reads, inserts, read-modify-writes, removes, short forward and reverse scans) over keys of
//! their own, checked exactly against a per-thread model, and over a shared hot range whose
//! values are derived from their keys. Between phases the workers stop, the whole tree gets its
//! structural check (`check_invariants`), the map's content is compared with the models, and
//! resident memory is compared with the ceiling.

use crate::memory;
use masstree_testkit::{Rng, mix64};
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

/// The map under test.
/// Byte-string keys: the engine's own key type, so every byte string is exercised.
type Map = masstree::MassTree<[u8], u64>;

/// Prefix of the shared hot range.
const HOT: &[u8] = b"hot/";

/// A longer shared prefix inside the hot range, so hot keys also live in deeper layers.
const HOT_LONG: &[u8] = b"hot/shared/long/prefix/";

/// Distinct hot keys.
const HOT_KEYS: u64 = 4096;

/// Operations between two re-pins of a worker's guard.
const OPS_PER_PIN: usize = 64;

/// How one soak run is shaped.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Total run time.
    pub duration: Duration,
    /// Length of one phase (workers run, then everything is checked).
    pub phase: Duration,
    /// Worker threads.
    pub threads: usize,
    /// Distinct keys each worker owns.
    pub keys_per_thread: u64,
    /// The resident-memory ceiling, MiB.
    pub max_rss_mib: u64,
    /// Seed of the workers' generators.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(60),
            phase: Duration::from_secs(3),
            threads: 4,
            keys_per_thread: 20_000,
            max_rss_mib: 1024,
            seed: 1,
        }
    }
}

/// What a passing run did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Report {
    /// Map operations performed by workers (scans count once).
    pub operations: u64,
    /// Phases run.
    pub phases: u64,
    /// Checks passed: structural checks, content comparisons, memory readings.
    pub checks: u64,
    /// Peak resident memory, KiB (`VmHWM`; 0 where unknown).
    pub peak_rss_kib: u64,
    /// Keys in the map at the end.
    pub keys: usize,
    /// Layers at the end.
    pub layers: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} operations in {} phases, {} checks passed, peak RSS {:.1} MiB, {} keys in {} layers at the end",
            self.operations,
            self.phases,
            self.checks,
            self.peak_rss_kib as f64 / 1024.0,
            self.keys,
            self.layers
        )
    }
}

/// One worker's state, carried across phases.
struct Worker {
    id: u8,
    rng: Rng,
    model: BTreeMap<Vec<u8>, u64>,
    operations: u64,
}

/// The `n`th key owned by worker `t`, in one of three shapes: short (layer 0), under a long
/// shared prefix (deep layers), and with a suffix.
pub fn own_key(t: u8, n: u64) -> Vec<u8> {
    match n % 3 {
        0 => [&[b'o', t][..], &(n as u32).to_be_bytes()].concat(),
        1 => [&b"own/long/shared/prefix/"[..], &[t], &n.to_be_bytes()].concat(),
        _ => [&[b'o', t][..], &n.to_be_bytes(), b"/suffix-tail"].concat(),
    }
}

/// The two prefixes that together hold exactly worker `t`'s keys.
fn own_prefixes(t: u8) -> [Vec<u8>; 2] {
    [
        vec![b'o', t],
        [&b"own/long/shared/prefix/"[..], &[t]].concat(),
    ]
}

/// The `n`th hot key.
fn hot_key(n: u64) -> Vec<u8> {
    if n.is_multiple_of(2) {
        [HOT, &(n as u16).to_be_bytes()].concat()
    } else {
        [HOT_LONG, &n.to_be_bytes()].concat()
    }
}

/// The value every hot key carries: derived from its bytes, so a torn or misplaced value shows.
pub fn hot_value(key: &[u8]) -> u64 {
    key.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    })
}

/// Runs the soak; the error says which check failed and when.
pub fn run(config: &Config) -> Result<Report, String> {
    assert!(config.threads < 64, "worker ids are bytes below b'w'");
    let start = Instant::now();
    let mut map = Map::new();
    let mut workers: Vec<Worker> = (0..config.threads)
        .map(|t| Worker {
            id: t as u8,
            rng: Rng::new(mix64(config.seed ^ (t as u64 + 1))),
            model: BTreeMap::new(),
            operations: 0,
        })
        .collect();
    let mut report = Report::default();
    loop {
        let left = config.duration.saturating_sub(start.elapsed());
        let phase_end = Instant::now() + config.phase.min(left);
        workers = std::thread::scope(|s| {
            let handles: Vec<_> = workers
                .into_iter()
                .map(|mut w| {
                    let map = &map;
                    s.spawn(move || -> Result<Worker, String> {
                        work(map, &mut w, config.keys_per_thread, phase_end)?;
                        Ok(w)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| "a worker panicked".to_owned())?)
                .collect::<Result<Vec<_>, String>>()
        })
        .map_err(|e| format!("phase {}: {e}", report.phases + 1))?;
        report.phases += 1;
        let checks = check_phase(&mut map, &workers, config.max_rss_mib).map_err(|e| {
            format!(
                "after phase {} ({:.1?}): {e}",
                report.phases,
                start.elapsed()
            )
        })?;
        report.checks += checks.passed;
        report.keys = checks.keys;
        report.layers = checks.layers;
        report.peak_rss_kib = checks.peak_rss_kib;
        if start.elapsed() >= config.duration {
            break;
        }
    }
    report.operations = workers.iter().map(|w| w.operations).sum();
    Ok(report)
}

/// What the between-phase checks found.
struct PhaseChecks {
    passed: u64,
    keys: usize,
    layers: usize,
    peak_rss_kib: u64,
}

/// The checks between phases, with the workers stopped.
fn check_phase(map: &mut Map, workers: &[Worker], max_rss_mib: u64) -> Result<PhaseChecks, String> {
    let stats = map.check_invariants()?;
    let mut passed = 1;
    let m = map.pin();
    let mut hot = 0;
    for (key, value) in m.prefix(HOT) {
        if *value != hot_value(key.as_bytes()) {
            return Err(format!("hot key {key:?} holds {value:#x}"));
        }
        hot += 1;
    }
    passed += 1;
    for w in workers {
        let mut found = Vec::new();
        for prefix in own_prefixes(w.id) {
            found.extend(m.prefix(&prefix).map(|(k, v)| (k.into_vec(), *v)));
        }
        found.sort();
        if !found.iter().map(|(k, v)| (k, v)).eq(w.model.iter()) {
            return Err(format!(
                "worker {}'s keys differ from its model: {} in the map, {} in the model",
                w.id,
                found.len(),
                w.model.len()
            ));
        }
        passed += 1;
    }
    let expected = hot + workers.iter().map(|w| w.model.len()).sum::<usize>();
    if stats.keys != expected || m.len() != expected {
        return Err(format!(
            "key counts disagree: structure {}, len() {}, models and hot range {expected}",
            stats.keys,
            m.len()
        ));
    }
    passed += 1;
    drop(m);
    let rss = memory::rss().unwrap_or_default();
    if rss.current_kib > max_rss_mib * 1024 {
        return Err(format!(
            "resident memory {:.1} MiB is over the ceiling of {max_rss_mib} MiB",
            rss.current_kib as f64 / 1024.0
        ));
    }
    passed += 1;
    Ok(PhaseChecks {
        passed,
        keys: stats.keys,
        layers: stats.layers,
        peak_rss_kib: rss.peak_kib,
    })
}

/// One worker's loop until `until`.
fn work(map: &Map, w: &mut Worker, keys: u64, until: Instant) -> Result<(), String> {
    while Instant::now() < until {
        let m = map.pin();
        for _ in 0..OPS_PER_PIN {
            w.operations += 1;
            if w.rng.percent(30) {
                hot_op(&m, &mut w.rng)?;
            } else {
                own_op(&m, w, keys)?;
            }
        }
    }
    Ok(())
}

/// One operation on the shared hot range: every value seen must be its key's derived value.
fn hot_op(m: &masstree::MapRef<'_, [u8], u64>, rng: &mut Rng) -> Result<(), String> {
    let key = hot_key(rng.below(HOT_KEYS));
    let want = hot_value(&key);
    let seen = match rng.below(100) {
        0..50 => m.get(&key).copied(),
        50..75 => m.insert(&key, want).copied(),
        75..90 => m.remove(&key).copied(),
        90..95 => m.update(&key, |v| *v).copied(),
        _ => {
            let mut last: Option<Vec<u8>> = None;
            let reverse = rng.percent(50);
            let entries: Vec<_> = if reverse {
                m.range(..&key[..]).rev().take(16).collect()
            } else {
                m.range(&key[..]..).take(16).collect()
            };
            for (k, v) in entries {
                let k = k.into_vec();
                if *v != hot_value(&k) && k.starts_with(HOT) {
                    return Err(format!("scan saw hot key {k:?} holding {v:#x}"));
                }
                let ordered = last
                    .as_ref()
                    .is_none_or(|l| if reverse { *l > k } else { *l < k });
                if !ordered {
                    return Err(format!("scan out of order at {k:?}"));
                }
                last = Some(k);
            }
            None
        }
    };
    match seen {
        Some(v) if v != want => Err(format!("hot key {key:?} held {v:#x}, want {want:#x}")),
        _ => Ok(()),
    }
}

/// One operation on the worker's own keys, checked exactly against its model.
fn own_op(m: &masstree::MapRef<'_, [u8], u64>, w: &mut Worker, keys: u64) -> Result<(), String> {
    let key = own_key(w.id, w.rng.below(keys));
    let value = w.rng.next_u64() >> 1;
    let (got, want) = match w.rng.below(100) {
        0..50 => (m.get(&key).copied(), w.model.get(&key).copied()),
        50..70 => (
            m.insert(&key, value).copied(),
            w.model.insert(key.clone(), value),
        ),
        70..80 => {
            let got = m.update(&key, |v| v + 1).copied();
            let want = w.model.get_mut(&key).map(|v| {
                *v += 1;
                *v
            });
            (got, want)
        }
        80..95 => (m.remove(&key).copied(), w.model.remove(&key)),
        _ => {
            let reverse = w.rng.percent(50);
            let [short, long] = own_prefixes(w.id);
            let start = if key.starts_with(&short) { short } else { long };
            let mut end = start.clone();
            *end.last_mut().expect("non-empty") += 1;
            let (lo, hi) = if reverse {
                (start, key.clone())
            } else {
                (key.clone(), end)
            };
            let got: Vec<(Vec<u8>, u64)> = {
                let range = m.range(&lo[..]..&hi[..]).map(|(k, v)| (k.into_vec(), *v));
                if reverse {
                    range.rev().take(16).collect()
                } else {
                    range.take(16).collect()
                }
            };
            let want: Vec<(Vec<u8>, u64)> = {
                let range = w.model.range(lo..hi).map(|(k, v)| (k.clone(), *v));
                if reverse {
                    range.rev().take(16).collect()
                } else {
                    range.take(16).collect()
                }
            };
            if got != want {
                return Err(format!(
                    "worker {}: scan from {key:?} (reverse: {reverse}) returned {} entries, model {}",
                    w.id,
                    got.len(),
                    want.len()
                ));
            }
            (None, None)
        }
    };
    if got != want {
        return Err(format!(
            "worker {}: key {key:?} returned {got:?}, model says {want:?}",
            w.id
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_soak_passes_and_reports() {
        let config = Config {
            duration: Duration::from_millis(600),
            phase: Duration::from_millis(200),
            threads: 2,
            keys_per_thread: 500,
            ..Config::default()
        };
        let report = run(&config).expect("soak passes");
        assert!(report.phases >= 2 && report.operations > 0 && report.checks >= 10);
    }

    #[test]
    fn the_memory_ceiling_fails_loudly() {
        let config = Config {
            duration: Duration::from_millis(50),
            phase: Duration::from_millis(50),
            threads: 1,
            keys_per_thread: 100,
            max_rss_mib: 0,
            ..Config::default()
        };
        let err = run(&config).expect_err("no process fits in 0 MiB");
        assert!(err.contains("ceiling"), "{err}");
    }

    #[test]
    fn own_keys_stay_under_own_prefixes() {
        for t in [0u8, 1, 7] {
            for n in 0..30 {
                let k = own_key(t, n);
                assert!(own_prefixes(t).iter().any(|p| k.starts_with(p)));
                assert!(!own_prefixes(t + 1).iter().any(|p| k.starts_with(p)));
            }
        }
    }
}
