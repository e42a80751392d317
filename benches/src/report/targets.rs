//! The targets of the performance issue, each met or not, with the numbers.

use super::{OUR_VARIANTS, OURS, Results, Row, index_of, ratio};
use crate::memory::MEMORY_KEYS;

/// The outcome of one target.
pub(crate) struct Target {
    pub(crate) what: String,
    pub(crate) met: bool,
    pub(crate) numbers: String,
}

/// "Our ratio to X is at least `bound` on `rows`", listing every miss.
fn ratio_target(
    results: &Results,
    what: String,
    rows: &[&Row],
    bound: f64,
    rival: impl Fn(&Row) -> Option<(usize, f64)>,
) -> Target {
    if rows.is_empty() {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    }
    let mut misses = Vec::new();
    let mut worst: Option<(f64, String)> = None;
    for row in rows {
        let (Some(ours), Some((i, theirs))) = (row.mops[OURS], rival(row)) else {
            continue;
        };
        let r = ours / theirs;
        let line = format!(
            "{} @{}t: {} ({:.2} vs {} {:.2})",
            row.workload,
            row.threads,
            ratio(r),
            ours,
            results.contenders[i],
            theirs
        );
        if worst.as_ref().is_none_or(|(w, _)| r < *w) {
            worst = Some((r, line.clone()));
        }
        if r < bound {
            misses.push(line);
        }
    }
    let numbers = if misses.is_empty() {
        format!(
            "all {} cells met; lowest: {}",
            rows.len(),
            worst.map_or_else(String::new, |(_, l)| l)
        )
    } else {
        format!(
            "{} of {} cells missed: {}",
            misses.len(),
            rows.len(),
            misses.join("; ")
        )
    };
    Target {
        what,
        met: misses.is_empty(),
        numbers,
    }
}

pub(crate) fn targets(results: &Results) -> Vec<Target> {
    let all: Vec<&Row> = results.rows.iter().collect();
    let seed = index_of(results, "masstree 0.9.5");
    let skip = index_of(results, "SkipMap");
    let congee = index_of(results, "congee");
    let btrees = [
        index_of(results, "RwLock<BTreeMap>"),
        index_of(results, "Mutex<BTreeMap>"),
    ];
    let pick = |i: usize| move |row: &Row| row.mops[i].map(|m| (i, m));
    let short_lookups: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.threads == 1 && (r.id == "lookup_8B" || r.id == "lookup_16B"))
        .collect();
    let zipf50: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "zipf_50_50")
        .collect();
    let seq: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "insert_sequential")
        .collect();
    let range_scans: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| r.id == "range_100_fwd" || r.id == "range_100_rev")
        .collect();
    let mut out = vec![
        ratio_target(
            results,
            "every workload >= 1.0x the best peer".to_owned(),
            &all,
            1.0,
            Row::best_peer,
        ),
        ratio_target(
            results,
            "every workload >= 1.3x masstree 0.9.5".to_owned(),
            &all,
            1.3,
            pick(seed),
        ),
        ratio_target(
            results,
            "single-threaded 8/16-byte lookups >= 1.0x BTreeMap (the faster of RwLock/Mutex<BTreeMap>)"
                .to_owned(),
            &short_lookups,
            1.0,
            |row| {
                btrees
                    .iter()
                    .filter_map(|&i| row.mops[i].map(|m| (i, m)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
            },
        ),
        ratio_target(
            results,
            "Zipfian 50/50 >= 1.0x SkipMap".to_owned(),
            &zipf50,
            1.0,
            pick(skip),
        ),
        ratio_target(
            results,
            "sequential inserts >= congee".to_owned(),
            &seq,
            1.0,
            pick(congee),
        ),
        ratio_target(
            results,
            "100-key range scans: at least 1.5x RwLock<BTreeMap>".to_owned(),
            &range_scans,
            1.5,
            pick(btrees[0]),
        ),
    ];
    out.push(memory_target(results));
    out.push(batch_target(results));
    out.push(pin_cost_target(results));
    out
}

/// Per-operation pinning keeps at least this fraction of a held guard's throughput.
const PIN_EACH_FLOOR: f64 = 0.75;

fn pin_cost_target(results: &Results) -> Target {
    let what = format!(
        "`pin()` per operation >= {PIN_EACH_FLOOR}x a held guard (boxed values, cache-resident)"
    );
    let Some(c) = results.pin_cost else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    let (get, update) = c.ratios();
    Target {
        what,
        met: get >= PIN_EACH_FLOOR && update >= PIN_EACH_FLOOR,
        numbers: format!(
            "{} keys, 1 thread: get {:.2} vs {:.2} Mops/s ({}), update {:.2} vs {:.2} Mops/s ({})",
            c.keys,
            c.get_each,
            c.get_held,
            ratio(get),
            c.update_each,
            c.update_held,
            ratio(update)
        ),
    }
}

fn batch_target(results: &Results) -> Target {
    let what = "pipelined batch lookup (`get_many`) >= 2x single lookups on 10M keys".to_owned();
    let Some(b) = results.batch else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    Target {
        what,
        met: b.speedup() >= 2.0 && b.keys >= 10_000_000,
        numbers: format!(
            "{} keys, 8 B, 1 thread: get_many {:.2} Mops/s vs get {:.2} Mops/s ({})",
            b.keys,
            b.batched,
            b.single,
            ratio(b.speedup())
        ),
    }
}

fn memory_target(results: &Results) -> Target {
    let what = "memory per key <= the smallest peer".to_owned();
    let Some(ours) = results.memory.first() else {
        return Target {
            what,
            met: false,
            numbers: "not measured in this run".to_owned(),
        };
    };
    let mut met = true;
    let mut parts = Vec::new();
    for (k, kind) in MEMORY_KEYS.iter().enumerate() {
        let smallest = results
            .memory
            .iter()
            .skip(OUR_VARIANTS)
            .filter_map(|row| row.bytes_per_key[k].map(|b| (row.name, b)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let (Some(mine), Some((name, theirs))) = (ours.bytes_per_key[k], smallest) else {
            continue;
        };
        met &= mine <= theirs;
        parts.push(format!(
            "{} B keys: {mine:.1} B/key vs {name} {theirs:.1} B/key ({})",
            kind.key_len(),
            ratio(mine / theirs)
        ));
    }
    Target {
        what,
        met,
        numbers: parts.join("; "),
    }
}
