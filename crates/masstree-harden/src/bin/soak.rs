//! `soak --minutes N | --seconds N [--max-rss-mib M] [--threads T] [--seed S]`: a mixed
//! workload with structural and content checks between phases and a memory ceiling. Run by
//! `cargo xtask soak`.

use masstree_harden::args::Args;
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

fn parse() -> Result<Config, String> {
    let mut args = Args::parse(std::env::args().skip(1))?;
    let default = Config::default();
    let seconds = if args.has("minutes") {
        args.number("minutes", 1)? * 60
    } else {
        args.number("seconds", default.duration.as_secs())?
    };
    let config = Config {
        duration: Duration::from_secs(seconds),
        phase: default.phase.min(Duration::from_secs(seconds.max(1))),
        threads: args.number("threads", default.threads as u64)? as usize,
        max_rss_mib: args.number("max-rss-mib", default.max_rss_mib)?,
        seed: args.number("seed", default.seed)?,
        ..default
    };
    args.finish()?;
    if config.threads == 0 || config.threads >= 64 {
        return Err("--threads must be 1..64".to_owned());
    }
    Ok(config)
}
