//! `lincheck [--histories N] [--seed S] [--threads T] [--ops O]`: short concurrent histories on
//! a hot key set, each checked for linearizability. Run by `cargo xtask lincheck`.

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

fn parse() -> Result<Config, lexopt::Error> {
    use lexopt::prelude::*;
    let mut config = Config::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("histories") => config.histories = parser.value()?.parse()?,
            Long("seed") => config.seed = parser.value()?.parse()?,
            Long("threads") => config.threads = parser.value()?.parse()?,
            Long("ops") => config.ops_per_thread = parser.value()?.parse()?,
            _ => return Err(arg.unexpected()),
        }
    }
    if config.threads == 0 || config.threads * config.ops_per_thread > 100 {
        return Err("need 1.. threads and at most 100 operations per history".into());
    }
    Ok(config)
}
