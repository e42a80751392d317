//! Running a list of steps in order: headers, timing, the stop at the first
//! failure, the summary table and the closing line CI parses.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::steps::Step;

/// What a run does with one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Run the step.
    Run,
    /// Skip it on request (`--skip`); reported loudly.
    Skip,
}

/// How a planned step ended.
enum Outcome {
    /// It succeeded after this long.
    Passed(Duration),
    /// It failed after this long.
    Failed(Duration),
    /// It was skipped on request.
    Skipped,
    /// An earlier step failed, so it never started.
    NotRun,
}

/// Runs the planned steps in order from `root`, stopping at the first
/// failure, then prints the summary table and the closing line
/// `<label>: N passed, F failed`.
pub fn run(label: &str, plan: &[(Step, Plan)], root: &Path) -> ExitCode {
    for (step, _) in plan.iter().filter(|(_, plan)| *plan == Plan::Skip) {
        banner(&format!("SKIPPED: {} (requested with --skip)", step.name()));
    }

    let to_run = plan.iter().filter(|(_, plan)| *plan == Plan::Run).count();
    let mut outcomes = Vec::with_capacity(plan.len());
    let mut failed = false;
    let mut index = 0;
    for &(step, plan) in plan {
        if plan == Plan::Skip {
            outcomes.push((step, Outcome::Skipped));
            continue;
        }
        if failed {
            outcomes.push((step, Outcome::NotRun));
            continue;
        }
        index += 1;
        println!();
        println!(
            "==> [{index}/{to_run}] {}: {}",
            step.name(),
            step.description()
        );
        let start = Instant::now();
        let result = step.run(root);
        let took = start.elapsed();
        match result {
            Ok(()) => {
                println!("<== {} passed in {:.1}s", step.name(), took.as_secs_f64());
                outcomes.push((step, Outcome::Passed(took)));
            }
            Err(failure) => {
                eprintln!();
                eprintln!(
                    "error: step `{}` failed after {:.1}s: {}",
                    step.name(),
                    took.as_secs_f64(),
                    failure.message
                );
                eprintln!("{}", failure.hint);
                outcomes.push((step, Outcome::Failed(took)));
                failed = true;
            }
        }
    }

    print_summary(label, &outcomes);
    let passed = outcomes
        .iter()
        .filter(|(_, outcome)| matches!(outcome, Outcome::Passed(_)))
        .count();
    let failures = usize::from(failed);
    println!("{label}: {passed} passed, {failures} failed");
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a message framed so it stands out in a long log.
fn banner(message: &str) {
    let rule = "!".repeat(message.len() + 8);
    println!("{rule}");
    println!("!!! {message} !!!");
    println!("{rule}");
}

/// Prints one row per planned step: name, result, time.
fn print_summary(label: &str, outcomes: &[(Step, Outcome)]) {
    println!();
    println!("{label} summary:");
    println!("  {:<8} {:<8} {:>8}", "step", "result", "time");
    let mut total = Duration::ZERO;
    for (step, outcome) in outcomes {
        let (result, took) = match outcome {
            Outcome::Passed(took) => ("ok", Some(*took)),
            Outcome::Failed(took) => ("FAILED", Some(*took)),
            Outcome::Skipped => ("SKIPPED", None),
            Outcome::NotRun => ("not run", None),
        };
        let time = took.map_or_else(
            || "-".to_owned(),
            |took| format!("{:.1}s", took.as_secs_f64()),
        );
        total += took.unwrap_or_default();
        println!("  {:<8} {result:<8} {time:>8}", step.name());
    }
    println!(
        "  {:<8} {:<8} {:>8}",
        "total",
        "",
        format!("{:.1}s", total.as_secs_f64())
    );
}
