//! `lincheck [--histories N] [--seed S] [--threads T] [--ops O]`: short concurrent histories on
//! a hot key set, each checked for linearizability. Run by `cargo xtask lincheck`.

use masstree_harden::args::Args;
use masstree_harden::lincheck::{self, Config};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let config = match parse() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("usage: lincheck [--histories N] [--seed S] [--threads T] [--ops O]");
            return ExitCode::from(2);
        }
    };
    println!(
        "lincheck: {} histories, {} threads x {} operations, seed {}",
        config.histories, config.threads, config.ops_per_thread, config.seed
    );
    let start = Instant::now();
    match lincheck::run(&config) {
        Ok(summary) => {
            println!(
                "lincheck: {} histories ({} operations, {} overlapping another thread's) linearizable, \
                 {} structural checks passed, in {:.1}s",
                summary.histories,
                summary.operations,
                summary.overlapping,
                summary.structure_checks,
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("LINEARIZABILITY VIOLATION\n{}", failure.report);
            eprintln!(
                "replay this history's operations (the interleaving may differ) with:\n  \
                 cargo xtask lincheck --seed {} --histories 1",
                failure.seed
            );
            ExitCode::FAILURE
        }
    }
}

fn parse() -> Result<Config, String> {
    let mut args = Args::parse(std::env::args().skip(1))?;
    let default = Config::default();
    let config = Config {
        histories: args.number("histories", default.histories)?,
        seed: args.number("seed", default.seed)?,
        threads: args.number("threads", default.threads as u64)? as usize,
        ops_per_thread: args.number("ops", default.ops_per_thread as u64)? as usize,
    };
    args.finish()?;
    if config.threads == 0 || config.threads * config.ops_per_thread > 100 {
        return Err("need 1.. threads and at most 100 operations per history".to_owned());
    }
    Ok(config)
}
