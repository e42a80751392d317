//! The throughput runner behind `cargo xtask bench`: every contender side by side in one
//! process, each workload for a fixed time per cell, then `docs/benchmarks.md` and
//! `docs/benchmarks.svg`.
//!
//! ```text
//! throughput [--quick] [--threads 1,2] [--filter SUBSTRING] [--contender SUBSTRING]
//!            [--seconds S] [--keys N] [--dram-keys N] [--runs R] [--memory-keys N]
//!            [--batch-keys N] [--out-dir DIR] [--no-write]
//! ```
//!
//! The DRAM-bound family (`DRAM: ...` workloads) runs over `--dram-keys` keys, one loaded map
//! per key set and contender (`masstree_benches::dram`). Tail latency (2 threads, Zipfian
//! 50/50) runs whenever the filter selects `zipf_50_50`.
//!
//! `--contender` runs only the maps whose name contains the substring (the others show n/a),
//! which is what a profiler wants:
//!
//! ```text
//! perf record -g target/release/throughput --quick --filter "zipf 50/50" --contender "masstree" --no-write
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use masstree_benches::alloc_counter::CountingAlloc;
use masstree_benches::contenders::{Contender, Lineup, Visitor, for_each, names};
use masstree_benches::driver::{build, full_scans_for, median, preload, steady_median};
use masstree_benches::keys::KeySet;
use masstree_benches::report::{Context, Results, Row, chart, markdown};
use masstree_benches::workloads::{Preload, Shape, Workload, catalogue};
use masstree_benches::{batch, dram, machine, memory, pin_cost, tails};

/// Every contender allocates through this, so they all run on the same (system) allocator.
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const USAGE: &str = "usage: throughput [--quick] [--threads 1,2] [--filter SUBSTRING] \
[--contender SUBSTRING] [--seconds S] [--keys N] [--dram-keys N] [--runs R] [--memory-keys N] \
[--batch-keys N] [--out-dir DIR] [--no-write]";

/// What to run.
#[derive(Debug)]
struct Config {
    threads: Vec<usize>,
    cell: Duration,
    keys: usize,
    dram_keys: usize,
    runs: usize,
    memory_keys: usize,
    batch_keys: usize,
    filter: Option<String>,
    contender: Option<String>,
    out_dir: PathBuf,
    write: bool,
    args: Vec<String>,
}

fn parse(args: Vec<String>) -> Result<Config, String> {
    parse_with(args).map_err(|e| format!("{e}\n{USAGE}"))
}

fn parse_with(args: Vec<String>) -> Result<Config, lexopt::Error> {
    use lexopt::prelude::*;
    let quick = args.iter().any(|a| a == "--quick");
    let mut cfg = Config {
        threads: vec![1, 2],
        cell: Duration::from_millis(if quick { 300 } else { 2000 }),
        keys: if quick { 200_000 } else { 1_000_000 },
        dram_keys: if quick { 2_000_000 } else { 10_000_000 },
        runs: 3,
        memory_keys: 1_000_000,
        batch_keys: 10_000_000,
        filter: None,
        contender: None,
        out_dir: PathBuf::from("docs"),
        write: true,
        args: args.clone(),
    };
    // A count, `_` separators allowed (`--keys 10_000_000`).
    let count = |parser: &mut lexopt::Parser| -> Result<usize, lexopt::Error> {
        let text = parser.value()?.string()?;
        text.replace('_', "")
            .parse::<usize>()
            .map_err(|e| format!("`{text}`: {e}").into())
    };
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("quick") => {}
            Long("no-write") => cfg.write = false,
            Long("threads") => {
                cfg.threads = parser
                    .value()?
                    .string()?
                    .split(',')
                    .map(|t| t.trim().parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--threads: {e}"))?;
                if cfg.threads.is_empty() || cfg.threads.contains(&0) {
                    return Err("--threads needs positive counts".into());
                }
            }
            Long("filter") => cfg.filter = Some(parser.value()?.string()?),
            Long("contender") => cfg.contender = Some(parser.value()?.string()?),
            Long("seconds") => {
                cfg.cell = Duration::from_secs_f64(parser.value()?.parse::<f64>()?);
            }
            Long("keys") => cfg.keys = count(&mut parser)?.max(2),
            Long("dram-keys") => {
                cfg.dram_keys = match count(&mut parser)? {
                    0 => 0,
                    n => n.max(2),
                }
            }
            Long("runs") => cfg.runs = count(&mut parser)?.max(1),
            Long("memory-keys") => cfg.memory_keys = count(&mut parser)?,
            Long("batch-keys") => cfg.batch_keys = count(&mut parser)?,
            Long("out-dir") => cfg.out_dir = PathBuf::from(parser.value()?),
            Short('h') | Long("help") => return Err(USAGE.into()),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(cfg)
}

/// Runs one workload on every contender; `cells[t][c]` is millions of operations (of the
/// workload's unit: ops, scans, or keys read by full scans) per second at thread count `t`.
struct RunWorkload<'a> {
    workload: &'a Workload,
    keys: &'a KeySet,
    traces: &'a [Vec<Vec<u32>>],
    cfg: &'a Config,
    cells: Vec<Vec<Option<f64>>>,
}

impl Visitor for RunWorkload<'_> {
    fn visit<C: Contender>(&mut self) {
        let chosen = (self.cfg.contender.as_ref()).is_none_or(|c| C::NAME.contains(c.as_str()));
        if !chosen || !self.workload.runs_on::<C>() {
            for cells in &mut self.cells {
                cells.push(None);
            }
            return;
        }
        let started = Instant::now();
        let mut line = format!("  {:<18}", C::NAME);
        match self.workload.shape {
            Shape::Steady { preload: p, .. } => {
                let map = C::new();
                preload(&map, self.keys, p);
                for (t, traces) in self.traces.iter().enumerate() {
                    let m = steady_median(&map, self.keys, traces, self.cfg.runs, self.cfg.cell);
                    line += &format!(" {}t {m:>7.2}", traces.len());
                    self.cells[t].push(Some(m));
                }
            }
            Shape::Build => {
                for (t, &threads) in self.cfg.threads.iter().enumerate() {
                    let runs = (0..self.cfg.runs)
                        .map(|_| {
                            let (mut ops, mut time) = (0usize, Duration::ZERO);
                            while time < self.cfg.cell {
                                time += build::<C>(self.keys, threads);
                                ops += self.keys.count();
                            }
                            ops as f64 / time.as_secs_f64() / 1e6
                        })
                        .collect();
                    let m = median(runs);
                    line += &format!(" {threads}t {m:>7.2}");
                    self.cells[t].push(Some(m));
                }
            }
            Shape::FullScan => {
                let map = C::new();
                preload(&map, self.keys, Preload::All);
                for (t, &threads) in self.cfg.threads.iter().enumerate() {
                    let runs = (0..self.cfg.runs)
                        .map(|_| {
                            let (keys, time) = full_scans_for(&map, threads, self.cfg.cell);
                            keys as f64 / time.as_secs_f64() / 1e6
                        })
                        .collect();
                    let m = median(runs);
                    line += &format!(" {threads}t {m:>7.2}");
                    self.cells[t].push(Some(m));
                }
            }
        }
        eprintln!("{line}   ({:.1} s)", started.elapsed().as_secs_f64());
    }
}

fn main() -> ExitCode {
    let cfg = match parse(std::env::args().skip(1).collect()) {
        Ok(cfg) => cfg,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run through `cargo xtask bench` (release)");
    }
    let began = Instant::now();
    let selected: Vec<Workload> = catalogue()
        .into_iter()
        .filter(|w| {
            cfg.filter
                .as_ref()
                .is_none_or(|f| w.id.contains(f.as_str()) || w.name.contains(f.as_str()))
        })
        .filter(|w| !w.dram || cfg.dram_keys > 0)
        .collect();
    let (dram_workloads, workloads): (Vec<&Workload>, Vec<&Workload>) =
        selected.iter().partition(|w| w.dram);
    let contenders = names(Lineup::All);
    eprintln!(
        "{} workloads x {} contenders x threads {:?}, {:.1} s per cell, median of {}, {} keys \
         ({} DRAM-bound workloads over {} keys)",
        selected.len(),
        contenders.len(),
        cfg.threads,
        cfg.cell.as_secs_f64(),
        cfg.runs,
        cfg.keys,
        dram_workloads.len(),
        cfg.dram_keys
    );
    let mut rows = Vec::new();
    for (i, workload) in workloads.iter().enumerate() {
        eprintln!("[{}/{}] {}", i + 1, workloads.len(), workload.name);
        let keys = KeySet::new(workload.keys, cfg.keys);
        let traces: Vec<Vec<Vec<u32>>> = cfg
            .threads
            .iter()
            .map(|&t| workload.traces(keys.count(), t))
            .collect();
        let mut run = RunWorkload {
            workload,
            keys: &keys,
            traces: &traces,
            cfg: &cfg,
            cells: vec![Vec::new(); cfg.threads.len()],
        };
        for_each(Lineup::All, &mut run);
        for (t, mops) in run.cells.into_iter().enumerate() {
            rows.push(Row {
                workload: workload.name.clone(),
                id: workload.id.clone(),
                threads: cfg.threads[t],
                mops,
            });
        }
    }
    let dram = (!dram_workloads.is_empty()).then(|| {
        let plan = dram::Plan {
            workloads: dram_workloads,
            keys: cfg.dram_keys,
            threads: &cfg.threads,
            cell: cfg.cell,
            runs: cfg.runs,
            contender: cfg.contender.as_deref(),
        };
        let (family, family_rows) = dram::run(&plan);
        rows.extend(family_rows);
        family
    });
    let tails = selected.iter().find(|w| w.id == "zipf_50_50").map(|w| {
        eprintln!(
            "tail latency: {}, {} threads, {} keys, 1 op in {} timed",
            w.name,
            tails::THREADS,
            cfg.keys,
            tails::SAMPLE_EVERY
        );
        tails::measure_all(w, cfg.keys, cfg.cell, cfg.contender.as_deref())
    });
    let memory = if cfg.memory_keys > 0 {
        assert!(
            memory::counting_installed(),
            "the counting allocator is not installed"
        );
        eprintln!("memory per key, {} keys", cfg.memory_keys);
        memory::measure_all(cfg.memory_keys)
    } else {
        Vec::new()
    };
    let batch = (cfg.batch_keys > 0).then(|| {
        eprintln!("batch lookups (get_many vs get), {} keys", cfg.batch_keys);
        let b = batch::measure(cfg.batch_keys, 2_000_000, cfg.runs);
        eprintln!(
            "  get {:.2} Mops/s, get_many {:.2} Mops/s: {:.2}x",
            b.single,
            b.batched,
            b.speedup()
        );
        b
    });
    let pin_cost = (cfg.filter.is_none() && cfg.contender.is_none()).then(|| {
        eprintln!("pin() per operation vs a held guard, {} keys", cfg.keys);
        let c = pin_cost::measure(cfg.keys, 1_000_000, cfg.runs);
        let (get, update) = c.ratios();
        eprintln!("  get {get:.2}x, update {update:.2}x of a held guard");
        c
    });
    let results = Results {
        contenders,
        rows,
        dram,
        tails,
        memory,
        memory_keys: cfg.memory_keys,
        batch,
        pin_cost,
    };
    let ctx = Context {
        command: format!("cargo xtask bench {}", cfg.args.join(" "))
            .trim_end()
            .to_owned(),
        date: machine::utc_now(),
        machine: machine::describe(),
        rustc: machine::rustc(),
        commit: machine::commit(),
        settings: format!(
            "{} keys per workload ({}), {:.1} s per cell, median of {} runs, threads {:?}, {} \
             workloads; the run took {:.0} s, peak RSS {}",
            cfg.keys,
            if cfg.dram_keys > 0 {
                format!("{} in the DRAM-bound family", cfg.dram_keys)
            } else {
                "DRAM-bound family skipped".to_owned()
            },
            cfg.cell.as_secs_f64(),
            cfg.runs,
            cfg.threads,
            selected.len(),
            began.elapsed().as_secs_f64(),
            machine::peak_rss().map_or_else(
                || "unknown".to_owned(),
                |b| format!("{:.2} GiB", b as f64 / f64::from(1u32 << 30))
            )
        ),
    };
    let md = markdown(&results, &ctx, "benchmarks.svg");
    print!("{md}");
    if cfg.write {
        let svg = chart(&results);
        let written = std::fs::create_dir_all(&cfg.out_dir)
            .and_then(|()| std::fs::write(cfg.out_dir.join("benchmarks.md"), &md))
            .and_then(|()| std::fs::write(cfg.out_dir.join("benchmarks.svg"), svg));
        if let Err(err) = written {
            eprintln!(
                "could not write the report to {}: {err}",
                cfg.out_dir.display()
            );
            return ExitCode::FAILURE;
        }
        eprintln!(
            "wrote {0}/benchmarks.md and {0}/benchmarks.svg",
            cfg.out_dir.display()
        );
    }
    eprintln!("done in {:.0} s", began.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}
