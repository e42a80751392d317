//! The hardening commands: `lincheck`, `soak`, `fuzz` and `sanitize`, and the short runs of the
//! first three that `verify` includes.

use std::path::Path;

use crate::process::{self, Failure};
use crate::toolchain;

/// The harness crate with the `lincheck` and `soak` binaries.
const HARDEN_CRATE: &str = "masstree-harden";

/// The cargo-fuzz target (in `fuzz/`), and its committed corpus.
pub const FUZZ_TARGET: &str = "differential";

/// Arguments of verify's short lincheck run (about 10 s on 2 cores).
pub const VERIFY_LINCHECK: &[&str] = &["--histories", "50000"];

/// Arguments of verify's short soak run.
pub const VERIFY_SOAK: &[&str] = &["--seconds", "40", "--max-rss-mib", "512"];

/// Seconds of verify's fuzz run.
pub const VERIFY_FUZZ_SECONDS: u64 = 60;

/// A sanitizer `cargo xtask sanitize` can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sanitizer {
    /// ThreadSanitizer over the concurrent tests.
    Thread,
    /// AddressSanitizer (with its leak checker) over the concurrent and single-thread tests.
    Address,
    /// LeakSanitizer over the drop-accounting tests.
    Leak,
}

impl Sanitizer {
    /// All of them, in the order `sanitize` with no argument runs them.
    pub const ALL: [Sanitizer; 3] = [Sanitizer::Thread, Sanitizer::Address, Sanitizer::Leak];

    /// The name on the command line and in `-Zsanitizer=`.
    pub fn name(self) -> &'static str {
        match self {
            Sanitizer::Thread => "thread",
            Sanitizer::Address => "address",
            Sanitizer::Leak => "leak",
        }
    }

    /// The sanitizer with this name.
    pub fn from_name(name: &str) -> Option<Sanitizer> {
        Sanitizer::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The facade's test suites it runs.
    fn suites(self) -> &'static [&'static str] {
        match self {
            Sanitizer::Thread => &["concurrent", "scan_concurrent"],
            Sanitizer::Address => &[
                "concurrent",
                "scan_concurrent",
                "differential",
                "drop_and_panic",
                "reclamation",
                "epoch_reclaim",
                "memory_bounds",
                "stress_layers",
                "finger",
            ],
            Sanitizer::Leak => &["drop_and_panic", "reclamation", "epoch_reclaim"],
        }
    }
}

/// Runs `cargo run --release -p masstree-harden --bin <bin> -- <args>`.
pub fn harness(root: &Path, bin: &str, args: &[&str]) -> Result<(), Failure> {
    let mut cmd = process::cargo(root);
    cmd.args(["run", "--release", "-p", HARDEN_CRATE, "--bin", bin, "--"])
        .args(args);
    process::run(&mut cmd)
}

/// Runs the differential fuzz target for `seconds` (installing cargo-fuzz if missing). New
/// inputs go to `target/fuzz-corpus`; the committed corpus is read, not written.
pub fn fuzz(root: &Path, seconds: u64) -> Result<(), Failure> {
    toolchain::ensure_cargo_fuzz(root)?;
    let scratch = root.join("target").join("fuzz-corpus").join(FUZZ_TARGET);
    std::fs::create_dir_all(&scratch).map_err(|err| Failure {
        message: format!("could not create {}: {err}", scratch.display()),
        hint: String::new(),
    })?;
    let committed = root.join("fuzz").join("corpus").join(FUZZ_TARGET);
    let mut cmd = process::nightly_cargo(root);
    // cargo-fuzz builds with AddressSanitizer: nodes as heap allocations of their own, so it
    // sees each node's free (see `sanitize`).
    process::append_env(&mut cmd, "RUSTFLAGS", "--cfg masstree_heap_nodes");
    cmd.args(["fuzz", "run", FUZZ_TARGET])
        .arg(&scratch)
        .arg(&committed)
        .args(["--", &format!("-max_total_time={seconds}"), "-max_len=4096"]);
    process::run(&mut cmd).map_err(|failure| Failure {
        message: format!(
            "{} (a crash input is saved under fuzz/artifacts/{FUZZ_TARGET}/: copy it into \
             fuzz/corpus/{FUZZ_TARGET}/ with the fix, so `tests/fuzz_corpus.rs` keeps replaying it)",
            failure.message
        ),
        hint: failure.hint,
    })
}

/// Runs the facade's suites for each sanitizer on nightly with `-Zbuild-std`, in
/// `target/sanitize-<name>`.
pub fn sanitize(root: &Path, sanitizers: &[Sanitizer]) -> Result<(), Failure> {
    toolchain::ensure_rust_src(root)?;
    let host = toolchain::nightly_host(root)?;
    for &sanitizer in sanitizers {
        // AddressSanitizer and LeakSanitizer: nodes as heap allocations of their own
        // (`masstree_alloc::NodePool`'s heap mode), so they see each node's free, not a pool's
        // recycled block. ThreadSanitizer runs the pool itself: its cross-thread frees.
        let flags = match sanitizer {
            Sanitizer::Thread => format!("-Zsanitizer={}", sanitizer.name()),
            _ => format!("-Zsanitizer={} --cfg masstree_heap_nodes", sanitizer.name()),
        };
        let mut cmd = process::nightly_cargo(root);
        cmd.args([
            "test",
            "--release",
            "-Zbuild-std",
            "--target",
            &host,
            "-p",
            "masstree",
        ]);
        for suite in sanitizer.suites() {
            cmd.args(["--test", suite]);
        }
        cmd.env(
            "CARGO_TARGET_DIR",
            root.join("target")
                .join(format!("sanitize-{}", sanitizer.name())),
        )
        .env(
            "TSAN_OPTIONS",
            format!(
                "halt_on_error=1 second_deadlock_stack=1 suppressions={}",
                root.join("xtask")
                    .join("sanitize")
                    .join("tsan.supp")
                    .display()
            ),
        )
        .env("ASAN_OPTIONS", "detect_leaks=1")
        .env("PROPTEST_CASES", "32");
        process::append_env(&mut cmd, "RUSTFLAGS", &flags);
        process::append_env(&mut cmd, "RUSTDOCFLAGS", &flags);
        process::run(&mut cmd)?;
    }
    Ok(())
}
