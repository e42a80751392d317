//! Project automation for the masstree workspace, run as `cargo xtask`.
//!
//! `cargo xtask verify` is the one command CI runs; see [`USAGE`] for the
//! rest. This file parses the command line and dispatches.

mod harden;
mod process;
mod steps;
mod toolchain;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use harden::Sanitizer;
use steps::Step;
use verify::Plan;

/// The help text, printed by `cargo xtask help` and on usage errors.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  verify     run every CI check in order, stopping at the first failure:
               fmt     cargo fmt --all --check
               clippy  cargo clippy --workspace --all-targets --all-features -- -D warnings
               package cargo package --workspace --exclude <unpublished> --locked --allow-dirty
                         (in a fresh target/package-check)
               test    cargo test --workspace --release --all-features
               stress  cargo test --release --workspace --all-features -- --ignored
               examples  cargo run --release --example <name> for every facade example
               lincheck  cargo xtask lincheck --histories 50000
               soak      cargo xtask soak --seconds 40 --max-rss-mib 512
               fuzz      cargo xtask fuzz --seconds 60
               asan      cargo xtask sanitize address  (nightly; installs rust-src if missing)
               loom    cargo test --release -p <crate> --test loom  (--cfg loom)
               miri    cargo +nightly miri test -p <crate>  (installs miri if missing)
             options:
               --skip <steps>  comma-separated steps to skip, e.g. --skip miri,loom
               --only <steps>  run only these steps, e.g. --only clippy
  loom       run only the loom step
  miri       run only the miri step
  lincheck   run short concurrent histories of get/insert/remove/update on a hot key set and
             check each is linearizable (cargo run --release -p masstree-harden --bin lincheck)
             options: --histories <n> (default 20000), --seed <s>, --threads <t>, --ops <o>
  soak       run a mixed workload, checking the whole tree between phases and a memory ceiling
             (cargo run --release -p masstree-harden --bin soak)
             options: --minutes <n> | --seconds <n> (default 60 s), --max-rss-mib <m>
               (default 1024), --threads <t>, --seed <s>
  fuzz       run the differential fuzz target (map vs BTreeMap) with cargo-fuzz on nightly,
             installing cargo-fuzz if missing; new inputs go to target/fuzz-corpus
             options: --seconds <n> (default 60)
  sanitize   run the facade's concurrent and drop-accounting tests under sanitizers on nightly
             with -Zbuild-std (installs rust-src if missing); verify runs `address`
             arguments: any of thread, address, leak (default: all three)
  bench      run every map side by side and write docs/benchmarks.md and .svg:
               cargo run --release -p masstree-benches --bin throughput -- <options>
             options (passed through):
               --quick              ~0.3 s per cell, 200k keys, 2M DRAM-family keys
                                      (default: ~2 s, 1M keys, 10M)
               --threads <list>     thread counts, e.g. --threads 1,2,4,8 (default 1,2)
               --filter <text>      only workloads whose name or id contains it
               --contender <text>   only maps whose name contains it (the others show n/a)
               --seconds <s>        time per cell
               --keys <n>           keys per workload (`_` separators allowed)
               --dram-keys <n>      keys of the DRAM-bound family (`DRAM: ...` workloads;
                                      0: skip; default 10M, 2M with --quick)
               --runs <n>           runs per cell, the median is reported (default 3)
               --memory-keys <n>    keys for the memory-per-key table (0: skip; default 1M)
               --batch-keys <n>     keys for the get_many measurement (0: skip; default 10M)
               --out-dir <dir>      where benchmarks.md and .svg go (default docs)
               --no-write           print the report, write nothing
  help       print this help
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    /// Run these steps; the label names the command in the report.
    Steps(&'static str, Vec<(Step, Plan)>),
    /// Print the usage text.
    Help,
    /// Run the throughput runner with these arguments.
    Bench(Vec<String>),
    /// Run a harness binary (`lincheck` or `soak`) with these arguments.
    Harness(&'static str, Vec<String>),
    /// Run the fuzz target this many seconds.
    Fuzz(u64),
    /// Run these sanitizers.
    Sanitize(Vec<Sanitizer>),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Bench(rest)) => bench(&workspace_root(), &rest),
        Ok(Command::Steps(label, plan)) => verify::run(label, &plan, &workspace_root()),
        Ok(Command::Harness(bin, rest)) => {
            let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
            report(bin, harden::harness(&workspace_root(), bin, &rest))
        }
        Ok(Command::Fuzz(seconds)) => report("fuzz", harden::fuzz(&workspace_root(), seconds)),
        Ok(Command::Sanitize(which)) => {
            report("sanitize", harden::sanitize(&workspace_root(), &which))
        }
        Err(message) => {
            eprintln!("error: {message}\n");
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Prints how a single command ended and turns it into the exit code.
fn report(label: &str, result: Result<(), process::Failure>) -> ExitCode {
    match result {
        Ok(()) => {
            println!("{label}: passed");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {label} failed: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the throughput runner in release mode, passing `args` through; it writes
/// `docs/benchmarks.md` and `docs/benchmarks.svg`.
fn bench(root: &Path, args: &[String]) -> ExitCode {
    let mut cmd = process::cargo(root);
    cmd.args([
        "run",
        "--release",
        "-p",
        "masstree-benches",
        "--bin",
        "throughput",
        "--",
    ])
    .args(args);
    match process::run(&mut cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Parses the arguments after `cargo xtask` (with lexopt, the workspace's one parser; the
/// pass-through commands hand the rest to their runner, which parses it with lexopt too).
fn parse(args: &[String]) -> Result<Command, String> {
    parse_with(args).map_err(|e| e.to_string())
}

fn parse_with(args: &[String]) -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next()? {
        None => return Err("no command given".into()),
        Some(Short('h') | Long("help")) => "help".to_owned(),
        Some(Value(command)) => command.string()?,
        Some(other) => return Err(other.unexpected()),
    };
    let rest = |parser: &mut lexopt::Parser| -> Result<Vec<String>, lexopt::Error> {
        parser
            .raw_args()?
            .map(|arg| arg.into_string().map_err(lexopt::Error::NonUnicodeValue))
            .collect()
    };
    let none = |parser: &mut lexopt::Parser| -> Result<(), lexopt::Error> {
        match parser.next()? {
            None => Ok(()),
            Some(arg) => Err(arg.unexpected()),
        }
    };
    Ok(match command.as_str() {
        "help" => none(&mut parser).map(|()| Command::Help)?,
        "bench" => Command::Bench(rest(&mut parser)?),
        "loom" => none(&mut parser).map(|()| Command::Steps("loom", only(&[Step::Loom])))?,
        "miri" => none(&mut parser).map(|()| Command::Steps("miri", only(&[Step::Miri])))?,
        "verify" => Command::Steps("verify", parse_verify(&mut parser)?),
        "lincheck" => Command::Harness("lincheck", rest(&mut parser)?),
        "soak" => Command::Harness("soak", rest(&mut parser)?),
        "fuzz" => Command::Fuzz(parse_fuzz(&mut parser)?),
        "sanitize" => Command::Sanitize(parse_sanitize(&mut parser)?),
        other => return Err(format!("unknown command `{other}`").into()),
    })
}

/// Parses `fuzz [--seconds N]`.
fn parse_fuzz(parser: &mut lexopt::Parser) -> Result<u64, lexopt::Error> {
    use lexopt::prelude::*;
    let mut seconds = harden::VERIFY_FUZZ_SECONDS;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("seconds") => seconds = parser.value()?.parse()?,
            _ => return Err(arg.unexpected()),
        }
    }
    if seconds == 0 {
        return Err("`--seconds` needs a positive number".into());
    }
    Ok(seconds)
}

/// Parses `sanitize [thread|address|leak]...` (none: all of them).
fn parse_sanitize(parser: &mut lexopt::Parser) -> Result<Vec<Sanitizer>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut chosen = Vec::new();
    while let Some(arg) = parser.next()? {
        let Value(name) = arg else {
            return Err(arg.unexpected());
        };
        let name = name.string()?;
        chosen.push(Sanitizer::from_name(&name).ok_or_else(|| {
            format!("unknown sanitizer `{name}` (sanitizers: thread, address, leak)")
        })?);
    }
    Ok(if chosen.is_empty() {
        Sanitizer::ALL.to_vec()
    } else {
        chosen
    })
}

/// A plan that runs exactly these steps.
fn only(steps: &[Step]) -> Vec<(Step, Plan)> {
    steps.iter().map(|&step| (step, Plan::Run)).collect()
}

/// Parses `verify`'s options into the plan of steps.
fn parse_verify(parser: &mut lexopt::Parser) -> Result<Vec<(Step, Plan)>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut skip = Vec::new();
    let mut only_steps: Option<Vec<Step>> = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("skip") => skip.extend(parse_steps(&parser.value()?.string()?)?),
            Long("only") => only_steps
                .get_or_insert_with(Vec::new)
                .extend(parse_steps(&parser.value()?.string()?)?),
            _ => return Err(arg.unexpected()),
        }
    }
    if only_steps.is_some() && !skip.is_empty() {
        return Err("use either `--skip` or `--only`, not both".into());
    }
    let plan = Step::ALL
        .into_iter()
        .filter(|step| only_steps.as_ref().is_none_or(|only| only.contains(step)))
        .map(|step| {
            let plan = if skip.contains(&step) {
                Plan::Skip
            } else {
                Plan::Run
            };
            (step, plan)
        })
        .collect();
    Ok(plan)
}

/// Parses a comma-separated list of step names.
fn parse_steps(list: &str) -> Result<Vec<Step>, lexopt::Error> {
    let names: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        return Err("empty list of steps".into());
    }
    names
        .into_iter()
        .map(|name| {
            Step::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Step::ALL.iter().map(|step| step.name()).collect();
                format!("unknown step `{name}` (steps: {})", known.join(", ")).into()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn planned(line: &str) -> Vec<(&'static str, Plan)> {
        match parse(&args(line)) {
            Ok(Command::Steps(_, plan)) => plan
                .into_iter()
                .map(|(step, plan)| (step.name(), plan))
                .collect(),
            other => panic!("`{line}` parsed to {other:?}"),
        }
    }

    #[test]
    fn verify_runs_all_steps_in_order() {
        let names: Vec<_> = planned("verify").into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "fmt", "clippy", "package", "test", "stress", "examples", "lincheck", "soak",
                "fuzz", "asan", "loom", "miri"
            ]
        );
    }

    #[test]
    fn skip_marks_steps_skipped() {
        for line in ["verify --skip miri,loom", "verify --skip=miri --skip loom"] {
            let plan = planned(line);
            assert!(plan.contains(&("miri", Plan::Skip)), "{line}");
            assert!(plan.contains(&("loom", Plan::Skip)), "{line}");
            assert!(plan.contains(&("fmt", Plan::Run)), "{line}");
        }
    }

    #[test]
    fn only_keeps_one_step() {
        assert_eq!(planned("verify --only clippy"), [("clippy", Plan::Run)]);
        assert_eq!(planned("miri"), [("miri", Plan::Run)]);
    }

    #[test]
    fn bench_passes_its_arguments_through() {
        assert_eq!(
            parse(&args("bench --quick --threads 1,2")),
            Ok(Command::Bench(args("--quick --threads 1,2")))
        );
        assert_eq!(parse(&args("bench")), Ok(Command::Bench(Vec::new())));
    }

    #[test]
    fn hardening_commands_parse() {
        assert_eq!(
            parse(&args("lincheck --seed 3")),
            Ok(Command::Harness("lincheck", args("--seed 3")))
        );
        assert_eq!(
            parse(&args("soak --minutes 5")),
            Ok(Command::Harness("soak", args("--minutes 5")))
        );
        assert_eq!(parse(&args("fuzz")), Ok(Command::Fuzz(60)));
        assert_eq!(parse(&args("fuzz --seconds 5")), Ok(Command::Fuzz(5)));
        assert_eq!(parse(&args("fuzz --seconds=7")), Ok(Command::Fuzz(7)));
        assert_eq!(
            parse(&args("sanitize")),
            Ok(Command::Sanitize(Sanitizer::ALL.to_vec()))
        );
        assert_eq!(
            parse(&args("sanitize leak thread")),
            Ok(Command::Sanitize(vec![Sanitizer::Leak, Sanitizer::Thread]))
        );
    }

    #[test]
    fn rejects_bad_input() {
        for line in [
            "",
            "frobnicate",
            "verify --skip",
            "verify --skip nope",
            "verify --fast",
            "verify --skip fmt --only test",
            "miri extra",
            "fuzz --seconds",
            "fuzz --seconds 0",
            "fuzz --minutes 1",
            "sanitize memory",
        ] {
            assert!(parse(&args(line)).is_err(), "`{line}` should fail");
        }
    }
}
