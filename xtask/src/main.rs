//! Project automation for the masstree workspace, run as `cargo xtask`.
//!
//! `cargo xtask verify` is the one command CI runs; see [`USAGE`] for the
//! rest. This file parses the command line and dispatches.

mod process;
mod steps;
mod toolchain;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use steps::Step;
use verify::Plan;

/// The help text, printed by `cargo xtask help` and on usage errors.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  verify     run every CI check in order, stopping at the first failure:
               fmt     cargo fmt --all --check
               clippy  cargo clippy --workspace --all-targets --all-features -- -D warnings
               test    cargo test --workspace --release --all-features
               stress  cargo test --release --workspace --all-features -- --ignored
               examples  cargo run --release --example <name> for every facade example
               loom    cargo test --release -p <crate> --test loom  (--cfg loom)
               miri    cargo +nightly miri test -p <crate>  (installs miri if missing)
             options:
               --skip <steps>  comma-separated steps to skip, e.g. --skip miri,loom
               --only <steps>  run only these steps, e.g. --only clippy
  loom       run only the loom step
  miri       run only the miri step
  bench      run every map side by side and write docs/benchmarks.md and .svg:
               cargo run --release -p masstree-benches --bin throughput -- <options>
             options (passed through):
               --quick            ~0.3 s per cell, 200k keys (default: ~2 s, 1M keys)
               --threads <list>   thread counts, e.g. --threads 1,2,4,8 (default 1,2)
               --filter <text>    only workloads whose name or id contains it
               --runs <n>, --seconds <s>, --keys <n>, --memory-keys <n>, --no-write
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
        Err(message) => {
            eprintln!("error: {message}\n");
            eprint!("{USAGE}");
            ExitCode::from(2)
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

/// Parses the arguments after `cargo xtask`.
fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    match command.as_str() {
        "help" | "-h" | "--help" => no_options(command, rest).map(|()| Command::Help),
        "bench" => Ok(Command::Bench(rest.to_vec())),
        "loom" => no_options(command, rest).map(|()| Command::Steps("loom", only(&[Step::Loom]))),
        "miri" => no_options(command, rest).map(|()| Command::Steps("miri", only(&[Step::Miri]))),
        "verify" => parse_verify(rest).map(|plan| Command::Steps("verify", plan)),
        other => Err(format!("unknown command `{other}`")),
    }
}

/// Fails if a command that takes no options got some.
fn no_options(command: &str, rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(arg) => Err(format!("`{command}` takes no arguments, got `{arg}`")),
    }
}

/// A plan that runs exactly these steps.
fn only(steps: &[Step]) -> Vec<(Step, Plan)> {
    steps.iter().map(|&step| (step, Plan::Run)).collect()
}

/// Parses `verify`'s options into the plan of steps.
fn parse_verify(args: &[String]) -> Result<Vec<(Step, Plan)>, String> {
    let mut skip = Vec::new();
    let mut only_steps: Option<Vec<Step>> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        if flag != "--skip" && flag != "--only" {
            return Err(format!("unknown option `{arg}` for `verify`"));
        }
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a comma-separated list of steps"))?,
        };
        let steps = parse_steps(&value)?;
        if flag == "--skip" {
            skip.extend(steps);
        } else {
            only_steps.get_or_insert_with(Vec::new).extend(steps);
        }
    }
    if only_steps.is_some() && !skip.is_empty() {
        return Err("use either `--skip` or `--only`, not both".to_owned());
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
fn parse_steps(list: &str) -> Result<Vec<Step>, String> {
    let names: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        return Err("empty list of steps".to_owned());
    }
    names
        .into_iter()
        .map(|name| {
            Step::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Step::ALL.iter().map(|step| step.name()).collect();
                format!("unknown step `{name}` (steps: {})", known.join(", "))
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
                "fmt", "clippy", "test", "stress", "examples", "loom", "miri"
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
    fn rejects_bad_input() {
        for line in [
            "",
            "frobnicate",
            "verify --skip",
            "verify --skip nope",
            "verify --fast",
            "verify --skip fmt --only test",
            "miri extra",
        ] {
            assert!(parse(&args(line)).is_err(), "`{line}` should fail");
        }
    }
}
