//! The verification steps: what each one runs.

use std::path::Path;
use std::process::Command;

use crate::harden;
use crate::process::{self, Failure};
use crate::toolchain;

/// Crates with a `tests/loom.rs` model-checking suite, run under `--cfg loom`.
pub const LOOM_CRATES: &[&str] = &["masstree-node", "masstree-core", "olc-btree"];

/// Crates whose tests run under miri.
pub const MIRI_CRATES: &[&str] = &["masstree-key", "masstree-node", "masstree", "olc-btree"];

/// Preemption bound for loom: deep enough to catch ordering bugs, small
/// enough to finish in CI.
const LOOM_MAX_PREEMPTIONS: &str = "2";

/// The facade's examples, with their arguments, run by the `examples` step (each must exit 0;
/// they assert their own results). Sizes are cut so the step takes seconds.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    ("quick_start", &[]),
    ("concurrent_cache", &[]),
    ("secondary_index", &[]),
    ("parallel_load", &["200000"]),
    ("batch_lookup", &["200000"]),
];

/// Proptest cases per property under miri, which is slow.
const MIRI_PROPTEST_CASES: &str = "2";

/// Miri flags: strict provenance catches integer-to-pointer casts.
const MIRI_FLAGS: &str = "-Zmiri-strict-provenance";

/// One step of `cargo xtask verify`, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `cargo fmt --all --check`.
    Fmt,
    /// `cargo clippy --workspace --all-targets -- -D warnings`.
    Clippy,
    /// `cargo test --workspace --release` (release: the concurrent tests need the speed, and
    /// the stress step reuses the build).
    Test,
    /// The `#[ignore]`d long stress tests, in release.
    Stress,
    /// Every example of the facade, run to completion.
    Examples,
    /// A short linearizability run ([`harden::VERIFY_LINCHECK`]).
    Lincheck,
    /// A short soak run ([`harden::VERIFY_SOAK`]).
    Soak,
    /// The differential fuzz target for [`harden::VERIFY_FUZZ_SECONDS`].
    Fuzz,
    /// AddressSanitizer over the facade's concurrent, drop and reclamation suites (nightly).
    Asan,
    /// Loom model checking of [`LOOM_CRATES`].
    Loom,
    /// Miri on [`MIRI_CRATES`].
    Miri,
}

impl Step {
    /// Every step, in run order.
    pub const ALL: [Step; 11] = [
        Step::Fmt,
        Step::Clippy,
        Step::Test,
        Step::Stress,
        Step::Examples,
        Step::Lincheck,
        Step::Soak,
        Step::Fuzz,
        Step::Asan,
        Step::Loom,
        Step::Miri,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Test => "test",
            Step::Stress => "stress",
            Step::Examples => "examples",
            Step::Lincheck => "lincheck",
            Step::Soak => "soak",
            Step::Fuzz => "fuzz",
            Step::Asan => "asan",
            Step::Loom => "loom",
            Step::Miri => "miri",
        }
    }

    /// The step with this name, if any.
    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }

    /// A one-line description for the step header.
    pub fn description(self) -> &'static str {
        match self {
            Step::Fmt => "formatting (cargo fmt --all --check)",
            Step::Clippy => {
                "lints (cargo clippy --workspace --all-targets --all-features -- -D warnings)"
            }
            Step::Test => "tests, release (cargo test --workspace --release --all-features)",
            Step::Stress => {
                "ignored stress tests, release (cargo test --release --workspace --all-features -- --ignored)"
            }
            Step::Examples => "examples, release (cargo run --release --example <name>)",
            Step::Lincheck => {
                "linearizability of short concurrent histories (lincheck --histories 50000)"
            }
            Step::Soak => {
                "mixed workload with structural checks and a memory ceiling (soak --seconds 40)"
            }
            Step::Fuzz => {
                "differential fuzzing against BTreeMap, 60 s (cargo +nightly fuzz run differential)"
            }
            Step::Asan => {
                "AddressSanitizer over the concurrent, drop and reclamation tests (cargo xtask sanitize address)"
            }
            Step::Loom => "loom model checking (cargo test --release -p <crate> --test loom)",
            Step::Miri => "miri (cargo +nightly miri test -p <crate>)",
        }
    }

    /// Runs the step from the workspace root.
    pub fn run(self, root: &Path) -> Result<(), Failure> {
        match self {
            Step::Fmt => cargo(root, &["fmt", "--all", "--check"]),
            Step::Clippy => cargo(
                root,
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            Step::Test => cargo(
                root,
                &["test", "--workspace", "--release", "--all-features"],
            ),
            Step::Stress => cargo(
                root,
                &[
                    "test",
                    "--release",
                    "--workspace",
                    "--all-features",
                    "--",
                    "--ignored",
                ],
            ),
            Step::Examples => examples(root),
            Step::Lincheck => harden::harness(root, "lincheck", harden::VERIFY_LINCHECK),
            Step::Soak => harden::harness(root, "soak", harden::VERIFY_SOAK),
            Step::Fuzz => harden::fuzz(root, harden::VERIFY_FUZZ_SECONDS),
            Step::Asan => harden::sanitize(root, &[harden::Sanitizer::Address]),
            Step::Loom => loom(root),
            Step::Miri => miri(root),
        }
    }
}

/// Runs `cargo <args>` with the xtask's own toolchain.
fn cargo(root: &Path, args: &[&str]) -> Result<(), Failure> {
    process::run(process::cargo(root).args(args))
}

/// Runs every example in [`EXAMPLES`] in release, with every feature of the facade.
fn examples(root: &Path) -> Result<(), Failure> {
    for (name, args) in EXAMPLES {
        println!("example {name} {}", args.join(" "));
        let mut cmd = process::cargo(root);
        cmd.args([
            "run",
            "--quiet",
            "--release",
            "--manifest-path",
            "crates/masstree/Cargo.toml",
            "--all-features",
            "--example",
            name,
            "--",
        ])
        .args(*args);
        process::run(&mut cmd)?;
    }
    Ok(())
}

/// Runs each loom crate's `tests/loom.rs` under `--cfg loom`, in its own
/// target directory so the cfg change leaves the normal build cache alone.
fn loom(root: &Path) -> Result<(), Failure> {
    for krate in LOOM_CRATES {
        let suite = root
            .join("crates")
            .join(krate)
            .join("tests")
            .join("loom.rs");
        if !suite.is_file() {
            println!("loom: skipping {krate}: it has no tests/loom.rs");
            continue;
        }
        let mut cmd = process::cargo(root);
        cmd.args(["test", "--release", "-p", krate, "--test", "loom"])
            .env("LOOM_MAX_PREEMPTIONS", LOOM_MAX_PREEMPTIONS)
            .env("CARGO_TARGET_DIR", root.join("target").join("loom"));
        process::append_env(&mut cmd, "RUSTFLAGS", "--cfg loom");
        process::run(&mut cmd)?;
    }
    Ok(())
}

/// Sets up nightly and miri, then runs each miri crate's tests under miri.
fn miri(root: &Path) -> Result<(), Failure> {
    toolchain::ensure_miri(root)?;
    for krate in MIRI_CRATES {
        let mut cmd: Command = process::nightly_cargo(root);
        cmd.args(["miri", "test", "-p", krate])
            .env("PROPTEST_CASES", MIRI_PROPTEST_CASES)
            .env("CARGO_TARGET_DIR", root.join("target").join("miri"));
        process::append_env(&mut cmd, "MIRIFLAGS", MIRI_FLAGS);
        process::run(&mut cmd)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.name()), Some(step));
        }
        assert_eq!(Step::from_name("bench"), None);
    }
}
