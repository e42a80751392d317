//! `soak --minutes N | --seconds N [--max-rss-mib M] [--threads T] [--seed S]`: a mixed
//! workload with structural and content checks between phases and a memory ceiling. Run by
//! `cargo xtask soak`.

use masstree_harden::soak::{self, Config};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let config = match parse() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "usage: soak --minutes N | --seconds N [--max-rss-mib M] [--threads T] [--seed S]"
            );
            return ExitCode::from(2);
        }
    };
    println!(
        "soak: {:.0?} with {} threads, phases of {:.0?}, ceiling {} MiB, seed {}",
        config.duration, config.threads, config.phase, config.max_rss_mib, config.seed
    );
    match soak::run(&config) {
        Ok(report) => {
            println!("soak passed: {report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("SOAK FAILED: {message}");
            eprintln!(
                "rerun with the same --seed {} to replay the operation streams",
                config.seed
            );
            ExitCode::FAILURE
        }
    }
}

fn parse() -> Result<Config, lexopt::Error> {
    use lexopt::prelude::*;
    let mut config = Config::default();
    let mut seconds = config.duration.as_secs();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("minutes") => seconds = parser.value()?.parse::<u64>()? * 60,
            Long("seconds") => seconds = parser.value()?.parse()?,
            Long("threads") => config.threads = parser.value()?.parse()?,
            Long("max-rss-mib") => config.max_rss_mib = parser.value()?.parse()?,
            Long("seed") => config.seed = parser.value()?.parse()?,
            _ => return Err(arg.unexpected()),
        }
    }
    config.duration = Duration::from_secs(seconds);
    config.phase = config.phase.min(Duration::from_secs(seconds.max(1)));
    if config.threads == 0 || config.threads >= 64 {
        return Err("--threads must be 1..64".into());
    }
    Ok(config)
}
